"""The dashboard's charts (DSFR Chart): numbers drawn as numbers, a share in percent, a
hidden cell as a gap and never as 0, and beside each chart its French summary and a
link to the table that holds its figures."""

import hashlib
import json
from pathlib import Path

import pytest
from django.conf import settings

from pilotage.aggregation import run_aggregation
from pilotage.charts import Point, comparison_summary, evolution_summary
from pilotage.disclosure import Figure
from pilotage.indicators import BY_KEY
from pilotage.selectors import chart_value, format_value
from tests.academy.factories import academy_index, course
from tests.factories import UserFactory, territory
from tests.people.pages import assert_dsfr_page, text
from tests.pilotage.builders import at, enrol
from tests.pilotage.test_dashboard import pilote_of

NOW = at(2026, 11, 20)  # the run's twelve months: déc. 2025 to nov. 2026
MONTHS = [
    "déc. 2025",
    *[
        f"{m} 2026"
        for m in ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.")
    ],
    "oct. 2026",
    "nov. 2026",
]
VENDOR = Path(settings.BASE_DIR, "static", "vendor", "dsfr-chart")


def shown(label, value, text=None):
    return Point(label, value, str(value) if text is None else text, False)


def hidden(label):
    return Point(label, None, "< 5", True)


def empty(label):
    return Point(label, None, "—", False)


# What a chart draws of one figure


def test_a_hidden_figure_is_a_gap_never_a_value_nor_zero():
    inscrits = BY_KEY["inscrits"]
    assert chart_value(inscrits, Figure(3.0, 3, True)) is None
    assert chart_value(inscrits, Figure(0.0, 0, False)) == 0
    assert chart_value(BY_KEY["taux_achevement"], Figure(None, 0, False)) is None


def test_a_share_is_drawn_in_percent_at_the_precision_its_table_shows():
    share = Figure(0.753, 20, False)
    assert chart_value(BY_KEY["taux_achevement"], share) == 75
    assert format_value(BY_KEY["taux_achevement"], share) == "75 %"
    median = Figure(4.46, 8, False)
    assert chart_value(BY_KEY["duree_mediane_parcours"], median) == 4.5
    assert chart_value(BY_KEY["questions"], Figure(12.0, 9, False)) == 12


# The text summaries


def test_the_evolution_summary_says_first_last_and_highest_and_counts_hidden_months():
    points = [
        shown("janv. 2026", 12),
        hidden("févr. 2026"),
        shown("mars 2026", 51),
        empty("avr. 2026"),
        hidden("mai 2026"),
        shown("juin 2026", 48),
    ]
    assert evolution_summary(points) == (
        "La valeur passe de 12 en janv. 2026 à 48 en juin 2026 ; le plus haut : 51 en "
        "mars 2026 ; 2 mois masqués (moins de 5 personnes) ; 1 mois sans valeur "
        "(rien à calculer)."
    )


def test_the_evolution_summary_starts_and_ends_on_the_months_it_can_show():
    points = [hidden("janv. 2026"), shown("févr. 2026", 6), shown("mars 2026", 9)]
    points.append(hidden("avr. 2026"))
    assert evolution_summary(points) == (
        "La valeur passe de 6 en févr. 2026 à 9 en mars 2026 ; le plus haut : 9 en mars "
        "2026 ; 2 mois masqués (moins de 5 personnes)."
    )


def test_the_evolution_summary_of_a_flat_a_single_or_an_empty_series():
    assert evolution_summary([shown("janv. 2026", 0), shown("févr. 2026", 0)]) == (
        "La valeur reste à 0 de janv. 2026 à févr. 2026."
    )
    assert evolution_summary([empty("janv. 2026"), shown("févr. 2026", 75, "75 %")]) == (
        "Une seule valeur de janv. 2026 à févr. 2026 : 75 % en févr. 2026 ; 1 mois sans "
        "valeur (rien à calculer)."
    )
    assert evolution_summary([hidden("janv. 2026"), hidden("févr. 2026")]) == (
        "Aucune valeur à montrer de janv. 2026 à févr. 2026 ; 2 mois masqués (moins de 5 "
        "personnes)."
    )


