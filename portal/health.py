"""Dependency checks behind /healthz: each one really talks to its service."""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection

TIMEOUT_SECONDS = 2.0


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer")


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise RuntimeError("value not read back")


async def _round_trip() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("healthz.")
    payload = {"type": "healthz.ping", "token": uuid.uuid4().hex}
    await layer.send(channel, payload)
    received = await layer.receive(channel)
    if received.get("token") != payload["token"]:
        raise RuntimeError("message not read back")


async def _check_channel_layer() -> None:
    await asyncio.wait_for(_round_trip(), timeout=TIMEOUT_SECONDS)


def check_channel_layer() -> None:
    async_to_sync(_check_channel_layer)()


CHECKS = {
    "database": check_database,
    "channel_layer": check_channel_layer,
    "cache": check_cache,
}


def run_checks() -> dict[str, str]:
    """Run every check; a failure is reported by name, never raised."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            results[name] = f"erreur : {type(exc).__name__}"
        else:
            results[name] = "ok"
    return results
