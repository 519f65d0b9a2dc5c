"""Every write of moderation: reports, hiding, approving, topic tools, suspensions.

Each action checks the policy (`community.permissions`) itself, runs in one
transaction and appends one row to the space's moderation log.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from community import permissions
from community.forums import services as forum_services
from community.models import Forum, Membership, ModerationLogEntry, Post, Report, Space, Topic
from community.moderation.notifications import REPORT_HANDLED
from community.services import ActionRefused, RateLimited
from portal.notifications.services import notify
from portal.ratelimit import Window, counted, take

__all__ = [
    "ActionRefused",
    "PermissionRefused",
    "RateLimited",
    "member_suspend",
    "member_unsuspend",
    "post_approve",
    "post_hide",
    "post_report",
    "post_restore",
    "report_handle",
    "topic_lock",
    "topic_move",
    "topic_pin",
    "topic_retitle",
]

REPORTS_PER_HOUR = 10
REPORT_RATE_WINDOW = 60 * 60
REPORT_REASON_MAX_LENGTH = 1000
DECISION_NOTE_MAX_LENGTH = 500
TOPIC_TITLE_MAX_LENGTH = 200


class PermissionRefused(ActionRefused):
    """The person may not do this at all here (views answer with a 403 page)."""


# --- Shared pieces ----------------------------------------------------------------------


def _require_moderator(*, user, space: Space, refusal: str) -> None:
    membership = permissions.membership_of(user=user, space=space)
    if not permissions.may_moderate(user=user, space=space, membership=membership):
        raise PermissionRefused(refusal)


def _log(*, space: Space, actor, action: str, target_label: str, target_url: str, detail=""):
    return ModerationLogEntry.objects.create(
        space=space,
        actor=actor,
        action=action,
        target_label=target_label[:255],
        target_url=target_url[:500],
        detail=detail[:500],
    )


def post_label(post: Post) -> str:
    author = post.author.public_name if post.author_id else "un compte supprimé"
    return f"Message de {author} dans « {post.topic.title} »"


def post_url(post: Post) -> str:
    # The post's stable address (it finds the right page of the topic), kept in the log.
    return reverse("community:post", kwargs={"pk": post.pk})


def _locked_post(post: Post) -> Post:
    # Two animateurs acting at once on one post: the second sees the first's decision.
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("author", "topic__forum__space__territory")
        .get(pk=post.pk)
    )


def _locked_topic(topic: Topic) -> Topic:
    return (
        Topic.objects.select_for_update(of=("self",))
        .select_related("forum__space__territory")
        .get(pk=topic.pk)
    )


def _with_note(text: str, note: str) -> str:
    note = note.strip()
    return f"{text} Note : {note}" if note else text


# --- Reports ----------------------------------------------------------------------------


def _report_rate_windows(user) -> list[Window]:
    return [Window(f"community:moderation:reports:{user.pk}", REPORTS_PER_HOUR, REPORT_RATE_WINDOW)]


def report_rate_take(user) -> list[Window]:
    """Count a report in the reporter's hourly window, or refuse it (RateLimited)."""
    windows = _report_rate_windows(user)
    if take(windows) is not None:
        raise RateLimited(
            f"Vous avez envoyé {REPORTS_PER_HOUR} signalements en moins d'une heure : "
            "réessayez un peu plus tard. Votre motif est conservé ci-dessous."
        )
    return windows


@transaction.atomic
def post_report(*, post: Post, reporter, reason: str) -> Report:
    """Any logged-in reader of the space reports a published post to its animateurs."""
    post = _locked_post(post)
    space = post.topic.forum.space
    if not reporter.is_authenticated:
        raise PermissionRefused("Connectez-vous pour signaler un message.")
    membership = permissions.membership_of(user=reporter, space=space)
    if not permissions.may_read_space(user=reporter, space=space, membership=membership):
        raise PermissionRefused(
            "Seuls les membres de cet espace privé peuvent signaler ses messages."
        )
    if post.state != Post.State.PUBLISHED:
        raise ActionRefused("Ce message n'est plus visible : il ne peut pas être signalé.")
    if post.author_id == reporter.pk:
        raise ActionRefused("Vous ne pouvez pas signaler votre propre message.")
    return report_open(reporter=reporter, reason=reason, post=post)


class ReasonTooLong(ActionRefused):
    pass


