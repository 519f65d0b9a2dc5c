"""Opening topics and replying: who may, what is stored, and what is refused in French
with nothing lost of what was typed."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from community.forums import services
from community.models import Forum, Post, Space, Topic, TopicRead, Watch
from portal.notifications.models import Notification
from tests.community.conftest import client_for, page_text
from tests.community.forums.factories import publish_reply, publish_topic, topic_with_replies

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.community.forums.urls_for_tests")]


def create_url(forum) -> str:
    return reverse("community:topic_create", kwargs={"slug": forum.space.slug, "forum": forum.slug})


def reply_url(topic) -> str:
    return reverse(
        "community:post_reply",
        kwargs={"slug": topic.forum.space.slug, "forum": topic.forum.slug, "pk": topic.pk},
    )


def test_member_opens_a_topic_with_markdown_and_tags(open_cast, forum, nord):
    response = client_for(open_cast.member).post(
        create_url(forum),
        {"title": "Mobilité des allocataires", "body": "Des **idées** ?", "tags": "RSA, mobilité"},
    )

    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response.url == topic.get_absolute_url()
    opening = topic.posts.get()
    assert opening.position == 0
    assert opening.body_html == "<p>Des <strong>idées</strong> ?</p>"
    assert sorted(topic.tags.names()) == ["RSA", "mobilité"]
    assert Watch.objects.filter(user=open_cast.member, topic=topic).exists()
    forum.refresh_from_db()
    nord.refresh_from_db()
    assert (forum.topic_count, forum.post_count) == (1, 1)
    assert forum.last_post_at == opening.created_at == nord.last_activity_at
    assert topic.last_post == opening and topic.reply_count == 0


def test_member_replies_and_lands_on_the_reply(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)

    response = client_for(open_cast.member).post(reply_url(topic), {"body": "Voici *mon* avis."})

    reply = topic.posts.get(position=1)
    assert response.status_code == 302
    assert response.url == f"{topic.get_absolute_url()}#post-{reply.pk}"
    assert reply.author == open_cast.member
    assert reply.body_html == "<p>Voici <em>mon</em> avis.</p>"
    topic.refresh_from_db()
    assert (topic.reply_count, topic.last_post) == (1, reply)
    assert Watch.objects.filter(user=open_cast.member, topic=topic).exists()
    assert TopicRead.objects.get(user=open_cast.member, topic=topic).last_read_position == 1


def test_reply_quoting_a_post_records_what_it_quotes(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    quoted = topic.posts.get()

    client_for(open_cast.member).post(
        reply_url(topic), {"body": "> Bonjour.\n\nBonjour !", "quoted": quoted.pk}
    )

    reply = topic.posts.get(position=1)
    assert reply.quoted == quoted
    assert "<blockquote>" in reply.body_html


def test_anonymous_visitor_is_sent_to_log_in_to_post(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)

    create = client_for(None).get(create_url(forum))
    reply = client_for(None).post(reply_url(topic), {"body": "Anonyme"})

    assert create.status_code == 302 and "/comptes/" in create.url
    assert reply.status_code == 302 and "/comptes/" in reply.url
    assert Post.objects.count() == 1


def test_non_member_cannot_open_a_topic(open_cast, forum):
    client = client_for(open_cast.non_member)

    page = client.get(create_url(forum))
    response = client.post(create_url(forum), {"title": "Question", "body": "Bonjour"})

    assert page.status_code == 403
    assert response.status_code == 403
    assert "Rejoignez l'espace pour participer." in page_text(response)
    assert not Topic.objects.exists()


def test_non_member_cannot_reply_and_keeps_the_text_typed(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)

    response = client_for(open_cast.non_member).post(
        reply_url(topic), {"body": "Mon brouillon précieux"}
    )

    assert response.status_code == 403
    assert "Rejoignez l'espace pour participer." in page_text(response)
    assert "Mon brouillon précieux</textarea>" in page_text(response)
    assert topic.posts.count() == 1


def test_suspended_member_cannot_post_and_is_told_why_in_french(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    client = client_for(open_cast.suspended)

    create = client.post(create_url(forum), {"title": "Question", "body": "Bonjour"})
    reply = client.post(reply_url(topic), {"body": "Je réponds quand même"})

    assert create.status_code == 403 and reply.status_code == 403
    assert "vous pouvez lire mais pas publier" in page_text(create)
    assert "Je réponds quand même</textarea>" in page_text(reply)
    assert Post.objects.count() == 1


def test_non_member_of_a_private_space_cannot_even_see_where_to_reply(private_cast, private_forum):
    topic = publish_topic(private_forum, private_cast.member)

    response = client_for(private_cast.non_member).post(reply_url(topic), {"body": "Intrus"})

    assert response.status_code == 404
    assert topic.posts.count() == 1


def test_reply_in_a_locked_topic_is_refused_in_french_with_the_text_kept(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    Topic.objects.filter(pk=topic.pk).update(locked=True)

    response = client_for(open_cast.member).post(reply_url(topic), {"body": "Trop tard ?"})

    assert response.status_code == 403
    assert "Ce sujet est verrouillé" in page_text(response)
    assert "Trop tard ?</textarea>" in page_text(response)
    assert topic.posts.count() == 1


def test_animateur_may_still_close_a_locked_topic_with_a_reply(open_cast, forum):
    topic = publish_topic(forum, open_cast.member)
    Topic.objects.filter(pk=topic.pk).update(locked=True)

    response = client_for(open_cast.animator).post(reply_url(topic), {"body": "Sujet clos."})

    assert response.status_code == 302
    assert topic.posts.count() == 2


def test_empty_reply_gets_a_french_error_and_saves_nothing(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)

    response = client_for(open_cast.member).post(reply_url(topic), {"body": "   "})

    assert response.status_code == 400
    assert "Écrivez votre message avant de le publier." in page_text(response)
    assert topic.posts.count() == 1


def test_topic_without_title_keeps_the_body_typed(open_cast, forum):
    response = client_for(open_cast.member).post(
        create_url(forum), {"title": "", "body": "Un long texte à ne pas perdre"}
    )

    assert response.status_code == 400
    assert "Donnez un titre à votre sujet." in page_text(response)
    assert "Un long texte à ne pas perdre</textarea>" in page_text(response)
    assert not Topic.objects.exists()


def test_second_post_within_ten_seconds_is_refused_with_429_and_the_draft_kept(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    client = client_for(open_cast.member)

    first = client.post(reply_url(topic), {"body": "Première réponse"})
    second = client.post(reply_url(topic), {"body": "Ma seconde réponse, longue à écrire"})

    assert first.status_code == 302
    assert second.status_code == 429
    text = page_text(second)
    assert "Patientez 10 secondes entre deux messages" in text
    assert "Ma seconde réponse, longue à écrire</textarea>" in text
    assert topic.posts.count() == 2


def test_new_topic_refused_by_the_rate_limit_keeps_title_and_body(open_cast, forum):
    client = client_for(open_cast.member)
    client.post(create_url(forum), {"title": "Un", "body": "Premier"})

    response = client.post(create_url(forum), {"title": "Deux", "body": "Mon second sujet"})

    assert response.status_code == 429
    text = page_text(response)
    assert 'value="Deux"' in text
    assert "Mon second sujet</textarea>" in text
    assert Topic.objects.count() == 1


def test_thirty_posts_an_hour_is_the_most(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    hour_key = services._rate_windows(open_cast.member)[0].key
    cache.set(hour_key, services.POSTS_PER_HOUR, timeout=3600)

    response = client_for(open_cast.member).post(reply_url(topic), {"body": "Encore un"})

    assert response.status_code == 429
    assert "30 messages en une heure" in page_text(response)
    assert topic.posts.count() == 1


def test_rate_limit_counts_in_the_shared_cache_per_user(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    services.rate_limit_reset(user=open_cast.member)

    services.post_create(topic=topic, author=open_cast.member, body="Un")
    with pytest.raises(services.RateLimited):
        services.post_create(topic=topic, author=open_cast.member, body="Deux")
    # Another member is not slowed down by the first one's pace.
    services.post_create(topic=topic, author=open_cast.staff, body="Trois")

    hour_key = services._rate_windows(open_cast.member)[0].key
    assert cache.get(hour_key) == 1
    assert topic.posts.count() == 3


def test_first_posts_of_a_new_member_wait_for_moderation_when_the_space_asks(
    open_cast, forum, nord
):
    Space.objects.filter(pk=nord.pk).update(premoderate_first_posts=1)
    forum = Forum.objects.select_related("space__territory").get(pk=forum.pk)
    topic = publish_topic(forum, open_cast.animator)
    watcher_topic_count = topic.reply_count

    reply = publish_reply(topic, open_cast.member, body="Mon premier message")

    assert reply.state == Post.State.PENDING
    topic.refresh_from_db()
    assert topic.reply_count == watcher_topic_count == 0
    assert topic.last_post.position == 0
    # Animateurs are never held back; an established member neither.
    assert publish_reply(topic, open_cast.animator).state == Post.State.PUBLISHED
    Post.objects.filter(pk=reply.pk).update(state=Post.State.PUBLISHED)
    assert publish_reply(topic, open_cast.member).state == Post.State.PUBLISHED


def test_new_topic_of_a_premoderated_member_waits_and_says_so(open_cast, forum, nord):
    Space.objects.filter(pk=nord.pk).update(premoderate_first_posts=2)

    response = client_for(open_cast.member).post(
        create_url(forum), {"title": "Ma question", "body": "Bonjour"}, follow=True
    )

    topic = Topic.objects.get()
    assert topic.posts.get().state == Post.State.PENDING
    assert topic.last_post is None
    assert "dès qu'un animateur ou une animatrice l'aura validé" in page_text(response)
    forum.refresh_from_db()
    assert forum.topic_count == 0


def test_reply_positions_follow_each_other_without_gaps(open_cast, forum):
    topic = topic_with_replies(forum, author=open_cast.animator, replies=4)

    reply = publish_reply(topic, open_cast.member)

    assert reply.position == 5


def test_approving_a_pending_reply_publishes_it_and_tells_the_watchers(open_cast, forum, nord):
    Space.objects.filter(pk=nord.pk).update(premoderate_first_posts=1)
    topic = publish_topic(forum, open_cast.animator)
    pending = publish_reply(topic, open_cast.member, body="Enfin validé")
    later = publish_reply(topic, open_cast.animator, body="Entre-temps")
    assert not Notification.objects.filter(recipient=open_cast.animator).exists()

    Post.objects.filter(pk=pending.pk).update(state=Post.State.PUBLISHED)
    pending.refresh_from_db()
    services.post_published(post=pending)

    topic.refresh_from_db()
    assert topic.reply_count == 2
    assert topic.last_post == later  # an older post, approved late, is not the last one
    assert Notification.objects.filter(
        kind="community.reply", recipient=open_cast.animator
    ).exists()


def test_hiding_a_reply_takes_it_out_of_the_counters(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    reply = publish_reply(topic, open_cast.member)

    Post.objects.filter(pk=reply.pk).update(state=Post.State.HIDDEN)
    services.post_unpublished(post=reply)

    topic.refresh_from_db()
    forum.refresh_from_db()
    assert (topic.reply_count, topic.last_post.position) == (0, 0)
    assert forum.post_count == 1
