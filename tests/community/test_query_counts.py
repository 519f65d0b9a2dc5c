"""The Communauté's pages run a fixed number of SQL queries, whatever the data.

Each test measures a page on small data, grows the data (more spaces, more
memberships, members, animateurs, sessions, join requests) and requires the same
number of queries, the pinned one (SQLite and PostgreSQL alike): a new query must
show up here, in review.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import services
from community.models import JoinRequest, Membership, Space
from tests.academy.factories import course_session, course_tree
from tests.community.conftest import client_for
from tests.community.factories import MembershipFactory, refresh_member_counts, space
from tests.factories import UserFactory, operator

pytestmark = pytest.mark.django_db

# Logged in, every page also reads the user (1) and the unread-notification count (1);
# the portal settings come from the shared cache (portal/page_cache.py). Anonymous pages
# are counted as rendered (their cached copy costs none). The rest, per page:
PINNED = {
    # spaces with their territories and parents
    "index, anonymous": 1,
    # + the ids of my spaces
    "index, member": 4,
    # space; my membership (none); animateurs; sub-spaces; sessions; forums;
    # latest topics; unanswered topics; the chat room; once the
    # room exists, its latest messages too (tests/community/chat/test_pages.py)
    "space page, anonymous": 8,
    # + watching the space
    "space page, member": 12,
    # + the count of pending join requests and of open reports
    "space page, animateur": 14,
    # space; membership; profile check (territories); my pending request — nothing else
    "private space page, non-member": 6,
    # space; membership; count; one page of members; operators of the filter
    "directory, member": 7,
    # + the operator of the filter, validated
    "directory, animateur with filters": 8,
    # space; membership; the pending requests with their people
    "join requests, animateur": 5,
}


def _measure(client, url) -> list[dict]:
    """The queries of a warm request (site settings and sessions cached first)."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    return context.captured_queries


def _assert_fixed(name: str, small: list[dict], big: list[dict]) -> None:
    report = "\n".join(
        [f"{name}: {len(small)} queries on small data, {len(big)} on big data.", "--- small"]
        + [q["sql"] for q in small]
        + ["--- big"]
        + [q["sql"] for q in big]
    )
    assert len(small) == len(big) == PINNED[name], report


def _members(target: Space, count: int, **user_fields) -> list:
    users = []
    for _ in range(count):
        user = UserFactory(**user_fields)
        MembershipFactory(space=target, user=user, count=False)
        users.append(user)
    refresh_member_counts()
    return users


def _join_spaces(user, spaces) -> None:
    for target in spaces:
        if not Membership.objects.filter(space=target, user=user).exists():
            MembershipFactory(space=target, user=user, count=False)
    refresh_member_counts()


def test_index_anonymous_same_queries_with_20_spaces_and_120(db, no_page_cache):
    keep = list(Space.objects.order_by("territory__level", "pk")[:20].values_list("pk", flat=True))
    Space.objects.exclude(pk__in=keep).delete()
    client = client_for(None)
    small = _measure(client, "/communaute/")

    assert services.spaces_ensure() == 100
    Space.objects.filter(pk__in=keep[:5]).update(visibility=Space.Visibility.PRIVATE)
    big = _measure(client, "/communaute/")

    assert Space.objects.count() == 120
    _assert_fixed("index, anonymous", small, big)


def test_index_member_same_queries_with_10_memberships_and_50(db):
    spaces = list(Space.objects.order_by("pk"))
    assert len(spaces) == 120
    member = UserFactory()
    _join_spaces(member, spaces[:10])
    client = client_for(member)
    small = _measure(client, "/communaute/")

    _join_spaces(member, spaces[:50])
    for target in spaces[50:60]:
        _members(target, 2)
    Space.objects.filter(pk__in=[s.pk for s in spaces[::7]]).update(
        visibility=Space.Visibility.PRIVATE
    )
    big = _measure(client, "/communaute/")

    assert Membership.objects.filter(user=member).count() == 50
    _assert_fixed("index, member", small, big)


