"""Reads of the forums shared by pages and services, each with its query plan.

The forum listing and the topic page cost a fixed number of queries whatever the
number of topics, posts, reactions or attachments (pinned by tests).
"""

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When

from community.models import (
    Forum,
    Membership,
    Post,
    PostRevision,
    Reaction,
    Space,
    Topic,
    TopicRead,
    TopicTag,
    Watch,
)

TOPICS_PER_PAGE = 25
POSTS_PER_PAGE = 20
MENTION_SUGGESTIONS = 8


def space_forums(*, space: Space) -> list[Forum]:
    """The forums of a space in their order, with their counters: one query."""
    return list(Forum.objects.filter(space=space).order_by("position", "name"))


def forums_for_management(*, space: Space) -> list[Forum]:
    """The forums of a space in their order for its animateurs, each with `has_topics`
    (topics awaiting moderation included: they too keep a forum from being deleted).
    One query."""
    return list(
        Forum.objects.filter(space=space)
        .annotate(has_topics=Exists(Topic.objects.filter(forum=OuterRef("pk"))))
        .order_by("position", "name", "pk")
    )


def forum_topic_total(*, forum: Forum) -> int:
    """Every topic of the forum, those awaiting moderation included (unlike topic_count)."""
    return Topic.objects.filter(forum=forum).count()


def _watching(user, **target) -> Exists:
    return Exists(Watch.objects.filter(user=user, **target))


def forum_by_slugs(*, space_slug: str, forum_slug: str, user) -> Forum | None:
    """The forum with its space and territory, and whether the user watches it: one query."""
    forums = Forum.objects.select_related("space__territory").filter(
        space__territory__slug=space_slug, slug=forum_slug
    )
    if user.is_authenticated:
        forums = forums.annotate(
            watching=_watching(user, forum=OuterRef("pk")),
            watching_space=_watching(user, space=OuterRef("space")),
        )
    return forums.first()


def forum_tags(*, forum: Forum) -> list[TopicTag]:
    """The tags used in this forum, for its filter: one query."""
    return list(
        TopicTag.objects.filter(items__object_id__in=Topic.objects.filter(forum=forum).values("pk"))
        .distinct()
        .order_by("name")
    )


def forum_topics(
    *,
    forum: Forum,
    user,
    may_moderate: bool,
    tag: str = "",
    unanswered: bool = False,
    operator_slug: str = "",
):
    """The topics of a forum, pinned first then by last activity, for one user.

    Paged, this costs one COUNT, one query for the rows (authors, operators,
    last posts and the user's reading mark joined or subqueried) and one for tags.
    """
    topics = (
        Topic.objects.filter(forum=forum)
        .select_related("author__operator", "last_post__author")
        .prefetch_related("tags")
        .order_by("-pinned", F("last_post_at").desc(nulls_last=True), "-pk")
    )
    if not may_moderate:
        # A topic whose opening post waits for moderation is its author's only.
        visible = Q(last_post__isnull=False)
        if user.is_authenticated:
            visible |= Q(author=user)
        topics = topics.filter(visible)
    if user.is_authenticated:
        topics = topics.annotate(
            last_read=Subquery(
                TopicRead.objects.filter(user=user, topic=OuterRef("pk")).values(
                    "last_read_position"
                )[:1]
            )
        )
    if tag:
        topics = topics.filter(tags__slug=tag)
    if unanswered:
        topics = topics.filter(reply_count=0)
    if operator_slug:
        topics = topics.filter(author__operator__slug=operator_slug)
    return topics


def topics_mark_unread(topics, *, user) -> list[Topic]:
    """Sets `unread` on each topic: its last post is beyond the user's reading mark."""
    topics = list(topics)
    for topic in topics:
        topic.unread = bool(
            user.is_authenticated
            and topic.last_post_id is not None
            and (topic.last_read is None or topic.last_read < topic.last_post.position)
        )
    return topics


def topic_for_page(*, pk: int, user) -> Topic | None:
    """A topic with all the page needs around its posts: one query.

    Its forum, space, territory, author and accepted answer are joined; whether
    the user watches it and their reading mark are subqueries.
    """
    topics = Topic.objects.select_related(
        "forum__space__territory",
        "author__operator",
        "last_post",
        "accepted_post__author__operator",
    ).filter(pk=pk)
    if user.is_authenticated:
        topics = topics.annotate(
            watching=_watching(user, topic=OuterRef("pk")),
            last_read=Subquery(
                TopicRead.objects.filter(user=user, topic=OuterRef("pk")).values(
                    "last_read_position"
                )[:1]
            ),
        )
    return topics.first()


def visible_posts(*, topic: Topic, user, may_moderate: bool):
    """The posts of a topic this user sees (contents or placeholders), in order.

    Mirrors community.permissions.may_see_post as a query.
    """
    posts = Post.objects.filter(topic=topic)
    if not may_moderate:
        visible = ~Q(state=Post.State.PENDING)
        if user.is_authenticated:
            visible |= Q(author=user)
        posts = posts.filter(visible)
    return posts.order_by("position")


def topic_posts(*, topic: Topic, user, may_moderate: bool):
    """The posts to display: authors and operators joined, the user's "Utile" as a
    subquery, attachments prefetched (one query per page, whatever their number)."""
    posts = (
        visible_posts(topic=topic, user=user, may_moderate=may_moderate)
        .select_related("author__operator")
        .prefetch_related("attachments")
    )
    if user.is_authenticated:
        posts = posts.annotate(
            useful_mine=Exists(Reaction.objects.filter(post=OuterRef("pk"), user=user))
        )
    return posts


def post_with_context(*, pk: int) -> Post | None:
    """A post with its topic, forum, space and territory: one query."""
    return (
        Post.objects.select_related("topic__forum__space__territory", "author__operator")
        .filter(pk=pk)
        .first()
    )


def post_page_number(*, post: Post, user, may_moderate: bool) -> int:
    """The page of its topic on which this user sees this post."""
    before = (
        visible_posts(topic=post.topic, user=user, may_moderate=may_moderate)
        .filter(position__lt=post.position)
        .count()
    )
    return before // POSTS_PER_PAGE + 1


def first_unread_post(*, topic: Topic, user, may_moderate: bool, after: int) -> Post | None:
    return (
        visible_posts(topic=topic, user=user, may_moderate=may_moderate)
        .filter(position__gt=after)
        .only("pk", "position", "topic_id")
        .first()
    )


def post_revisions(*, post: Post) -> list[PostRevision]:
    return list(post.revisions.select_related("edited_by").order_by("-created_at", "-pk"))


def mention_suggestions(*, space: Space, query: str) -> list[dict]:
    """Members of this space whose display name starts with, then contains, the query."""
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    memberships = (
        Membership.objects.filter(space=space, user__is_active=True)
        .filter(user__display_name__icontains=query)
        .select_related("user__operator")
        .annotate(
            rank=Case(
                When(user__display_name__istartswith=query, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "user__display_name", "user__pk")[:MENTION_SUGGESTIONS]
    )
    return [
        {
            "id": m.user.pk,
            "name": m.user.display_name,
            "operator": m.user.operator.name if m.user.operator else "",
        }
        for m in memberships
    ]


def space_watching(*, user, space: Space) -> bool:
    """Whether the user watches the whole space (for its page's "Suivre" button)."""
    return user.is_authenticated and Watch.objects.filter(user=user, space=space).exists()
