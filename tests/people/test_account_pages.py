"""Every allauth page renders inside our base template with DSFR markup, in French,
with its <title>, one <h1>, labelled fields, linked errors, DSFR buttons and the CSRF
token (see pages.assert_dsfr_page for the full list of checks)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.people.helpers import link_in, sign_in, signed_in_user_id
from tests.people.pages import assert_dsfr_page, error_texts, field, main, text

pytestmark = pytest.mark.django_db


def assert_entrance_column(page):
    """Entrance pages (login, sign-up, reset…) sit in one centred column."""
    column = page.select_one(".fr-grid-row--center > .fr-col-12.fr-col-md-8.fr-col-lg-6")
    assert column is not None
    assert column.find("h1") is not None


def button(page, label):
    found = [b for b in page.find_all(["button", "a"]) if text(b) == label]
    assert found, f"pas de bouton « {label} »"
    return found[0]


def reauthenticate(client, next_url):
    response = client.post(
        f"{reverse('account_reauthenticate')}?next={next_url}", {"password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


def current_totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


# --- Entrance pages ------------------------------------------------------------------------


def test_login_page_has_labelled_fields_with_autocomplete_and_a_checkbox_group(client):
    response = client.get(reverse("account_login"))

    page = assert_dsfr_page(response, title="Connexion")
    assert_entrance_column(page)
    assert text(page.find("h1")) == "Connexion"
    email, password = field(response, "login"), field(response, "password")
    assert (email["type"], email["autocomplete"]) == ("email", "email")
    assert (password["type"], password["autocomplete"]) == ("password", "current-password")
    assert page.find("label", attrs={"for": email["id"]}).get_text(strip=True) == "E-mail"
    remember = field(response, "remember")
    assert remember["type"] == "checkbox"
    assert remember.find_parent(class_="fr-checkbox-group")
    assert "fr-btn" in button(page, "Connexion")["class"]
    assert page.find("a", href=reverse("account_reset_password"))
    assert page.find("a", href=reverse("account_signup"))


def test_login_errors_open_the_form_as_an_alert_and_the_typed_email_stays(client, user):
    response = sign_in(client, user.email, "mauvais-mot-de-passe")

    page = assert_dsfr_page(response, title="Connexion")
    alert = page.select_one("form .fr-alert--error[role=alert]")
    assert text(alert) == "L’adresse e-mail ou le mot de passe sont incorrects."
    assert field(response, "login")["value"] == user.email
    assert not field(response, "password").has_attr("value")  # never written back


def test_signup_page_and_its_errors_are_linked_to_the_fields(client):
    assert_dsfr_page(client.get(reverse("account_signup")), title="Inscription")

    response = client.post(
        reverse("account_signup"),
        {"email": "pas-une-adresse", "password1": "court", "password2": "autre"},
    )

    page = assert_dsfr_page(response, title="Inscription")
    email = field(response, "email")
    assert email["aria-invalid"] == "true"
    assert "fr-input--error" in email["class"]
    assert email.find_parent(class_="fr-input-group--error")
    error_box = page.find(id=f"{email['id']}-desc-error")
    assert text(error_box) == "Saisissez une adresse de courriel valide."
    assert field(response, "email")["value"] == "pas-une-adresse"
    # The password rules are a hint linked to the first password field.
    password1 = field(response, "password1")
    assert f"{password1['id']}-hint" in password1["aria-describedby"].split()
    assert "fr-hint-text" in page.find(id=f"{password1['id']}-hint")["class"]


def test_password_reset_pages_render(client, user, mailoutbox):
    assert_dsfr_page(
        client.get(reverse("account_reset_password")), title="Réinitialisation du mot de passe"
    )
    response = client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)
    page = assert_dsfr_page(response, title="Réinitialisation du mot de passe")
    assert_entrance_column(page)
    assert "Nous vous avons envoyé un e-mail." in text(page)

    response = client.get(link_in(mailoutbox[0], "/comptes/password/reset/key/"), follow=True)
    page = assert_dsfr_page(response, title="Modifier le mot de passe")
    assert field(response, "password1")["autocomplete"] == "new-password"
    assert "fr-btn--secondary" in button(page, "Annuler")["class"]

    form_path = response.redirect_chain[-1][0]
    response = client.post(form_path, {"password1": "court", "password2": "court"})
    page = assert_dsfr_page(response, title="Modifier le mot de passe")
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 8 caractères." in (
        error_texts(response)
    )

    response = client.post(
        form_path, {"password1": "Nouveau-secret-2026", "password2": "Nouveau-secret-2026"}
    )
    page = assert_dsfr_page(client.get(response["Location"]), title="Modifier le mot de passe")
    assert "Votre mot de passe a été modifié." in text(page)


def test_password_reset_with_a_bad_key_says_so(client, user):
    response = client.get("/comptes/password/reset/key/1-pas-une-cle/")

    page = assert_dsfr_page(response, title="Modifier le mot de passe")
    assert text(page.find("h1")) == "Mauvais jeton d'identification"


def test_email_verification_pages_render(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "sacha@exemple.fr", "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD},
        follow=True,
    )
    page = assert_dsfr_page(response, title="Vérifiez votre adresse e-mail")
    assert_entrance_column(page)

    response = client.get(link_in(mailoutbox[0], "/comptes/confirm-email/"))
    page = assert_dsfr_page(response, title="Confirmer l'adresse e-mail")
    assert "sacha@exemple.fr" in text(page)
    assert "fr-btn" in button(page, "Confirmer")["class"]

    invalid = client.get("/comptes/confirm-email/pas-une-cle/")
    assert "a expiré ou n'est pas valide" in text(
        assert_dsfr_page(invalid, title="Confirmer l'adresse e-mail")
    )


def test_messages_from_allauth_show_as_dsfr_alerts_on_its_pages(signed_in_client):
    signed_in_client.post(reverse("account_logout"))

    page = assert_dsfr_page(signed_in_client.get(reverse("account_login")), title="Connexion")

    assert "Vous êtes déconnecté(e)." in [text(a) for a in page.select(".fr-alert--success")]


# --- Management pages --------------------------------------------------------------------------


def test_logout_confirmation_page_posts_to_logout(signed_in_client):
    response = signed_in_client.get(reverse("account_logout"))

    page = assert_dsfr_page(response, title="Se déconnecter")
    form = page.find("form", action=reverse("account_logout"))
    assert form["method"] == "post"
    assert "fr-btn" in button(form, "Se déconnecter")["class"]


def test_allauth_pages_keep_the_portal_header_with_its_logout_form(signed_in_client):
    response = signed_in_client.get(reverse("account_change_password"))

    header = response.content.decode().split("</header>")[0]
    assert f'action="{reverse("account_logout")}"' in header
    assert "Se déconnecter" in header


def test_change_email_page_and_its_pending_state(signed_in_client, user, mailoutbox):
    response = signed_in_client.get(reverse("account_email"))
    page = assert_dsfr_page(response, title="Adresse e-mail")
    assert field(response, "email")["autocomplete"] == "email"
    assert page.find("input", id="current_email")["value"] == user.email

    response = signed_in_client.post(reverse("account_email"), {"email": "x", "action_add": ""})
    assert_dsfr_page(response, title="Adresse e-mail")
    assert field(response, "email")["aria-invalid"] == "true"

    signed_in_client.post(reverse("account_email"), {"email": "neuve@exemple.fr", "action_add": ""})
    page = assert_dsfr_page(signed_in_client.get(reverse("account_email")), title="Adresse e-mail")
    pending = page.find("h2", string="Changement en attente de confirmation").find_parent(
        class_="fr-alert"
    )
    assert "neuve@exemple.fr" in text(pending)
    assert pending.find("button", attrs={"name": "action_send"})
    assert pending.find("button", attrs={"name": "action_remove"})

    # The pending-change form still works: cancelling removes the new address.
    signed_in_client.post(
        reverse("account_email"), {"email": "neuve@exemple.fr", "action_remove": ""}
    )
    assert list(user.emailaddress_set.values_list("email", flat=True)) == [user.email]


def test_password_change_page_and_its_errors(signed_in_client, user):
    response = signed_in_client.get(reverse("account_change_password"))
    assert_dsfr_page(response, title="Modifier le mot de passe")
    assert field(response, "oldpassword")["autocomplete"] == "current-password"

    response = signed_in_client.post(
        reverse("account_change_password"),
        {"oldpassword": "faux", "password1": "Nouveau-2026-abc", "password2": "Nouveau-2026-abc"},
    )

    assert_dsfr_page(response, title="Modifier le mot de passe")
    assert "Merci d'indiquer votre mot de passe actuel." in error_texts(response)
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_two_factor_pages_render_from_activation_to_login(client, mailoutbox, settings):
    # One step of tolerance: a code computed at the end of a 30-second step stays valid.
    settings.MFA_TOTP_TOLERANCE = 1
    user = UserFactory(is_staff=True)
    sign_in(client, user.email)

    page = assert_dsfr_page(
        client.get(reverse("mfa_index")), title="Authentification à deux facteurs"
    )
    assert [text(h) for h in page.find_all("h2")] == [
        "Application d'authentification",
        "Clés de sécurité",
        "Codes de récupération",
    ]

    # Activating asks to confirm the password first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = assert_dsfr_page(client.get(response["Location"]), title="Confirmer l'accès")
    assert_entrance_column(page)
    reauthenticate(client, reverse("mfa_activate_totp"))

    response = client.get(reverse("mfa_activate_totp"))
    page = assert_dsfr_page(response, title="Activer l'application d'authentification")
    secret = client.session[SECRET_SESSION_KEY]
    assert page.find("input", id="authenticator_secret")["value"] == secret
    assert field(response, "code")["autocomplete"] == "one-time-code"

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert_dsfr_page(response, title="Activer l'application d'authentification")
    assert field(response, "code")["aria-invalid"] == "true"

    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    page = assert_dsfr_page(
        client.get(reverse("mfa_view_recovery_codes")), title="Codes de récupération"
    )
    assert page.find("textarea", id="recovery_codes")
    assert_dsfr_page(
        client.get(reverse("mfa_generate_recovery_codes")), title="Codes de récupération"
    )
    assert_dsfr_page(
        client.get(reverse("mfa_deactivate_totp")),
        title="Désactiver l'application d'authentification",
    )

    # Next login asks for a code; a recovery code lets the person in.
    client.post(reverse("account_logout"))
    response = sign_in(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    page = assert_dsfr_page(
        client.get(reverse("mfa_authenticate")), title="Validation en deux étapes"
    )
    assert_entrance_column(page)
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    response = client.post(
        reverse("mfa_authenticate"), {"code": recovery.wrap().get_unused_codes()[0]}
    )
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_entrance_pages_are_not_wrapped_in_the_management_column(client):
    page = main(client.get(reverse("account_login")))

    assert page.find("a", string=lambda s: s and "Retour à mon profil" in s) is None
