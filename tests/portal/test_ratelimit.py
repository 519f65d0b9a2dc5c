"""portal.ratelimit: fixed windows shared by processes, with and without Redis."""

import asyncio
import secrets
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache

from portal import ratelimit
from portal.ratelimit import Window


def _use_redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-ratelimit-{secrets.token_hex(4)}",
        }
    }


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def backend(request, settings):
    if request.param == "locmem":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    else:
        _use_redis_cache(settings)
    yield request.param
    cache.clear()


@pytest.fixture
def redis_cache(settings):
    _use_redis_cache(settings)
    yield
    cache.clear()


def windows(burst=2, minute=3):
    return [Window("rl:burst", burst, 60), Window("rl:minute", minute, 60)]


def test_take_counts_the_action_in_every_window(backend):
    assert ratelimit.take(windows()) is None
    assert ratelimit.count(Window("rl:burst", 2, 60)) == 1
    assert cache.get("rl:minute") == 1  # plain cache entries


def test_a_full_window_refuses_and_the_refusal_counts_nowhere(backend):
    assert ratelimit.take(windows()) is None
    assert ratelimit.take(windows()) is None
    full = ratelimit.take(windows())
    assert full == Window("rl:burst", 2, 60)
    assert cache.get("rl:burst") == 2
    assert cache.get("rl:minute") == 2  # the refused attempt left the other window alone


def test_the_first_full_window_is_the_one_reported(backend):
    for _ in range(3):
        ratelimit.take([Window("rl:minute", 3, 60)])
    assert ratelimit.take(windows(burst=5)) == Window("rl:minute", 3, 60)
    assert cache.get("rl:burst") is None


def test_give_back_uncounts_an_action_that_did_not_happen(backend):
    ratelimit.take(windows())
    ratelimit.take(windows())
    ratelimit.give_back(windows())
    assert cache.get("rl:burst") == 1
    assert ratelimit.take(windows()) is None


def test_give_back_after_the_window_closed_does_not_open_a_negative_one(backend):
    ratelimit.give_back([Window("rl:other", 1, 60)])
    assert ratelimit.count(Window("rl:other", 1, 60)) == 0
    assert ratelimit.take([Window("rl:other", 1, 60)]) is None
    assert ratelimit.take([Window("rl:other", 1, 60)]) == Window("rl:other", 1, 60)


def test_a_window_closes_its_seconds_after_it_opened(backend):
    short = [Window("rl:other", 1, 1)]
    assert ratelimit.take(short) is None
    assert ratelimit.take(short) is not None
    time.sleep(1.1)
    assert ratelimit.take(short) is None


def test_no_windows_means_no_limit(backend):
    assert ratelimit.take([]) is None
    ratelimit.give_back([])


def test_concurrent_takes_never_exceed_the_limit(backend):
    results = []
    barrier = threading.Barrier(12)

    def attempt():
        barrier.wait()
        results.append(ratelimit.take([Window("rl:other", 5, 60)]))

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 5
    assert cache.get("rl:other") == 5


def _ratelimit_connections() -> int:
    import redis
    from django.conf import settings

    clients = redis.Redis.from_url(settings.REDIS_URL).client_list()
    return sum(1 for c in clients if c.get("name") == "portal-ratelimit")


@pytest.mark.redis
def test_every_asynchronous_context_shares_one_redis_client(redis_cache):
    # The cache framework gives each asyncio task (each WebSocket) its own client and
    # connection; the rate limiter must not: a 1,000-person chat would hold 1,000.
    ratelimit.take([Window("rl:ctx", 100, 60)])
    before = _ratelimit_connections()

    async def many_contexts():
        tasks = [
            asyncio.create_task(sync_to_async(ratelimit.take)([Window("rl:ctx", 100, 60)]))
            for _ in range(30)
        ]
        await asyncio.gather(*tasks)

    asyncio.run(many_contexts())
    assert cache.get("rl:ctx") == 31
    assert _ratelimit_connections() - before <= 1  # the database thread's, at most
