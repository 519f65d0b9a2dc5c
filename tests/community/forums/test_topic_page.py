"""The topic page: posts in order, their states, the accepted answer, stable addresses,
reading marks, and a fixed cost whatever the number of replies."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Attachment, Post, Reaction, Topic, TopicRead
from tests.community.conftest import client_for, page_text
from tests.community.factories import MembershipFactory
from tests.community.forums.factories import topic_with_replies
from tests.factories import UserFactory, operator

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.community.forums.urls_for_tests")]


def post_url(post) -> str:
    return reverse("community:post", kwargs={"pk": post.pk})


def shown_positions(response) -> list[int]:
    return [post.position for post in response.context["posts"]]


def test_topic_shows_opening_post_then_replies_with_author_operator_and_structure(open_cast, forum):
    topic = topic_with_replies(
        forum, author=open_cast.member, repliers=[open_cast.animator], replies=2
    )

    response = client_for(None).get(topic.get_absolute_url())
    text = page_text(response)

    assert response.status_code == 200
    assert shown_positions(response) == [0, 1, 2]
    assert "Inès Membre" in text and "Mission locale" in text
    assert "Agence de Lille Centre" in text
    assert "<strong>initiale</strong>" in response.content.decode()
    assert "Réponse numéro 2." in text


def test_topic_pages_by_20_posts(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.member, replies=45)
    client = client_for(open_cast.member)

    assert shown_positions(client.get(topic.get_absolute_url())) == list(range(20))
    assert shown_positions(client.get(topic.get_absolute_url(), {"page": 3})) == list(range(40, 46))


def test_accepted_answer_is_shown_first_under_the_question(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.member, replies=30)
    accepted = topic.posts.get(position=27)
    Topic.objects.filter(pk=topic.pk).update(accepted_post=accepted)

    response = client_for(None).get(topic.get_absolute_url())
    body = page_text(response)

    assert response.context["accepted"] == accepted
    question = body.index("La question")
    answer = body.index("Réponse numéro 27.")
    first_reply = body.index("Réponse numéro 1.")
    assert question < answer < first_reply
    assert "Réponse acceptée" in body


def test_hidden_post_shows_a_notice_to_members_and_its_content_to_animateurs(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.member, replies=1)
    Post.objects.filter(topic=topic, position=1).update(
        state=Post.State.HIDDEN, body_html="<p>Propos déplacés</p>"
    )

    member_text = page_text(client_for(open_cast.member).get(topic.get_absolute_url()))
    animator_text = page_text(client_for(open_cast.animator).get(topic.get_absolute_url()))

    assert "Message masqué par l'animation" in member_text
    assert "Propos déplacés" not in member_text
    assert "Propos déplacés" in animator_text


def test_deleted_post_shows_only_that_its_author_deleted_it(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.member, replies=1)
    Post.objects.filter(topic=topic, position=1).update(
        state=Post.State.DELETED, body_html="<p>Texte retiré</p>"
    )

    for user in (open_cast.member, open_cast.animator, None):
        text = page_text(client_for(user).get(topic.get_absolute_url()))
        assert "Message supprimé par son auteur" in text
        assert "Texte retiré" not in text


def test_pending_post_is_shown_to_its_author_and_animateurs_only(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.animator, replies=1)
    Post.objects.create(
        topic=topic,
        author=open_cast.member,
        position=2,
        body="En attente",
        body_html="<p>En attente de relecture</p>",
        state=Post.State.PENDING,
    )

    assert shown_positions(client_for(open_cast.member).get(topic.get_absolute_url())) == [0, 1, 2]
    assert shown_positions(client_for(open_cast.animator).get(topic.get_absolute_url())) == [
        0,
        1,
        2,
    ]
    assert shown_positions(client_for(open_cast.non_member).get(topic.get_absolute_url())) == [
        0,
        1,
    ]


def test_topic_whose_opening_post_waits_for_moderation_is_a_404_to_others(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.member, state=Post.State.PENDING)

    assert client_for(open_cast.member).get(topic.get_absolute_url()).status_code == 200
    assert client_for(open_cast.animator).get(topic.get_absolute_url()).status_code == 200
    assert client_for(open_cast.non_member).get(topic.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "non_member", "other_animator"])
def test_private_topic_is_a_404_to_those_who_may_not_read_the_space(
    private_cast, private_forum, role
):
    topic = topic_with_replies(private_forum, author=private_cast.member, replies=1)
    user = None if role == "anonymous" else getattr(private_cast, role)

    assert client_for(user).get(topic.get_absolute_url()).status_code == 404
    assert client_for(user).get(post_url(topic.last_post)).status_code == 404


def test_suspended_member_reads_the_topic_but_gets_no_reply_form(private_cast, private_forum):
    topic = topic_with_replies(private_forum, author=private_cast.member, replies=1)

    response = client_for(private_cast.suspended).get(topic.get_absolute_url())

    assert response.status_code == 200
    assert "vous pouvez lire mais pas publier" in page_text(response)
    assert 'name="body"' not in response.content.decode()


def test_stable_post_address_redirects_to_the_page_and_anchor_of_the_post(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.member, replies=50)
    post = topic.posts.get(position=45)

    response = client_for(None).get(post_url(post))

    assert response.status_code == 302
    assert response.url == f"{topic.get_absolute_url()}?page=3#post-{post.pk}"
    landed = client_for(None).get(response.url.split("#")[0])
    assert post in landed.context["posts"]


def test_stable_address_of_a_post_on_the_first_page_has_no_page_number(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.member, replies=3)
    post = topic.posts.get(position=2)

    response = client_for(None).get(post_url(post))

    assert response.url == f"{topic.get_absolute_url()}#post-{post.pk}"


def test_moved_topic_address_redirects_to_its_current_forum(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.member)
    old = reverse(
        "community:topic", kwargs={"slug": "nord", "forum": "ancien-forum", "pk": topic.pk}
    )

    response = client_for(None).get(old)

    assert response.status_code == 302
    assert response.url == topic.get_absolute_url()


def test_reading_many_pages_keeps_one_reading_row_at_the_furthest_post(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.animator, replies=59)
    client = client_for(open_cast.member)

    for page in (1, 3, 2):
        client.get(topic.get_absolute_url(), {"page": page})

    reads = TopicRead.objects.filter(user=open_cast.member, topic=topic)
    assert reads.count() == 1
    assert reads.get().last_read_position == 59


def test_anonymous_reading_writes_no_reading_row(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.animator, replies=2)

    client_for(None).get(topic.get_absolute_url())

    assert not TopicRead.objects.exists()


def test_unread_option_opens_the_topic_at_the_first_unread_reply(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.animator, replies=50)
    TopicRead.objects.create(user=open_cast.member, topic=topic, last_read_position=43)
    first_unread = topic.posts.get(position=44)
    client = client_for(open_cast.member)

    page = client.get(topic.get_absolute_url(), {"page": 1})
    response = client.get(topic.get_absolute_url(), {"non-lu": "1"})

    assert "Aller au premier message non lu" in page_text(page)
    assert response.status_code == 302
    assert response.url == f"{topic.get_absolute_url()}?page=3#post-{first_unread.pk}"


def test_unread_option_without_anything_unread_opens_the_topic(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.animator, replies=3)
    TopicRead.objects.create(user=open_cast.member, topic=topic, last_read_position=3)

    response = client_for(open_cast.member).get(topic.get_absolute_url(), {"non-lu": "1"})

    assert response.url == topic.get_absolute_url()


def test_quote_button_prefills_the_reply_with_the_quoted_text(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.animator, replies=2)
    quoted = topic.posts.get(position=1)

    response = client_for(open_cast.member).get(topic.get_absolute_url(), {"citer": quoted.pk})

    form = response.context["reply_form"]
    assert form.initial["body"] == "> Alice Animatrice a écrit :\n> Réponse numéro 1.\n\n"
    assert form.initial["quoted"] == quoted.pk
    assert "&gt; Réponse numéro 1." in response.content.decode()


def _busy_topic(forum, open_cast, replies: int) -> Topic:
    """Replies by members of several operators, with reactions and attachments."""
    operators = [operator(s) for s in ("france-travail", "mission-locale", "cap-emploi")]
    authors = [UserFactory(operator=operators[n % 3]) for n in range(5)]
    for user in authors:
        MembershipFactory(space=forum.space, user=user, count=False)
    topic = topic_with_replies(forum, author=authors[0], repliers=authors, replies=replies)
    posts = list(topic.posts.all())
    Reaction.objects.bulk_create(
        [Reaction(post=p, user=u) for p in posts for u in authors[:2] if p.author_id != u.pk]
    )
    for post in posts[::3]:
        attachment = Attachment(
            post=post, original_name="compte-rendu.pdf", content_type="application/pdf", size=9
        )
        attachment.file.save("compte-rendu.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        attachment.save()
    Topic.objects.filter(pk=topic.pk).update(accepted_post=posts[-2])
    TopicRead.objects.create(user=open_cast.member, topic=topic, last_read_position=1)
    topic.tags.set(["RSA", "Mobilité"])
    return topic


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_topic_page_costs_the_same_queries_for_3_and_100_replies_and_at_most_12(
    open_cast, forum, nord, django_assert_max_num_queries
):
    small = _busy_topic(forum, open_cast, replies=3)
    large = _busy_topic(forum, open_cast, replies=100)
    client = client_for(open_cast.member)
    client.get(small.get_absolute_url())  # warm per-process caches (content types, settings)
    TopicRead.objects.filter(user=open_cast.member).update(last_read_position=1)

    assert _queries_for(client, small.get_absolute_url()) == _queries_for(
        client, large.get_absolute_url()
    )
    TopicRead.objects.filter(user=open_cast.member).update(last_read_position=1)
    # user, unread count, topic (+ accepted answer, watch, reading mark), membership, posts
    # count, posts page (+ my "Utile"), their attachments, the topic's tags, the reading
    # mark's update (the site settings come from the shared cache).
    with django_assert_max_num_queries(11):
        response = client.get(large.get_absolute_url())
    assert len(response.context["posts"]) == 20
