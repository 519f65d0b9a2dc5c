"""Topics and replies in the site search and in a space's own search.

A private space's discussions reach its members (and staff) only: never anonymous
visitors, non-members, nor the members and animateurs of other spaces. Hidden,
deleted and pending posts never show their words to anyone; a topic whose opening
post is not published is found only by those who see it in its forum (its author
and the animateurs), as community.permissions.may_see_topic says.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from community.forums import services as forum_services
from community.moderation import services as moderation_services
from community.search import topics_and_posts
from portal import search as site_search
from tests.community.conftest import client_for
from tests.community.factories import MembershipFactory
from tests.community.forums.factories import make_forum, publish_reply, publish_topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "non_member", "other_animator", "member", "suspended", "animator", "staff"]
READERS = {"member", "suspended", "animator", "staff"}
MODERATORS = {"animator", "staff"}

SOMME_TOPIC = "Covoiturage solidaire vers les zones d'activité"
NORD_TOPIC = "Covoiturage dans la métropole lilloise"
PENDING_TOPIC = "Trampoline pour les ateliers collectifs"
HIDDEN_TOPIC = "Xylophone et calomnies envers un collègue"


@pytest.fixture
def discussions(site_root, private_cast, somme, nord, django_capture_on_commit_callbacks):
    """In Somme (private): a published topic with a published, a hidden, a deleted and
    a pending reply; a topic awaiting moderation; a topic whose only post is hidden.
    In Nord (open): a published topic that anyone finds."""
    newcomer = UserFactory(display_name="Nina Nouvelle")
    MembershipFactory(space=somme, user=newcomer)
    writer = UserFactory(display_name="Paul Auteur")
    MembershipFactory(space=somme, user=writer)
    cast = private_cast
    with django_capture_on_commit_callbacks(execute=True):
        somme_forum = make_forum(somme, name="Mobilité", slug="mobilite")
        topic = publish_topic(
            somme_forum, cast.animator, title=SOMME_TOPIC, body="Qui organise des trajets ?"
        )
        publish_reply(topic, cast.member, body="La navette intercommunale dessert Amiens.")
        hidden = publish_reply(topic, cast.member, body="Numéro de dossier : quincaillerie.")
        moderation_services.post_hide(post=hidden, by=cast.animator)
        deleted = publish_reply(topic, cast.member, body="Je retire ce message : marmelade.")
        forum_services.post_delete(post=deleted, by=cast.member)
        hidden_topic = publish_topic(
            somme_forum, writer, title=HIDDEN_TOPIC, body="Un message injurieux : xylophone."
        )
        moderation_services.post_hide(post=hidden_topic.posts.get(), by=cast.animator)
        # From now on, a newcomer's first post waits for an animateur.
        somme.premoderate_first_posts = 1
        somme.save(update_fields=["premoderate_first_posts"])
        pending = publish_reply(topic, newcomer, body="Première intervention : parapluie.")
        pending_topic = publish_topic(
            somme_forum, newcomer, title=PENDING_TOPIC, body="Un atelier de trampoline ?"
        )
        nord_forum = make_forum(nord, name="Mobilité", slug="mobilite")
        publish_topic(nord_forum, cast.staff, title=NORD_TOPIC, body="Des lignes de bus.")
    assert pending.state == "pending"
    assert pending_topic.last_post_id is None
    hidden_topic.refresh_from_db()
    assert hidden_topic.last_post_id is None
    return {"newcomer": newcomer, "writer": writer}


def _user(cast, role):
    return AnonymousUser() if role == "anonymous" else getattr(cast, role)


def _titles(results) -> set[str]:
    return {result.title for result in results}


def _texts(results) -> str:
    return " ".join(f"{r.title} {r.summary}" for r in results)


def _page_results(response) -> list:
    assert response.status_code == 200
    return list(response.context["page_obj"].object_list)


# --- A private space's published discussions -----------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_site_search_returns_private_space_topics_and_replies_to_its_readers_only(
    discussions, private_cast, role
):
    user = _user(private_cast, role)

    by_title = _titles(site_search.search(query="covoiturage", user=user))
    by_reply = topics_and_posts(query="navette", user=user)

    assert NORD_TOPIC in by_title  # an open space's topic, for everyone
    assert (SOMME_TOPIC in by_title) is (role in READERS)
    if role in READERS:
        [result] = by_reply
        assert result.title == SOMME_TOPIC
        assert "La navette intercommunale dessert Amiens." in result.summary
    else:
        assert by_reply == []


@pytest.mark.parametrize("role", ROLES)
def test_site_search_page_shows_private_space_discussions_to_its_readers_only(
    discussions, private_cast, role
):
    client = client_for(None if role == "anonymous" else getattr(private_cast, role))

    by_title = _page_results(client.get(reverse("search"), {"q": "covoiturage"}))
    by_reply = _page_results(client.get(reverse("search"), {"q": "navette"}))

    assert NORD_TOPIC in _titles(by_title)
    assert (SOMME_TOPIC in _titles(by_title)) is (role in READERS)
    assert (SOMME_TOPIC in _titles(by_reply)) is (role in READERS)


@pytest.mark.parametrize("role", ROLES)
def test_private_space_search_is_for_its_readers_only(discussions, private_cast, role):
    client = client_for(None if role == "anonymous" else getattr(private_cast, role))
    url = reverse("community:space_search", kwargs={"slug": "somme"})

    response = client.get(url, {"q": "navette"})

    if role in READERS:
        [result] = _page_results(response)
        assert result.title == SOMME_TOPIC
    else:
        assert response.status_code == 403
        assert "navette intercommunale" not in response.content.decode()
        assert SOMME_TOPIC not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_an_open_space_search_never_returns_another_space_topics(
    discussions, private_cast, nord, role
):
    user = _user(private_cast, role)
    client = client_for(None if role == "anonymous" else user)

    results = _page_results(
        client.get(reverse("community:space_search", kwargs={"slug": "nord"}), {"q": "covoiturage"})
    )

    assert _titles(results) == {NORD_TOPIC}
    assert _titles(topics_and_posts(query="covoiturage", user=user, space=nord)) == {NORD_TOPIC}


# --- Posts that are not published ------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, "newcomer"])
@pytest.mark.parametrize("word", ["quincaillerie", "marmelade", "parapluie"])
def test_hidden_deleted_and_pending_replies_are_found_by_nobody(
    discussions, private_cast, somme, role, word
):
    user = discussions["newcomer"] if role == "newcomer" else _user(private_cast, role)

    everywhere = site_search.search(query=word, user=user)
    in_space = topics_and_posts(query=word, user=user, space=somme)

    assert everywhere == []
    assert in_space == []


@pytest.mark.parametrize("role", [*ROLES, "newcomer"])
def test_a_topic_awaiting_moderation_is_found_by_its_author_and_the_animateurs_only(
    discussions, private_cast, role
):
    user = discussions["newcomer"] if role == "newcomer" else _user(private_cast, role)

    results = topics_and_posts(query="trampoline", user=user)

    assert (PENDING_TOPIC in _titles(results)) is (role in MODERATORS | {"newcomer"})
    # Its opening post waits: its words are never shown, whoever searches.
    assert "Un atelier de trampoline" not in _texts(results)


@pytest.mark.parametrize("role", [*ROLES, "writer"])
def test_a_topic_whose_only_post_is_hidden_is_found_by_its_author_and_the_animateurs_only(
    discussions, private_cast, role
):
    user = discussions["writer"] if role == "writer" else _user(private_cast, role)

    results = topics_and_posts(query="xylophone", user=user)
    page = client_for(None if role == "anonymous" else user).get(
        reverse("search"), {"q": "xylophone"}
    )

    expected = role in MODERATORS | {"writer"}
    assert (HIDDEN_TOPIC in _titles(results)) is expected
    assert (HIDDEN_TOPIC in _titles(_page_results(page))) is expected
    assert "Un message injurieux" not in _texts(results)


def test_a_pending_topic_is_not_found_in_its_private_space_search_by_other_members(
    discussions, private_cast
):
    response = client_for(private_cast.member).get(
        reverse("community:space_search", kwargs={"slug": "somme"}), {"q": "trampoline"}
    )

    assert _page_results(response) == []
