"""Watching topics, forums and spaces, and who hears of a reply."""

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Watch
from portal.notifications.models import Notification
from tests.community.conftest import client_for, page_text
from tests.community.factories import MembershipFactory
from tests.community.forums.factories import publish_reply, publish_topic
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.community.forums.urls_for_tests")]


def replies_for(user) -> int:
    return Notification.objects.filter(kind="community.reply", recipient=user).count()


def topic_watch_url(topic) -> str:
    return reverse(
        "community:topic_watch",
        kwargs={"slug": topic.forum.space.slug, "forum": topic.forum.slug, "pk": topic.pk},
    )


def forum_watch_url(forum) -> str:
    return reverse("community:forum_watch", kwargs={"slug": forum.space.slug, "forum": forum.slug})


def space_watch_url(space) -> str:
    return reverse("community:space_watch", kwargs={"slug": space.slug})


@pytest.fixture
def topic(open_cast, forum):
    return publish_topic(forum, open_cast.animator, title="Covoiturage solidaire")


def test_posting_watches_the_topic(open_cast, topic):
    publish_reply(topic, open_cast.member)

    assert Watch.objects.filter(user=open_cast.member, topic=topic).exists()


def test_watch_and_unwatch_a_topic_from_its_page(open_cast, topic):
    client = client_for(open_cast.non_member)

    on = client.post(topic_watch_url(topic), {"watch": "1"}, follow=True)
    assert Watch.objects.filter(user=open_cast.non_member, topic=topic).exists()
    assert "Ne plus suivre ce sujet" in page_text(on)

    off = client.post(topic_watch_url(topic), {"watch": "0"}, follow=True)
    assert not Watch.objects.filter(user=open_cast.non_member, topic=topic).exists()
    assert "Suivre ce sujet" in page_text(off)


def test_watch_and_unwatch_a_forum_and_a_space(open_cast, forum, nord):
    client = client_for(open_cast.member)

    client.post(forum_watch_url(forum), {"watch": "1"})
    client.post(space_watch_url(nord), {"watch": "1"})
    assert Watch.objects.filter(user=open_cast.member, forum=forum).exists()
    assert Watch.objects.filter(user=open_cast.member, space=nord).exists()

    client.post(forum_watch_url(forum), {"watch": "0"})
    client.post(space_watch_url(nord), {"watch": "0"})
    assert not Watch.objects.filter(user=open_cast.member).exists()


def test_watching_goes_back_to_a_page_of_the_site_only(open_cast, forum):
    response = client_for(open_cast.member).post(
        forum_watch_url(forum), {"watch": "1", "next": "https://evil.example/"}
    )

    assert response.url == forum.get_absolute_url()


def test_anonymous_visitor_is_sent_to_log_in_to_watch(topic):
    response = client_for(None).post(topic_watch_url(topic), {"watch": "1"})

    assert response.status_code == 302 and "/comptes/" in response.url
    assert Watch.objects.count() == 1  # the author's own


def test_outsider_cannot_watch_a_private_space(private_cast, somme, private_forum):
    client = client_for(private_cast.non_member)

    assert client.post(space_watch_url(somme), {"watch": "1"}).status_code == 404
    assert client.post(forum_watch_url(private_forum), {"watch": "1"}).status_code == 404
    assert not Watch.objects.filter(user=private_cast.non_member).exists()


def test_reply_notifies_watchers_of_topic_forum_and_space_once_each_never_the_author(
    open_cast, forum, nord, topic
):
    topic_watcher, forum_watcher, space_watcher = (UserFactory() for _ in range(3))
    everything = UserFactory()
    Watch.objects.create(user=topic_watcher, topic=topic)
    Watch.objects.create(user=forum_watcher, forum=forum)
    Watch.objects.create(user=space_watcher, space=nord)
    Watch.objects.create(user=everything, topic=topic)
    Watch.objects.create(user=everything, forum=forum)
    Watch.objects.create(user=everything, space=nord)
    Notification.objects.all().delete()

    publish_reply(topic, open_cast.member, body="Ma réponse")

    for user in (topic_watcher, forum_watcher, space_watcher, everything, open_cast.animator):
        assert replies_for(user) == 1
    assert replies_for(open_cast.member) == 0
    notification = Notification.objects.filter(recipient=topic_watcher).get()
    assert notification.title == "Inès Membre a répondu dans « Covoiturage solidaire »"
    assert notification.url == topic.get_absolute_url() + "?non-lu=1"


def test_burst_of_replies_becomes_one_notification_until_it_is_read(open_cast, topic):
    for body in ("Un", "Deux", "Trois"):
        publish_reply(topic, open_cast.member, body=body)

    assert replies_for(open_cast.animator) == 1

    Notification.objects.filter(recipient=open_cast.animator).update(read_at=timezone.now())
    publish_reply(topic, open_cast.member, body="Quatre")
    assert replies_for(open_cast.animator) == 2


def test_burst_of_replies_sends_one_e_mail(
    open_cast, topic, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for body in ("Un", "Deux", "Trois"):
            publish_reply(topic, open_cast.member, body=body)

    sent_to_animator = [m for m in mailoutbox if open_cast.animator.email in m.to]
    assert len(sent_to_animator) == 1
    assert "Covoiturage solidaire" in sent_to_animator[0].body


def test_bursts_in_two_topics_notify_once_per_topic(open_cast, forum, topic):
    other = publish_topic(forum, open_cast.animator, title="Autre sujet")

    publish_reply(topic, open_cast.member, body="Un")
    publish_reply(other, open_cast.member, body="Deux")
    publish_reply(topic, open_cast.member, body="Trois")

    assert replies_for(open_cast.animator) == 2


def test_mentioned_watcher_gets_the_mention_only(open_cast, topic):
    publish_reply(topic, open_cast.member, body="@Alice Animatrice qu'en penses-tu ?")

    assert replies_for(open_cast.animator) == 0
    assert Notification.objects.filter(kind="community.mention").count() == 1


def test_watcher_who_left_a_private_space_hears_nothing_more(private_cast, private_forum):
    topic = publish_topic(private_forum, private_cast.animator)
    Watch.objects.create(user=private_cast.non_member, topic=topic)  # watched, then left
    Watch.objects.create(user=private_cast.staff, topic=topic)

    publish_reply(topic, private_cast.member)

    assert replies_for(private_cast.non_member) == 0
    assert replies_for(private_cast.staff) == 1
    assert replies_for(private_cast.animator) == 1


def test_new_topic_notifies_the_forum_and_space_watchers(open_cast, forum, nord):
    Watch.objects.create(user=open_cast.staff, forum=forum)
    MembershipFactory(space=nord, user=(space_watcher := UserFactory()))
    Watch.objects.create(user=space_watcher, space=nord)

    publish_topic(forum, open_cast.member, title="Question neuve")

    assert replies_for(open_cast.staff) == 1
    assert replies_for(space_watcher) == 1
    assert "Question neuve" in Notification.objects.get(recipient=open_cast.staff).title


def test_inactive_watchers_are_not_notified(open_cast, topic):
    type(open_cast.animator).objects.filter(pk=open_cast.animator.pk).update(is_active=False)

    publish_reply(topic, open_cast.member)

    assert replies_for(open_cast.animator) == 0
