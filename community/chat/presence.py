"""Who is online in each room, across processes, with expiry.

Each process (its hub) writes one entry per (user, process) with an expiry a
little beyond its heartbeat, so a killed process leaves no ghost for long: the
next update of that room by any process purges its entries and announces them
as gone. With REDIS_URL the entries live in one Redis sorted set per room
(score = expiry); without it, in this process (the embedded default is one process).
"""

import asyncio
import threading
import time

from django.conf import settings

TTL = 45  # seconds; hubs refresh their entries every HEARTBEAT
HEARTBEAT = 15

Online = dict[int, str]  # user id -> public name


def _member(uid: int, token: str, name: str) -> str:
    return f"{uid}|{token}|{name}"


def _users(members) -> Online:
    online: Online = {}
    for member in members:
        if isinstance(member, bytes):
            member = member.decode()
        uid, _token, name = member.split("|", 2)
        online[int(uid)] = name
    return online


class MemoryPresence:
    def __init__(self):
        self._rooms: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()

    def _update(self, slug, token, present, absent, ttl):
        now = time.time()
        with self._lock:
            entries = self._rooms.setdefault(slug, {})
            before = _users(entries)
            for member in [m for m, expiry in entries.items() if expiry <= now]:
                del entries[member]
            for uid, name in present.items():
                entries[_member(uid, token, name)] = now + ttl
            for uid, name in absent.items():
                entries.pop(_member(uid, token, name), None)
            after = _users(entries)
            if not entries:
                del self._rooms[slug]
        return before, after

    async def update(self, slug: str, *, token: str, present: Online, absent: Online, ttl=TTL):
        """Write this process's entries; return who was online before and after.

        Expired entries (a killed process's) are purged on the way, so they appear as
        gone. `ttl` other than TTL is for tests that play a process that died.
        """
        return self._update(slug, token, present, absent, ttl)

    def online_sync(self, slug: str) -> Online:
        now = time.time()
        with self._lock:
            entries = self._rooms.get(slug, {})
            return _users(m for m, expiry in entries.items() if expiry > now)

    async def online(self, slug: str) -> Online:
        return self.online_sync(slug)

    async def aclose(self):
        pass


class RedisPresence:
    def __init__(self, url: str, prefix: str):
        self.url = url
        self.prefix = prefix
        self._clients = {}  # one asyncio client per event loop
        self._sync_client = None

    def _key(self, slug: str) -> str:
        return f"{self.prefix}:chat:presence:{slug}"

    def _client(self):
        import redis.asyncio

        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = redis.asyncio.Redis.from_url(self.url)
        return client

    async def update(self, slug: str, *, token: str, present: Online, absent: Online, ttl=TTL):
        now = time.time()
        key = self._key(slug)
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.zrange(key, 0, -1)
            pipe.zremrangebyscore(key, "-inf", now)
            if present:
                pipe.zadd(key, {_member(u, token, n): now + ttl for u, n in present.items()})
            if absent:
                pipe.zrem(key, *[_member(u, token, n) for u, n in absent.items()])
            pipe.zrange(key, 0, -1)
            pipe.expire(key, TTL * 2)
            results = await pipe.execute()
        return _users(results[0]), _users(results[-2])

    async def online(self, slug: str) -> Online:
        return _users(await self._client().zrangebyscore(self._key(slug), time.time(), "+inf"))

    async def aclose(self):
        """Close this event loop's client (it cannot be used from another loop)."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()

    def online_sync(self, slug: str) -> Online:
        import redis

        if self._sync_client is None:
            self._sync_client = redis.Redis.from_url(self.url, socket_timeout=2)
        return _users(self._sync_client.zrangebyscore(self._key(slug), time.time(), "+inf"))


_store = None


def store():
    global _store
    if _store is None:
        url = getattr(settings, "REDIS_URL", "")
        prefix = getattr(settings, "CHAT_PRESENCE_PREFIX", "portal")
        _store = RedisPresence(url, prefix) if url else MemoryPresence()
    return _store


def online_user_ids_sync(slug: str) -> set[int]:
    """Who is in this room now (for synchronous services); empty if presence is unreachable."""
    try:
        return set(store().online_sync(slug))
    except Exception:
        return set()
