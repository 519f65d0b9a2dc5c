"""Pages of the live chat: the server renders the latest messages (the page is useful
before its script runs); static/js/chat.js then keeps them live over the WebSocket."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from community import permissions
from community.chat import selectors
from community.chat.services import BODY_MAX_LENGTH, EDIT_WINDOW
from community.models import ChatRoom, Space
from community.responses import refused, space_or_404

PAGE_MESSAGES = selectors.HISTORY_LATEST
PANEL_MESSAGES = 10  # on the space page, next to everything else


def chat_panel_context(*, space: Space, user, membership, limit: int) -> dict:
    """What the chat panel shows this user, for a space they may read: two queries.

    The room is read, never created, on a page view: the WebSocket creates it on
    first connection, and until then the space has no message to show.
    """
    try:
        room = space.chat_room
    except ChatRoom.DoesNotExist:
        room = None
    messages = selectors.chat_recent_messages(room=room, limit=limit) if room else []
    post_refusal = permissions.post_refusal(user=user, space=space, membership=membership)
    join_refusal = None
    if user.is_authenticated and membership is None and post_refusal:
        join_refusal = permissions.join_refusal(user=user, space=space, membership=membership)
    return {
        "room_slug": room.slug if room else space.slug,
        "messages": messages,
        "last_id": messages[-1].number if messages else 0,
        # Read with the room, before its messages: the script asks for the edits and
        # deletions since then on connecting (some may come twice, none is missed).
        "last_change": room.last_change if room else 0,
        # Anonymous visitors read what the server rendered; the WebSocket refuses them.
        "live": user.is_authenticated,
        "post_refusal": post_refusal,
        # A reader who is no member: why they cannot join yet, or a "Rejoindre" button.
        "join_refusal": join_refusal,
        "may_join": bool(post_refusal)
        and user.is_authenticated
        and membership is None
        and join_refusal is None
        and not space.is_private,
        "may_moderate": permissions.may_moderate(user=user, space=space, membership=membership),
        "edit_since": timezone.now() - EDIT_WINDOW,
        "edit_window": int(EDIT_WINDOW.total_seconds()),
        "max_length": BODY_MAX_LENGTH,
    }


@require_GET
def chat(request, slug):
    space = space_or_404(slug)
    membership = permissions.membership_of(user=request.user, space=space)
    if not permissions.may_read_space(user=request.user, space=space, membership=membership):
        return refused(
            request,
            space=space,
            reason="Cet espace est privé : sa discussion en direct est réservée à ses membres.",
        )
    return render(
        request,
        "community/chat/page.html",
        {
            "space": space,
            "chat": chat_panel_context(
                space=space, user=request.user, membership=membership, limit=PAGE_MESSAGES
            ),
            "title": f"Discussion en direct — Espace {space.name}",
        },
    )
