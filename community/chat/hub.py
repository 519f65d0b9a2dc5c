"""The process-local hub (DESIGN.md, "Live chat", rules 2 and 3).

One hub per process (per event loop): it holds ONE channel-layer channel, added
to the group of every room that has connections in this process. A broadcast
therefore costs one layer message per process, and the hub writes the same
pre-serialised frame to each local connection.

Messages are numbered per room without gaps. The hub delivers a room's messages
in number order: one that arrives ahead of its predecessor waits GAP_WAIT, then
the hole is read from the database (a dropped layer message, a Redis restart).
Every TICK the hub also compares each room's last number in the database with
the last it delivered, which catches a dropped message at the end of a burst.
"""

import asyncio
import logging
import secrets
import time
from collections import Counter

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from community.chat import broadcast, frames, presence, selectors

logger = logging.getLogger(__name__)

GAP_WAIT = 0.25  # seconds a message ahead of its predecessor waits before a database read
TICK = 1.0  # presence batches and the "behind the database?" check
GROUP_REFRESH = 600  # re-add the hub's channel to its groups, well before the layer's expiry
TYPING_OFF_ABOVE = 100  # no typing frames in rooms with more people online


class LocalRoom:
    """A room as seen by this process: its local connections and delivery state."""

    def __init__(self, *, slug: str, room_id: int, last_id: int):
        self.slug = slug
        self.room_id = room_id
        self.last_id = last_id  # highest number delivered, in order, to local connections
        self.pending: dict[int, str] = {}  # arrived ahead of a missing predecessor
        self.connections: set = set()
        self.lock = asyncio.Lock()
        self.gap_task: asyncio.Task | None = None
        self.behind_since: float | None = None
        # Presence: local connections per user, and what changed since the last flush.
        self.users: Counter = Counter()
        self.names: dict[int, str] = {}
        self.joined: dict[int, str] = {}
        self.left: dict[int, str] = {}
        self.online_count = 0
        self.heartbeat_at = 0.0


