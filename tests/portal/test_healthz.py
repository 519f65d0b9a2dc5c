"""/healthz really talks to the database, the channel layer and the cache.

A broken dependency gives a 503 that names it, while the others still say "ok".
The unreachable services point at port 1 of the loopback, where nothing
listens: the connection is refused at once, and the health check's own 2 s
ceiling bounds the channel layer's reconnect attempts.
"""

import time

import pytest
from channels.layers import channel_layers
from django.conf import settings
from django.test import override_settings

from portal import health

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
CHECKS = {"database", "channel_layer", "cache"}


@pytest.fixture(autouse=True)
def _fresh_channel_layers():
    # Channels keeps one layer instance per alias; a layer left over from
    # another test (or bound to another event loop) must not answer for us.
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


def get_healthz(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response, response.json()


def test_healthz_all_ok(client, db):
    response, body = get_healthz(client)

    assert response.status_code == 200
    assert body == {"database": "ok", "channel_layer": "ok", "cache": "ok"}


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_healthz_unreachable_channel_layer_is_503(client, db):
    layers = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [UNREACHABLE_REDIS]},
        }
    }
    started = time.monotonic()
    with override_settings(CHANNEL_LAYERS=layers):
        response, body = get_healthz(client)
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert set(body) == CHECKS
    assert body["channel_layer"] != "ok"
    assert body["channel_layer"].startswith("erreur : ")
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    # Bounded by health.TIMEOUT_SECONDS, not by Redis' reconnect loop.
    assert elapsed < health.TIMEOUT_SECONDS + 3


def test_healthz_unreachable_cache_is_503(client, db):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    started = time.monotonic()
    # A context manager, not the `settings` fixture: the shared autouse fixture
    # clears the cache at teardown, which must hit the real cache again.
    with override_settings(CACHES=caches):
        response, body = get_healthz(client)
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert set(body) == CHECKS
    assert body["cache"] != "ok"
    assert body["cache"].startswith("erreur : ")
    assert body["database"] == "ok"
    assert body["channel_layer"] == "ok"
    assert elapsed < 5


def test_healthz_reports_every_failure_without_raising(client, db, monkeypatch):
    def broken():
        raise ConnectionError("boom")

    monkeypatch.setitem(health.CHECKS, "database", broken)

    response, body = get_healthz(client)

    assert response.status_code == 503
    assert body == {
        "database": "erreur : ConnectionError",
        "channel_layer": "ok",
        "cache": "ok",
    }


@pytest.mark.redis
def test_healthz_with_real_redis(client, db):
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == (
        "channels_redis.pubsub.RedisPubSubChannelLayer"
    )
    assert settings.CACHES["default"]["BACKEND"] == "portal.cache.SharedRedisCache"

    # Twice: each request runs the check in a fresh event loop, and the layer
    # must still answer on the second one.
    for _ in range(2):
        response, body = get_healthz(client)
        assert response.status_code == 200, body
        assert body == {"database": "ok", "channel_layer": "ok", "cache": "ok"}
