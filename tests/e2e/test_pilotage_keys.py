"""A pilote makes an API key in Chromium, a program reads with it, then she revokes it;
the key page and the API's page pass axe's RGAA rules."""

import json
import urllib.error
import urllib.request

from pilotage.aggregation import run_aggregation
from pilotage.models import PiloteRole
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory, territory


def _read(url: str, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 — live_server
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_pilote_makes_a_key_a_program_reads_with_it_and_she_revokes_it(page, live_server):
    run_aggregation()
    pilote = UserFactory()
    PiloteRole.objects.create(user=pilote, territory=territory("hauts-de-france"))
    log_in(page, email=pilote.email, password=DEFAULT_PASSWORD)

    page.goto("/pilotage/api/")
    assert page.get_by_role("heading", level=1, name="API du pilotage").is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Mes clés d'API").click()
    page.wait_for_url("**/pilotage/cles/")

    # A name is needed: the refusal is in French and nothing is made.
    page.get_by_role("button", name="Créer la clé").click()
    assert page.get_by_text("Donnez un nom à la clé.").first.is_visible()
    assert page.console_errors == [  # the browser logs the 400 answer
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.console_errors.clear()
    assert_no_axe_violations(page)

    page.get_by_label("Nom de la clé").fill("Tableur du comité")
    page.get_by_label("Durée de validité").select_option(label="90 jours")
    page.get_by_role("button", name="Créer la clé").click()
    key = page.locator("#nouvelle-cle").inner_text()
    assert key.startswith("pil_")
    assert_no_axe_violations(page)

    status, body = _read(f"{live_server.url}/api/pilotage/v1/territoires", key)
    assert status == 200
    assert {t["slug"] for t in body} >= {"hauts-de-france", "nord", "somme"}
    assert "national" not in {t["slug"] for t in body}

    page.reload()
    assert page.locator("#nouvelle-cle").count() == 0  # shown once
    page.get_by_role("button", name="Révoquer la clé « Tableur du comité »").click()
    assert page.get_by_text("elle n'ouvre plus rien").is_visible()
    status, body = _read(f"{live_server.url}/api/pilotage/v1/territoires", key)
    assert status == 401
    assert "révoquée" in body["detail"]
