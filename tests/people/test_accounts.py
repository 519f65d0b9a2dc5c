"""Accounts through allauth: sign-up, e-mail verification, login, logout, password reset,
e-mail change and the failed-login rate limit, each with its refused path."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.people.helpers import link_in, sign_in, signed_in_user_id
from tests.people.pages import error_texts, main, text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Un-autre-mot-de-passe-2026"
SUBJECT_PREFIX = "[Académie & Communauté] "
VERIFY_SUBJECT = SUBJECT_PREFIX + "Confirmez votre adresse e-mail"
RESET_SUBJECT = SUBJECT_PREFIX + "E-mail de réinitialisation de mot de passe"
WRONG_CREDENTIALS = "L’adresse e-mail ou le mot de passe sont incorrects."


def sign_up(client, email, password=DEFAULT_PASSWORD, password2=None):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password2 or password},
    )


# --- Sign-up and e-mail verification -------------------------------------------------


def test_sign_up_then_confirming_the_mailed_link_verifies_and_signs_in_then_login_works(
    client, mailoutbox, django_user_model
):
    response = sign_up(client, "Camille.Durand@Exemple.fr")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None
    user = django_user_model.objects.get(email="camille.durand@exemple.fr")
    address = EmailAddress.objects.get(user=user)
    assert address.primary and not address.verified

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["camille.durand@exemple.fr"]
    assert mail.subject == VERIFY_SUBJECT
    confirm_path = link_in(mail, "/comptes/confirm-email/")

    # ACCOUNT_CONFIRM_EMAIL_ON_GET is off: opening the link only shows the page.
    page = client.get(confirm_path)
    assert page.status_code == 200
    address.refresh_from_db()
    assert not address.verified
    assert signed_in_user_id(client) is None

    response = client.post(confirm_path)

    assert response.status_code == 302
    assert response["Location"] == "/mon-espace/profil/"
    address.refresh_from_db()
    assert address.verified
    assert signed_in_user_id(client) == str(user.pk)

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert signed_in_user_id(client) is None

    response = sign_in(client, "camille.durand@exemple.fr")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(user.pk)


def test_sign_up_with_mismatched_passwords_is_refused_in_french_and_creates_nothing(
    client, mailoutbox, django_user_model
):
    response = sign_up(client, "camille@exemple.fr", password2="Autre-chose-2026")

    assert response.status_code == 200
    assert "Vous devez saisir deux fois le même mot de passe." in error_texts(response)
    assert not django_user_model.objects.filter(email="camille@exemple.fr").exists()
    assert mailoutbox == []


def test_sign_up_with_an_address_already_registered_creates_no_second_account(
    client, user, mailoutbox, django_user_model
):
    response = sign_up(client, user.email.upper())

    # Enumeration prevention: the page looks the same as for a new address…
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    # …but no account is created, and the owner is told by e-mail instead.
    assert django_user_model.objects.filter(email__iexact=user.email).count() == 1
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert "/comptes/confirm-email/" not in mailoutbox[0].body


def test_confirmation_link_opened_in_another_browser_verifies_without_signing_in(
    client, mailoutbox, django_user_model
):
    sign_up(client, "dominique@exemple.fr")
    confirm_path = link_in(mailoutbox[0], "/comptes/confirm-email/")
    client.cookies.clear()

    response = client.post(confirm_path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="dominique@exemple.fr").verified
    assert signed_in_user_id(client) is None


def test_unknown_confirmation_key_verifies_nothing(client, mailoutbox):
    sign_up(client, "dominique@exemple.fr")

    page = client.get("/comptes/confirm-email/pas-une-vraie-cle/")
    response = client.post("/comptes/confirm-email/pas-une-vraie-cle/")

    assert page.status_code == 200
    assert "Ce lien de confirmation d'adresse e-mail a expiré ou n'est pas valide." in text(
        main(page)
    )
    assert response.status_code == 404
    assert not EmailAddress.objects.get(email="dominique@exemple.fr").verified
    assert signed_in_user_id(client) is None


# --- Login and logout ------------------------------------------------------------------


def test_login_with_email_and_password_signs_in(client, user):
    response = sign_in(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(user.pk)


def test_login_with_wrong_password_is_refused_with_a_french_error(client, user):
    response = sign_in(client, user.email, "pas-le-bon-mot-de-passe")

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in error_texts(response)
    assert signed_in_user_id(client) is None


def test_login_with_unknown_email_is_refused_with_the_same_error(client):
    response = sign_in(client, "personne@exemple.fr")

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in error_texts(response)
    assert signed_in_user_id(client) is None


def test_login_of_an_unverified_account_is_refused_and_leads_to_verification_sent(
    client, mailoutbox
):
    user = UserFactory(verified_email=False)

    response = sign_in(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None
    # A fresh verification link goes to the address.
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert mailoutbox[0].subject == VERIFY_SUBJECT
    # Nothing behind the login opens.
    response = client.get(reverse("people:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_logout_by_get_only_asks_for_confirmation(signed_in_client, user):
    response = signed_in_client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert signed_in_user_id(signed_in_client) == str(user.pk)


def test_logout_form_in_the_header_posts_and_signs_out(signed_in_client):
    page = signed_in_client.get(reverse("people:profile"))
    html = page.content.decode()
    assert f'<form method="post" action="{reverse("account_logout")}"' in html

    response = signed_in_client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert signed_in_user_id(signed_in_client) is None


# --- Rate limit on failed logins ---------------------------------------------------------


def failed_login_limit_per_account(settings) -> int:
    """The per-address ("key") part of ACCOUNT_RATE_LIMITS["login_failed"], e.g. 5/5m/key."""
    for rule in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(","):
        amount, _period, *scope = rule.strip().split("/")
        if scope == ["key"]:
            return int(amount)
    raise AssertionError("ACCOUNT_RATE_LIMITS['login_failed'] n'a pas de limite par compte")


def test_repeated_failed_logins_are_refused_in_french_even_with_the_right_password(
    client, user, settings
):
    limit = failed_login_limit_per_account(settings)
    for _ in range(limit):
        response = sign_in(client, user.email, "mauvais-mot-de-passe")
        assert WRONG_CREDENTIALS in error_texts(response)

    response = sign_in(client, user.email)

    assert response.status_code == 200
    assert (
        "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
        in error_texts(response)
    )
    assert signed_in_user_id(client) is None


def test_failed_logins_on_one_account_do_not_lock_another(client, user, settings):
    other = UserFactory()
    for _ in range(failed_login_limit_per_account(settings)):
        sign_in(client, user.email, "mauvais-mot-de-passe")

    response = sign_in(client, other.email)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(other.pk)


# --- Password reset ------------------------------------------------------------------------


def test_password_reset_mail_link_lets_the_owner_choose_a_new_password(client, user, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": user.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert mailoutbox[0].subject == RESET_SUBJECT
    key_path = link_in(mailoutbox[0], "/comptes/password/reset/key/")

    # allauth moves the key into the session, then shows the form on a key-less URL.
    response = client.get(key_path)
    assert response.status_code == 302
    form_path = response["Location"]
    assert client.get(form_path).status_code == 200

    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(DEFAULT_PASSWORD)
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 200
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_password_reset_refuses_mismatched_passwords_and_keeps_the_old_one(
    client, user, mailoutbox
):
    client.post(reverse("account_reset_password"), {"email": user.email})
    form_path = client.get(link_in(mailoutbox[0], "/comptes/password/reset/key/"))["Location"]

    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": "Autre-2026-xyz"})

    assert response.status_code == 200
    assert "Vous devez saisir deux fois le même mot de passe." in error_texts(response)
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_reset_link_works_only_once(client, user, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": user.email})
    key_path = link_in(mailoutbox[0], "/comptes/password/reset/key/")
    form_path = client.get(key_path)["Location"]
    client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.post(reverse("account_logout"))

    response = client.get(key_path, follow=True)

    assert response.status_code == 200
    assert response.context["token_fail"] is True
    assert "Mauvais jeton" in response.content.decode()


def test_password_reset_for_an_unknown_address_reveals_nothing_and_sends_no_link(
    client, mailoutbox
):
    response = client.post(reverse("account_reset_password"), {"email": "personne@exemple.fr"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert all("/comptes/password/reset/key/" not in m.body for m in mailoutbox)


# --- Change of e-mail address ------------------------------------------------------------------


def test_adding_a_new_address_sends_a_verification_mail_and_confirming_it_switches(
    signed_in_client, user, mailoutbox
):
    old_email = user.email
    response = signed_in_client.post(
        reverse("account_email"), {"email": "Nouvelle.Adresse@Exemple.fr", "action_add": ""}
    )

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["nouvelle.adresse@exemple.fr"]]
    assert mailoutbox[0].subject == VERIFY_SUBJECT
    pending = EmailAddress.objects.get(email="nouvelle.adresse@exemple.fr")
    assert pending.user_id == user.pk and not pending.verified
    user.refresh_from_db()
    assert user.email == old_email  # unchanged until the new address is confirmed

    signed_in_client.post(link_in(mailoutbox[0], "/comptes/confirm-email/"))

    user.refresh_from_db()
    assert user.email == "nouvelle.adresse@exemple.fr"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "nouvelle.adresse@exemple.fr"
    ]


def test_adding_an_invalid_address_is_refused_in_french_and_sends_nothing(
    signed_in_client, user, mailoutbox
):
    response = signed_in_client.post(
        reverse("account_email"), {"email": "pas-une-adresse", "action_add": ""}
    )

    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in error_texts(response)
    assert mailoutbox == []
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        user.email
    ]


def test_e_mail_pages_are_closed_to_anonymous_visitors(client):
    for name in ("account_email", "account_change_password"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- The portal's account adapter ----------------------------------------------------------------


def test_account_mails_name_the_portal_rather_than_the_request_host(client, mailoutbox, settings):
    settings.ACCOUNT_ADAPTER = "portal.people.adapters.AccountAdapter"
    settings.SITE_URL = "https://academie.example.fr"

    sign_up(client, "camille@exemple.fr")

    body = mailoutbox[0].body
    assert body.startswith("Bonjour, c'est Académie & Communauté !")
    assert "à son compte sur academie.example.fr." in body
    assert "Merci d'utiliser Académie & Communauté !" in body
    assert "testserver !" not in body
    assert "/comptes/confirm-email/" in body
