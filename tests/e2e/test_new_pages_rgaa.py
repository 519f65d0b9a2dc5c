"""Pages added for issue 10, in Chromium with axe's RGAA rules: the certificate lookup
(with its error), the French 404, the readable data export and the sheet correction form."""

from community.sheets import services as sheet_services
from portal.setup import site_setup
from tests.community.factories import MembershipFactory, space
from tests.community.sheets.test_review import propose
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD

NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def test_lookup_404_export_and_correction_pages_pass_rgaa_rules(page):
    site_setup()
    nord = space("nord")
    author = MembershipFactory(space=nord).user
    animator = MembershipFactory(space=nord, animator=True).user
    sheet = propose(author, nord)
    sheet_services.sheet_review_decide(
        sheet=sheet, by=animator, decision="reject", comment="Précisez les étapes."
    )

    page.goto("/academie/certificats/")
    page.get_by_label("Code de vérification").fill("CodeInconnu42")
    page.get_by_role("button", name="Vérifier").click()
    assert page.get_by_text("Aucune attestation ne porte le code « CodeInconnu42 »").is_visible()
    assert page.get_by_label("Code de vérification").input_value() == "CodeInconnu42"
    assert_no_axe_violations(page)
    assert page.console_errors == [NOT_FOUND]  # the browser logs the 404 answer
    page.console_errors.clear()

    page.goto("/une-adresse-qui-n-existe-pas/")
    assert page.get_by_role("heading", name="Page non trouvée").is_visible()
    assert_no_axe_violations(page)
    assert page.console_errors == [NOT_FOUND]
    page.console_errors.clear()

    log_in(page, email=author.email, password=DEFAULT_PASSWORD)
    page.goto("/mon-espace/donnees/export.html")
    assert page.get_by_role("heading", level=1, name="Mes données, version lisible").is_visible()
    assert_no_axe_violations(page)

    page.goto("/communaute/fiches-proposees/")
    page.get_by_role("link", name="Corriger et renvoyer").click()
    assert page.get_by_text("Précisez les étapes.").is_visible()
    page.get_by_label("Titre de la fiche").fill("Un référent unique, étape par étape")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Renvoyer pour relecture").click()
    page.wait_for_url("**/communaute/fiches-proposees/")
    assert page.get_by_text("est de nouveau transmise pour relecture").is_visible()
    assert_no_axe_violations(page)
