"""portal.ratelimit: fixed windows shared by processes, with and without Redis."""

import secrets
import threading
import time

import pytest
from django.core.cache import cache

from portal import ratelimit
from portal.ratelimit import Window


def _use_redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.SharedRedisCache",
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