class Hub:
    def __init__(self):
        self.layer = get_channel_layer()
        self.token = secrets.token_hex(6)  # this process, in presence entries
        self.rooms: dict[str, LocalRoom] = {}
        self.channel: str | None = None
        self._start_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task] = []
        self._groups_added_at = 0.0

    # --- connections ---------------------------------------------------------------

    async def join(self, connection, *, slug: str, room_id: int, user_id: int, name: str):
        await self._start()
        async with self._start_lock:
            local = self.rooms.get(slug)
            if local is None:
                # Into the group first, then read where the room stands: nothing falls between.
                await self.layer.group_add(broadcast.room_group(slug), self.channel)
                last = await database_sync_to_async(selectors.chat_last_numbers)(room_ids=[room_id])
                local = LocalRoom(slug=slug, room_id=room_id, last_id=last.get(room_id, 0))
                self.rooms[slug] = local
        local.connections.add(connection)
        if local.users[user_id] == 0:
            local.names[user_id] = name
            if local.left.pop(user_id, None) is None:
                local.joined[user_id] = name
        local.users[user_id] += 1
        return local

    def leave(self, connection, *, slug: str, user_id: int) -> None:
        local = self.rooms.get(slug)
        if local is None or connection not in local.connections:
            return
        local.connections.discard(connection)
        local.users[user_id] -= 1
        if local.users[user_id] <= 0:
            del local.users[user_id]
            name = local.names.pop(user_id, "")
            if local.joined.pop(user_id, None) is None:
                local.left[user_id] = name
        # The room itself is dropped by the tick, after its presence changes are flushed.

    async def online(self, local: LocalRoom) -> dict[int, str]:
        try:
            online = await presence.store().online(local.slug)
        except Exception:
            logger.exception("Chat presence unavailable for %s", local.slug)
            online = {}
        online.update(local.names)  # the people connected here (names has users' keys)
        return online

    # --- delivery ------------------------------------------------------------------

    async def _start(self):
        if self.channel is not None:
            return
        async with self._start_lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel("chat.hub.")
                self._groups_added_at = time.monotonic()
                self._tasks = [
                    asyncio.create_task(self._receive_loop()),
                    asyncio.create_task(self._tick_loop()),
                ]

    async def _receive_loop(self):
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Chat hub: channel layer receive failed")
                await asyncio.sleep(1)
                continue
            local = self.rooms.get(message.get("room"))
            if local is None:
                continue
            try:
                if "access" in message:
                    self._access_changed(local, message["access"])
                elif message.get("id") is None:
                    await self._deliver_event(local, message["frame"], message.get("exclude"))
                else:
                    await self._arrived(local, int(message["id"]), message["frame"])
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Chat hub: delivery failed in %s", local.slug)

    async def _arrived(self, local: LocalRoom, number: int, frame: str):
        async with local.lock:
            if number <= local.last_id or number in local.pending:
                return  # already delivered (or read from the database meanwhile)
            local.pending[number] = frame
            await self._drain(local)
            if local.pending and local.gap_task is None:
                local.gap_task = asyncio.create_task(self._fill_gap_later(local))

    async def _drain(self, local: LocalRoom):
        """Deliver what is next in order; called with local.lock held."""
        while local.last_id + 1 in local.pending:
            number = local.last_id + 1
            frame = local.pending.pop(number)
            local.last_id = number
            for connection in list(local.connections):
                await connection.push(number, frame)

    async def _fill_gap_later(self, local: LocalRoom):
        try:
            await asyncio.sleep(GAP_WAIT)
            await self._catch_up(local)
        except asyncio.CancelledError:
            # The hub is closing: no new task (it would be left pending on a closed loop).
            local.gap_task = None
            raise
        except Exception:
            # The database is out of reach: the hole stays, the next try comes after a wait.
            logger.exception("Chat hub: gap fill failed in %s", local.slug)
        local.gap_task = None
        if local.pending and self.rooms.get(local.slug) is local:
            local.gap_task = asyncio.create_task(self._fill_gap_later(local))

    async def _catch_up(self, local: LocalRoom):
        """Read from the database what follows the last delivered message, deliver it."""
        rows = await database_sync_to_async(selectors.chat_frames_after)(
            room_id=local.room_id, room_slug=local.slug, after=local.last_id
        )
        async with local.lock:
            for number, frame in rows:
                if number > local.last_id:
                    # The database holds the message as it is now: its frame wins over one
                    # that came through the layer before an edit or a deletion (whose event,
                    # arrived meanwhile, the clients could not apply to a message not yet shown).
                    local.pending[number] = frame
            await self._drain(local)
            # What the database does not hold (yet) cannot be waited for forever.
            for number in [n for n in local.pending if n <= local.last_id]:
                del local.pending[number]

    def _access_changed(self, local: LocalRoom, user_id: int | None):
        for connection in list(local.connections):
            if user_id is None or connection.user_id == user_id:
                connection.access_changed()

    async def _deliver_event(self, local: LocalRoom, frame: str, exclude):
        for connection in list(local.connections):
            if exclude is not None and connection.user_id == exclude:
                continue
            await connection.push(None, frame)

    # --- periodic work -------------------------------------------------------------

    async def _tick_loop(self):
        while True:
            await asyncio.sleep(TICK)
            try:
                await self._tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Chat hub: tick failed")

    async def _tick(self):
        now = time.monotonic()
        if now - self._groups_added_at > GROUP_REFRESH:
            self._groups_added_at = now
            for slug in list(self.rooms):
                await self.layer.group_add(broadcast.room_group(slug), self.channel)
        rooms = list(self.rooms.values())
        if rooms:
            numbers = await database_sync_to_async(selectors.chat_last_numbers)(
                room_ids=[local.room_id for local in rooms]
            )
            for local in rooms:
                if numbers.get(local.room_id, 0) > local.last_id:
                    # Behind for a whole tick: the layer dropped it (or a Redis restart).
                    if local.behind_since is not None and local.gap_task is None:
                        await self._catch_up(local)
                        local.behind_since = None
                    else:
                        local.behind_since = local.behind_since or now
                else:
                    local.behind_since = None
        for local in rooms:
            await self._flush_presence(local, now)
            # Under the lock that join() holds while it adds a room: a discard finishing
            # after a new join's group_add would unsubscribe the process from the room.
            async with self._start_lock:
                idle = not (local.connections or local.joined or local.left)
                if idle and self.rooms.get(local.slug) is local:
                    del self.rooms[local.slug]
                    await self.layer.group_discard(broadcast.room_group(local.slug), self.channel)

    async def _flush_presence(self, local: LocalRoom, now: float):
        heartbeat = now - local.heartbeat_at >= presence.HEARTBEAT
        if not (local.joined or local.left or heartbeat):
            return
        present = dict(local.names) if heartbeat else dict(local.joined)
        flushed, absent, local.joined, local.left = local.joined, dict(local.left), {}, {}
        try:
            before, after = await presence.store().update(
                local.slug, token=self.token, present=present, absent=absent
            )
        except Exception:
            logger.exception("Chat presence update failed for %s", local.slug)
            # Kept for the next tick, unless a connection or a departure changed them since.
            for uid, name in flushed.items():
                if uid in local.users and uid not in local.left:
                    local.joined.setdefault(uid, name)
            for uid, name in absent.items():
                if uid not in local.users and uid not in local.joined:
                    local.left.setdefault(uid, name)
            return
        if heartbeat:
            local.heartbeat_at = now
        local.online_count = len(after)
        joined = [{"id": uid, "name": name} for uid, name in after.items() if uid not in before]
        left = [{"id": uid, "name": name} for uid, name in before.items() if uid not in after]
        if joined or left:
            await broadcast.apublish(
                room_slug=local.slug,
                frame=frames.encode({"type": "presence", "joined": joined, "left": left}),
            )

    async def close(self):
        """Stop this hub (end of a server's or a test's event loop): its tasks, its
        groups, and its presence entries, announced as gone to the other processes."""
        if _hubs.get(asyncio.get_running_loop()) is self:
            del _hubs[asyncio.get_running_loop()]  # a later get_hub() in this loop starts anew
        rooms, self.rooms = list(self.rooms.values()), {}
        tasks = [*self._tasks, *(local.gap_task for local in rooms if local.gap_task)]
        self._tasks = []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        now = time.monotonic()
        for local in rooms:
            local.left.update(local.names)
            local.joined.clear()
            local.users.clear()
            local.names.clear()
            local.heartbeat_at = now  # a flush with nothing present
            await self._flush_presence(local, now)
            if self.channel is not None:
                try:
                    await self.layer.group_discard(broadcast.room_group(local.slug), self.channel)
                except Exception:
                    logger.exception("Chat hub: leaving the group of %s failed", local.slug)
        try:
            await presence.store().aclose()
        except Exception:
            logger.exception("Chat hub: closing the presence store failed")


_hubs: dict = {}


def get_hub() -> Hub:
    """The hub of the running event loop (one per server process; one per test loop)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        for old_loop in [old for old in _hubs if old.is_closed()]:
            del _hubs[old_loop]
        hub = _hubs[loop] = Hub()
    return hub
