"""Shared fixtures and the rules for tests that need real services.

Tests marked `browser`, `postgres` or `redis` skip with a clear reason when
the service is absent on a developer's machine; under CI (CI=true) the same
absence fails the test, and any skipped test fails the run.
"""

import logging
import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from tests import sessions
from tests.factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

pytest_plugins = ["tests.oidc"]  # the OpenID provider for ProConnect's tests

sessions.install()  # force_login leaves a whole sign-in, second factor included


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    return candidate if candidate and os.path.exists(candidate) else None


def _missing_service(item) -> str | None:
    if item.get_closest_marker("browser"):
        if chromium_path() is None:
            return "Chromium absent : installez le paquet Debian « chromium » (ou CHROMIUM_PATH)."
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            return "Playwright pour Python n'est pas installé."
    if item.get_closest_marker("postgres") and not settings.IS_POSTGRES:
        return "PostgreSQL absent : lancez les tests avec DATABASE_URL=postgres://…"
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "Redis absent : lancez les tests avec REDIS_URL=redis://…"
    return None


def pytest_runtest_setup(item):
    reason = _missing_service(item)
    if reason:
        if IN_CI:
            pytest.fail(f"Sous CI, ce test ne peut pas être ignoré : {reason}", pytrace=False)
        pytest.skip(reason)


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter and reporter.stats.get("skipped") and session.exitstatus == 0:
        reporter.write_line("Sous CI, un test ignoré est un échec.", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True, scope="session")
def _quiet_logs():
    # Wagtail and django-tasks log every page save and task at INFO: noise in test output.
    for name in ("", "wagtail", "django_tasks", "django_tasks_db"):
        logging.getLogger(name).setLevel(logging.WARNING)


@pytest.fixture(autouse=True)
def _isolated_cache_and_tasks(settings, tmp_path):
    # Each test starts with an empty cache (rate limits, sessions) and runs
    # background tasks immediately, unless it asks for another backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Real password hashing costs ~0.3 s per log-in; the hasher is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if settings.ANONYMOUS_PAGE_CACHE_GENERATION_FILE:  # one per test, not one per machine
        settings.ANONYMOUS_PAGE_CACHE_GENERATION_FILE = tmp_path / "anonymous-pages"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_page_cache(settings):
    """Anonymous pages rendered at every request (portal/page_cache.py off): for the
    tests that count what rendering a page costs."""
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def deferred_tasks(settings):
    """A task backend that records tasks (with their run_after) instead of running them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def site_root(db):
    """The home page and the legal pages, as `setup_site` creates them."""
    from portal.setup import site_setup

    return site_setup()
