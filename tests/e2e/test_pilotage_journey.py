"""A pilote reads the shared indicators in Chromium, with axe's RGAA rules: the
nation, then a région, then a département, filtered by operator; the charts (DSFR Chart)
are drawn under the CSP, without a console error."""

from pilotage.aggregation import run_aggregation
from pilotage.models import PiloteRole
from portal.setup import site_setup
from tests.academy.factories import academy_index, course
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory, operator, territory
from tests.pilotage.builders import question

CHARTS = "main line-chart, main bar-chart"
# Records what the CSP blocked: Chromium also logs it as a console error.
CSP_LISTENER = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def assert_charts_drawn(tab) -> int:
    """Every chart of the page is upgraded by DSFR Chart into a canvas with ink in it and
    one legend, and nothing was blocked by the CSP nor logged as an error; returns how
    many."""
    tab.wait_for_function(
        "(selector) => { const charts = [...document.querySelectorAll(selector)];"
        " return charts.length > 0 && charts.every((chart) => chart.querySelector('canvas')); }",
        arg=CHARTS,
    )
    inked = tab.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map((chart) => {
          const canvas = chart.querySelector("canvas");
          if (!canvas.width || !canvas.height) return false;
          const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
          const inked = pixels.data.some((value, index) => index % 4 === 3 && value > 0);
          return inked && chart.querySelectorAll(".chart_legend .legende_dot").length === 1;
        })""",
        CHARTS,
    )
    assert inked and all(inked), inked
    assert tab.evaluate("window.cspViolations") == []
    assert tab.console_errors == []
    return len(inked)


def test_a_pilote_drills_down_from_the_nation_to_a_departement_and_filters(page):
    from django.utils import timezone

    home = site_setup()
    rsa = course(academy_index(home), title="RSA")
    from tests.pilotage.builders import enrol

    now = timezone.now()
    for _ in range(7):
        enrol(UserFactory(), rsa, now)
        question("nord", UserFactory(operator=operator("mission-locale")), now)
    run_aggregation()
    pilote = UserFactory()
    PiloteRole.objects.create(user=pilote, territory=territory("national"))

    page.add_init_script(CSP_LISTENER)
    warnings = []
    page.on("console", lambda msg: warnings.append(msg.text) if msg.type == "warning" else None)
    log_in(page, email=pilote.email, password=DEFAULT_PASSWORD)
    response = page.goto("/pilotage/")
    page.wait_for_url("**/pilotage/national/")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["content-security-policy"].split(";")
    )
    assert "'self'" in policy["script-src"] and "unsafe" not in policy["script-src"]
    assert page.get_by_role("heading", level=1, name="Pilotage — National").is_visible()
    # Seven indicators a domain over twelve months, by operator, by région.
    assert assert_charts_drawn(page) == 2 * (7 + 2)
    inscrits = page.get_by_role(
        "img", name="Graphique : Professionnels inscrits à une formation", exact=True
    )
    assert inscrits.get_attribute("aria-describedby") == "graphique-inscrits-resume"
    assert (
        page.locator("#graphique-inscrits-resume")
        .inner_text()
        .startswith("La valeur passe de 0 en ")
    )
    assert [w for w in warnings if w.startswith("[Vue warn]")] == []
    assert_no_axe_violations(page)

    page.get_by_role(
        "link",
        name="Voir les données du graphique « Professionnels inscrits à une formation »",
        exact=True,
    ).click()
    page.wait_for_url("**/pilotage/national/#academie-evolution")
    assert page.get_by_role(
        "table", name="Académie : évolution sur douze mois, National"
    ).is_visible()

    page.get_by_role("link", name="Hauts-de-France").first.click()
    page.wait_for_url("**/pilotage/hauts-de-france/")
    page.get_by_role("link", name="Nord (59)").first.click()
    page.wait_for_url("**/pilotage/nord/")
    key = page.get_by_role("table", name="Académie : chiffres clés, Nord")
    assert key.get_by_role("row", name="Professionnels inscrits à une formation").get_by_role(
        "cell"
    ).all_inner_texts() == ["7", "7"]
    assert assert_charts_drawn(page) == 2 * (7 + 1)  # a département: no territory below
    assert_no_axe_violations(page)

    page.get_by_label("Opérateur", exact=True).select_option(label="Mission locale")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/pilotage/nord/?*operateur=mission-locale*")
    questions = page.get_by_role("table", name="Communauté : chiffres clés, Nord")
    assert questions.get_by_role("row", name="Questions posées").get_by_role(
        "cell"
    ).all_inner_texts() == ["7", "7"]
    # By operator: the session fill rate (all operators only) is left out.
    assert assert_charts_drawn(page) == (6 + 1) + (7 + 1)
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger les indicateurs (CSV)").click()
    assert download.value.suggested_filename.startswith("indicateurs-nord-")
    with open(download.value.path(), encoding="utf-8") as csv_file:
        header = csv_file.readline()
    assert header.startswith("territoire,territoire_nom,niveau,")

    for path in ("/pilotage/donnees-ouvertes/", "/pilotage/indicateurs/"):
        page.goto(path)
        assert_no_axe_violations(page)