def test_the_evolution_summary_counts_the_months_of_a_highest_value_reached_often():
    points = [shown(month, 7 if index % 2 else 3) for index, month in enumerate(MONTHS)]
    assert evolution_summary(points) == (
        "La valeur passe de 3 en déc. 2025 à 7 en nov. 2026 ; le plus haut : 7, sur 6 mois."
    )


def test_the_comparison_summary_names_highest_lowest_and_hidden():
    points = [
        shown("France Travail", 30),
        shown("Mission locale", 6),
        hidden("Conseil régional"),
        shown("Cap emploi", 30),
        hidden("Autre"),
    ]
    summary = comparison_summary(
        points, period="sur les douze derniers mois", singular="opérateur", plural="opérateurs"
    )
    assert summary == (
        "Sur les douze derniers mois : le plus haut, 30 (France Travail et Cap emploi) ; le "
        "plus bas, 6 (Mission locale) ; 2 opérateurs masqués (moins de 5 personnes) : "
        "Conseil régional, Autre."
    )


def test_the_comparison_summary_counts_rather_than_lists_a_long_tie():
    points = [shown("Nord (59)", 12)] + [shown(f"T{n}", 0) for n in range(5)]
    summary = comparison_summary(
        points, period="en octobre 2026", singular="territoire", plural="territoires"
    )
    assert summary == (
        "En octobre 2026 : le plus haut, 12 (Nord (59)) ; le plus bas, 0 (5 territoires)."
    )


# The dashboard page


@pytest.mark.django_db
def test_the_twelve_months_chart_leaves_a_gap_for_a_hidden_month_and_says_so(client, site_root):
    rsa = course(academy_index(site_root), title="RSA")
    for count, month in ((2, 9), (6, 10), (7, 11)):
        for _ in range(count):
            enrol(UserFactory(), rsa, at(2026, month, 3))
    run_aggregation(now=NOW)
    client.force_login(pilote_of("nord"))

    page = assert_dsfr_page(client.get("/pilotage/nord/"), title="Pilotage — Nord")
    drawing = page.find(id="graphique-inscrits")
    line = drawing.find("line-chart")
    assert json.loads(line["x"]) == [MONTHS]
    assert json.loads(line["y"]) == [[0, 0, 0, 0, 0, 0, 0, 0, 0, None, 6, 7]]
    summary = page.find(id=drawing["aria-describedby"])
    assert text(summary) == (
        "La valeur passe de 0 en déc. 2025 à 7 en nov. 2026 ; le plus haut : 7 en nov. 2026 ; "
        "1 mois masqué (moins de 5 personnes)."
    )
    # The same month reads « < 5 » in the table the chart links to.
    table = page.find("table", id=drawing.find_parent("figure").find("a")["href"][1:])
    assert text(table.caption) == "Académie : évolution sur douze mois, Nord"
    row = table.find("th", string="Professionnels inscrits à une formation").parent
    assert [text(td) for td in row.find_all("td")][-3:] == ["< 5", "6", "7"]


@pytest.mark.django_db
def test_a_share_is_drawn_in_percent(client, site_root):
    rsa = course(academy_index(site_root), title="RSA")
    for index in range(8):
        done = at(2026, 10, 20) if index < 6 else None
        enrol(UserFactory(), rsa, at(2026, 10, 3), completed=done)
    run_aggregation(now=NOW)
    client.force_login(pilote_of("nord"))

    page = assert_dsfr_page(client.get("/pilotage/nord/"), title="Pilotage — Nord")
    line = page.find(id="graphique-taux_achevement").find("line-chart")
    assert json.loads(line["y"])[0][MONTHS.index("oct. 2026")] == 75
    assert line["unit-tooltip"] == "%"
    assert json.loads(line["name"]) == ["Taux d'achèvement (en %)"]


