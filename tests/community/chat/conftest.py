import copy
import uuid

import pytest

from community.chat import presence
from community.chat.selectors import chat_room_for_slug

RUN = uuid.uuid4().hex[:8]


@pytest.fixture(autouse=True)
def _own_redis_namespace(settings):
    # Test runs that share a Redis (a developer's and CI's, two branches) would hear
    # each other's rooms and presence: each run gets its own prefix.
    if settings.REDIS_URL:
        layers = copy.deepcopy(settings.CHANNEL_LAYERS)
        layers["default"].setdefault("CONFIG", {})["prefix"] = f"test-{RUN}"
        settings.CHANNEL_LAYERS = layers
        settings.CHAT_PRESENCE_PREFIX = f"test-{RUN}"


@pytest.fixture(autouse=True)
def _fresh_presence(_own_redis_namespace):
    # The in-memory store lives as long as the process: each test starts with nobody
    # online. (Redis entries go with the cache's flush in the root conftest.)
    presence._store = None
    yield
    presence._store = None


@pytest.fixture
def nord_room(nord):
    return chat_room_for_slug(slug="nord")


@pytest.fixture
def somme_room(somme):
    return chat_room_for_slug(slug="somme")
