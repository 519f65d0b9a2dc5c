"""Authors edit their posts (history kept, readable by animateurs) and delete them (soft)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Membership, Post, PostRevision, Topic
from tests.community.conftest import client_for, page_text
from tests.community.forums.factories import publish_reply, publish_topic

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.community.forums.urls_for_tests")]


def edit_url(post) -> str:
    return reverse("community:post_edit", kwargs={"pk": post.pk})


def delete_url(post) -> str:
    return reverse("community:post_delete", kwargs={"pk": post.pk})


def revisions_url(post) -> str:
    return reverse("community:post_revisions", kwargs={"pk": post.pk})


@pytest.fixture
def reply(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    return publish_reply(topic, open_cast.member, body="Première version")


def test_author_edits_a_post_and_the_previous_version_is_kept(open_cast, reply):
    response = client_for(open_cast.member).post(edit_url(reply), {"body": "Version **corrigée**"})

    reply.refresh_from_db()
    assert response.status_code == 302
    assert response.url.endswith(f"#post-{reply.pk}")
    assert reply.body == "Version **corrigée**"
    assert reply.body_html == "<p>Version <strong>corrigée</strong></p>"
    assert reply.edited_at is not None
    revision = PostRevision.objects.get(post=reply)
    assert (revision.body, revision.edited_by) == ("Première version", open_cast.member)


def test_edited_post_says_so(open_cast, reply):
    client_for(open_cast.member).post(edit_url(reply), {"body": "Autre"})

    assert "(modifié le" in page_text(client_for(None).get(reply.topic.get_absolute_url()))


def test_saving_the_same_text_keeps_no_revision(open_cast, reply):
    client_for(open_cast.member).post(edit_url(reply), {"body": "Première version"})

    assert not PostRevision.objects.exists()


@pytest.mark.parametrize("role", ["non_member", "animator", "staff", "other_animator"])
def test_only_the_author_edits_a_post(open_cast, reply, role):
    client = client_for(getattr(open_cast, role))

    page = client.get(edit_url(reply))
    response = client.post(edit_url(reply), {"body": "Détourné"})

    assert page.status_code == response.status_code == 403
    assert "Seul l'auteur ou l'autrice d'un message peut le modifier" in page_text(response)
    reply.refresh_from_db()
    assert reply.body == "Première version"


def test_suspended_author_cannot_edit(open_cast, reply, nord):
    Membership.objects.filter(user=open_cast.member, space=nord).update(
        suspended_until=timezone.now() + timedelta(days=1)
    )

    response = client_for(open_cast.member).post(edit_url(reply), {"body": "Pendant"})

    assert response.status_code == 403
    assert "vous pouvez lire mais pas publier" in page_text(response)
    reply.refresh_from_db()
    assert reply.body == "Première version"


def test_empty_edit_is_refused_with_a_french_error(open_cast, reply):
    response = client_for(open_cast.member).post(edit_url(reply), {"body": ""})

    assert response.status_code == 400
    assert "Écrivez votre message avant de le publier." in page_text(response)


def test_animateur_reads_the_revisions_of_a_post(open_cast, reply):
    client_for(open_cast.member).post(edit_url(reply), {"body": "Deuxième version"})

    response = client_for(open_cast.animator).get(revisions_url(reply))

    assert response.status_code == 200
    text = page_text(response)
    assert "Première version" in text and "Deuxième version" in text


@pytest.mark.parametrize("role", ["member", "non_member", "other_animator"])
def test_revisions_are_for_animateurs_only(open_cast, reply, role):
    response = client_for(getattr(open_cast, role)).get(revisions_url(reply))

    assert response.status_code == 403
    assert "Première version" not in page_text(response)


def test_revisions_of_a_private_post_are_a_404_to_outsiders(private_cast, private_forum):
    topic = publish_topic(private_forum, private_cast.member)

    response = client_for(private_cast.other_animator).get(revisions_url(topic.posts.get()))

    assert response.status_code == 404


def test_author_deletes_a_post_softly(open_cast, reply):
    client = client_for(open_cast.member)

    confirm = client.get(delete_url(reply))
    response = client.post(delete_url(reply))

    assert confirm.status_code == 200
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.state == Post.State.DELETED
    assert reply.body == "Première version"  # kept for moderation


def test_deleted_post_text_is_never_shown_again(open_cast, reply):
    client_for(open_cast.member).post(delete_url(reply))

    for user in (None, open_cast.member, open_cast.animator):
        text = page_text(client_for(user).get(reply.topic.get_absolute_url()))
        assert "Message supprimé par son auteur" in text
        assert "Première version" not in text


def test_deleting_a_reply_updates_the_topic_counters_and_accepted_answer(open_cast, reply):
    topic = reply.topic
    Topic.objects.filter(pk=topic.pk).update(accepted_post=reply)

    client_for(open_cast.member).post(delete_url(reply))

    topic.refresh_from_db()
    assert topic.reply_count == 0
    assert topic.accepted_post is None
    assert topic.last_post.position == 0


@pytest.mark.parametrize("role", ["non_member", "animator"])
def test_only_the_author_deletes_a_post(open_cast, reply, role):
    response = client_for(getattr(open_cast, role)).post(delete_url(reply))

    assert response.status_code == 403
    reply.refresh_from_db()
    assert reply.state == Post.State.PUBLISHED


def test_deleted_post_can_no_longer_be_edited(open_cast, reply):
    client = client_for(open_cast.member)
    client.post(delete_url(reply))

    response = client.post(edit_url(reply), {"body": "Résurrection"})

    assert response.status_code == 403
    assert "Ce message a été supprimé." in page_text(response)
