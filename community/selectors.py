"""Reads shared by the Communauté's pages, with their query plans."""

from community import permissions
from community.models import JoinRequest, Membership, Post, Space
from portal.people.models import Territory

LEVEL_ORDER = [
    Territory.Level.NATIONAL,
    Territory.Level.REGION,
    Territory.Level.DEPARTEMENT,
    Territory.Level.LOCAL,
]
LEVEL_TITLES = {
    Territory.Level.NATIONAL: "National",
    Territory.Level.REGION: "Régions",
    Territory.Level.DEPARTEMENT: "Départements",
    Territory.Level.LOCAL: "Comités locaux pour l'emploi",
}


def space_directory(*, user) -> dict:
    """All spaces grouped by level, the user's own first: two queries."""
    spaces = list(
        Space.objects.select_related("territory", "territory__parent").order_by("territory__name")
    )
    mine_ids = set()
    if user.is_authenticated:
        mine_ids = set(Membership.objects.filter(user=user).values_list("space_id", flat=True))
    groups = []
    for level in LEVEL_ORDER:
        items = [s for s in spaces if s.territory.level == level]
        if items:
            groups.append({"title": LEVEL_TITLES[level], "level": level, "spaces": items})
    return {
        "my_spaces": [s for s in spaces if s.pk in mine_ids],
        "groups": groups,
        "mine_ids": mine_ids,
    }


def space_by_slug(slug: str) -> Space | None:
    return (
        Space.objects.select_related("territory", "territory__parent")
        .filter(territory__slug=slug)
        .first()
    )


def space_page_context(*, space: Space, user) -> dict:
    """What the space page shows this user; a fixed number of queries.

    A private space that the user may not read shows its name, description and
    the join-request button only: its animateurs, sub-spaces and sessions are
    not even fetched.
    """
    membership = permissions.membership_of(user=user, space=space)
    readable = permissions.may_read_space(user=user, space=space, membership=membership)
    may_moderate = permissions.may_moderate(user=user, space=space, membership=membership)
    context = {
        "space": space,
        "membership": membership,
        "readable": readable,
        "may_moderate": may_moderate,
        "may_see_directory": permissions.may_see_directory(
            user=user, space=space, membership=membership
        ),
        "suspended": permissions.is_suspended(membership),
        "join_refusal": permissions.join_refusal(user=user, space=space, membership=membership)
        if user.is_authenticated
        else None,
        "post_refusal": permissions.post_refusal(user=user, space=space, membership=membership),
        "pending_request": None,
        "pending_count": 0,
        "animators": [],
        "children": [],
        "upcoming_sessions": [],
    }
    if space.is_private and membership is None and user.is_authenticated:
        context["pending_request"] = JoinRequest.objects.filter(
            space=space, user=user, status=JoinRequest.Status.PENDING
        ).first()
    if may_moderate:
        context["pending_count"] = JoinRequest.objects.filter(
            space=space, status=JoinRequest.Status.PENDING
        ).count()
    if readable:
        context["animators"] = [
            m.user
            for m in Membership.objects.filter(space=space, role=Membership.Role.ANIMATOR)
            .select_related("user", "user__operator")
            .order_by("user__display_name", "user__pk")
        ]
        context["children"] = list(
            Space.objects.filter(territory__parent=space.territory)
            .select_related("territory")
            .order_by("territory__name")
        )
        from academy.selectors import upcoming_sessions

        territory_ids = [space.territory_id, *[c.territory_id for c in context["children"]]]
        # Only sessions of published courses: the session page of a draft course is a 404.
        context["upcoming_sessions"] = list(
            upcoming_sessions(territory_ids=territory_ids).filter(course__live=True)[:5]
        )
        from community.forums import selectors as forum_selectors
        from community.moderation.selectors import open_report_count

        context["forums"] = forum_selectors.space_forums(space=space)
        context["latest_topics"] = space_topics(space=space, limit=5)
        context["unanswered_topics"] = space_topics(space=space, limit=5, unanswered=True)
        context["watching"] = forum_selectors.space_watching(user=user, space=space)
        context["open_reports"] = open_report_count(space=space) if may_moderate else 0
    return context


def space_topics(*, space: Space, limit: int, unanswered: bool = False) -> list:
    """Latest topics of a space whose opening post is published, one query."""
    from community.models import Topic

    topics = (
        Topic.objects.filter(forum__space=space, last_post__isnull=False)
        .select_related("forum__space__territory", "author__operator")
        .order_by("-last_post_at")
    )
    if unanswered:
        topics = topics.filter(reply_count=0)
    return list(topics[:limit])


def join_requests_pending(*, space: Space) -> list[JoinRequest]:
    """The queue of an animateur: oldest first, one query."""
    return list(
        JoinRequest.objects.filter(space=space, status=JoinRequest.Status.PENDING)
        .select_related("user", "user__operator")
        .order_by("created_at", "pk")
    )


def space_members(*, space: Space, operator_slug: str = "", structure: str = ""):
    qs = (
        Membership.objects.filter(space=space)
        .select_related("user", "user__operator")
        .order_by("user__display_name", "user__pk")
    )
    if operator_slug:
        qs = qs.filter(user__operator__slug=operator_slug)
    if structure:
        qs = qs.filter(user__structure_name__icontains=structure)
    return qs


def space_member(*, space: Space, user_id: int) -> Membership | None:
    """One member of the space, with what their card shows: one query."""
    return (
        Membership.objects.filter(space=space, user_id=user_id, user__is_active=True)
        .select_related("user", "user__operator")
        .first()
    )


MEMBER_RECENT_POSTS = 10


def member_recent_posts(*, space: Space, user_id: int) -> list:
    """A member's latest published messages in the space's forums: one query."""
    return list(
        Post.objects.filter(
            topic__forum__space=space, author_id=user_id, state=Post.State.PUBLISHED
        )
        .select_related("topic")
        .order_by("-created_at", "-pk")[:MEMBER_RECENT_POSTS]
    )


def space_list_most_active(*, user, limit: int = 4) -> list:
    """For the home page: open spaces with the most members and recent activity."""
    spaces = (
        Space.objects.filter(visibility=Space.Visibility.OPEN, member_count__gt=0)
        .select_related("territory")
        .order_by("-member_count", "-last_activity_at", "territory__name")[:limit]
    )
    return [
        {"name": s.name, "url": s.get_absolute_url(), "member_count": s.member_count}
        for s in spaces
    ]
