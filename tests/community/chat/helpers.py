"""Drive the chat consumer in tests: one event loop per test body, real hub, real services.

Tests that open a room need `django_db(transaction=True, serialized_rollback=True)`:
the consumer reads and writes through `database_sync_to_async` and broadcasts on
commit, which a test wrapped in a rolled-back transaction never reaches.
"""

import asyncio
import contextlib
import json
from importlib import import_module
from urllib.parse import urlencode

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from community.chat import services
from community.chat.hub import get_hub
from community.chat.routing import websocket_urlpatterns
from tests.sessions import sign_in_records

TIMEOUT = 3

_open: list[WebsocketCommunicator] = []  # of the running test body, closed at its end


def run(coroutine_function):
    """Run an async test body in its own loop; then close what it left open and stop
    that loop's hub, so that no task outlives the loop."""

    async def body():
        try:
            await coroutine_function()
        finally:
            for communicator in _open:
                # Some were closed already (by the server, by the test, by a failure).
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await communicator.disconnect(timeout=TIMEOUT)
            _open.clear()
            await get_hub().close()

    async_to_sync(body)()


def session_for(user, *, second_factor: bool):
    """The session a complete sign-in leaves (tests/sessions.py), unsaved: the
    consumer only reads it."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    if user is not None:
        session.update(sign_in_records(user, second_factor=second_factor))
    return session


async def open_socket(user, slug: str, *, second_factor: bool = True, **query):
    """Connect as `user` (None: anonymous): (connected, close code or subprotocol, communicator).

    `query`: the URL's parameters (after, change); None leaves one out. A staff account
    comes with its second factor unless `second_factor=False`.
    """
    params = urlencode({name: value for name, value in query.items() if value is not None})
    path = f"/ws/chat/{slug}/" + (f"?{params}" if params else "")
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user if user is not None else AnonymousUser()
    communicator.scope["session"] = session_for(user, second_factor=second_factor)
    connected, detail = await communicator.connect(timeout=TIMEOUT)
    _open.append(communicator)
    return connected, detail, communicator


async def connect(user, slug: str, **query) -> WebsocketCommunicator:
    connected, _, communicator = await open_socket(user, slug, **query)
    assert connected
    return communicator


async def closed_with(user, slug: str, *, second_factor: bool = True) -> int:
    """The close code the server answers this user with (the handshake is accepted first)."""
    connected, _, communicator = await open_socket(user, slug, second_factor=second_factor)
    assert connected
    frame = await communicator.receive_output(timeout=TIMEOUT)
    assert frame["type"] == "websocket.close", frame
    return frame["code"]


async def receive(communicator, type_: str | None = None, *, timeout=TIMEOUT) -> dict:
    """The next frame (of that type, skipping presence and typing unless asked)."""
    while True:
        frame = json.loads(await communicator.receive_from(timeout=timeout))
        if type_ is None or frame["type"] == type_:
            return frame
        if frame["type"] not in {"presence", "typing"}:
            raise AssertionError(f"expected a {type_!r} frame, got {frame}")


async def receive_messages(communicator, count: int, *, timeout=TIMEOUT) -> list[dict]:
    return [await receive(communicator, "message", timeout=timeout) for _ in range(count)]


async def nothing_more(communicator, *types: str, timeout=0.3) -> None:
    """No frame of these types (default: any but presence and typing) arrives in `timeout`.

    Polls the output queue: a receive that times out would cancel the application.
    """
    types = set(types) or {"history", "message", "edited", "deleted", "error"}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if communicator.output_queue.empty():
            await asyncio.sleep(0.02)
            continue
        output = communicator.output_queue.get_nowait()
        assert output["type"] == "websocket.send", f"unexpected {output}"
        frame = json.loads(output["text"])
        assert frame["type"] not in types, f"unexpected frame {frame}"


async def joined(user, slug: str, **query):
    """Connect and read the opening frames: (communicator, history frame, presence frame)."""
    communicator = await connect(user, slug, **query)
    history = await receive(communicator, "history")
    presence = await receive(communicator, "presence")
    assert "online" in presence, presence
    return communicator, history, presence


async def send(communicator, **frame) -> None:
    await communicator.send_to(text_data=json.dumps(frame))


async def saved(*, room, author, body: str, client_id: str):
    """A message sent through the service (as a view or another process would), committed."""
    sent = await database_sync_to_async(services.chat_message_send)(
        room=room, author=author, body=body, client_id=client_id
    )
    return sent.message


def ids(messages) -> list[int]:
    return [message["id"] for message in messages]
