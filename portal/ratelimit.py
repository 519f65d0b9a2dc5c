"""Rate limits that hold across processes: fixed windows counted in the cache.

A window opens with the first action counted in it and closes `seconds` later,
whatever happens meanwhile: a refused attempt neither counts nor prolongs it.

`take()` checks every window of an action and counts the action in all of them
at once. With the Redis cache (portal.cache) that is one Lua script, so one round
trip, atomic across processes (two requests cannot both take the last place).
With another cache (the embedded default's local memory, one process) a lock
serialises the same steps through the cache API.

The counters are ordinary cache entries (same key prefix, plain integers):
`cache.get` reads them, `cache.clear()` resets them.
"""

import threading
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache

from portal.cache import SharedRedisCache


@dataclass(frozen=True)
class Window:
    key: str
    limit: int  # actions allowed in the window
    seconds: int


# KEYS: the windows' keys; ARGV: limit, seconds of each window, in the same order.
# Returns 0 when the action is counted, else the (1-based) index of the first full window.
_TAKE = """
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0') or 0
  if count >= tonumber(ARGV[2 * i - 1]) then
    return i
  end
end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then
    redis.call('EXPIRE', key, ARGV[2 * i])
  end
end
return 0
"""

# Decrements the windows; one that closed meanwhile stays closed (DECR would open it at -1).
_GIVE_BACK = """
for _, key in ipairs(KEYS) do
  if redis.call('DECR', key) <= 0 then
    redis.call('DEL', key)
  end
end
return 0
"""

_lock = threading.Lock()
_scripts: dict = {}  # redis-py client -> its (take, give back) scripts


def _backend():
    from django.core.cache import caches

    return caches["default"]


def _redis_scripts(backend):
    """The (take, give back) scripts on the cache's Redis, or None without a Redis cache."""
    if not isinstance(backend, SharedRedisCache):
        return None
    client = backend.redis()
    scripts = _scripts.get(client)
    if scripts is None:
        with _lock:
            scripts = _scripts.setdefault(
                client, (client.register_script(_TAKE), client.register_script(_GIVE_BACK))
            )
    return scripts


def take(windows: Sequence[Window]) -> Window | None:
    """Count one action in every window, unless one is full.

    Returns None when the action is counted, else the first full window (nothing counted).
    """
    if not windows:
        return None
    backend = _backend()
    scripts = _redis_scripts(backend)
    if scripts is not None:
        full = scripts[0](
            keys=[backend.make_and_validate_key(w.key) for w in windows],
            args=[value for w in windows for value in (w.limit, w.seconds)],
        )
        return windows[full - 1] if full else None
    with _lock:
        counts = cache.get_many([w.key for w in windows])
        for window in windows:
            if (counts.get(window.key) or 0) >= window.limit:
                return window
        for window in windows:
            if not cache.add(window.key, 1, timeout=window.seconds):
                try:
                    cache.incr(window.key)
                except ValueError:  # the window closed since get_many
                    cache.add(window.key, 1, timeout=window.seconds)
    return None


def give_back(windows: Sequence[Window]) -> None:
    """Uncount an action that `take` counted but that did not happen after all."""
    if not windows:
        return
    backend = _backend()
    scripts = _redis_scripts(backend)
    if scripts is not None:
        scripts[1](keys=[backend.make_and_validate_key(w.key) for w in windows])
        return
    with _lock:
        for window in windows:
            try:
                if cache.decr(window.key) <= 0:
                    cache.delete(window.key)
            except ValueError:  # already closed
                pass


@contextmanager
def counted(windows: Sequence[Window]):
    """Around the action that `take` counted: if it raises, its place is given back."""
    try:
        yield
    except BaseException:
        give_back(windows)
        raise


def count(window: Window) -> int:
    """Actions counted in this window so far (0 once it closed)."""
    return cache.get(window.key) or 0


def client_address(request) -> str:
    """The address of whoever sent the request, behind settings.TRUSTED_PROXIES proxies.

    Each proxy appends the address it saw to X-Forwarded-For: the entry that many places
    from the end is the one the outermost trusted proxy saw, whatever the client wrote
    before it. With no trusted proxy (the embedded default), the socket's address."""
    from django.conf import settings

    proxies = settings.TRUSTED_PROXIES
    if proxies:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        entries = [e for e in entries if e]
        if len(entries) >= proxies:
            return entries[-proxies]
    return request.META.get("REMOTE_ADDR", "")
