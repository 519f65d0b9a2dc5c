"""The one place that publishes chat events to the channel layer.

Services call these on commit only: the database is the log, the layer only
notifies and may drop (hubs and clients fill gaps from the database).
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

GROUP_PREFIX = "chat.room."


def room_group(slug: str) -> str:
    return f"{GROUP_PREFIX}{slug}"


def layer_message(*, room_slug: str, frame: str, number: int | None = None, exclude=None) -> dict:
    """`number` for numbered messages (delivered in order); events have none.

    `exclude` is a user id whose connections skip the frame (their own typing).
    """
    return {
        "type": "chat.frame",
        "room": room_slug,
        "id": number,
        "frame": frame,
        "exclude": exclude,
    }


def publish(*, room_slug: str, frame: str, number: int | None = None) -> None:
    """Publish from synchronous code (services' on-commit callbacks)."""
    layer = get_channel_layer()
    try:
        async_to_sync(layer.group_send)(
            room_group(room_slug), layer_message(room_slug=room_slug, frame=frame, number=number)
        )
    except Exception:
        # The message is saved: hubs notice the gap and read it from the database.
        logger.exception("Chat broadcast failed for room %s (message %s)", room_slug, number)


async def apublish(*, room_slug: str, frame: str, number: int | None = None, exclude=None) -> None:
    layer = get_channel_layer()
    try:
        await layer.group_send(
            room_group(room_slug),
            layer_message(room_slug=room_slug, frame=frame, number=number, exclude=exclude),
        )
    except Exception:
        logger.exception("Chat broadcast failed for room %s", room_slug)
