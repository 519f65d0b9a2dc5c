"""Reads of the live chat: the database is the log, history and gap-fill come from it."""

from dataclasses import dataclass

from community import permissions
from community.chat import frames
from community.models import ChatMessage, ChatRoom, Space

HISTORY_LATEST = 50
HISTORY_PAGE = 200
CHANGES_MAX = 1000  # edits and deletions replayed to a client that comes back


@dataclass(frozen=True)
class ChatAccess:
    """What one connection may do in one room, decided once at connection time."""

    room: ChatRoom
    space: Space
    may_read: bool
    author: dict
    membership: object  # Membership | None, read with the rest


def chat_room_for_slug(*, slug: str) -> ChatRoom | None:
    """The room of that slug; a territory space's room is created on first use."""
    room = ChatRoom.objects.select_related("space__territory").filter(slug=slug).first()
    if room is not None:
        return room
    space = Space.objects.select_related("territory").filter(territory__slug=slug).first()
    if space is None:
        return None
    # Created meanwhile by another connection: get_or_create reads it then.
    room, _ = ChatRoom.objects.select_related("space__territory").get_or_create(
        slug=slug, defaults={"space": space}
    )
    return room


def chat_access(*, user, slug: str) -> ChatAccess | None:
    """None when no room has this slug; otherwise what this user may do there."""
    room = chat_room_for_slug(slug=slug)
    if room is None:
        return None
    space = room.space
    # Read for every space: the connection checks each send against it (it is read
    # again when a change is announced, community.chat.signals).
    membership = permissions.membership_of(user=user, space=space)
    author = frames.author_payload(user) if user.is_authenticated else {}
    return ChatAccess(
        room=room,
        space=space,
        may_read=user.is_authenticated
        and permissions.may_read_space(user=user, space=space, membership=membership),
        author=author,
        membership=membership,
    )


def _with_authors(queryset):
    return queryset.select_related("author__operator")


def chat_history(*, room: ChatRoom, after: int | None) -> tuple[list[dict], bool, int]:
    """Messages as protocol payloads, oldest first, whether more follow, and the
    highest number the client holds once it has them.

    Without `after`: the latest HISTORY_LATEST. With it: the next HISTORY_PAGE after it.
    """
    if after is None:
        rows = chat_recent_messages(room=room)
        more = False
    else:
        messages = _with_authors(ChatMessage.objects.filter(room=room, number__gt=after))
        rows = list(messages.order_by("number")[: HISTORY_PAGE + 1])
        more = len(rows) > HISTORY_PAGE
        rows = rows[:HISTORY_PAGE]
    if rows:
        upto = rows[-1].number
    elif after:
        # Nothing after `after`: the client holds it, unless the room was reset below it.
        upto = min(after, chat_last_numbers(room_ids=[room.pk]).get(room.pk, 0))
    else:
        upto = 0
    return [frames.message_payload(m, room_slug=room.slug) for m in rows], more, upto


def chat_changes(*, room: ChatRoom, upto: int, since: int) -> tuple[list[dict], int]:
    """What a client that comes back missed about the messages it shows (numbers up to
    `upto`): their edits and deletions after change number `since`, as the live frames
    that announced them, oldest first, and the room's change number they bring it to.

    The room's number is read first: a change committed after it arrives live (the
    connection is already in the hub) and may also be in the list, which is harmless.
    Beyond CHANGES_MAX only the latest are sent.
    """
    last_change = (
        ChatRoom.objects.filter(pk=room.pk).values_list("last_change", flat=True).first() or 0
    )
    if since >= last_change:
        return [], last_change
    rows = list(
        _with_authors(
            ChatMessage.objects.filter(room=room, number__lte=upto, change__gt=since)
        ).order_by("-change")[:CHANGES_MAX]
    )
    rows.reverse()
    return [frames.change_payload(m, room_slug=room.slug) for m in rows], last_change


def chat_frames_after(*, room_id: int, room_slug: str, after: int, limit: int = 500):
    """(number, serialised frame) of the messages after `after`: the hub's gap-fill."""
    rows = _with_authors(ChatMessage.objects.filter(room_id=room_id, number__gt=after)).order_by(
        "number"
    )[:limit]
    return [(m.number, frames.encode(frames.message_payload(m, room_slug=room_slug))) for m in rows]


def chat_last_numbers(*, room_ids: list[int]) -> dict[int, int]:
    return dict(ChatRoom.objects.filter(pk__in=room_ids).values_list("pk", "last_number"))


def chat_recent_messages(*, room: ChatRoom, limit: int = HISTORY_LATEST) -> list[ChatMessage]:
    """For the server-rendered panel (the page works before its script runs)."""
    rows = list(_with_authors(ChatMessage.objects.filter(room=room)).order_by("-number")[:limit])
    rows.reverse()
    return rows
