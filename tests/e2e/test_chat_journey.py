"""The live chat in a real browser, against a real ASGI server.

Two members of the Hauts-de-France space, of different operators, chat live: one
mentions the other, who sees the message at once and gets the notification; then the
server process restarts while messages are written (by the test, through the service,
and by the first member in her page) and one is deleted: both pages say "Reconnexion…",
then show every message exactly once, in order, and the deletion. axe RGAA rules on the
chat page.

pytest-django's live server is WSGI (no WebSockets): this test starts uvicorn on
`portal.asgi:application` against the same test database (PostgreSQL: another process
must see the committed data) and the same Redis.
"""

import copy
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import expect

from community.chat.notifications import MENTION
from community.models import ChatMessage, Report
from portal.notifications.models import Notification
from portal.setup import site_setup
from tests.community.factories import MembershipFactory, space
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory, operator, territory

# PostgreSQL: the server process must see the test's data. Redis: the rate limit that
# the test fills through the service must be the one the server counts.
pytestmark = [pytest.mark.postgres, pytest.mark.redis]

CHAT_URL = "/communaute/hauts-de-france/discussion/"
GREETING = "on fait le point sur le job-dating d'Amiens de jeudi ?"
EDITED = "on fait le point sur le job-dating d'Amiens de vendredi ?"
REPLY = "Avec plaisir, j'apporte la liste des candidats de la Mission locale."
REASON = "Test du signalement depuis la discussion."
DURING_OUTAGE = [
    ("karim", "Salle 204, à 10h (envoyé pendant la coupure)."),
    ("claire", "Je préviens aussi Cap emploi (envoyé pendant la coupure)."),
]
WRITTEN_OFFLINE = "Je vous envoie le compte rendu dès que possible."
TOO_SOON = "Et n'oubliez pas vos badges."
# Chromium logs each refused connection while the server is down: expected there only.
WEBSOCKET_FAILURE = "WebSocket connection to 'ws://"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += f":{quote(db['PASSWORD'], safe='')}"
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class AsgiServer:
    """uvicorn serving portal.asgi on one port, which it keeps across restarts."""

    def __init__(self, log_path: Path, *, redis_prefix: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CACHE_KEY_PREFIX": redis_prefix,
            "DEBUG": "1",  # static files from the finders, ws: in the CSP
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "EMAIL_URL": "locmem://",
        }

    def start(self) -> None:
        log = self.log_path.open("a")
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [
                sys.executable,
                "-m",
                "uvicorn",
                "portal.asgi:application",
                "--host=127.0.0.1",
                f"--port={self.port}",
                "--timeout-graceful-shutdown=3",
                "--log-level=warning",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Le serveur ASGI s'est arrêté :\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/livez", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"Le serveur ASGI ne répond pas :\n{self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text()[-4000:] if self.log_path.exists() else ""


@pytest.fixture
def asgi_server(transactional_db, tmp_path, settings):
    # Its own keys, channels and presence in a shared Redis; the test's cache (the rate
    # limit it fills) reads the same keys as the server.
    prefix = f"e2e-chat-{uuid.uuid4().hex[:8]}"
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = prefix
    settings.CACHES = caches
    server = AsgiServer(tmp_path / "uvicorn.log", redis_prefix=prefix)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _patient_expect():
    # Live frames cross two processes and Redis: give them more than the default 5 s.
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def _tab(chromium, server: AsgiServer):
    context = chromium.new_context(locale="fr-FR", timezone_id="Europe/Paris", base_url=server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.console_errors = []
    tab.on(
        "console", lambda msg: tab.console_errors.append(msg.text) if msg.type == "error" else None
    )
    tab.on("pageerror", lambda exc: tab.console_errors.append(str(exc)))
    return tab


def _member(space_, **fields):
    """A member whose password the server process can check: the test settings hash
    with MD5 (fast), which the server's hashers do not know."""
    user = UserFactory(territories=[territory("hauts-de-france")], **fields)
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(DEFAULT_PASSWORD, hasher.salt(), iterations=1_000)
    user.save(update_fields=["password"])
    MembershipFactory(space=space_, user=user)
    return user


def _wait_for(condition, what: str, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"Attendu en vain : {what}")


def _from_another_thread(action) -> None:
    """Run `action(room)` as another server would: in its own thread (Playwright's event
    loop runs in this one, and the services publish through async_to_sync)."""
    from community.chat.selectors import chat_room_for_slug

    failures = []

    def run():
        try:
            action(chat_room_for_slug(slug="hauts-de-france"))
        except Exception as exc:  # re-raised in the test's thread
            failures.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    assert not failures, failures


def _send_from_another_thread(*, author, body: str) -> None:
    from community.chat.services import chat_message_send

    _from_another_thread(
        lambda room: chat_message_send(
            room=room, author=author, body=body, client_id=str(uuid.uuid4())
        )
    )


def _delete_from_another_thread(*, user, number: int) -> None:
    from community.chat.services import chat_message_delete

    _from_another_thread(lambda room: chat_message_delete(room=room, user=user, number=number))


def _message_ids(tab) -> list[int]:
    return tab.locator("[data-chat-messages] > li").evaluate_all(
        "items => items.map(item => Number(item.dataset.id))"
    )


def test_two_members_chat_live_with_a_mention_and_survive_a_server_restart(chromium, asgi_server):
    site_setup()
    cache.clear()  # no rate limit left over from another test
    hdf = space("hauts-de-france")
    claire = _member(
        hdf,
        display_name="Claire Dubois",
        operator=operator("france-travail"),
        structure_name="France Travail Amiens Nord",
    )
    karim = _member(
        hdf,
        display_name="Karim Benali",
        operator=operator("mission-locale"),
        structure_name="Mission locale de l'Amiénois",
    )

    # Both open the chat of their space, in two browsers.
    claire_tab = _tab(chromium, asgi_server)
    karim_tab = _tab(chromium, asgi_server)
    for tab, person in ((claire_tab, claire), (karim_tab, karim)):
        log_in(tab, email=person.email, password=DEFAULT_PASSWORD)
        tab.goto("/communaute/hauts-de-france/")
        # The space page's panel is live too.
        expect(tab.locator("section[data-chat]")).to_have_attribute("data-chat-state", "live")
        tab.get_by_role("link", name="Ouvrir la discussion en pleine page").click()
        tab.wait_for_url(f"**{CHAT_URL}")
        expect(tab.locator("section[data-chat]")).to_have_attribute("data-chat-state", "live")
        expect(tab.locator("[data-chat-status]")).to_have_text("En direct")
    online = claire_tab.get_by_role("list", name="En ligne")
    expect(online).to_contain_text("Karim Benali")
    expect(online).to_contain_text("Claire Dubois (vous)")
    assert claire_tab.get_by_role("heading", level=1).inner_text() == (
        "Discussion en direct — Hauts-de-France"
    )
    assert_no_axe_violations(claire_tab)

    # Claire mentions Karim with the keyboard, and sends with Enter.
    field = claire_tab.get_by_label("Votre message")
    field.click()
    field.press_sequentially("Bonjour @Kar")
    suggestion = claire_tab.get_by_role("option", name="Karim Benali (Mission locale)")
    suggestion.wait_for()
    claire_tab.keyboard.press("ArrowDown")
    claire_tab.keyboard.press("Enter")
    assert field.input_value() == "Bonjour @Karim Benali "
    field.press_sequentially(GREETING)
    expect(claire_tab.locator("[data-chat-counter]")).to_have_text(
        f"{len('Bonjour @Karim Benali ' + GREETING)} / 2000 caractères"
    )
    claire_tab.keyboard.press("Enter")
    expect(field).to_have_value("")

    # Karim sees it at once, announced, with its author and operator.
    first = karim_tab.locator("#message-1")
    expect(first).to_contain_text(f"Bonjour @Karim Benali {GREETING}")
    expect(first).to_contain_text("Claire Dubois")
    expect(first).to_contain_text("France Travail")
    expect(first.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\dT"))
    expect(karim_tab.locator("[data-chat-live]")).to_contain_text(
        f"Nouveau message de Claire Dubois : Bonjour @Karim Benali {GREETING}"
    )
    expect(claire_tab.locator("#message-1")).to_contain_text(GREETING)
    expect(claire_tab.locator("[data-chat-outbox] > li")).to_have_count(0)
    assert ChatMessage.objects.get(room__slug="hauts-de-france", number=1).author == claire

    # ... and the notification, whose link opens the chat at the message.
    notification = _wait_for(
        lambda: Notification.objects.filter(recipient=karim, kind=MENTION).first(),
        "la notification de la mention",
    )
    assert notification.title == (
        "Claire Dubois vous mentionne dans la discussion de l'espace Hauts-de-France"
    )
    inbox = karim_tab.context.new_page()
    inbox.goto("/mon-espace/notifications/")
    assert inbox.get_by_test_id("unread-count").inner_text().startswith("1")
    inbox.get_by_role("link", name=notification.title).click()
    inbox.wait_for_url(f"**{CHAT_URL}#message-1")
    expect(inbox.locator("#message-1")).to_be_in_viewport()
    expect(inbox.locator("#message-1")).to_contain_text(GREETING)
    inbox.close()

    # Karim writes: Claire sees him typing, then his answer.
    karim_field = karim_tab.get_by_label("Votre message")
    karim_field.press_sequentially("Avec plaisir")
    expect(claire_tab.locator("[data-chat-typing]")).to_have_text(
        "Karim Benali est en train d'écrire…"
    )
    karim_field.press("Shift+Enter")  # a new line, not a send
    assert karim_field.input_value() == "Avec plaisir\n"
    karim_field.fill(REPLY)
    karim_field.press("Enter")
    expect(claire_tab.locator("#message-2")).to_contain_text(REPLY)
    expect(claire_tab.locator("[data-chat-typing]")).to_have_text("")

    # Claire corrects her message; Karim sees the correction.
    claire_tab.locator("#message-1").get_by_role("button", name="Modifier").click()
    editor = claire_tab.get_by_label("Modifier votre message")
    expect(editor).to_be_focused()
    editor.fill(f"Bonjour @Karim Benali {EDITED}")
    editor.press("Enter")
    expect(karim_tab.locator("#message-1")).to_contain_text(EDITED)
    expect(karim_tab.locator("#message-1")).to_contain_text("(modifié)")
    expect(claire_tab.locator("#message-1").get_by_role("button", name="Modifier")).to_be_focused()

    # Karim reports a message through the DSFR dialog.
    karim_tab.locator("#message-1").get_by_role("button", name="Signaler").click()
    dialog = karim_tab.get_by_role("dialog", name="Signaler un message")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Message de Claire Dubois")
    # The DSFR modal fades in: axe must see its final colours, not a blend mid-transition.
    karim_tab.wait_for_function(
        "() => [...document.querySelectorAll('.fr-modal--opened, .fr-modal--opened *')]"
        ".every((el) => el.getAnimations().every((a) => a.playState !== 'running'))"
        " && getComputedStyle(document.querySelector('.fr-modal--opened')).opacity === '1'"
    )
    assert_no_axe_violations(karim_tab)
    dialog.get_by_label("Motif du signalement").fill(REASON)
    dialog.get_by_role("button", name="Signaler").click()
    expect(dialog).to_be_hidden()
    expect(karim_tab.locator("[data-chat-live]")).to_contain_text(
        "Merci : le message est signalé à l'animation de l'espace."
    )
    report = _wait_for(lambda: Report.objects.filter(reporter=karim).first(), "le signalement")
    assert report.reason == REASON and report.chat_message.number == 1

    # The server restarts; messages are written meanwhile.
    asgi_server.stop()
    for tab in (claire_tab, karim_tab):
        expect(tab.locator("[data-chat-status]")).to_have_text("Reconnexion…")
    field.fill(WRITTEN_OFFLINE)
    field.press("Enter")
    pending = claire_tab.locator("[data-chat-outbox] > li")
    expect(pending).to_contain_text("envoi en cours…")
    expect(pending).to_contain_text(WRITTEN_OFFLINE)
    people = {"claire": claire, "karim": karim}
    for who, body in DURING_OUTAGE:
        _send_from_another_thread(author=people[who], body=body)
    _delete_from_another_thread(user=karim, number=2)  # his reply, shown on both pages
    asgi_server.start()

    # Both pages come back with every message once, in order, and the deletion, with
    # nothing to do.
    expected = [EDITED, DURING_OUTAGE[0][1], DURING_OUTAGE[1][1], WRITTEN_OFFLINE]
    for tab in (claire_tab, karim_tab):
        expect(tab.locator("[data-chat-status]")).to_have_text("En direct", timeout=40_000)
        expect(tab.locator("#message-5")).to_contain_text(WRITTEN_OFFLINE)
        assert _message_ids(tab) == [1, 2, 3, 4, 5]
        for number, text in zip([1, 3, 4, 5], expected, strict=True):
            expect(tab.locator(f"#message-{number}")).to_contain_text(text)
        expect(tab.locator("#message-2")).to_contain_text("Message supprimé")
        expect(tab.locator("[data-chat-messages]").get_by_text(REPLY)).to_have_count(0)
        for text in expected:
            expect(tab.locator("[data-chat-messages]").get_by_text(text)).to_have_count(1)
        expect(tab.locator("[data-chat-outbox] > li")).to_have_count(0)
    saved = list(
        ChatMessage.objects.filter(room__slug="hauts-de-france")
        .order_by("number")
        .values_list("number", "author__display_name")
    )
    assert saved == [
        (1, "Claire Dubois"),
        (2, "Karim Benali"),
        (3, "Karim Benali"),
        (4, "Claire Dubois"),
        (5, "Claire Dubois"),
    ]
    expect(karim_tab.locator("[data-chat-live]")).to_contain_text("Connexion rétablie.")

    # Refused messages stay in the field, with the reason next to it.
    karim_field.fill("x" * 2001)
    karim_field.press("Enter")
    expect(karim_tab.locator("#chat-error")).to_have_text(
        "Le message dépasse 2000 caractères (2001) : raccourcissez-le."
    )
    expect(karim_field).to_have_value("x" * 2001)
    for n in range(5):  # his rate limit, filled from elsewhere
        _send_from_another_thread(author=karim, body=f"Rappel n° {n + 1} : salle 204.")
    expect(karim_tab.locator("#message-10")).to_contain_text("Rappel n° 5")
    karim_field.fill(TOO_SOON)
    karim_field.press("Enter")
    expect(karim_tab.locator("#chat-error")).to_contain_text("Vous envoyez trop de messages")
    expect(karim_field).to_have_value(TOO_SOON)
    expect(karim_tab.locator("[data-chat-outbox] > li")).to_have_count(0)
    assert_no_axe_violations(karim_tab)
    time.sleep(5)  # the rate limit's window
    karim_field.press("Enter")
    expect(karim_field).to_have_value("")
    expect(karim_tab.locator("#chat-error")).to_be_hidden()
    for tab in (claire_tab, karim_tab):
        expect(tab.locator("#message-11")).to_contain_text(TOO_SOON)
        expect(tab.locator("[data-chat-messages]").get_by_text(TOO_SOON)).to_have_count(1)
    assert ChatMessage.objects.filter(body=TOO_SOON).count() == 1

    for tab in (claire_tab, karim_tab):
        unexpected = [e for e in tab.console_errors if not e.startswith(WEBSOCKET_FAILURE)]
        assert unexpected == [], f"Erreurs dans la console du navigateur : {unexpected}"
        tab.context.close()
