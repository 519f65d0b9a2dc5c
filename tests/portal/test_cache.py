"""portal.cache: Django's Redis cache with one connection pool per process."""

import asyncio
import contextvars
import secrets

import pytest
import redis
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings
from django.core.cache import cache, caches

pytestmark = pytest.mark.redis

NAME = "portal-cache-test"


def _connections() -> int:
    clients = redis.Redis.from_url(django_settings.REDIS_URL).client_list()
    return sum(1 for client in clients if client.get("name") == NAME)


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.SharedRedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-cache-{secrets.token_hex(4)}",
            "OPTIONS": {"client_name": NAME},
        }
    }
    yield
    cache.clear()


def test_every_asynchronous_context_shares_one_connection_pool(shared_cache):
    # Each asyncio task (each WebSocket, under ASGI) gets its own cache object from
    # Django; with Django's RedisCache each would hold its own connection as long as
    # the task lives.
    cache.set("warm", 1)
    before = _connections()

    async def many_contexts():
        release = asyncio.Event()
        ready = []

        async def one_context(n):
            await sync_to_async(cache.set)(f"context-{n}", n)
            ready.append(await sync_to_async(cache.get)(f"context-{n}"))
            await release.wait()  # still open, like a WebSocket

        # A fresh context each, as a server gives each connection: nothing inherited.
        tasks = [
            asyncio.create_task(one_context(n), context=contextvars.Context()) for n in range(30)
        ]
        while len(ready) < 30:
            await asyncio.sleep(0.01)
        during = await sync_to_async(_connections)()
        release.set()
        await asyncio.gather(*tasks)
        return sorted(ready), during

    values, during = asyncio.run(many_contexts())
    assert values == list(range(30))
    assert during - before <= 1  # the database thread's, at most


def test_cache_objects_differ_but_share_the_client(shared_cache):
    async def backend_in_a_new_context():
        return await sync_to_async(lambda: caches["default"])()

    other = asyncio.run(backend_in_a_new_context())
    assert other is not caches["default"]
    assert other._cache is caches["default"]._cache
    assert other.redis().connection_pool is caches["default"].redis().connection_pool
