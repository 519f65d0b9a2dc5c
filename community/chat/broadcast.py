"""The one place that publishes chat events to the channel layer.

Services call these on commit only: the database is the log, the layer only
notifies and may drop (hubs and clients fill gaps from the database).

A consumer runs services in the database thread inside `deferred()`: what they
publish on commit is handed back to it, and it sends that from its event loop
once the thread is done. Publishing from the thread would cost two more hops
between the thread and the loop (async_to_sync), each waiting for a loop that a
fan-out keeps busy: they were the largest share of a chat message's latency.
"""

import logging
import threading
from contextlib import contextmanager

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


_outbox = threading.local()


@contextmanager
def deferred():
    """Collect, instead of sending, what `publish` is given in this thread meanwhile.

    Yields the list of layer messages, to be sent with `asend` by the caller.
    """
    collected: list[dict] = []
    previous = getattr(_outbox, "messages", None)
    _outbox.messages = collected
    try:
        yield collected
    finally:
        _outbox.messages = previous


def access_message(*, room_slug: str, user_id: int | None) -> dict:
    """Tells the hubs that what `user_id` (None: anyone) may do in the room has changed.

    Their connections then read it again (community.chat.signals sends it on commit of
    a membership's or a space's change): a suspension or a removal holds at once.
    """
    return {"type": "chat.access", "room": room_slug, "id": None, "access": user_id}


def publish(*, room_slug: str, frame: str, number: int | None = None) -> None:
    """Publish from synchronous code (services' on-commit callbacks)."""
    publish_message(layer_message(room_slug=room_slug, frame=frame, number=number))


def publish_message(message: dict) -> None:
    """Publish a message built by `layer_message` or `access_message`, from synchronous code."""
    collected = getattr(_outbox, "messages", None)
    if collected is not None:
        collected.append(message)
        return
    try:
        async_to_sync(get_channel_layer().group_send)(room_group(message["room"]), message)
    except Exception:
        # A numbered message is saved: hubs notice the gap and read it from the database.
        logger.exception(
            "Chat broadcast failed for room %s (message %s)", message["room"], message["id"]
        )


async def asend(message: dict) -> None:
    """Send a layer message built by `layer_message` (from the event loop)."""
    try:
        await get_channel_layer().group_send(room_group(message["room"]), message)
    except Exception:
        # A numbered message is saved: hubs notice the gap and read it from the database.
        logger.exception(
            "Chat broadcast failed for room %s (message %s)", message["room"], message["id"]
        )


async def apublish(*, room_slug: str, frame: str, number: int | None = None, exclude=None) -> None:
    await asend(layer_message(room_slug=room_slug, frame=frame, number=number, exclude=exclude))
