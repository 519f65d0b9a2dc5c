"""The chat through portal.asgi.application, as a browser reaches it: session cookie,
Origin checked against ALLOWED_HOSTS, then the consumer."""

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from community.chat.consumers import CLOSE_FORBIDDEN
from portal.asgi import application
from tests.community.chat.helpers import TIMEOUT, receive, run, send

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ORIGIN = "http://127.0.0.1:8000"


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def browser(path: str, *, cookie: str | None = None, origin: str = ORIGIN):
    headers = [(b"host", b"127.0.0.1:8000"), (b"origin", origin.encode())]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


def test_a_logged_in_member_chats_through_the_full_stack_and_strangers_are_refused(open_cast, nord):
    cookie = session_cookie(open_cast.member)

    async def body():
        member = browser("/ws/chat/nord/", cookie=cookie)
        connected, _ = await member.connect(timeout=TIMEOUT)
        assert connected
        history = await receive(member, "history")
        assert history == {
            "type": "history",
            "messages": [],
            "more": False,
            "changes": [],
            "change": 0,
        }
        presence = await receive(member, "presence")
        assert presence["online"] == [{"id": open_cast.member.pk, "name": "Inès Membre"}]
        # The author is the session's user, whatever the frame claims.
        await send(member, type="message", body="Bonjour", client_id="c-1", author=999)
        message = await receive(member, "message")
        assert message["id"] == 1 and message["author"]["id"] == open_cast.member.pk

        # Another site's page may not open the socket with the member's cookie.
        forged = browser("/ws/chat/nord/", cookie=cookie, origin="https://pirate.example")
        connected, _ = await forged.connect(timeout=TIMEOUT)
        assert not connected

        anonymous = browser("/ws/chat/nord/")
        connected, _ = await anonymous.connect(timeout=TIMEOUT)
        assert connected  # accepted, then closed with the protocol's code
        closing = await anonymous.receive_output(timeout=TIMEOUT)
        assert closing == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}

        await member.disconnect()

    run(body)
