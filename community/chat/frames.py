"""Wire frames of the chat protocol (docs/chat-protocol.md), built once and serialised once."""

import json

from community.models import ChatMessage

DELETED_AUTHOR = {"id": None, "name": "Compte supprimé", "operator": ""}


def encode(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def author_payload(user) -> dict:
    if user is None:
        return dict(DELETED_AUTHOR)
    return {
        "id": user.pk,
        "name": user.public_name,
        "operator": user.operator.name if user.operator_id else "",
    }


def message_payload(message: ChatMessage, *, room_slug: str, kind: str = "message") -> dict:
    """A message as the protocol sends it; `author__operator` must be selected.

    An `edited` frame also carries the room's change number of that edit.
    """
    deleted = message.deleted_at is not None
    payload = {
        "type": kind,
        "id": message.number,
        "room": room_slug,
        "author": author_payload(message.author),
        "body_html": "" if deleted else message.body_html,
        "created": message.created_at.isoformat(),
        "client_id": message.client_id,
        "edited": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
    }
    if kind == "edited":
        payload["change"] = message.change
    return payload


def deleted_payload(message: ChatMessage, *, room_slug: str) -> dict:
    return {"type": "deleted", "id": message.number, "room": room_slug, "change": message.change}


def change_payload(message: ChatMessage, *, room_slug: str) -> dict:
    """The latest change to a message, as the live frame that announced it."""
    if message.deleted_at is not None:
        return deleted_payload(message, room_slug=room_slug)
    return message_payload(message, room_slug=room_slug, kind="edited")


def error(code: str, detail: str, *, request: dict | None = None) -> str:
    """`request`: the client frame refused; its type, id and client_id are echoed back
    (as "for", "id", "client_id") so the client knows which of its actions failed."""
    payload = {"type": "error", "code": code, "detail": detail}
    if request:
        payload["for"] = str(request.get("type", ""))[:40]
        for key in ("id", "client_id"):
            value = request.get(key)
            if isinstance(value, int | str) and not isinstance(value, bool):
                payload[key] = value if isinstance(value, int) else value[:64]
    return encode(payload)
