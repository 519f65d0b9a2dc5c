"""The chat WebSocket endpoint: /ws/chat/<room slug>/?after=<id> (docs/chat-protocol.md).

Thin: permissions come from community.permissions (through selectors), writes from
community.chat.services, fan-out from the process-local hub. A connection has no
channel-layer channel of its own: the hub's one channel serves the whole process.
"""

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.sessions import InstanceSessionWrapper
from django.db import InterfaceError, OperationalError, connection

from community import permissions
from community.chat import broadcast, frames, selectors, services
from community.chat.hub import TYPING_OFF_ABOVE, get_hub
from portal.people.second_factor import holds_staff_powers, scope_needs_second_factor

logger = logging.getLogger(__name__)

CLOSE_FORBIDDEN = 4403
CLOSE_UNKNOWN_ROOM = 4400
TYPING_EVERY = 3.0  # seconds between two typing frames of one connection
QUEUE_LIMIT = 2000  # live frames kept for a connection that is still paging its history
FRAME_MAX_CHARS = 64_000  # 2,000 characters escaped as \uXXXX pairs fit
# A connection's membership is read again after this long even if no change was
# announced (the layer may drop the announcement, as it may drop any message).
ACCESS_TTL = 30.0


def _in_database_thread(function):
    """Run `function` in the database thread on the connection as it is; if that
    connection turns out to be broken, reopen it and run `function` once more.

    database_sync_to_async checks the connection before each call (CONN_HEALTH_CHECKS:
    a SELECT 1, a round trip per chat message, bench/chat_probe.py). For a chat send,
    which is idempotent by its client_id, trying and retrying on a dead connection
    costs nothing when the connection is alive. Other calls of the same thread still
    close connections past CONN_MAX_AGE (the hub reads the database every second).
    """

    def call():
        connection.health_check_done = True  # Django's flag: this call checks by trying
        try:
            return function()
        except (InterfaceError, OperationalError):
            alive = connection.connection is not None and connection.is_usable()
            if alive or connection.in_atomic_block:
                raise  # a real error of the statement, not a connection that died
            logger.info("Chat: database connection lost, reopened for a retry")
            connection.close()
            return function()

    return sync_to_async(call, thread_sensitive=True)()


class ChatConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = None  # no layer channel per connection: the hub has one per process

    user_id = None
    local = None

    async def connect(self):
        user = self.scope["user"]
        slug = self.scope["url_route"]["kwargs"]["slug"]
        # The close code reaches the browser only after an accept (before, it is an HTTP 403).
        await self.accept()
        if holds_staff_powers(user) and await database_sync_to_async(scope_needs_second_factor)(
            self.scope
        ):
            await self.close(code=CLOSE_FORBIDDEN)  # staff powers wait for the second factor
            return
        access = await database_sync_to_async(selectors.chat_access)(user=user, slug=slug)
        if access is None:
            await self.close(code=CLOSE_UNKNOWN_ROOM)
            return
        if not access.may_read:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.user_id = user.pk
        self.access = access
        self.room = access.room
        # Held for every send (no query each time); read again when a change of this
        # user's access is announced (access_changed) or after ACCESS_TTL.
        self.membership = access.membership
        self.access_read_at = time.monotonic()
        self.access_stale = False
        self.access_check: asyncio.Task | None = None
        self.sent_upto = 0  # highest message number sent to this client
        self.catching_up = True  # live frames wait in self.queue while history is sent
        self.queue: list[tuple[int | None, str]] = []
        self.queue_overflowed = False
        self.typing_at = 0.0

        after, bad_after = self._int_from_query("after")
        since, bad_since = self._int_from_query("change")
        self.local = await get_hub().join(
            self,
            slug=self.room.slug,
            room_id=self.room.pk,
            user_id=self.user_id,
            name=access.author["name"],
        )
        if bad_after:
            await self.send(frames.error("invalid", "Paramètre after invalide : entier attendu."))
        if bad_since:
            await self.send(frames.error("invalid", "Paramètre change invalide : entier attendu."))
        caught_up = await self._send_history(after, connecting=True, changes_since=since)
        online = await get_hub().online(self.local)
        # The full list before any queued delta, which the client applies on top of it.
        await self.send(
            frames.encode(
                {
                    "type": "presence",
                    "online": [{"id": uid, "name": name} for uid, name in online.items()],
                }
            )
        )
        if caught_up:
            await self._go_live()

    def _int_from_query(self, name: str) -> tuple[int | None, bool]:
        """A non-negative integer parameter of the URL: (value or None, whether it was bad)."""
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        values = query.get(name)
        if not values:
            return None, False
        try:
            value = int(values[0])
        except ValueError:
            return None, True
        return (value, False) if value >= 0 else (None, True)

    async def __call__(self, scope, receive, send):
        # Live frames skip the session middleware's wrapper of `send` (and the consumer's
        # layers of send()): it acts on HTTP responses only, yet was a third of the CPU
        # of a 1,000-connection fan-out (bench/chat.py).
        wrapper = getattr(send, "__self__", None)
        self._live_send = wrapper.real_send if isinstance(wrapper, InstanceSessionWrapper) else send
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Whatever ended the consumer: a close, an error in a handler (no disconnect
            # comes then), a server shutdown. Otherwise the hub would keep pushing to it
            # and its user would stay online in the room.
            await self.disconnect(None)

    async def dispatch(self, message):
        # Channels' dispatch first closes stale database connections in the database
        # thread: one more trip there for every frame a sender sends. Every database
        # access of this consumer goes through database_sync_to_async, which does it.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code):
        if self.local is not None:
            get_hub().leave(self, slug=self.room.slug, user_id=self.user_id)
            self.local = None
        if self.access_check is not None and self.access_check is not asyncio.current_task():
            self.access_check.cancel()

    # --- access held by the connection ---------------------------------------------

    access_check = None

    def access_changed(self):
        """The hub heard that this user's access to the room changed (or anyone's)."""
        self.access_stale = True  # the next send reads the membership again, whatever comes
        if self.access_check is None or self.access_check.done():
            self.access_check = asyncio.create_task(self._check_access())

    async def _check_access(self):
        """Read again what this connection may do; close it if it may no longer read."""
        try:
            self.access_stale = False  # before the read: a change meanwhile marks it again
            access = await database_sync_to_async(selectors.chat_access)(
                user=self.user, slug=self.room.slug
            )
        except Exception:
            self.access_stale = True  # the next send reads it
            logger.exception("Chat: reading the access of a connection failed")
            return
        if access is None or not access.may_read:
            await self.close(code=CLOSE_FORBIDDEN)
            await self.disconnect(CLOSE_FORBIDDEN)
            return
        self.access, self.membership = access, access.membership
        self.access_read_at = time.monotonic()

    def _membership_now(self):
        """In the database thread: the membership to check a send against."""
        if self.access_stale or time.monotonic() - self.access_read_at > ACCESS_TTL:
            self.access_stale = False  # before the read: a change meanwhile marks it again
            self.access_read_at = time.monotonic()
            self.membership = permissions.membership_of(user=self.user, space=self.access.space)
        return self.membership

    # --- from the hub ----------------------------------------------------------------

    async def push(self, number: int | None, frame: str):
        """The hub delivers a room frame: messages in number order, events as they come."""
        if self.catching_up:
            if len(self.queue) >= QUEUE_LIMIT:
                self.queue_overflowed = True  # the history pages read it from the database
                self.queue.clear()
            self.queue.append((number, frame))
            return
        await self._send_live(number, frame)

    async def _send_live(self, number: int | None, frame: str):
        if number is not None:
            if number <= self.sent_upto:
                return  # already in a history page
            self.sent_upto = number
        try:
            await self._live_send({"type": "websocket.send", "text": frame})
        except Exception:  # the socket is closing; its disconnect removes it from the hub
            logger.debug("Chat: send to a closing connection failed", exc_info=True)

    async def _send_history(
        self, after: int | None, *, connecting: bool = False, changes_since: int | None = None
    ) -> bool:
        """Send one history page; True when nothing follows it (the client has caught up).

        The first page of a connection also carries the room's change number ("change"),
        and, for a client that comes back (`after`) with the change number it had
        (`changes_since`), the edits and deletions it missed on the messages it shows.
        """
        messages, more, upto, changes = await database_sync_to_async(self._history)(
            after, connecting, changes_since
        )
        # With `after` and nothing new, the client holds up to `after` (bounded by the
        # room's last number: a client may hold numbers of a room that was reset). The
        # hub may still deliver those numbers late: they must not reach the client twice.
        self.sent_upto = max(self.sent_upto, upto)
        frame = {"type": "history", "messages": messages, "more": more}
        if changes is not None:
            frame["changes"], frame["change"] = changes
        await self.send(frames.encode(frame))
        if more:
            self.catching_up = True  # the client pages on with {"type": "history", "after": …}
            return False
        if self.queue_overflowed:
            self.queue_overflowed = False
            self.queue.clear()
            return await self._send_history(self.sent_upto)  # what the queue lost, from the log
        return True

    def _history(self, after: int | None, connecting: bool, changes_since: int | None):
        messages, more, upto = selectors.chat_history(room=self.room, after=after)
        changes = None
        if connecting and after is not None and changes_since is not None:
            changes = selectors.chat_changes(room=self.room, upto=after, since=changes_since)
        elif connecting:
            # Read before the connection joined the hub: later changes reach it live.
            changes = [], self.room.last_change
        return messages, more, upto, changes

    async def _go_live(self):
        """Send what the hub queued during the history, then let it send directly."""
        # The hub keeps queueing while these sends await: drain until empty, and switch
        # with no await in between, so that no live frame overtakes a queued one (it
        # would raise sent_upto and the queued ones before it would be skipped).
        while self.queue:
            queued, self.queue = self.queue, []
            for number, frame in queued:
                await self._send_live(number, frame)
        self.catching_up = False

    # --- from the client -------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data) > FRAME_MAX_CHARS:
            await self.send(frames.error("invalid", "Trame illisible : JSON texte attendu."))
            return
        try:
            data = json.loads(text_data)
        except ValueError:
            await self.send(frames.error("invalid", "Trame illisible : JSON invalide."))
            return
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            await self.send(frames.error("invalid", "Trame sans type."))
            return
        handler = self.HANDLERS.get(data["type"])
        if handler is None:
            await self.send(
                frames.error("invalid", f"Type de trame inconnu : {data['type'][:40]}.")
            )
            return
        try:
            await handler(self, data)
        except services.ChatRefused as refused:
            await self.send(frames.error(refused.code, refused.detail, request=data))

    async def _write(self, service, **kwargs):
        """Run a write service in the database thread; broadcast what it committed from here.

        (broadcast.deferred: the thread does not wait for the event loop to publish.)
        """
        outbox: list[dict] = []

        def call():
            with broadcast.deferred() as collected:
                try:
                    return service(**kwargs)
                finally:
                    outbox.extend(collected)

        try:
            return await database_sync_to_async(call)()
        finally:
            for message in outbox:
                await broadcast.asend(message)

    async def _on_message(self, data):
        outbox: list[dict] = []

        def call():
            with broadcast.deferred() as collected:
                try:
                    return services.chat_message_send(
                        room=self.room,
                        author=self.user,
                        body=data.get("body"),
                        client_id=data.get("client_id"),
                        membership=self._membership_now(),
                    )
                finally:
                    outbox[:] = collected  # a retry's, not the failed try's

        try:
            sent = await _in_database_thread(call)
        finally:
            for message in outbox:
                await broadcast.asend(message)
        if not sent.created:
            # A retry: the sender gets the stored message; nobody else hears it twice.
            await self.send(frames.encode(sent.payload))

    async def _on_history(self, data):
        after = data.get("after")
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            raise services.ChatRefused(
                "invalid", "Historique : « after » doit être un entier positif."
            )
        # Live frames wait while the page is read, even for a client that was live: one
        # sent meanwhile would reach it before the page that precedes it.
        self.catching_up = True
        if await self._send_history(after):
            await self._go_live()

    async def _on_typing(self, data):
        now = time.monotonic()
        if now - self.typing_at < TYPING_EVERY or self.local.online_count > TYPING_OFF_ABOVE:
            return
        if not await database_sync_to_async(self._may_post)():
            return
        self.typing_at = now
        await broadcast.apublish(
            room_slug=self.room.slug,
            frame=frames.encode({"type": "typing", "author": self.access.author}),
            exclude=self.user_id,
        )

    def _may_post(self) -> bool:
        membership = self._membership_now()
        return permissions.may_post(user=self.user, space=self.access.space, membership=membership)

    # When nothing changed (an unchanged edit, a message already deleted) nothing is
    # broadcast: the requester still gets the resulting frame, so it knows where it stands.

    async def _on_edit(self, data):
        result = await self._write(
            services.chat_message_edit,
            room=self.room,
            user=self.user,
            number=data.get("id"),
            body=data.get("body"),
        )
        if not result.changed:
            await self.send(frames.encode(result.payload))

    async def _on_delete(self, data):
        result = await self._write(
            services.chat_message_delete, room=self.room, user=self.user, number=data.get("id")
        )
        if not result.changed:
            await self.send(frames.encode(result.payload))

    async def _on_report(self, data):
        await database_sync_to_async(services.chat_message_report)(
            room=self.room, user=self.user, number=data.get("id"), reason=data.get("reason")
        )
        await self.send(
            frames.encode(
                {
                    "type": "reported",
                    "id": data.get("id"),
                    "detail": "Merci : le message est signalé à l'animation de l'espace.",
                }
            )
        )

    async def _on_ping(self, data):
        # The client's heartbeat after a quiet while: it reconnects without an answer.
        await self.send(frames.encode({"type": "pong"}))

    HANDLERS = {
        "ping": _on_ping,
        "message": _on_message,
        "history": _on_history,
        "typing": _on_typing,
        "edit": _on_edit,
        "delete": _on_delete,
        "report": _on_report,
    }