@pytest.fixture
def region(site_root):
    """Hauts-de-France with one animateur, one member and one upcoming session."""
    target = space("hauts-de-france", description="La région.")
    MembershipFactory(space=target, animator=True)
    course_session(course_tree(site_root, title="Première formation").course, territory_slug="nord")
    return target


def _grow_space(target: Space, site_root) -> None:
    """Many more animateurs, members of several operators, sessions and requests."""
    _members(target, 5, operator=operator("mission-locale"))
    for _ in range(5):
        MembershipFactory(space=target, animator=True, count=False)
    _members(target, 30)
    tree = course_tree(site_root, title="Seconde formation", slug="seconde-formation")
    for days in range(1, 9):
        course_session(tree.course, territory_slug="somme", starts_in=timedelta(days=days))
    for _ in range(12):
        JoinRequest.objects.create(space=target, user=UserFactory())
    refresh_member_counts()


@pytest.mark.parametrize("role", ["anonymous", "member", "animateur"])
def test_space_page_same_queries_with_few_and_many_members(region, site_root, role, no_page_cache):
    viewer = None
    if role == "member":
        viewer = MembershipFactory(space=region).user
    elif role == "animateur":
        viewer = MembershipFactory(space=region, animator=True).user
        JoinRequest.objects.create(space=region, user=UserFactory())
    client = client_for(viewer)
    small = _measure(client, region.get_absolute_url())

    _grow_space(region, site_root)
    big = _measure(client, region.get_absolute_url())

    _assert_fixed(f"space page, {role}", small, big)


def test_private_space_page_for_a_non_member_same_queries(region, site_root):
    Space.objects.filter(pk=region.pk).update(visibility=Space.Visibility.PRIVATE)
    client = client_for(UserFactory())
    small = _measure(client, region.get_absolute_url())

    _grow_space(region, site_root)
    big = _measure(client, region.get_absolute_url())

    _assert_fixed("private space page, non-member", small, big)


def test_directory_same_queries_with_30_members_and_90(db):
    nord = space("nord")
    viewer = _members(nord, 30)[0]
    client = client_for(viewer)
    url = "/communaute/nord/membres/"
    small = _measure(client, url)

    _members(nord, 30, operator=operator("cap-emploi"))
    _members(nord, 30, operator=operator("mission-locale"))
    big = _measure(client, url)
    big_last_page = _measure(client, url + "?page=3")

    assert Membership.objects.filter(space=nord).count() == 90
    _assert_fixed("directory, member", small, big)
    _assert_fixed("directory, member", small, big_last_page)


def test_directory_with_filters_for_an_animateur_same_queries_with_30_members_and_90(db):
    nord = space("nord")
    animator = MembershipFactory(space=nord, animator=True).user
    _members(nord, 30, operator=operator("mission-locale"), structure_name="ML Lille")
    client = client_for(animator)
    url = "/communaute/nord/membres/?operator=mission-locale&structure=lille"
    small = _measure(client, url)

    _members(nord, 60, operator=operator("mission-locale"), structure_name="ML Lille Sud")
    big = _measure(client, url)

    _assert_fixed("directory, animateur with filters", small, big)


def test_join_request_queue_same_queries_with_2_requests_and_30(db):
    somme = space("somme", private=True)
    animator = MembershipFactory(space=somme, animator=True).user
    for _ in range(2):
        JoinRequest.objects.create(space=somme, user=UserFactory())
    client = client_for(animator)
    url = "/communaute/somme/demandes/"
    small = _measure(client, url)

    for _ in range(28):
        JoinRequest.objects.create(
            space=somme, user=UserFactory(operator=operator("cap-emploi")), message="Bonjour"
        )
    big = _measure(client, url)

    _assert_fixed("join requests, animateur", small, big)
