"""A forum of Nord (open) with a topic, on top of the Communauté's cast."""

import pytest

from tests.community.forums.factories import make_forum, publish_topic


@pytest.fixture
def forum(nord):
    return make_forum(nord, name="Mobilité", slug="mobilite")


@pytest.fixture
def topic(open_cast, forum):
    return publish_topic(forum, open_cast.animator, title="Covoiturage solidaire")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
