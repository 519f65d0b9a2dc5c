"""ProConnect in Chromium, against the real OpenID provider of the tests (tests/oidc.py):
first sign-in and profile, logout of both sessions, second sign-in, linking an existing
account, a cancelled sign-in and one whose state this browser did not send; axe's RGAA
rules on the portal's pages."""

import re

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from portal.people.models import Territory
from portal.setup import site_setup
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import UserFactory

User = get_user_model()

EMAIL = "camille.durand@francetravail.fr"
PASSWORD = "mot-de-passe-fi"


def identity(proconnect, email=EMAIL):
    proconnect.add_account(
        email,
        password=PASSWORD,
        email=email,
        given_name="Camille",
        usual_name="Durand",
        siret="13000548100010",
        uid="fi-uid-1",
        idp_id="fia1v2",
    )


def click_proconnect(page):
    page.goto("/comptes/login/")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.wait_for_url(re.compile(r"/api/v2/interaction/"))


def sign_in_at_provider(page, email=EMAIL):
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_first_sign_in_profile_logout_of_both_and_second_sign_in(page, proconnect, live_server):
    site_setup()
    identity(proconnect)

    page.goto("/comptes/login/")
    assert page.get_by_role("link", name="Qu’est-ce que ProConnect ?").is_visible()
    assert_no_axe_violations(page)
    click_proconnect(page)
    sign_in_at_provider(page)

    page.wait_for_url(f"{live_server.url}/mon-espace/profil/")
    assert page.get_by_text("Bienvenue ! ProConnect a rempli").is_visible()
    assert page.get_by_text("13000548100010").is_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Structure").fill("Agence France Travail Amiens Nord")
    page.get_by_label("Fonction").fill("Conseillère emploi")
    page.get_by_label("Territoires").select_option(str(Territory.objects.get(slug="somme").pk))
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Votre profil est enregistré.").is_visible()
    user = User.objects.get(email=EMAIL)
    assert user.structure_name == "Agence France Travail Amiens Nord"
    assert user.operator.slug == "france-travail"
    page.get_by_role("link", name="Gérer ProConnect").click()
    assert page.get_by_role("heading", name="Se connecter avec ProConnect").is_visible()
    assert page.get_by_text(EMAIL).is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_url(re.compile(r"/api/v2/session/end"))
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("déconnecté(e) du portail et de ProConnect").is_visible()
    assert page.get_by_role("link", name="Se connecter").first.is_visible()
    assert_no_axe_violations(page)

    # Signed out at ProConnect too: a new sign-in asks again, and finds the same account.
    click_proconnect(page)
    sign_in_at_provider(page)
    page.wait_for_url(lambda url: "/api/v2/" not in url)
    assert page.get_by_role("link", name="Camille D.").first.is_visible()
    assert User.objects.filter(email=EMAIL).count() == 1
    assert SocialAccount.objects.filter(user=user).count() == 1


def test_an_existing_account_is_linked_by_its_verified_email(page, proconnect, live_server):
    site_setup()
    existing = UserFactory(email=EMAIL, first_name="Camille", last_name="Durand")
    identity(proconnect)

    click_proconnect(page)
    sign_in_at_provider(page)

    page.wait_for_url(lambda url: "/api/v2/" not in url)
    assert page.get_by_text("est désormais relié à ProConnect").is_visible()
    assert_no_axe_violations(page)
    assert SocialAccount.objects.get().user == existing
    assert User.objects.filter(email=EMAIL).count() == 1


def test_a_cancelled_sign_in_and_an_unknown_state_end_on_the_login_page_in_french(
    page, proconnect, live_server
):
    site_setup()
    identity(proconnect)

    click_proconnect(page)
    page.get_by_role("button", name="Annuler").click()
    page.wait_for_url(f"{live_server.url}/comptes/login/")
    assert page.get_by_text("Connexion avec ProConnect annulée").is_visible()
    assert_no_axe_violations(page)

    # The provider's answer reaches a browser whose portal session did not send its
    # state (lost, or another browser's): the state is unknown there.
    click_proconnect(page)
    page.context.clear_cookies(domain="localhost")
    sign_in_at_provider(page)
    page.wait_for_url(f"{live_server.url}/comptes/login/")
    assert page.get_by_text("la demande a expiré ou ne vient pas de ce navigateur").is_visible()
    assert_no_axe_violations(page)
    assert not User.objects.filter(email=EMAIL).exists()
