"""Every write of the live chat. Each one saves first, then broadcasts on commit.

Consumers call these through `database_sync_to_async`; tests and views call them directly.
"""

import functools
import logging
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from community import permissions
from community.chat import broadcast, frames
from community.chat.notifications import MENTION
from community.forums.mentions import mentioned_memberships, render_with_mentions
from community.models import ChatMessage, ChatRoom, ModerationLogEntry, Report
from community.services import ActionRefused, RateLimited
from portal.notifications.services import notify
from portal.ratelimit import Window, counted, take

logger = logging.getLogger(__name__)

BODY_MAX_LENGTH = 2000
CLIENT_ID_MAX_LENGTH = 64
EDIT_WINDOW = timedelta(minutes=15)
# (messages, seconds) per user, across every room and process (counters in the cache).
RATE_LIMITS = ((5, 5), (60, 60))


class ChatRefused(ActionRefused):
    """A refused chat action: `code` is the protocol's error code, the message is French."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Changed:
    """The result of an edit or a delete: `changed` False when nothing was broadcast."""

    payload: dict
    changed: bool


@dataclass(frozen=True)
class Sent:
    message: ChatMessage
    created: bool  # False: this client_id was already saved, nothing new
    payload: dict


def _clean_body(body) -> str:
    if not isinstance(body, str):
        raise ChatRefused("invalid", "Le message doit être un texte.")
    body = body.strip()
    if not body:
        raise ChatRefused("invalid", "Le message est vide.")
    if len(body) > BODY_MAX_LENGTH:
        raise ChatRefused(
            "too_long",
            f"Le message dépasse {BODY_MAX_LENGTH} caractères ({len(body)}) : raccourcissez-le.",
        )
    return body


def _rate_windows(user_id: int) -> list[Window]:
    return [
        Window(f"chat:rate:{user_id}:{seconds}", count, seconds) for count, seconds in RATE_LIMITS
    ]


def _rate_take(user_id: int) -> list[Window]:
    """Count a message in the sender's windows (one cache round trip), or refuse it."""
    windows = _rate_windows(user_id)
    full = take(windows)
    if full is not None:
        raise ChatRefused(
            "rate_limited",
            f"Vous envoyez trop de messages : au plus {full.limit} en {full.seconds} secondes. "
            "Votre message n'est pas perdu : renvoyez-le dans un instant.",
        )
    return windows


def _stored(*, room: ChatRoom, author, client_id: str) -> Sent | None:
    """The message this author already sent with this client_id, as a retry's answer."""
    existing = (
        ChatMessage.objects.select_related("author__operator")
        .filter(room=room, author=author, client_id=client_id)
        .first()
    )
    if existing is None:
        return None
    return Sent(existing, False, frames.message_payload(existing, room_slug=room.slug))


def _next_number(room: ChatRoom, counter: str = "last_number") -> int:
    # One statement takes the room's row lock (PostgreSQL) or the write lock (SQLite)
    # until commit: numbers are allocated one at a time, and a rollback gives the
    # number back, so the room's numbering has no gap.
    assert counter in ("last_number", "last_change")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ChatRoom._meta.db_table} SET {counter} = {counter} + 1 "  # noqa: S608
            f"WHERE id = %s RETURNING {counter}",
            [room.pk],
        )
        return cursor.fetchone()[0]


def _next_change(room: ChatRoom) -> int:
    """The room's next change number, for an edit or a deletion (in its transaction)."""
    return _next_number(room, "last_change")


@functools.cache
def _numbered_insert_sql() -> tuple[str, list]:
    """PostgreSQL: number and insert a message in ONE statement, so one round trip.

    The UPDATE of the room's counter and the INSERT commit or fail together (a
    statement is atomic): no BEGIN and COMMIT around them. The columns come from the
    model, so a new field cannot be forgotten here.
    """
    quote = connection.ops.quote_name
    fields = [f for f in ChatMessage._meta.concrete_fields if f.attname not in ("id", "number")]
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"WITH numbered AS (UPDATE {quote(ChatRoom._meta.db_table)} "  # noqa: S608
        "SET last_number = last_number + 1 WHERE id = %s RETURNING last_number) "
        f"INSERT INTO {quote(ChatMessage._meta.db_table)} ({quote('number')}, {columns}) "
        f"SELECT last_number, {placeholders} FROM numbered RETURNING id, {quote('number')}"
    )
    return sql, fields


