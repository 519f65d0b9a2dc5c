"""The "Utile" reaction and the accepted answer."""

import pytest
from django.urls import reverse

from community.models import Post, Reaction, Topic
from portal.notifications.models import Notification
from tests.community.conftest import client_for, page_text
from tests.community.forums.factories import publish_reply, publish_topic

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.community.forums.urls_for_tests")]


def useful_url(post) -> str:
    return reverse("community:post_useful", kwargs={"pk": post.pk})


def accept_url(post) -> str:
    return reverse("community:answer_accept", kwargs={"pk": post.pk})


@pytest.fixture
def question(open_cast, forum):
    return publish_topic(forum, open_cast.member, title="Comment mobiliser les employeurs ?")


@pytest.fixture
def answer(open_cast, question):
    return publish_reply(question, open_cast.animator, body="Avec un job dating.")


def test_useful_toggles_on_then_off(open_cast, answer):
    client = client_for(open_cast.member)

    on = client.post(useful_url(answer), follow=True)
    answer.refresh_from_db()
    assert answer.useful_count == 1
    assert Reaction.objects.filter(post=answer, user=open_cast.member).count() == 1
    assert "Utile (1)" in page_text(on)

    client.post(useful_url(answer))
    answer.refresh_from_db()
    assert answer.useful_count == 0
    assert not Reaction.objects.exists()


def test_useful_counts_one_per_member(open_cast, answer):
    client_for(open_cast.member).post(useful_url(answer))
    client_for(open_cast.staff).post(useful_url(answer))

    answer.refresh_from_db()
    assert answer.useful_count == 2


def test_own_post_cannot_be_marked_useful(open_cast, answer):
    response = client_for(open_cast.animator).post(useful_url(answer), follow=True)

    assert "Vous ne pouvez pas marquer votre propre message comme utile." in page_text(response)
    answer.refresh_from_db()
    assert answer.useful_count == 0


@pytest.mark.parametrize("role", ["non_member", "suspended"])
def test_those_who_may_not_post_cannot_mark_useful(open_cast, answer, role):
    client_for(getattr(open_cast, role)).post(useful_url(answer))

    answer.refresh_from_db()
    assert answer.useful_count == 0


def test_anonymous_visitor_is_sent_to_log_in_to_mark_useful(answer):
    response = client_for(None).post(useful_url(answer))

    assert response.status_code == 302 and "/comptes/" in response.url


def test_topic_author_accepts_an_answer_and_its_author_is_notified(open_cast, question, answer):
    response = client_for(open_cast.member).post(accept_url(answer))

    question.refresh_from_db()
    assert response.status_code == 302
    assert question.accepted_post == answer
    notification = Notification.objects.get(kind="community.answer_accepted")
    assert notification.recipient == open_cast.animator
    assert notification.actor == open_cast.member
    assert "Comment mobiliser les employeurs ?" in notification.title
    assert notification.url == reverse("community:post", kwargs={"pk": answer.pk})


def test_animateur_accepts_an_answer_of_someone_elses_topic(open_cast, question):
    reply = publish_reply(question, open_cast.staff, body="Le plan local.")

    client_for(open_cast.animator).post(accept_url(reply))

    question.refresh_from_db()
    assert question.accepted_post == reply


@pytest.mark.parametrize("role", ["non_member", "other_animator", "suspended"])
def test_others_cannot_accept_an_answer(open_cast, question, answer, role):
    response = client_for(getattr(open_cast, role)).post(accept_url(answer), follow=True)

    question.refresh_from_db()
    assert question.accepted_post is None
    assert "ou l'animation, choisit la réponse acceptée" in page_text(response)
    assert not Notification.objects.filter(kind="community.answer_accepted").exists()


def test_one_accepted_answer_per_topic_and_accepting_again_withdraws_it(
    open_cast, question, answer
):
    other = publish_reply(question, open_cast.staff, body="Autre piste.")
    client = client_for(open_cast.member)

    client.post(accept_url(answer))
    client.post(accept_url(other))
    question.refresh_from_db()
    assert question.accepted_post == other

    client.post(accept_url(other))
    question.refresh_from_db()
    assert question.accepted_post is None


def test_the_question_itself_cannot_be_its_answer(open_cast, question):
    response = client_for(open_cast.member).post(accept_url(question.posts.get()), follow=True)

    question.refresh_from_db()
    assert question.accepted_post is None
    assert "La question elle-même ne peut pas être sa réponse." in page_text(response)


def test_a_hidden_reply_cannot_be_accepted(open_cast, question, answer):
    Post.objects.filter(pk=answer.pk).update(state=Post.State.HIDDEN)

    client_for(open_cast.member).post(accept_url(answer))

    assert Topic.objects.get(pk=question.pk).accepted_post is None
