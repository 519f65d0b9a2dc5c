"""/api/pilotage/v1/: keys, who reads what, hidden cells, filters, limits, cost."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pilotage import api, exports, tokens
from pilotage.aggregation import run_aggregation
from pilotage.models import ApiToken, PiloteRole
from tests.academy.factories import academy_index, course
from tests.factories import UserFactory, operator, territory
from tests.people.pages import assert_dsfr_page, text
from tests.pilotage.builders import at, enrol, pilote_of, question, reader

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 20)
BASE = "/api/pilotage/v1"


def key_of(user) -> str:
    return tokens.issue(user, "Tableau de bord de l'agence")[1]


def get(client, key, path, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.get(BASE + path, params, **headers)


@pytest.fixture
def activity(site_root):
    """Eight people enrolled in the région (six in Nord, two in Somme), one question."""
    index = academy_index(site_root)
    rsa = course(index, title="RSA")
    for _ in range(6):
        enrol(UserFactory(operator=operator("france-travail")), rsa, at(2026, 10, 3))
    for _ in range(2):
        enrol(UserFactory(territories=[territory("somme")]), rsa, at(2026, 10, 3))
    question("nord", UserFactory(operator=operator("mission-locale")), at(2026, 10, 4))
    run_aggregation(now=NOW)


# --- Keys: made, shown once, kept as a digest, revoked --------------------------------------


def test_a_pilote_makes_a_key_sees_it_once_and_the_portal_keeps_only_its_digest(client):
    client.force_login(pilote_of("nord"))
    response = client.post("/pilotage/cles/", {"name": "Tableur du comité", "days": "90"})
    assert response.status_code == 302
    page = assert_dsfr_page(client.get("/pilotage/cles/"), title="Mes clés d'API du pilotage")
    key = text(page.find(id="nouvelle-cle"))
    assert key.startswith("pil_") and len(key) > 40
    token = ApiToken.objects.get()
    assert token.name == "Tableur du comité"
    assert token.digest == tokens.digest(key) and key not in token.digest
    assert key.startswith(token.prefix)
    assert (token.expires_at - timezone.now()).days in (89, 90)
    # Never again: the next visit lists it by its first characters only.
    again = client.get("/pilotage/cles/").content.decode()
    assert key not in again and token.prefix in again
    assert get(client, key, "/territoires").status_code == 200


def test_a_key_without_a_name_is_refused_in_french_and_nothing_is_made(client):
    client.force_login(pilote_of("nord"))
    response = client.post("/pilotage/cles/", {"name": "  ", "days": "90"})
    assert response.status_code == 400
    assert "Donnez un nom à la clé" in html.unescape(response.content.decode())
    response = client.post("/pilotage/cles/", {"name": "Tableur", "days": "7"})
    assert response.status_code == 400
    assert "Choisissez une durée proposée" in html.unescape(response.content.decode())
    assert not ApiToken.objects.exists()


def test_someone_who_reads_no_territory_cannot_make_a_key(client):
    client.force_login(UserFactory())
    assert client.get("/pilotage/cles/").status_code == 403
    assert client.post("/pilotage/cles/", {"name": "x", "days": "90"}).status_code == 403
    assert not ApiToken.objects.exists()
    client.logout()
    assert client.get("/pilotage/cles/")["Location"].startswith("/comptes/login/")


def test_active_keys_are_capped_per_person(client):
    user = pilote_of("nord")
    for number in range(tokens.MAX_ACTIVE):
        tokens.issue(user, f"clé {number}")
    client.force_login(user)
    response = client.post("/pilotage/cles/", {"name": "une de trop", "days": "90"})
    assert response.status_code == 400
    assert "révoquez-en une" in html.unescape(response.content.decode())
    assert ApiToken.objects.count() == tokens.MAX_ACTIVE


def test_a_revoked_key_opens_nothing_and_only_its_owner_revokes_it(client):
    owner = pilote_of("nord")
    key = key_of(owner)
    token = ApiToken.objects.get()
    client.force_login(pilote_of("nord"))
    assert client.post(f"/pilotage/cles/{token.pk}/revoquer/").status_code == 404
    assert get(client, key, "/territoires").status_code == 200
    client.force_login(owner)
    response = client.post(f"/pilotage/cles/{token.pk}/revoquer/", follow=True)
    shown = html.unescape(response.content.decode())
    assert "« Tableau de bord de l'agence » est révoquée : elle n'ouvre plus rien" in shown
    assert "Révoquée le" in shown
    response = get(client, key, "/territoires")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_expired_or_missing_keys_and_inactive_owners_get_a_french_401(client):
    user = pilote_of("nord")
    key = key_of(user)
    for attempt in ("pil_" + "x" * 43, "n'importe quoi", None):
        response = get(client, attempt, "/territoires")
        assert response.status_code == 401
        assert "Clé absente, inconnue, expirée ou révoquée" in response.json()["detail"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert get(client, key, "/territoires").status_code == 401
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(days=1))
    assert get(client, key, "/territoires").status_code == 200
    user.is_active = False
    user.save()
    assert get(client, key, "/territoires").status_code == 401


def test_use_is_recorded_without_a_write_on_every_request(client):
    key = key_of(pilote_of("nord"))
    get(client, key, "/territoires")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        get(client, key, "/territoires")
    assert not any(q["sql"].lstrip().upper().startswith("UPDATE") for q in queries)
    assert ApiToken.objects.get().last_used_at == first


def test_staff_list_keys_in_the_admin_and_delete_one_but_never_make_or_edit_one(client):
    key = key_of(pilote_of("nord"))
    token = ApiToken.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/snippets/pilotage/apitoken/")
    assert listing.status_code == 200
    assert token.prefix in listing.content.decode()
    assert client.get("/admin/snippets/pilotage/apitoken/add/").status_code in (302, 403)
    assert client.get(f"/admin/snippets/pilotage/apitoken/edit/{token.pk}/").status_code in (
        302,
        403,
    )
    response = client.post(f"/admin/snippets/pilotage/apitoken/delete/{token.pk}/")
    assert response.status_code == 302
    assert get(client, key, "/territoires").status_code == 401


# --- Who reads what: the policy of the pages --------------------------------------------------


@pytest.mark.parametrize(
    ("who", "readable", "refused"),
    [
        ("pilote_departement", ["nord"], ["hauts-de-france", "somme", "national"]),
        ("pilote_region", ["hauts-de-france", "nord", "somme", "aisne"], ["national", "bretagne"]),
        ("animateur", ["nord"], ["hauts-de-france", "somme"]),
        ("staff", ["national", "bretagne", "nord"], []),
    ],
)
def test_a_key_reads_what_its_owner_reads_on_the_dashboard(
    client, activity, who, readable, refused
):
    user = reader(who)
    key = key_of(user)
    listed = {t["slug"] for t in get(client, key, "/territoires").json()}
    for slug in readable:
        assert slug in listed
        assert get(client, key, f"/territoires/{slug}").status_code == 200, slug
        assert get(client, key, f"/territoires/{slug}/valeurs").status_code == 200, slug
        client.force_login(user)
        assert client.get(f"/pilotage/{slug}/").status_code == 200  # the page agrees
    for slug in refused:
        assert slug not in listed
        for path in (f"/territoires/{slug}", f"/territoires/{slug}/valeurs"):
            response = get(client, key, path)
            assert response.status_code == 403, (slug, path)
            assert response.json()["detail"] == "Cette clé ne lit pas ce territoire."


def test_a_withdrawn_role_closes_the_key_at_once(client, activity):
    user = pilote_of("nord")
    key = key_of(user)
    assert get(client, key, "/territoires/nord/valeurs").status_code == 200
    PiloteRole.objects.filter(user=user).delete()
    response = get(client, key, "/territoires/nord/valeurs")
    assert response.status_code == 403
    assert "ne lit plus aucun territoire" in response.json()["detail"]


def test_an_unknown_territory_is_a_french_404(client):
    response = get(client, key_of(pilote_of("nord")), "/territoires/atlantide")
    assert response.status_code == 404
    assert response.json() == {"detail": "Ce territoire n'existe pas."}


def test_a_territory_lists_the_readable_ones_below_it(client):
    response = get(client, key_of(pilote_of("hauts-de-france")), "/territoires/hauts-de-france")
    body = response.json()
    assert body["niveau"] == "region" and body["parent"] == "national"
    assert {"nord", "somme", "aisne", "oise", "pas-de-calais"} <= set(body["sous_territoires"])


# --- Values: the cells of the exports, hidden cells hidden -------------------------------------


def test_values_hide_small_cells_exactly_as_the_exports_do(client, activity):
    key = key_of(pilote_of("hauts-de-france"))
    response = get(
        client,
        key,
        "/territoires/hauts-de-france/valeurs",
        indicateur="inscrits",
        periode="12-mois",
        operateur="tous",
        theme="tous",
        sous_territoires="true",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["calcul"]["dernier_mois"] == "2026-11-01"
    cells = {v["territoire"]: v for v in body["valeurs"]}
    assert cells["hauts-de-france"]["valeur"] == 8 and not cells["hauts-de-france"]["masque"]
    assert cells["hauts-de-france"]["texte"] == "8"
    # Somme counts two people; Nord is hidden with it (8 - 6 would give Somme's 2).
    for slug in ("somme", "nord"):
        assert cells[slug] | {"territoire": None} == {
            "territoire": None,
            "operateur": "tous",
            "theme": "tous",
            "periode_debut": "2025-12-01",
            "periode_mois": 12,
            "indicateur": "inscrits",
            "unite": "personnes",
            "valeur": None,
            "masque": True,
            "texte": "< 5",
        }
    # The same cells, the same figures as the CSV/JSON export.
    run = body["calcul"]
    assert run is not None
    from pilotage.aggregation import latest_run
    from pilotage.policy import TerritoryTree

    tree = TerritoryTree.load()
    ids = [t.pk for t in tree.by_id.values() if t.slug in cells]
    exported = {
        r["territoire"]: r
        for r in exports.rows(latest_run(), ids)
        if r["indicateur"] == "inscrits"
        and r["periode_mois"] == 12
        and r["operateur"] == "tous"
        and r["theme"] == "tous"
    }
    for slug, cell in cells.items():
        assert exported[slug]["valeur"] == (cell["texte"] if cell["masque"] else cell["valeur"])


def test_values_filter_by_operator_month_and_indicator(client, site_root):
    rsa = course(academy_index(site_root), title="RSA")
    for slug, people in (("france-travail", 7), ("mission-locale", 6)):
        for _ in range(people):
            enrol(UserFactory(operator=operator(slug)), rsa, at(2026, 10, 3))
    run_aggregation(now=NOW)
    key = key_of(pilote_of("nord"))
    body = get(
        client,
        key,
        "/territoires/nord/valeurs",
        indicateur="inscrits",
        operateur="france-travail",
        periode="2026-10",
    ).json()
    assert [
        (v["operateur"], v["periode_debut"], v["periode_mois"], v["valeur"], v["texte"])
        for v in body["valeurs"]
    ] == [("france-travail", "2026-10-01", 1, 7, "7")]
    body = get(client, key, "/territoires/nord/valeurs", indicateur="inscrits", periode="12-mois")
    assert {(v["operateur"], v["valeur"]) for v in body.json()["valeurs"]} >= {
        ("tous", 13),
        ("france-travail", 7),
        ("mission-locale", 6),
    }
    every = get(client, key, "/territoires/nord/valeurs", limite=5000).json()
    assert {v["indicateur"] for v in every["valeurs"]} >= {"inscrits", "taux_achevement"}
    assert every["total"] == len(every["valeurs"])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"indicateur": "chiffre_affaires"}, "Cet indicateur est inconnu"),
        ({"operateur": "banque"}, "Cet opérateur est inconnu"),
        ({"periode": "2026-13"}, "Ce mois n'existe pas"),
        ({"periode": "hier"}, "periode : valeur refusée"),
        ({"limite": "0"}, "limite : valeur refusée"),
        ({"limite": "beaucoup"}, "limite : valeur refusée"),
        ({"decalage": "-1"}, "decalage : valeur refusée"),
    ],
)
def test_bad_parameters_get_a_french_422(client, activity, params, message):
    response = get(client, key_of(pilote_of("nord")), "/territoires/nord/valeurs", **params)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_values_read_page_by_page_in_a_stable_order(client, activity):
    key = key_of(pilote_of("nord"))
    whole = get(client, key, "/territoires/nord/valeurs", limite=5000).json()
    pages, offset = [], 0
    while offset < whole["total"]:
        page = get(client, key, "/territoires/nord/valeurs", limite=7, decalage=offset).json()
        assert page["total"] == whole["total"]
        assert len(page["valeurs"]) <= 7
        pages += page["valeurs"]
        offset += 7
    assert pages == whole["valeurs"]
    assert len(pages) == whole["total"] > 14


def test_before_the_first_run_values_are_empty_not_an_error(client):
    body = get(client, key_of(pilote_of("nord")), "/territoires/nord/valeurs").json()
    assert body == {"calcul": None, "total": 0, "limite": 1000, "decalage": 0, "valeurs": []}


# --- Limits -----------------------------------------------------------------------------------


def test_a_key_is_rate_limited_with_retry_after(client, monkeypatch):
    monkeypatch.setattr(api, "PER_MINUTE", 3)
    key = key_of(pilote_of("nord"))
    other = key_of(pilote_of("somme"))
    for _ in range(3):
        assert get(client, key, "/indicateurs").status_code == 200
    response = get(client, key, "/indicateurs")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Trop de requêtes" in response.json()["detail"]
    assert get(client, other, "/indicateurs").status_code == 200  # per key


def test_an_address_that_tries_keys_gets_429_but_a_good_key_there_still_reads(client, monkeypatch):
    monkeypatch.setattr(api, "REFUSED_PER_ADDRESS", 3)
    key = key_of(pilote_of("nord"))
    for attempt in range(3):
        assert get(client, f"pil_guess{attempt}", "/indicateurs").status_code == 401
    response = get(client, "pil_guess4", "/indicateurs")
    assert response.status_code == 429
    assert response["Retry-After"] == str(api.REFUSED_WINDOW_SECONDS)
    assert get(client, key, "/indicateurs").status_code == 200
    # Another address is not concerned.
    other = client.get(
        BASE + "/indicateurs", HTTP_AUTHORIZATION="Bearer pil_x", REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 401


# --- Cost: a fixed number of queries whatever the territory -----------------------------------


def test_values_cost_the_same_queries_for_the_nation_a_region_and_a_departement(client, activity):
    key = key_of(pilote_of("national"))
    counts = {}
    for slug in ("national", "hauts-de-france", "nord"):
        get(client, key, f"/territoires/{slug}/valeurs", sous_territoires="true")  # warm
        with CaptureQueriesContext(connection) as queries:
            response = get(client, key, f"/territoires/{slug}/valeurs", sous_territoires="true")
        assert response.status_code == 200 and response.json()["total"] > 0
        counts[slug] = len(queries)
    assert len(set(counts.values())) == 1, counts
    assert counts["national"] <= 7, counts


# --- The document and its French page ---------------------------------------------------------


def test_the_openapi_document_is_public_and_describes_every_endpoint(client):
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        f"{BASE}/territoires",
        f"{BASE}/territoires/{{slug}}",
        f"{BASE}/territoires/{{slug}}/valeurs",
        f"{BASE}/indicateurs",
    }
    assert document["components"]["securitySchemes"]["PiloteKey"]["scheme"] == "bearer"
    for operations in document["paths"].values():
        assert {"401", "403", "429"} <= set(operations["get"]["responses"])


def test_the_openapi_document_is_valid_openapi(client):
    from openapi_spec_validator import validate

    validate(client.get(f"{BASE}/openapi.json").json())  # raises on any fault


def test_the_api_page_documents_every_endpoint_in_french(client):
    page = assert_dsfr_page(client.get("/pilotage/api/"), title="API du pilotage")
    headings = {text(h) for h in page.select("h3")}
    document = client.get(f"{BASE}/openapi.json").json()
    assert headings == {f"GET {path}" for path in document["paths"]}
    assert page.find("a", string="document OpenAPI 3")["href"] == f"{BASE}/openapi.json"
    values = page.find("caption", string=f"Paramètres de {BASE}/territoires/{{slug}}/valeurs")
    names = {text(th) for th in values.parent.select("tbody th")}
    assert {"slug", "indicateur", "operateur", "periode", "limite", "decalage"} <= names
