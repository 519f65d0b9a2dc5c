"""The pilotage as data: CSV and JSON that validate against their own Table Schema
(checked by frictionless), under the same policy as the pages."""

import csv
import io
import json

import pytest
from frictionless import Resource, Schema

from pilotage.aggregation import run_aggregation
from pilotage.models import PiloteRole
from tests.academy.factories import academy_index, course
from tests.factories import UserFactory, territory
from tests.people.pages import assert_dsfr_page, text
from tests.pilotage.builders import at, enrol, question

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 20)


@pytest.fixture
def activity(site_root):
    rsa = course(academy_index(site_root), title="RSA", tags=["rsa"])
    for _ in range(6):
        enrol(UserFactory(), rsa, at(2026, 10, 3), completed=at(2026, 10, 9))
    enrol(UserFactory(territories=[territory("somme")]), rsa, at(2026, 10, 3))
    question("nord", UserFactory(), at(2026, 10, 4))
    run_aggregation(now=NOW)


def pilote_of(slug):
    user = UserFactory()
    PiloteRole.objects.create(user=user, territory=territory(slug))
    return user


def validate(path, descriptor: dict):
    """frictionless's report on a file against a Table Schema."""
    resource = Resource(
        path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor(descriptor)
    )
    return resource.validate()


def schema(client) -> dict:
    response = client.get("/pilotage/schemas/indicateurs.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_a_valid_table_schema_with_its_licence(client):
    descriptor = schema(client)
    Schema.validate_descriptor(descriptor)
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    assert "< 5" in descriptor["missingValues"]


def test_the_csv_validates_against_its_schema_and_hides_small_cells(client, activity, tmp_path):
    client.force_login(pilote_of("hauts-de-france"))
    response = client.get("/pilotage/hauts-de-france/indicateurs.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="indicateurs-hauts-de-france-2026-11.csv"' in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("territoire,territoire_nom,niveau,code_insee,operateur,")
    assert "\r\n" in body  # RFC 4180 line ends

    path = tmp_path / "indicateurs.csv"
    path.write_bytes(response.content)
    report = validate(path, schema(client))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    rows = list(csv.DictReader(io.StringIO(body)))
    assert {row["territoire"] for row in rows} == {"hauts-de-france", "nord", "somme"}

    def value(territory_slug, indicator, theme="tous"):
        [row] = [
            r
            for r in rows
            if (r["territoire"], r["indicateur"], r["operateur"], r["theme"], r["periode_mois"])
            == (territory_slug, indicator, "tous", theme, "12")
        ]
        return row["valeur"]

    assert value("somme", "inscrits") == "< 5"
    assert value("hauts-de-france", "parcours_termines", theme="rsa") == "6"


def test_the_json_validates_against_the_same_schema(client, activity, tmp_path):
    client.force_login(pilote_of("nord"))
    response = client.get("/pilotage/nord/indicateurs.json")
    assert response.status_code == 200
    records = response.json()
    assert records and all(r["territoire"] == "nord" for r in records)
    path = tmp_path / "indicateurs.json"
    path.write_text(json.dumps(records, ensure_ascii=False))
    report = validate(path, schema(client))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_follow_the_policy(client, activity, fmt):
    assert client.get(f"/pilotage/nord/indicateurs.{fmt}")["Location"].startswith("/comptes/login/")
    client.force_login(pilote_of("nord"))
    assert client.get(f"/pilotage/nord/indicateurs.{fmt}").status_code == 200
    for refused in ("somme", "hauts-de-france", "national"):
        assert client.get(f"/pilotage/{refused}/indicateurs.{fmt}").status_code == 403
    client.force_login(UserFactory())
    assert client.get(f"/pilotage/nord/indicateurs.{fmt}").status_code == 403


def test_the_open_data_page_lists_the_schema_licence_and_what_one_may_download(client):
    page = assert_dsfr_page(client.get("/pilotage/donnees-ouvertes/"), title="Données du pilotage")
    links = {text(a): a["href"] for a in page.select("main a")}
    assert links["indicateurs.json"] == "/pilotage/schemas/indicateurs.json"
    assert links["Licence Ouverte / Open Licence version 2.0"].startswith(
        "https://www.etalab.gouv.fr/"
    )
    assert not page.select("a[download]")

    client.force_login(pilote_of("nord"))
    page = assert_dsfr_page(client.get("/pilotage/donnees-ouvertes/"), title="Données du pilotage")
    assert [a["href"] for a in page.select("a[download]")] == [
        "/pilotage/nord/indicateurs.csv",
        "/pilotage/nord/indicateurs.json",
    ]