@pytest.mark.django_db
def test_the_territories_chart_leaves_hidden_territories_out_and_names_them(client, site_root):
    rsa = course(academy_index(site_root), title="RSA")
    for _ in range(6):
        enrol(UserFactory(), rsa, at(2026, 10, 3))
    for _ in range(2):
        enrol(UserFactory(territories=[territory("somme")]), rsa, at(2026, 10, 3))
    run_aggregation(now=NOW)
    client.force_login(pilote_of("hauts-de-france"))

    page = assert_dsfr_page(
        client.get("/pilotage/hauts-de-france/"), title="Pilotage — Hauts-de-France"
    )
    drawing = page.find(id="graphique-academie-territoires")
    bars = drawing.find("bar-chart")
    values = dict(zip(json.loads(bars["x"])[0], json.loads(bars["y"])[0], strict=True))
    # Somme (2 people) and Nord (hidden with it, see test_dashboard.py): gaps, not 0.
    assert values == {
        "Aisne (02)": 0,
        "Nord (59)": None,
        "Oise (60)": 0,
        "Pas-de-Calais (62)": 0,
        "Somme (80)": None,
    }
    assert text(page.find(id=drawing["aria-describedby"])) == (
        "Sur les douze derniers mois : 0 pour chacun des 3 territoires affichés ; "
        "2 territoires masqués (moins de 5 personnes) : Nord (59), Somme (80)."
    )
    operators = page.find(id="graphique-academie-operateurs")
    assert text(operators.find_parent("figure").figcaption) == (
        "Professionnels inscrits à une formation, par opérateur"
    )


@pytest.mark.django_db
def test_a_month_filter_is_the_period_its_comparisons_speak_of(client, site_root):
    rsa = course(academy_index(site_root), title="RSA")
    for _ in range(6):
        enrol(UserFactory(), rsa, at(2026, 10, 3))
    run_aggregation(now=NOW)
    client.force_login(pilote_of("hauts-de-france"))

    page = assert_dsfr_page(
        client.get("/pilotage/hauts-de-france/?mois=2026-10"), title="Pilotage — Hauts-de-France"
    )
    drawing = page.find(id="graphique-academie-territoires")
    assert text(page.find(id=drawing["aria-describedby"])).startswith(
        "En octobre 2026 : le plus haut, 6 (Nord (59)) ; le plus bas, 0 (4 territoires)"
    )


@pytest.mark.django_db
def test_every_chart_is_an_image_described_by_its_summary_and_linked_to_its_table(client):
    run_aggregation(now=NOW)
    client.force_login(pilote_of("hauts-de-france"))

    page = assert_dsfr_page(
        client.get("/pilotage/hauts-de-france/"), title="Pilotage — Hauts-de-France"
    )
    drawings = page.select("main [role=img]")
    # Seven indicators a domain over twelve months, then by operator and by territory.
    assert len(drawings) == 2 * (7 + 2)
    for drawing in drawings:
        figure = drawing.find_parent("figure")
        title = text(figure.figcaption)
        assert drawing["aria-label"] == f"Graphique : {title}"
        assert text(page.find(id=drawing["aria-describedby"]))
        [chart] = drawing.find_all(["line-chart", "bar-chart"])
        assert all(v is None or isinstance(v, int | float) for v in json.loads(chart["y"])[0])
        link = figure.find("a", href=True)
        assert text(link) == f"Voir les données du graphique « {title} »"
        assert page.find("table", id=link["href"][1:]) is not None, link["href"]


@pytest.mark.django_db
def test_only_a_dashboard_with_figures_loads_the_chart_components(client):
    client.force_login(pilote_of("nord"))

    def loads_charts(path):
        document = client.get(path).content.decode()
        return "vendor/dsfr-chart/DSFRChart.umd.js" in document

    assert not loads_charts("/pilotage/nord/")  # no run yet: no figure to draw
    run_aggregation(now=NOW)
    assert loads_charts("/pilotage/nord/")
    # The bar charts' heights are set before the components first draw them.
    document = client.get("/pilotage/nord/").content.decode()
    assert document.index("js/pilotage-charts.js") < document.index("DSFRChart.umd.js")
    assert not loads_charts("/pilotage/indicateurs/")
    assert not loads_charts("/")


def test_the_vendored_chart_files_are_the_ones_their_readme_pins():
    readme = (VENDOR / "README.md").read_text()
    assert "@gouvfr/dsfr-chart` version 2.0.4" in readme
    assert "dsfr-chart-2.0.4.tgz" in readme
    assert "`sha512-" in readme  # npm's integrity of that tarball
    for name in ("DSFRChart.umd.js", "DSFRChart.css", "LICENSE"):
        content = (VENDOR / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() in readme, name
        assert f"{len(content):,} bytes" in readme, name
    assert "MIT License" in (VENDOR / "LICENSE").read_text()
