"""Two real server processes on one Redis (DESIGN.md, "Live chat", rules 2 and 3).

Slow (each uvicorn process imports the whole site): kept apart from the consumer tests.
The servers read the test database, so the test commits its data (transactional).
"""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from community.chat.selectors import chat_room_for_slug

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIMEOUT = 5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served_database_url() -> str:
    """The test database, for the servers (they must see what the test commits)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


class Server:
    """`uvicorn portal.asgi:application` in its own process, on a free port."""

    def __init__(self, env: dict, log_path):
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and application)
            [
                sys.executable,
                "-m",
                "uvicorn",
                "portal.asgi:application",
                "--host=127.0.0.1",
                f"--port={self.port}",
                "--lifespan=off",
                "--log-level=warning",
                "--timeout-graceful-shutdown=3",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server stopped: {self.output()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"the server did not start in {timeout} s: {self.output()}")

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def open_room(sockets: ExitStack, server: Server, cookie: str, *, after: int | None = None):
    """Connect like a browser of the site; return the socket and its opening history."""
    query = f"?after={after}" if after is not None else ""
    ws = sockets.enter_context(
        connect(
            f"ws://127.0.0.1:{server.port}/ws/chat/nord/{query}",
            origin=f"http://127.0.0.1:{server.port}",
            additional_headers={"Cookie": cookie},
            proxy=None,
            open_timeout=TIMEOUT,
        )
    )
    history = receive(ws, "history")
    assert "online" in receive(ws, "presence")
    return ws, history


def receive(ws, type_: str, *, timeout=TIMEOUT) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(ws.recv(timeout=max(deadline - time.monotonic(), 0.01)))
        if frame["type"] == type_:
            return frame
        assert frame["type"] in {"presence", "typing"}, frame


def announced(ws, kind: str, user, *, timeout=3) -> bool:
    """Whether a presence delta announces that `user` has `kind` ("joined", "left")."""
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(ws.recv(timeout=max(deadline - time.monotonic(), 0.01)))
        if frame["type"] == "presence" and user.pk in {p["id"] for p in frame.get(kind, [])}:
            return True


def messages_within(ws, seconds: float) -> list[dict]:
    """Every message frame that arrives in the next `seconds`."""
    found = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            frame = json.loads(ws.recv(timeout=left))
        except TimeoutError:
            break
        if frame["type"] == "message":
            found.append(frame)
    return found


def send(ws, body: str, client_id: str):
    ws.send(json.dumps({"type": "message", "body": body, "client_id": client_id}))


def test_two_server_processes_share_the_room_and_a_restarted_one_misses_nothing(
    open_cast, nord, tmp_path
):
    chat_room_for_slug(slug="nord")
    env = {
        **os.environ,
        "DATABASE_URL": served_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        # This test's own namespace in Redis: channel layer and presence.
        "CACHE_KEY_PREFIX": f"chat-test-{uuid.uuid4().hex[:8]}",
        "DEBUG": "true",
        "SECRET_KEY": settings.SECRET_KEY,
        "CONN_MAX_AGE": "0",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    member_cookie = session_cookie(open_cast.member)
    animator_cookie = session_cookie(open_cast.animator)
    # B's replacement starts with the others (a process takes seconds to import the
    # site) and stays idle, with no room and no client, until B is gone.
    servers = [Server(env, tmp_path / name) for name in ("a.log", "b.log", "b-again.log")]
    try:
        with ExitStack() as sockets:
            a, b, b_again = (server.wait_ready() for server in servers)
            on_a, _ = open_room(sockets, a, member_cookie)
            on_b, history = open_room(sockets, b, animator_cookie)
            assert history["messages"] == []
            # Presence crosses processes: A's member sees B's animator arrive.
            assert announced(on_a, "joined", open_cast.animator)

            send(on_a, "Bonjour de A", "a-1")
            sent = receive(on_a, "message")
            received = receive(on_b, "message")
            assert received == sent
            assert received["id"] == 1 and received["author"]["id"] == open_cast.member.pk
            assert messages_within(on_b, 0.5) == []

            servers[1].stop()
            with pytest.raises(ConnectionClosed):
                while True:
                    on_b.recv(timeout=TIMEOUT)
            for n in range(2, 5):
                send(on_a, f"Pendant l'arrêt de B, n°{n}", f"a-{n}")
                assert receive(on_a, "message")["id"] == n

            on_b, history = open_room(sockets, b_again, animator_cookie, after=received["id"])
            assert [m["id"] for m in history["messages"]] == [2, 3, 4]
            assert history["more"] is False

            send(on_a, "B est revenu", "a-5")
            assert receive(on_a, "message")["id"] == 5
            assert [m["id"] for m in messages_within(on_b, 1.5)] == [5]
    except BaseException:
        for server in servers:
            print(f"--- {server.log_path.name}\n{server.output()}")
        raise
    finally:
        for server in servers:
            server.stop()
