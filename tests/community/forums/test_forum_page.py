"""The forum page: its topics, their markers, its filters, who may read it, its cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.forums import selectors, services
from community.models import Post, Topic, TopicRead
from tests.community.conftest import client_for, page_text
from tests.community.factories import MembershipFactory
from tests.community.forums.factories import topic_with_replies
from tests.factories import UserFactory, operator

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.community.forums.urls_for_tests")]


def forum_url(forum) -> str:
    return reverse("community:forum", kwargs={"slug": forum.space.slug, "forum": forum.slug})


def topic_titles(response) -> list[str]:
    return [topic.title for topic in response.context["topics"]]


def test_forum_lists_pinned_topics_first_then_by_last_activity(open_cast, forum):
    old = topic_with_replies(forum, author=open_cast.member, title="Ancien sujet")
    recent = topic_with_replies(forum, author=open_cast.member, title="Sujet récent")
    pinned = topic_with_replies(forum, author=open_cast.member, title="Sujet épinglé")
    now = timezone.now()
    Topic.objects.filter(pk=old.pk).update(last_post_at=now - timedelta(days=3))
    Topic.objects.filter(pk=recent.pk).update(last_post_at=now)
    Topic.objects.filter(pk=pinned.pk).update(last_post_at=now - timedelta(days=9), pinned=True)

    response = client_for(None).get(forum_url(forum))

    assert response.status_code == 200
    assert topic_titles(response) == ["Sujet épinglé", "Sujet récent", "Ancien sujet"]


def test_forum_shows_author_operator_reply_count_accepted_badge_and_tags(open_cast, forum):
    topic = topic_with_replies(
        forum, author=open_cast.member, replies=3, tags=["RSA", "Mobilité"], title="Covoiturage"
    )
    Topic.objects.filter(pk=topic.pk).update(accepted_post=topic.last_post)

    text = page_text(client_for(open_cast.non_member).get(forum_url(forum)))

    assert "Inès Membre" in text
    assert "Mission locale" in text
    assert "3 réponses" in text
    assert "Réponse acceptée" in text
    assert "RSA" in text and "Mobilité" in text


def test_forum_marks_topics_unread_beyond_the_reading_mark(open_cast, forum):
    read = topic_with_replies(forum, author=open_cast.animator, replies=2, title="Lu")
    partly = topic_with_replies(forum, author=open_cast.animator, replies=2, title="En partie")
    never = topic_with_replies(forum, author=open_cast.animator, replies=2, title="Jamais ouvert")
    TopicRead.objects.create(user=open_cast.member, topic=read, last_read_position=2)
    TopicRead.objects.create(user=open_cast.member, topic=partly, last_read_position=1)

    response = client_for(open_cast.member).get(forum_url(forum))

    unread = {t.title: t.unread for t in response.context["topics"]}
    assert unread == {"Lu": False, "En partie": True, "Jamais ouvert": True}
    assert never.pk  # listed, and unread


def test_anonymous_visitor_sees_no_unread_marker(open_cast, forum):
    topic_with_replies(forum, author=open_cast.member, replies=1)

    response = client_for(None).get(forum_url(forum))

    assert [t.unread for t in response.context["topics"]] == [False]


def test_forum_filters_by_tag_unanswered_and_author_operator(open_cast, forum):
    topic_with_replies(forum, author=open_cast.member, replies=1, tags=["RSA"], title="RSA ML")
    topic_with_replies(forum, author=open_cast.animator, replies=0, title="Sans réponse FT")
    topic_with_replies(forum, author=open_cast.animator, replies=2, tags=["Mobilité"], title="Mob")
    client = client_for(open_cast.member)

    assert topic_titles(client.get(forum_url(forum), {"tag": "rsa"})) == ["RSA ML"]
    assert topic_titles(client.get(forum_url(forum), {"sans_reponse": "on"})) == ["Sans réponse FT"]
    assert topic_titles(client.get(forum_url(forum), {"operator": "mission-locale"})) == ["RSA ML"]


def test_unknown_filter_value_is_a_french_error_not_an_empty_list(open_cast, forum):
    topic_with_replies(forum, author=open_cast.member)

    response = client_for(open_cast.member).get(forum_url(forum), {"operator": "inconnu"})

    assert "Cet opérateur n'existe pas" in page_text(response)
    assert len(response.context["topics"]) == 1


def test_forum_pages_by_25_topics(open_cast, forum):
    for n in range(27):
        topic_with_replies(forum, author=open_cast.member, title=f"Sujet {n}")

    first = client_for(None).get(forum_url(forum))
    second = client_for(None).get(forum_url(forum), {"page": 2})

    assert len(first.context["topics"]) == 25
    assert len(second.context["topics"]) == 2


def test_topic_waiting_for_moderation_is_listed_for_its_author_and_animateurs_only(
    open_cast, forum
):
    topic_with_replies(forum, author=open_cast.member, title="En attente", state=Post.State.PENDING)

    assert topic_titles(client_for(open_cast.member).get(forum_url(forum))) == ["En attente"]
    assert topic_titles(client_for(open_cast.animator).get(forum_url(forum))) == ["En attente"]
    assert topic_titles(client_for(open_cast.non_member).get(forum_url(forum))) == []
    assert topic_titles(client_for(None).get(forum_url(forum))) == []


@pytest.mark.parametrize("role", ["anonymous", "non_member", "other_animator"])
def test_private_forum_is_a_404_to_those_who_may_not_read_the_space(
    private_cast, private_forum, role
):
    user = None if role == "anonymous" else getattr(private_cast, role)
    topic_with_replies(private_forum, author=private_cast.member)

    assert client_for(user).get(forum_url(private_forum)).status_code == 404


@pytest.mark.parametrize("role", ["member", "suspended", "animator", "staff"])
def test_private_forum_is_readable_by_its_members_and_staff(private_cast, private_forum, role):
    topic_with_replies(private_forum, author=private_cast.member, title="Entre nous")

    response = client_for(getattr(private_cast, role)).get(forum_url(private_forum))

    assert response.status_code == 200
    assert topic_titles(response) == ["Entre nous"]


def test_suspended_member_reads_the_forum_without_the_new_topic_button(open_cast, forum):
    text = page_text(client_for(open_cast.suspended).get(forum_url(forum)))

    assert "Nouveau sujet" not in text
    assert "vous pouvez lire mais pas publier" in text


def _queries_for_forum(client, url) -> int:
    client.get(url)  # warm the per-process caches (content types, site settings row)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_forum_listing_costs_the_same_queries_for_5_and_60_topics(
    open_cast, forum, django_assert_max_num_queries
):
    ml, ft = operator("mission-locale"), operator("france-travail")
    authors = [UserFactory(operator=ml if n % 2 else ft) for n in range(6)]
    for user in authors:
        MembershipFactory(space=forum.space, user=user, count=False)
    client = client_for(open_cast.member)
    url = forum_url(forum)
    for n in range(5):
        topic_with_replies(
            forum, author=authors[n], repliers=authors, replies=2, tags=[f"t{n}", "commun"]
        )
    with_five = _queries_for_forum(client, url)
    for n in range(55):
        topic_with_replies(
            forum, author=authors[n % 6], repliers=authors, replies=1, tags=[f"u{n}", "commun"]
        )
    with_sixty = _queries_for_forum(client, url)

    assert with_five == with_sixty
    # user, site settings, unread count, forum (+ watch subqueries), membership, tags of
    # the forum, operators (filter), topics count, topics page, their tags.
    with django_assert_max_num_queries(10):
        client.get(url, {"tag": "commun", "sans_reponse": "on", "operator": "mission-locale"})


def test_space_page_fragment_lists_the_forums_with_their_counters(open_cast, nord, forum):
    topic_with_replies(forum, author=open_cast.member, replies=2)
    forum.refresh_from_db()

    html = render_to_string(
        "community/forums/includes/space_forums.html",
        {"space": nord, "forums": selectors.space_forums(space=nord)},
    )

    assert forum_url(forum) in html
    assert "1 sujet, 3 messages" in html


def test_space_watching_tells_whether_the_user_watches_the_space(open_cast, nord):
    assert selectors.space_watching(user=open_cast.member, space=nord) is False
    services.watch_set(user=open_cast.member, target=nord, watching=True)
    assert selectors.space_watching(user=open_cast.member, space=nord) is True
