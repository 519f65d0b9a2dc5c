"""Forums in Nord (open) and Somme (private), on top of the Communauté's cast."""

import pytest

from tests.community.forums.factories import make_forum


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Attachments are written by the storage: never into the developer's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def forum(nord):
    return make_forum(nord)


@pytest.fixture
def private_forum(somme):
    return make_forum(somme, name="Pilote référent unique", slug="pilote")
