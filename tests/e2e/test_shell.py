"""Home, log-in and profile pages in a real browser: no console error, RGAA rules, keyboard."""

from portal.setup import site_setup
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory


def test_home_page_loads_without_console_error_and_passes_rgaa_rules(page):
    site_setup()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).is_visible()
    assert_no_axe_violations(page)


def test_skip_link_moves_keyboard_focus_to_the_main_content(page):
    site_setup()
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.locator(".fr-skiplinks a").first
    assert skip_link.evaluate("el => el === document.activeElement")
    assert skip_link.inner_text().strip() == "Contenu"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#content'")
    assert page.evaluate("location.hash") == "#content"
    # The next Tab lands inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#content') !== null")


def test_display_settings_switch_to_dark_theme(page):
    site_setup()
    page.goto("/")
    page.get_by_role("button", name="Paramètres d'affichage").click()
    page.get_by_text("Thème sombre").click()
    page.wait_for_function("document.documentElement.getAttribute('data-fr-theme') === 'dark'")
    page.reload()
    assert page.locator("html").get_attribute("data-fr-theme") == "dark"


def test_login_page_loads_without_console_error_and_passes_rgaa_rules(page):
    site_setup()
    page.goto("/comptes/login/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert_no_axe_violations(page)


def test_profile_page_loads_and_saves_and_passes_rgaa_rules(page):
    site_setup()
    member = UserFactory(display_name="Camille D.")
    log_in(page, email=member.email, password=DEFAULT_PASSWORD)
    page.goto("/mon-espace/profil/")
    assert page.get_by_role("heading", name="Mon profil").is_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Fonction").fill("Conseillère entreprises")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Votre profil est enregistré.").is_visible()
    assert_no_axe_violations(page)
    member.refresh_from_db()
    assert member.job_title == "Conseillère entreprises"


def test_profile_errors_are_announced_and_pass_rgaa_rules(page):
    site_setup()
    member = UserFactory()
    log_in(page, email=member.email, password=DEFAULT_PASSWORD)
    page.goto("/mon-espace/profil/")
    page.get_by_label("Nom affiché").fill("moi@exemple.fr")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("ne doit pas contenir d'adresse électronique").is_visible()
    assert page.get_by_label("Nom affiché").input_value() == "moi@exemple.fr"
    assert_no_axe_violations(page)
