"""The Redis cache backend of the portal: Django's, with one client per process.

Django keeps one cache object per thread and per asynchronous context, and each of
Django's RedisCache objects opens its own connection pool. Under ASGI every
WebSocket is its own context: loading its session at connection time (the
`cached_db` engine reads the cache) left one Redis connection open per WebSocket,
213 for 200 chat clients (bench/chat.py, `redis-cli client list`). Here every cache
object of the process shares one client, hence one pool, sized by the threads that
use it at once. redis-py pools are thread-safe and reset themselves after a fork.
"""

import threading

from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property

_clients: dict = {}
_redis: dict = {}  # shared cache client -> its redis-py client
_lock = threading.Lock()


class SharedRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        key = (tuple(self._servers), self._class, repr(sorted(self._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
        return client

    def redis(self):
        """The redis-py client on the shared pool of the server written to (for scripts);
        built once, as Django builds one per call."""
        shared = self._cache
        client = _redis.get(shared)
        if client is None:
            with _lock:
                client = _redis.setdefault(shared, shared.get_client(write=True))
        return client
