"""A pilote reads the shared indicators in Chromium, with axe's RGAA rules: the
nation, then a région, then a département, filtered by operator."""

from pilotage.aggregation import run_aggregation
from pilotage.models import PiloteRole
from portal.setup import site_setup
from tests.academy.factories import academy_index, course
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory, operator, territory
from tests.pilotage.builders import question


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

    log_in(page, email=pilote.email, password=DEFAULT_PASSWORD)
    page.goto("/pilotage/")
    page.wait_for_url("**/pilotage/national/")
    assert page.get_by_role("heading", level=1, name="Pilotage — National").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Hauts-de-France").first.click()
    page.wait_for_url("**/pilotage/hauts-de-france/")
    page.get_by_role("link", name="Nord (59)").first.click()
    page.wait_for_url("**/pilotage/nord/")
    key = page.get_by_role("table", name="Académie : chiffres clés, Nord")
    assert key.get_by_role("row", name="Professionnels inscrits à une formation").get_by_role(
        "cell"
    ).all_inner_texts() == ["7", "7"]
    assert_no_axe_violations(page)

    page.get_by_label("Opérateur").select_option(label="Mission locale")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/pilotage/nord/?*operateur=mission-locale*")
    questions = page.get_by_role("table", name="Communauté : chiffres clés, Nord")
    assert questions.get_by_role("row", name="Questions posées").get_by_role(
        "cell"
    ).all_inner_texts() == ["7", "7"]
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
