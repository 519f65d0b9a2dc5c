"""Every role × every forum surface of a private and an open space: allowed and refused.

Roles: anonymous, logged-in non-member, member, suspended member, animateur of
another space, animateur of this space, staff. What a role may not read is a 404;
what it may read but not do is refused in French (403) or sends it to log in.
"""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community.models import Attachment
from tests.community.conftest import client_for
from tests.community.forums.factories import publish_reply, publish_topic

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.community.forums.urls_for_tests")]

ROLES = ["anonymous", "non_member", "member", "suspended", "other_animator", "animator", "staff"]
READERS_OF_PRIVATE = {"member", "suspended", "animator", "staff"}
POSTERS = {"member", "animator", "staff"}


def _user(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def _surfaces(topic, reply):
    forum = topic.forum
    space = forum.space
    attachment = Attachment.objects.get(post=reply)
    return {
        "forum": reverse("community:forum", kwargs={"slug": space.slug, "forum": forum.slug}),
        "topic": topic.get_absolute_url(),
        "post": reverse("community:post", kwargs={"pk": reply.pk}),
        "attachment": reverse("community:attachment", kwargs={"pk": attachment.pk}),
    }


def _get(client, url):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, the client closes the file
    return response


@pytest.fixture
def private_topic(private_cast, private_forum):
    topic = publish_topic(private_forum, private_cast.animator)
    pdf = SimpleUploadedFile("liste.pdf", b"%PDF-1.4\n0000")
    reply = publish_reply(topic, private_cast.member, files=[pdf])
    cache.clear()  # the rate limit is not under test here
    return topic, reply


@pytest.fixture
def open_topic(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    pdf = SimpleUploadedFile("liste.pdf", b"%PDF-1.4\n0000")
    reply = publish_reply(topic, open_cast.member, files=[pdf])
    cache.clear()  # the rate limit is not under test here
    return topic, reply


@pytest.mark.parametrize("role", ROLES)
def test_private_space_surfaces_are_readable_by_its_members_and_staff_only(
    private_cast, private_topic, role
):
    client = client_for(_user(private_cast, role))
    expected_ok = role in READERS_OF_PRIVATE

    for name, url in _surfaces(*private_topic).items():
        status = _get(client, url).status_code
        if expected_ok:
            assert status in (200, 302), (name, status)
        else:
            assert status == 404, (name, status)


@pytest.mark.parametrize("role", ROLES)
def test_open_space_surfaces_are_readable_by_everyone(open_cast, open_topic, role):
    client = client_for(_user(open_cast, role))

    for name, url in _surfaces(*open_topic).items():
        assert _get(client, url).status_code in (200, 302), name


@pytest.mark.parametrize("role", ROLES)
def test_only_members_who_are_not_suspended_and_staff_may_reply_in_an_open_space(
    open_cast, open_topic, role
):
    topic, _reply = open_topic
    url = reverse(
        "community:post_reply",
        kwargs={"slug": topic.forum.space.slug, "forum": topic.forum.slug, "pk": topic.pk},
    )

    response = client_for(_user(open_cast, role)).post(url, {"body": f"Réponse de {role}"})

    posted = topic.posts.filter(body=f"Réponse de {role}").exists()
    assert posted is (role in POSTERS)
    if role == "anonymous":
        assert response.status_code == 302 and "/comptes/" in response.url
    elif role not in POSTERS:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_members_who_are_not_suspended_and_staff_may_reply_in_a_private_space(
    private_cast, private_topic, role
):
    topic, _reply = private_topic
    url = reverse(
        "community:post_reply",
        kwargs={"slug": topic.forum.space.slug, "forum": topic.forum.slug, "pk": topic.pk},
    )

    response = client_for(_user(private_cast, role)).post(url, {"body": f"Réponse de {role}"})

    assert topic.posts.filter(body=f"Réponse de {role}").exists() is (role in POSTERS)
    if role in ("non_member", "other_animator"):
        assert response.status_code == 404
    elif role == "suspended":
        assert response.status_code == 403
