"""Topics and replies in the site search (and a space's own search), filtered by the
one permission policy: a private space's messages reach its members only."""

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.search.backends import get_search_backend

from community import permissions
from community.models import Post, Space, Topic
from portal.search import SearchResult

MAX_RANKED = 200


def topics_and_posts(*, query: str, user, space: Space | None = None) -> list[SearchResult]:
    backend = get_search_backend()
    published = Post.objects.filter(state=Post.State.PUBLISHED)
    post_ids = [p.pk for p in backend.search(query, published)[:MAX_RANKED]]
    topic_ids = [t.pk for t in backend.search(query, Topic)[:MAX_RANKED]]
    readable = permissions.readable_spaces(user=user)
    # A published post is the content of a topic its readers see; a topic whose opening
    # post is not published (awaiting moderation, hidden) is its author's and animateurs'.
    posts = Post.objects.filter(
        topic__forum__space__in=readable, pk__in=post_ids, state=Post.State.PUBLISHED
    ).select_related("topic", "topic__forum", "topic__forum__space__territory")
    topics = permissions.visible_topics(
        user=user,
        topics=Topic.objects.filter(forum__space__in=readable, pk__in=topic_ids),
    ).select_related("forum", "forum__space__territory")
    if space is not None:
        posts = posts.filter(topic__forum__space=space)
        topics = topics.filter(forum__space=space)

    results: dict[int, SearchResult] = {}
    for topic in sorted(topics, key=lambda t: topic_ids.index(t.pk)):
        results[topic.pk] = SearchResult(
            title=topic.title,
            url=topic.get_absolute_url(),
            kind=f"Sujet — {topic.forum.space.name}",
        )
    for post in sorted(posts, key=lambda p: post_ids.index(p.pk)):
        if post.topic_id in results:
            continue
        results[post.topic_id] = SearchResult(
            title=post.topic.title,
            url=reverse("community:post", kwargs={"pk": post.pk}),
            kind=f"Discussion — {post.topic.forum.space.name}",
            summary=Truncator(strip_tags(post.body_html)).chars(280),
        )
    return list(results.values())
