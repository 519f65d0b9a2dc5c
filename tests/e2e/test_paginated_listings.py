"""Every listing long enough to paginate, in Chromium, with axe's RGAA rules, on its
first page (inactive "Page précédente") and its last (inactive "Page suivante")."""

import re

import pytest

from community.models import Membership, ModerationLogEntry
from portal.setup import site_setup
from tests.academy.factories import academy_index, course
from tests.community.factories import MembershipFactory, refresh_member_counts, space
from tests.community.forums.factories import make_forum, topic_with_replies
from tests.community.sheets.conftest import publish_sheet
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def long_listings():
    """Each listing one item past its first page."""
    home = site_setup()
    nord = space("nord")
    index = academy_index(home)
    for n in range(13):
        course(index, title=f"Formation numéro {n + 1} du réseau", slug=f"formation-{n + 1}")
    for n in range(13):
        publish_sheet(territory_slug="nord", title=f"Fiche pratique numéro {n + 1}")
    animator = MembershipFactory(space=nord, animator=True, count=False).user
    for _ in range(30):
        MembershipFactory(space=nord, count=False)
    refresh_member_counts()
    forum = make_forum(nord, name="Accompagnement")
    for n in range(25):
        topic_with_replies(forum, author=animator, title=f"Sujet numéro {n + 1}")
    long_topic = topic_with_replies(forum, author=animator, replies=21, title="Le long sujet")
    ModerationLogEntry.objects.bulk_create(
        ModerationLogEntry(
            space=nord,
            actor=animator,
            action=ModerationLogEntry.Action.PIN,
            target_label=f"Sujet numéro {n + 1}",
        )
        for n in range(51)
    )
    assert Membership.objects.filter(space=nord).count() == 31
    return {
        "recherche": "/recherche/?q=formation",
        "catalogue": "/academie/",
        "fiches": "/communaute/fiches/",
        "forum": forum.get_absolute_url(),
        "sujet": long_topic.get_absolute_url(),
        "annuaire": "/communaute/nord/membres/",
        "journal": "/communaute/nord/moderation/journal/",
    }, animator


def _last_page(tab) -> int:
    numbers = tab.locator("nav.fr-pagination a[title^='Page ']").all_inner_texts()
    return max(int(n) for n in numbers if re.fullmatch(r"\d+", n.strip()))


def test_every_paginated_listing_passes_rgaa_rules_on_its_first_and_last_pages(page, long_listings):
    listings, animator = long_listings
    log_in(page, email=animator.email, password=DEFAULT_PASSWORD)

    for name, url in listings.items():
        page.goto(url)
        pagination = page.get_by_role("navigation", name="Pagination")
        assert pagination.count() == 1, f"{name} : une seule pagination attendue"
        previous = pagination.get_by_role("link", name="Page précédente")
        assert previous.get_attribute("aria-disabled") == "true", name
        assert previous.get_attribute("href") is None, name
        assert_no_axe_violations(page)

        last = _last_page(page)
        assert last >= 2, name
        pagination.get_by_role("link", name="Page suivante").click()
        page.wait_for_url(re.compile(r"[?&]page=2"))
        if last > 2:
            page.goto(page.url.replace("page=2", f"page={last}"))
        pagination = page.get_by_role("navigation", name="Pagination")
        assert (
            pagination.get_by_role("link", name="Page suivante").get_attribute("aria-disabled")
            == "true"
        ), name
        assert_no_axe_violations(page)
