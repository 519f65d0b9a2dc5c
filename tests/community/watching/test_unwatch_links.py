"""Stop watching from an e-mail: the signed "Ne plus suivre" links under the
notifications that come from a watch, and the page they open."""

import re
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from community.forums import services as forum_services
from community.models import Watch
from community.watching.emails import unwatch_token
from portal.notifications.models import NotificationPreference
from portal.notifications.tasks import send_email_batch
from tests.community.conftest import page_text
from tests.community.forums.factories import publish_reply, publish_topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNWATCH_LINK = re.compile(r"(Ne plus suivre [^:\n]+) : (http\S+/communaute/ne-plus-suivre/\S+/)")


def _emails_after(on_commit, action):
    """Runs `action`, then the e-mail batches it scheduled (the immediate task backend)."""
    mail.outbox.clear()
    with on_commit():
        action()
    return list(mail.outbox)


def _unwatch_links(message) -> dict[str, str]:
    return dict(UNWATCH_LINK.findall(message.body))


def _path(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


def _unwatch_path(user, target: str, obj) -> str:
    token = unwatch_token(user_id=user.pk, target=target, target_id=obj.pk)
    return reverse("community:unwatch", args=[token])


@pytest.fixture
def client():
    # Logged out, and strict about CSRF like a browser opening a link from a mail app.
    return Client(enforce_csrf_checks=True)


# --- The links in the e-mails ----------------------------------------------------------------


def test_reply_email_carries_a_link_to_stop_watching_the_topic(open_cast, topic, on_commit):
    publish_reply(topic, open_cast.member)  # the member now watches the topic

    [message] = _emails_after(on_commit, lambda: publish_reply(topic, open_cast.animator))

    assert message.to == [open_cast.member.email]
    links = _unwatch_links(message)
    assert list(links) == ["Ne plus suivre le sujet « Covoiturage solidaire »"]
    [(html, _)] = message.alternatives
    assert links["Ne plus suivre le sujet « Covoiturage solidaire »"] in html
    assert "Ne plus suivre le sujet « Covoiturage solidaire »" in html
    # The per-kind unsubscribe link stays.
    assert "Ne plus recevoir « Réponses dans les sujets que je suis »" in message.body
    assert "/mon-espace/notifications/desabonnement/" in message.body


def test_batch_of_several_topics_has_one_unwatch_link_per_topic(open_cast, forum, on_commit):
    first = publish_topic(forum, open_cast.animator, title="Covoiturage solidaire")
    second = publish_topic(forum, open_cast.animator, title="Permis à un euro")
    publish_reply(first, open_cast.member)
    publish_reply(second, open_cast.member)

    def both_answered():
        publish_reply(first, open_cast.animator)
        publish_reply(second, open_cast.animator)

    [message] = _emails_after(on_commit, both_answered)

    links = _unwatch_links(message)
    assert sorted(links) == [
        "Ne plus suivre le sujet « Covoiturage solidaire »",
        "Ne plus suivre le sujet « Permis à un euro »",
    ]
    assert len(set(links.values())) == 2
    assert message.body.count("/communaute/ne-plus-suivre/") == 2


def test_new_topic_in_a_watched_forum_offers_to_stop_watching_the_forum(
    open_cast, forum, on_commit
):
    forum_services.watch_set(user=open_cast.member, target=forum, watching=True)

    [message] = _emails_after(
        on_commit, lambda: publish_topic(forum, open_cast.animator, title="Garde d'enfants")
    )

    assert list(_unwatch_links(message)) == ["Ne plus suivre le forum « Mobilité »"]


def test_reply_heard_through_a_watched_space_offers_to_stop_watching_the_space(
    open_cast, nord, topic, on_commit
):
    forum_services.watch_set(user=open_cast.member, target=nord, watching=True)

    [message] = _emails_after(on_commit, lambda: publish_reply(topic, open_cast.animator))

    assert list(_unwatch_links(message)) == ["Ne plus suivre l'espace Nord"]


def test_notifications_not_from_a_watch_carry_no_unwatch_link(open_cast, topic, on_commit):
    # A mention reaches a member who watches nothing.
    [message] = _emails_after(
        on_commit,
        lambda: publish_reply(topic, open_cast.animator, body="Qu'en pensez-vous @Inès Membre ?"),
    )

    assert message.to == [open_cast.member.email]
    assert "ne-plus-suivre" not in message.body


def test_a_watch_removed_before_the_email_leaves_gets_no_link(
    open_cast, topic, on_commit, deferred_tasks
):
    publish_reply(topic, open_cast.member)
    with on_commit():
        publish_reply(topic, open_cast.animator)
    Watch.objects.filter(user=open_cast.member).delete()

    [result] = [r for r in deferred_tasks.results if r.task.func is send_email_batch.func]
    result.task.call(*result.args, **result.kwargs)

    [message] = mail.outbox
    assert "ne-plus-suivre" not in message.body


# --- The page the link opens ------------------------------------------------------------------


def test_unwatch_link_from_the_email_stops_that_topic_only_for_that_member(
    open_cast, forum, topic, on_commit, client
):
    other_topic = publish_topic(forum, open_cast.animator, title="Permis à un euro")
    neighbour = UserFactory()
    for user in (open_cast.member, neighbour):
        forum_services.watch_set(user=user, target=topic, watching=True)
    forum_services.watch_set(user=open_cast.member, target=other_topic, watching=True)
    forum_services.watch_set(user=open_cast.member, target=forum, watching=True)
    emails = _emails_after(on_commit, lambda: publish_reply(topic, open_cast.animator))
    [message] = [m for m in emails if m.to == [open_cast.member.email]]
    url = _unwatch_links(message)["Ne plus suivre le sujet « Covoiturage solidaire »"]

    response = client.post(_path(url))

    assert response.status_code == 200
    assert "Vous ne suivez plus le sujet « Covoiturage solidaire » (espace Nord)." in page_text(
        response
    )
    assert not Watch.objects.filter(user=open_cast.member, topic=topic).exists()
    assert Watch.objects.filter(user=neighbour, topic=topic).exists()
    assert Watch.objects.filter(user=open_cast.member, topic=other_topic).exists()
    assert Watch.objects.filter(user=open_cast.member, forum=forum).exists()


def test_unwatch_link_get_asks_to_confirm_and_changes_nothing(open_cast, topic, client):
    forum_services.watch_set(user=open_cast.member, target=topic, watching=True)

    response = client.get(_unwatch_path(open_cast.member, "topic", topic))

    assert response.status_code == 200
    assert response.context["title"] == "Ne plus suivre"
    text = response.content.decode()
    assert '<form method="post">' in text
    assert '<button class="fr-btn" type="submit">Ne plus suivre</button>' in text
    assert Watch.objects.filter(user=open_cast.member, topic=topic).exists()


@pytest.mark.parametrize("target", ["forum", "space"])
def test_unwatch_link_stops_watching_a_forum_or_a_space(open_cast, forum, nord, client, target):
    obj = {"forum": forum, "space": nord}[target]
    forum_services.watch_set(user=open_cast.member, target=obj, watching=True)

    response = client.post(_unwatch_path(open_cast.member, target, obj))

    assert response.status_code == 200
    assert not Watch.objects.filter(user=open_cast.member, **{target: obj}).exists()


def test_unwatch_link_of_a_topic_no_longer_watched_says_so(open_cast, topic, client):
    response = client.get(_unwatch_path(open_cast.member, "topic", topic))

    assert response.status_code == 200
    assert response.context["state"] == "not_watching"
    assert "Vous ne suivez déjà plus" in page_text(response)


def test_tampered_unwatch_link_is_refused_and_changes_nothing(open_cast, topic, client):
    forum_services.watch_set(user=open_cast.member, target=topic, watching=True)
    token = unwatch_token(user_id=open_cast.member.pk, target="topic", target_id=topic.pk)
    payload, stamp, signature = token.split(":")
    # Someone else's payload under the member's signature.
    forged = unwatch_token(user_id=open_cast.animator.pk, target="topic", target_id=topic.pk)
    forged_payload = forged.split(":")[0]

    for bad in (
        f"{forged_payload}:{stamp}:{signature}",
        f"{payload}:{stamp}:{signature[:-2]}xx",
        "nope",
    ):
        path = reverse("community:unwatch", args=[bad])
        for response in (client.get(path), client.post(path)):
            assert response.status_code == 400
            assert "Ce lien n'est pas valide" in page_text(response)
    assert Watch.objects.filter(user=open_cast.member, topic=topic).exists()
    assert Watch.objects.filter(user=open_cast.animator, topic=topic).exists()


def test_unsubscribe_token_is_no_unwatch_token(open_cast, topic, client):
    from portal.notifications.emails import unsubscribe_token

    forum_services.watch_set(user=open_cast.member, target=topic, watching=True)
    token = unsubscribe_token(user_id=open_cast.member.pk, kind="community.reply")

    response = client.post(reverse("community:unwatch", args=[token]))

    assert response.status_code == 400
    assert Watch.objects.filter(user=open_cast.member, topic=topic).exists()


def test_expired_unwatch_link_says_so_and_changes_nothing(open_cast, topic, client):
    forum_services.watch_set(user=open_cast.member, target=topic, watching=True)
    signed_long_ago = time.time() - settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE - 60
    with mock.patch("time.time", return_value=signed_long_ago):
        path = _unwatch_path(open_cast.member, "topic", topic)

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        assert "Ce lien a expiré : rien n'a été modifié." in page_text(response)
    assert Watch.objects.filter(user=open_cast.member, topic=topic).exists()


def test_unwatch_link_of_a_deleted_topic_is_not_found(open_cast, topic, client):
    path = _unwatch_path(open_cast.member, "topic", topic)
    topic.delete()

    response = client.post(path)

    assert response.status_code == 404
    assert "n'existe plus" in page_text(response)


def test_unwatching_changes_no_email_preference(open_cast, topic, client):
    forum_services.watch_set(user=open_cast.member, target=topic, watching=True)

    client.post(_unwatch_path(open_cast.member, "topic", topic))

    assert not NotificationPreference.objects.filter(user=open_cast.member).exists()
