"""An animatrice manages her space's forums in a real browser, with the keyboard:
create, reorder, rename, delete an empty forum; axe RGAA rules on every page."""

from community.models import Forum, Membership, Space
from portal.setup import site_setup
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory, territory

BAD_REQUEST = "Failed to load resource: the server responded with a status of 400 (Bad Request)"


def _names() -> list[str]:
    forums = Forum.objects.filter(space__territory__slug="nord").order_by("position", "name")
    return list(forums.values_list("name", flat=True))


def test_animatrice_creates_reorders_renames_and_deletes_a_forum(page):
    site_setup()
    nord = Space.objects.get(territory__slug="nord")
    Forum.objects.create(space=nord, name="Accompagnement", slug="accompagnement", position=0)
    animatrice = UserFactory(display_name="Alice Animatrice", territories=[territory("nord")])
    Membership.objects.create(space=nord, user=animatrice, role=Membership.Role.ANIMATOR)
    log_in(page, email=animatrice.email, password=DEFAULT_PASSWORD)

    page.goto("/communaute/nord/")
    page.get_by_role("link", name="Gérer les forums").click()
    page.wait_for_url("**/communaute/nord/forums/gerer/")
    assert page.get_by_role("heading", level=1, name="Gérer les forums").is_visible()
    assert_no_axe_violations(page)

    # A blank name is refused; the description typed stays.
    page.get_by_label("Description").fill("Permis, transports, covoiturage.")
    page.get_by_role("button", name="Créer le forum").click()
    page.wait_for_load_state()
    assert page.get_by_text("Donnez un nom au forum.").first.is_visible()
    assert page.get_by_label("Description").input_value() == "Permis, transports, covoiturage."
    assert page.console_errors == [BAD_REQUEST]  # the browser logs the 400 answer
    page.console_errors.clear()
    assert_no_axe_violations(page)

    page.get_by_label("Nom du forum").fill("Mobilité des jeunes")
    page.get_by_role("button", name="Créer le forum").click()
    page.wait_for_load_state()
    assert page.get_by_text("Le forum « Mobilité des jeunes » est créé.").is_visible()
    assert _names() == ["Accompagnement", "Mobilité des jeunes"]

    # Keyboard only: focus the button by its accessible name and press Enter.
    page.get_by_role("button", name="Monter le forum « Mobilité des jeunes »").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text(
        "« Mobilité des jeunes » est maintenant en position 1 sur 2."
    ).is_visible()
    assert _names() == ["Mobilité des jeunes", "Accompagnement"]
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Modifier le forum « Accompagnement »").click()
    page.wait_for_url("**/modifier/")
    assert_no_axe_violations(page)
    page.get_by_label("Nom du forum").fill("Accompagnement RSA")
    page.get_by_role("button", name="Enregistrer le forum").click()
    page.wait_for_url("**/communaute/nord/forums/gerer/")
    assert _names() == ["Mobilité des jeunes", "Accompagnement RSA"]

    page.get_by_role("link", name="Supprimer le forum « Accompagnement RSA »").click()
    page.wait_for_url("**/supprimer/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Supprimer le forum").click()
    page.wait_for_url("**/communaute/nord/forums/gerer/")
    assert page.get_by_text("Le forum « Accompagnement RSA » est supprimé.").is_visible()
    assert _names() == ["Mobilité des jeunes"]

    page.goto("/communaute/nord/")
    forums = page.locator("section", has=page.get_by_role("heading", name="Forums", exact=True))
    assert forums.get_by_role("link", name="Mobilité des jeunes").is_visible()
