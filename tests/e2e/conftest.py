"""Real-browser fixtures: Playwright for Python driving Debian's Chromium.

Every test here is marked `browser` (the root conftest skips it, or fails it
under CI, when Chromium is absent) and runs against pytest-django's live
server with the reference data restored (serialized rollback).
"""

import os

import pytest
from django.db import connections

from tests.conftest import chromium_path

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# that tests make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture
def chromium(transactional_db, live_server):
    # Function-scoped on purpose: Playwright's sync API runs an event loop (in
    # greenlets) on this thread, and Django's per-context connection handling must
    # restore the test database (serialized rollback) before that loop exists.
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium absent")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    yield browser
    # Connections the test opened while the loop ran belong to that context:
    # close them there, or the test database cannot be dropped at the end.
    connections.close_all()
    browser.close()
    playwright.stop()


# The live server is WSGI: the chat panel's WebSocket cannot open there, and Chromium
# logs each attempt. tests/e2e/test_chat_journey.py drives the chat on an ASGI server.
WSGI_WEBSOCKET_FAILURE = "WebSocket connection to 'ws://"


def _is_error(msg) -> bool:
    return msg.type == "error" and not msg.text.startswith(WSGI_WEBSOCKET_FAILURE)


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser context; any console error or page crash fails the test."""
    context = chromium.new_context(locale="fr-FR", base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if _is_error(msg) else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.console_errors = errors
    yield tab
    context.close()
    assert errors == [], f"Erreurs dans la console du navigateur : {errors}"


def assert_no_axe_violations(tab) -> None:
    """Run axe-core's RGAA 4 rules on the current page; zero violations allowed."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": ["RGAAv4"]}})
    violations = results.response["violations"]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    ]
    assert violations == [], f"{tab.url} : violations RGAA :\n" + "\n".join(details)


def log_in(tab, *, email: str, password: str) -> None:
    tab.goto("/comptes/login/")
    tab.locator("input[name=login]").fill(email)
    tab.locator("input[name=password]").fill(password)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_url(lambda url: "/comptes/login/" not in url)
