"""Reads of the moderation pages, each with a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from community.models import (
    ChatMessage,
    Forum,
    Membership,
    ModerationLogEntry,
    Post,
    PostRevision,
    Report,
    Space,
    Topic,
)

_POST_RELATED = ("author", "topic__forum__space__territory")


def post_for_moderation(pk: int) -> Post | None:
    return Post.objects.select_related(*_POST_RELATED).filter(pk=pk).first()


def topic_for_moderation(pk: int) -> Topic | None:
    return Topic.objects.select_related("forum__space__territory").filter(pk=pk).first()


def report_for_handling(pk: int) -> Report | None:
    return (
        Report.objects.select_related(
            "reporter",
            *(f"post__{r}" for r in _POST_RELATED),
            "chat_message__author",
            "chat_message__room__space__territory",
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class ReportedPost:
    """One reported post of the queue with its open reports, oldest first."""

    post: Post
    reports: list[Report] = field(default_factory=list)

    @property
    def first_report(self) -> Report:
        return self.reports[0]


@dataclass
class ReportedChatMessage:
    """One reported live-chat message with its open reports, oldest first."""

    message: ChatMessage
    reports: list[Report] = field(default_factory=list)

    @property
    def first_report(self) -> Report:
        return self.reports[0]


def moderation_queue(*, space: Space) -> dict:
    """Open reports grouped by post, posts awaiting approval, current suspensions.

    Four queries whatever the number of rows.
    """
    reports = (
        Report.objects.filter(post__topic__forum__space=space, status=Report.Status.OPEN)
        .select_related("reporter", *(f"post__{r}" for r in _POST_RELATED))
        .order_by("created_at", "pk")
    )
    grouped: dict[int, ReportedPost] = {}
    for report in reports:
        grouped.setdefault(report.post_id, ReportedPost(post=report.post)).reports.append(report)
    chat_reports = (
        Report.objects.filter(chat_message__room__space=space, status=Report.Status.OPEN)
        .select_related("reporter", "chat_message__author__operator")
        .order_by("created_at", "pk")
    )
    reported_chat: dict[int, ReportedChatMessage] = {}
    for report in chat_reports:
        reported_chat.setdefault(
            report.chat_message_id, ReportedChatMessage(message=report.chat_message)
        ).reports.append(report)
    pending_posts = list(
        Post.objects.filter(topic__forum__space=space, state=Post.State.PENDING)
        .select_related(*_POST_RELATED)
        .order_by("created_at", "pk")
    )
    suspensions = list(
        Membership.objects.filter(space=space, suspended_until__gt=timezone.now())
        .select_related("user")
        .order_by("suspended_until", "pk")
    )
    return {
        "reported_posts": list(grouped.values()),
        "reported_chat_messages": list(reported_chat.values()),
        "pending_posts": pending_posts,
        "suspensions": suspensions,
    }


def moderation_log(*, space: Space) -> QuerySet[ModerationLogEntry]:
    """Newest first; paginate it (one count, one page query)."""
    return (
        ModerationLogEntry.objects.filter(space=space)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def post_revisions(*, post: Post) -> list[PostRevision]:
    return list(post.revisions.select_related("edited_by").order_by("-created_at", "-pk"))


def space_forums(*, space: Space) -> list[Forum]:
    return list(Forum.objects.filter(space=space).order_by("position", "name"))


def open_report_count(*, space: Space) -> int:
    """For a badge next to the queue's link (animateurs only): forum posts and chat
    messages alike, as the queue lists both."""
    return Report.objects.filter(
        Q(post__topic__forum__space=space) | Q(chat_message__room__space=space),
        status=Report.Status.OPEN,
    ).count()
