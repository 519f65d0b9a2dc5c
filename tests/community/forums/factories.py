"""Forums, topics and posts for the forum tests.

`topic_with_replies` writes rows directly (fast, for listings and query counts)
and keeps the denormalised counters as the services would; the behaviour tests
go through the services with `publish_topic` and `publish_reply`.
"""

import itertools
from datetime import timedelta

from django.utils import timezone

from community.forums import services
from community.models import Forum, Post, Topic
from portal.markdown import render_markdown

_numbers = itertools.count(1)


def make_forum(space, *, name="Accompagnement des allocataires du RSA", slug=None) -> Forum:
    number = next(_numbers)
    return Forum.objects.create(
        space=space,
        name=name,
        slug=slug or f"forum-{number}",
        description="Questions et retours d'expérience.",
        position=number,
    )


def _allow_posting(user) -> None:
    # Behaviour tests post several times within seconds: the rate limit is tested on its own.
    services.rate_limit_reset(user=user)


def publish_topic(forum, author, *, title="Référent unique : vos retours ?", body="Bonjour.", **kw):
    _allow_posting(author)
    return services.topic_create(forum=forum, author=author, title=title, body=body, **kw)


def publish_reply(topic, author, *, body="Une réponse.", **kw):
    _allow_posting(author)
    return services.post_create(topic=topic, author=author, body=body, **kw)


def topic_with_replies(
    forum,
    *,
    author,
    repliers=(),
    replies=0,
    title="Accompagner les allocataires du RSA",
    tags=(),
    state=Post.State.PUBLISHED,
) -> Topic:
    """A topic and `replies` published replies by `repliers` in turn, written directly."""
    start = timezone.now() - timedelta(hours=replies + 1)
    topic = Topic.objects.create(forum=forum, author=author, title=title)
    if tags:
        topic.tags.set(list(tags))
    repliers = list(repliers) or [author]
    posts = [
        Post(
            topic=topic,
            author=author,
            position=0,
            body="La question **initiale**.",
            body_html=render_markdown("La question **initiale**."),
            state=state,
        )
    ]
    for n in range(1, replies + 1):
        body = f"Réponse numéro {n}."
        posts.append(
            Post(
                topic=topic,
                author=repliers[(n - 1) % len(repliers)],
                position=n,
                body=body,
                body_html=render_markdown(body),
            )
        )
    posts = Post.objects.bulk_create(posts)
    for n, post in enumerate(posts):
        post.created_at = start + timedelta(minutes=n)
    Post.objects.bulk_update(posts, ["created_at"])
    if state == Post.State.PUBLISHED:
        last = posts[-1]
        Topic.objects.filter(pk=topic.pk).update(
            reply_count=replies, last_post=last, last_post_at=last.created_at
        )
        Forum.objects.filter(pk=forum.pk).update(
            topic_count=forum.topic_count + 1, post_count=forum.post_count + replies + 1
        )
    topic.refresh_from_db()
    return topic