def report_open(*, reporter, reason, **target) -> Report:
    """What every report goes through once its target (post= or chat_message=) may be
    reported: a reason, not twice while open, the reporter's rate limit."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ActionRefused("Indiquez le motif du signalement.")
    if len(reason) > REPORT_REASON_MAX_LENGTH:
        raise ReasonTooLong(f"Le motif ne doit pas dépasser {REPORT_REASON_MAX_LENGTH} caractères.")
    if Report.objects.filter(**target, reporter=reporter, status=Report.Status.OPEN).exists():
        raise ActionRefused("Vous avez déjà signalé ce message.")
    windows = report_rate_take(reporter)
    with counted(windows):
        return Report.objects.create(**target, reporter=reporter, reason=reason)


def _close_reports(
    *, report: Report, space: Space, by, decision: str, note: str, target: dict
) -> tuple[list[Report], str]:
    """Mark every open report of one target (`{"post": …}` or `{"chat_message": …}`) with
    the decision, under lock; returns them, oldest first, and the cleaned note."""
    _require_moderator(
        user=by, space=space, refusal="Seuls les animateurs de l'espace traitent les signalements."
    )
    note = note.strip()
    if len(note) > DECISION_NOTE_MAX_LENGTH:
        raise ActionRefused(
            f"La note de décision ne doit pas dépasser {DECISION_NOTE_MAX_LENGTH} caractères."
        )
    reports = list(
        Report.objects.select_for_update(of=("self",))
        .filter(status=Report.Status.OPEN, **target)
        .select_related("reporter")
        .order_by("created_at", "pk")
    )
    if not any(r.pk == report.pk for r in reports):
        raise ActionRefused("Ce signalement a déjà été traité.")
    now = timezone.now()
    for open_report in reports:
        open_report.status = decision
        open_report.handled_by = by
        open_report.handled_at = now
        open_report.decision_note = note
    Report.objects.bulk_update(reports, ["status", "handled_by", "handled_at", "decision_note"])
    return reports, note


def _record_report_decision(
    *,
    reports: list[Report],
    space: Space,
    by,
    outcome: str,
    note: str,
    label: str,
    url: str,
    title: str,
    notice_url: str,
) -> None:
    """One log entry for the decision; each reporter is told what became of their report."""
    count = len(reports)
    _log(
        space=space,
        actor=by,
        action=ModerationLogEntry.Action.REPORT,
        target_label=label,
        target_url=url,
        detail=_with_note(f"{count} signalement{'s' if count > 1 else ''} : {outcome}.", note),
    )
    for handled in reports:
        if handled.reporter_id is not None:
            notify(
                recipient=handled.reporter,
                kind=REPORT_HANDLED,
                target=handled,
                actor=by,
                context={"title": title, "url": notice_url},
            )


@transaction.atomic
def report_handle(*, report: Report, by, decision: str, note: str = "") -> list[Report]:
    """Hide the reported message (forum post or chat message) or dismiss, for every open
    report of that message at once.

    Each reporter is told what became of their report; one log entry records the
    decision.
    """
    if decision not in {Report.Status.HIDDEN, Report.Status.DISMISSED}:
        raise ActionRefused("Choisissez de masquer le message ou de classer sans suite.")
    if report.chat_message_id is not None:
        return _chat_report_handle(report=report, by=by, decision=decision, note=note)
    post = _locked_post(report.post)
    space = post.topic.forum.space
    reports, note = _close_reports(
        report=report, space=space, by=by, decision=decision, note=note, target={"post": post}
    )
    if decision == Report.Status.HIDDEN and post.state in {
        Post.State.PUBLISHED,
        Post.State.PENDING,
    }:
        was_published = post.state == Post.State.PUBLISHED
        post.state = Post.State.HIDDEN
        post.save(update_fields=["state"])
        if was_published:
            forum_services.post_unpublished(post=post)
    outcome = "message masqué" if decision == Report.Status.HIDDEN else "classé sans suite"
    _record_report_decision(
        reports=reports,
        space=space,
        by=by,
        outcome=outcome,
        note=note,
        label=post_label(post),
        url=post_url(post),
        title=f"Votre signalement d'un message dans « {post.topic.title} » : {outcome}",
        notice_url=post.topic.get_absolute_url(),
    )
    return reports


def _chat_report_handle(*, report: Report, by, decision: str, note: str) -> list[Report]:
    """A reported live-chat message: "hide" deletes it from every open screen."""
    from community.chat import services as chat_services

    message = report.chat_message
    space = message.room.space
    reports, note = _close_reports(
        report=report,
        space=space,
        by=by,
        decision=decision,
        note=note,
        target={"chat_message": message},
    )
    if decision == Report.Status.HIDDEN:
        chat_services.chat_message_delete(room=message.room, user=by, number=message.number)
    outcome = "message supprimé" if decision == Report.Status.HIDDEN else "classé sans suite"
    _record_report_decision(
        reports=reports,
        space=space,
        by=by,
        outcome=outcome,
        note=note,
        label=message.moderation_label,
        url=message.get_absolute_url(),
        title=f"Votre signalement d'un message de la discussion de {space.name} : {outcome}",
        notice_url=message.get_absolute_url(),
    )
    return reports


# --- Posts ------------------------------------------------------------------------------


@transaction.atomic
def post_hide(*, post: Post, by, note: str = "") -> Post:
    post = _locked_post(post)
    space = post.topic.forum.space
    _require_moderator(
        user=by, space=space, refusal="Seuls les animateurs de l'espace masquent des messages."
    )
    if post.state == Post.State.HIDDEN:
        raise ActionRefused("Ce message est déjà masqué.")
    if post.state == Post.State.DELETED:
        raise ActionRefused("Ce message a été supprimé par son auteur.")
    was_published = post.state == Post.State.PUBLISHED
    post.state = Post.State.HIDDEN
    post.save(update_fields=["state"])
    if was_published:
        forum_services.post_unpublished(post=post)
    _log(
        space=space,
        actor=by,
        action=ModerationLogEntry.Action.HIDE,
        target_label=post_label(post),
        target_url=post_url(post),
        detail=note.strip(),
    )
    return post


@transaction.atomic
def post_restore(*, post: Post, by) -> Post:
    post = _locked_post(post)
    space = post.topic.forum.space
    _require_moderator(
        user=by, space=space, refusal="Seuls les animateurs de l'espace rétablissent des messages."
    )
    if post.state != Post.State.HIDDEN:
        raise ActionRefused("Ce message n'est pas masqué.")
    post.state = Post.State.PUBLISHED
    post.save(update_fields=["state"])
    forum_services.post_published(post=post, notify_readers=False)
    _log(
        space=space,
        actor=by,
        action=ModerationLogEntry.Action.RESTORE,
        target_label=post_label(post),
        target_url=post_url(post),
    )
    return post


@transaction.atomic
def post_approve(*, post: Post, by) -> Post:
    """Publish a post that waited for premoderation."""
    post = _locked_post(post)
    space = post.topic.forum.space
    _require_moderator(
        user=by, space=space, refusal="Seuls les animateurs de l'espace valident des messages."
    )
    if post.state != Post.State.PENDING:
        raise ActionRefused("Ce message n'attend pas de validation.")
    post.state = Post.State.PUBLISHED
    post.save(update_fields=["state"])
    # Counters, last activity, and the notifications held back while it waited.
    forum_services.post_published(post=post)
    _log(
        space=space,
        actor=by,
        action=ModerationLogEntry.Action.APPROVE,
        target_label=post_label(post),
        target_url=post_url(post),
    )
    return post


# --- Topics -----------------------------------------------------------------------------


def _topic_flag_set(*, topic: Topic, by, flag: str, value: bool, refusal: str, actions) -> Topic:
    """Set pinned or locked; asking for the state the topic is already in changes nothing."""
    topic = _locked_topic(topic)
    space = topic.forum.space
    _require_moderator(user=by, space=space, refusal=refusal)
    if getattr(topic, flag) == value:
        return topic
    setattr(topic, flag, value)
    topic.save(update_fields=[flag])
    _log(
        space=space,
        actor=by,
        action=actions[0] if value else actions[1],
        target_label=topic.title,
        target_url=topic.get_absolute_url(),
    )
    return topic


@transaction.atomic
def topic_pin(*, topic: Topic, by, pinned: bool) -> Topic:
    return _topic_flag_set(
        topic=topic,
        by=by,
        flag="pinned",
        value=pinned,
        refusal="Seuls les animateurs de l'espace épinglent des sujets.",
        actions=(ModerationLogEntry.Action.PIN, ModerationLogEntry.Action.UNPIN),
    )


@transaction.atomic
def topic_lock(*, topic: Topic, by, locked: bool) -> Topic:
    return _topic_flag_set(
        topic=topic,
        by=by,
        flag="locked",
        value=locked,
        refusal="Seuls les animateurs de l'espace verrouillent des sujets.",
        actions=(ModerationLogEntry.Action.LOCK, ModerationLogEntry.Action.UNLOCK),
    )


def _forum_recount(forum_id: int) -> None:
    """The forum's denormalised counters, recounted rather than shifted so that a move
    also repairs any drift: topics whose opening post has been published (pending
    ones are not listed yet), published posts, latest activity."""
    awaiting = Post.objects.filter(topic=OuterRef("pk"), position=0, state=Post.State.PENDING)
    topics = Topic.objects.filter(forum_id=forum_id).exclude(Exists(awaiting))
    totals = topics.aggregate(count=Count("pk"), last=Max("last_post_at"))
    posts = Post.objects.filter(topic__forum_id=forum_id, state=Post.State.PUBLISHED).count()
    Forum.objects.filter(pk=forum_id).update(
        topic_count=totals["count"], post_count=posts, last_post_at=totals["last"]
    )


@transaction.atomic
def topic_move(*, topic: Topic, by, forum: Forum) -> Topic:
    """Move a topic to another forum of the same space, never to another space."""
    topic = _locked_topic(topic)
    space = topic.forum.space
    _require_moderator(
        user=by, space=space, refusal="Seuls les animateurs de l'espace déplacent des sujets."
    )
    if forum.space_id != space.pk:
        raise ActionRefused("Un sujet ne peut être déplacé que vers un forum du même espace.")
    if forum.pk == topic.forum_id:
        raise ActionRefused("Le sujet est déjà dans ce forum.")
    origin = topic.forum
    topic.forum = forum
    topic.save(update_fields=["forum"])
    _forum_recount(origin.pk)
    _forum_recount(forum.pk)
    _log(
        space=space,
        actor=by,
        action=ModerationLogEntry.Action.MOVE,
        target_label=topic.title,
        target_url=topic.get_absolute_url(),
        detail=f"De « {origin.name} » vers « {forum.name} ».",
    )
    return topic


@transaction.atomic
def topic_retitle(*, topic: Topic, by, title: str) -> Topic:
    topic = _locked_topic(topic)
    space = topic.forum.space
    _require_moderator(
        user=by, space=space, refusal="Seuls les animateurs de l'espace modifient les titres."
    )
    title = " ".join(title.split())
    if not title:
        raise ActionRefused("Le titre ne peut pas être vide.")
    if len(title) > TOPIC_TITLE_MAX_LENGTH:
        raise ActionRefused(f"Le titre ne doit pas dépasser {TOPIC_TITLE_MAX_LENGTH} caractères.")
    if title == topic.title:
        return topic
    previous = topic.title
    topic.title = title
    topic.save(update_fields=["title"])
    _log(
        space=space,
        actor=by,
        action=ModerationLogEntry.Action.RETITLE,
        target_label=title,
        target_url=topic.get_absolute_url(),
        detail=f"Ancien titre : « {previous} ».",
    )
    return topic


# --- Members ----------------------------------------------------------------------------


def _members_url(space: Space) -> str:
    return reverse("community:members", kwargs={"slug": space.slug})


def _locked_membership(*, space: Space, user) -> Membership:
    membership = Membership.objects.select_for_update().filter(space=space, user=user).first()
    if membership is None:
        raise ActionRefused("Cette personne n'est pas membre de l'espace.")
    return membership


@transaction.atomic
def member_suspend(*, space: Space, user, by, until: datetime, reason: str = "") -> Membership:
    """Until `until`, the member reads the space but cannot post in it."""
    _require_moderator(
        user=by, space=space, refusal="Seuls les animateurs de l'espace suspendent des membres."
    )
    membership = _locked_membership(space=space, user=user)
    if user.pk == by.pk:
        raise ActionRefused("Vous ne pouvez pas vous suspendre vous-même.")
    if user.is_staff:
        raise ActionRefused("Les membres de l'équipe du portail ne peuvent pas être suspendus.")
    if membership.role == Membership.Role.ANIMATOR:
        raise ActionRefused("Cette personne anime l'espace : retirez-lui d'abord l'animation.")
    if until <= timezone.now():
        raise ActionRefused("La fin de la suspension doit être dans le futur.")
    membership.suspended_until = until
    membership.save(update_fields=["suspended_until"])
    local = timezone.localtime(until)
    _log(
        space=space,
        actor=by,
        action=ModerationLogEntry.Action.SUSPEND,
        target_label=user.public_name,
        target_url=_members_url(space),
        detail=_with_note(f"Jusqu'au {local:%d/%m/%Y à %H:%M}.", reason),
    )
    return membership


@transaction.atomic
def member_unsuspend(*, space: Space, user, by) -> Membership:
    _require_moderator(
        user=by,
        space=space,
        refusal="Seuls les animateurs de l'espace lèvent des suspensions.",
    )
    membership = _locked_membership(space=space, user=user)
    if not permissions.is_suspended(membership):
        raise ActionRefused("Cette personne n'est pas suspendue.")
    membership.suspended_until = None
    membership.save(update_fields=["suspended_until"])
    _log(
        space=space,
        actor=by,
        action=ModerationLogEntry.Action.UNSUSPEND,
        target_label=user.public_name,
        target_url=_members_url(space),
    )
    return membership