def _save_numbered(message: ChatMessage) -> None:
    """Give a new message its room's next number and save it (gapless numbering)."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            message.number = _next_number(message.room)
            message.save(force_insert=True)
        return
    sql, fields = _numbered_insert_sql()
    values = [f.get_db_prep_save(f.pre_save(message, True), connection) for f in fields]
    # Outside a transaction the statement commits by itself; inside one (a view's, a
    # test's) a savepoint keeps a refused insert from breaking the rest of it.
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, connection.cursor() as cursor:
        cursor.execute(sql, [message.room_id, *values])
        message.pk, message.number = cursor.fetchone()
    message._state.adding = False
    message._state.db = connection.alias


UNREAD = object()


def chat_message_send(*, room: ChatRoom, author, body, client_id, membership=UNREAD) -> Sent:
    """Save a message (numbered in its room) and broadcast it once committed.

    The same author sending the same client_id again gets the stored message back.
    `membership`: the author's in the room's space (or None), when the caller holds
    it already (a chat connection, kept up to date by community.chat.signals).
    """
    if not isinstance(client_id, str) or not client_id or len(client_id) > CLIENT_ID_MAX_LENGTH:
        raise ChatRefused(
            "invalid",
            "Identifiant de message (client_id) absent ou trop long "
            f"({CLIENT_ID_MAX_LENGTH} au plus).",
        )
    body = _clean_body(body)
    space = room.space
    if membership is UNREAD:
        membership = permissions.membership_of(user=author, space=space)
    refusal = permissions.post_refusal(user=author, space=space, membership=membership)
    if refusal:
        raise ChatRefused("forbidden", refusal)
    try:
        windows = _rate_take(author.pk)
    except ChatRefused:
        if (stored := _stored(room=room, author=author, client_id=client_id)) is None:
            raise
        return stored
    try:
        with counted(windows):  # not saved: it does not count
            message = ChatMessage(
                room=room,
                author=author,
                client_id=client_id,
                body=body,
                body_html=render_with_mentions(body, space=space, inline_only=True),
            )
            _save_numbered(message)
    except IntegrityError:
        # The same client_id, saved already (a retry): the whole transaction (and its
        # number) rolled back; answer with the stored one, which counted when it came.
        if (stored := _stored(room=room, author=author, client_id=client_id)) is None:
            raise
        return stored
    payload = frames.message_payload(message, room_slug=room.slug)
    # Saved: broadcast once committed (at once, unless a caller's transaction holds it).
    transaction.on_commit(
        partial(
            broadcast.publish,
            room_slug=room.slug,
            frame=frames.encode(payload),
            number=message.number,
        ),
        robust=True,
    )
    if "@" in body:
        transaction.on_commit(partial(_notify_mentions, message=message, space=space), robust=True)
    return Sent(message, True, payload)


def _notify_mentions(*, message: ChatMessage, space) -> None:
    from community.chat.presence import online_user_ids_sync

    memberships = mentioned_memberships(body=message.body, space=space)
    if not memberships:
        return
    online = online_user_ids_sync(message.room.slug)
    url = message.get_absolute_url()
    for membership in memberships:
        notify(
            recipient=membership.user,
            kind=MENTION,
            target=message.room.space,
            actor=message.author,
            context={
                "title": f"{message.author.public_name} vous mentionne dans la discussion "
                f"de l'espace {space.name}",
                "url": url,
                "excerpt": message.body[:300],
            },
            # In the room right now, they see it live: the in-app notice is enough.
            email=membership.user_id not in online,
        )


def _locked_message(*, room: ChatRoom, number) -> ChatMessage:
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise ChatRefused("invalid", "Numéro de message invalide.")
    message = (
        ChatMessage.objects.select_for_update(of=("self",))
        .select_related("author__operator")
        .filter(room=room, number=number)
        .first()
    )
    if message is None:
        raise ChatRefused("invalid", "Ce message n'existe pas dans ce salon.")
    message.room = room  # loaded already: its URL and space need no query
    return message


def _publish_on_commit(room: ChatRoom, payload: dict) -> None:
    transaction.on_commit(
        partial(broadcast.publish, room_slug=room.slug, frame=frames.encode(payload)),
        robust=True,
    )


@transaction.atomic
def chat_message_edit(*, room: ChatRoom, user, number, body) -> Changed:
    """The author edits their message within EDIT_WINDOW; every screen gets `edited`."""
    body = _clean_body(body)
    message = _locked_message(room=room, number=number)
    if message.author_id != user.pk:
        raise ChatRefused("forbidden", "Seul l'auteur ou l'autrice d'un message peut le modifier.")
    if message.deleted_at is not None:
        raise ChatRefused("invalid", "Ce message a été supprimé.")
    refusal = permissions.post_refusal(
        user=user,
        space=room.space,
        membership=permissions.membership_of(user=user, space=room.space),
    )
    if refusal:
        raise ChatRefused("forbidden", refusal)
    if timezone.now() - message.created_at > EDIT_WINDOW:
        raise ChatRefused(
            "forbidden", "Un message se modifie dans les 15 minutes qui suivent son envoi."
        )
    if body == message.body:
        return Changed(frames.message_payload(message, room_slug=room.slug, kind="edited"), False)
    message.body = body
    message.body_html = render_with_mentions(body, space=room.space, inline_only=True)
    message.edited_at = timezone.now()
    message.change = _next_change(room)
    message.save(update_fields=["body", "body_html", "edited_at", "change"])
    payload = frames.message_payload(message, room_slug=room.slug, kind="edited")
    _publish_on_commit(room, payload)
    return Changed(payload, True)


@transaction.atomic
def chat_message_delete(*, room: ChatRoom, user, number) -> Changed:
    """The author deletes their message; an animateur deletes any in their space."""
    message = _locked_message(room=room, number=number)
    space = room.space
    membership = permissions.membership_of(user=user, space=space)
    moderating = message.author_id != user.pk
    if moderating and not permissions.may_moderate(user=user, space=space, membership=membership):
        raise ChatRefused(
            "forbidden",
            "Seuls l'auteur ou l'autrice du message et l'animation de l'espace "
            "peuvent le supprimer.",
        )
    if message.deleted_at is not None:
        return Changed(frames.deleted_payload(message, room_slug=room.slug), False)
    if moderating:
        ModerationLogEntry.objects.create(
            space=space,
            actor=user,
            action=ModerationLogEntry.Action.CHAT_DELETE,
            target_label=message.moderation_label[:255],
            target_url=message.get_absolute_url()[:500],
            detail=message.body[:500],
        )
    # The text goes: the author wanted it gone, or the animation removed it.
    message.deleted_at = timezone.now()
    message.deleted_by = user
    message.body = ""
    message.body_html = ""
    message.change = _next_change(room)
    message.save(update_fields=["deleted_at", "deleted_by", "body", "body_html", "change"])
    payload = frames.deleted_payload(message, room_slug=room.slug)
    _publish_on_commit(room, payload)
    return Changed(payload, True)


@transaction.atomic
def chat_message_report(*, room: ChatRoom, user, number, reason) -> Report:
    """A reader reports a message: it joins the space's moderation queue."""
    from community.moderation.services import ReasonTooLong, report_open

    message = _locked_message(room=room, number=number)
    if message.deleted_at is not None:
        raise ChatRefused("invalid", "Ce message a été supprimé : il ne peut pas être signalé.")
    if message.author_id == user.pk:
        raise ChatRefused("invalid", "Vous ne pouvez pas signaler votre propre message.")
    try:
        return report_open(reporter=user, reason=reason, chat_message=message)
    except RateLimited as refused:
        raise ChatRefused("rate_limited", str(refused)) from refused
    except ReasonTooLong as refused:
        raise ChatRefused("too_long", str(refused)) from refused
    except ActionRefused as refused:
        raise ChatRefused("invalid", str(refused)) from refused
