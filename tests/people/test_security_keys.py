"""Security keys (WebAuthn) as a staff account's second factor, through allauth's real
views and python-fido2's checks, with a key in software (tests/people/security_key.py)."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils.translation import gettext

from tests.factories import UserFactory
from tests.people.helpers import sign_in, signed_in_user_id
from tests.people.pages import assert_dsfr_page, text
from tests.people.security_key import SoftwareSecurityKey
from tests.people.test_account_pages import reauthenticate

pytestmark = pytest.mark.django_db

STEP = "/comptes/double-authentification/"


def add_key(client, key: SoftwareSecurityKey, name: str = "Clé du bureau"):
    """Adds `key` through allauth's add page (the password confirmed first)."""
    reauthenticate(client, reverse("mfa_add_webauthn"))
    page = client.get(reverse("mfa_add_webauthn"))
    credential = key.register(page.context["js_data"]["creation_options"])
    return client.post(reverse("mfa_add_webauthn"), {"name": name, "credential": credential})


def authenticate_with(client, key: SoftwareSecurityKey, **kwargs):
    page = client.get(reverse("mfa_authenticate"))
    credential = key.assert_(page.context["js_data"]["request_options"], **kwargs)
    return client.post(reverse("mfa_authenticate"), {"credential": credential})


# allauth adds the authenticator and sends its e-mail once the transaction commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_key_added_opens_the_admin_is_told_by_email_and_opens_the_next_sign_in(
    client, mailoutbox
):
    staff = UserFactory(is_staff=True, is_superuser=True)
    key = SoftwareSecurityKey()
    sign_in(client, staff.email)

    added = add_key(client, key)
    # The first key comes with recovery codes, shown once.
    assert added["Location"] == reverse("mfa_view_recovery_codes")
    assert str(Authenticator.objects.get(user=staff, type="webauthn")) == "Clé du bureau"
    assert client.get("/admin/").status_code == 200  # adding it used it
    assert any("clé de sécurité" in m.body.lower() for m in mailoutbox), [
        m.subject for m in mailoutbox
    ]

    client.post(reverse("account_logout"))
    assert sign_in(client, staff.email)["Location"] == reverse("mfa_authenticate")
    page = assert_dsfr_page(
        client.get(reverse("mfa_authenticate")), title="Validation en deux étapes"
    )
    assert [text(h) for h in page.find_all("h2")] == [
        "Avec votre clé de sécurité",
        "Ou avec un code",
    ]
    authenticate_with(client, key)
    assert signed_in_user_id(client) == str(staff.pk)
    assert client.get("/admin/").status_code == 200


def test_a_signature_of_another_key_in_the_name_of_the_account_s_key_opens_nothing(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    key, thief = SoftwareSecurityKey(), SoftwareSecurityKey()
    sign_in(client, staff.email)
    add_key(client, key)
    client.post(reverse("account_logout"))

    sign_in(client, staff.email)
    refused = authenticate_with(client, thief, credential_id=key.credential_id)
    assert refused.status_code == 200
    page = assert_dsfr_page(refused, title="Validation en deux étapes")
    assert text(page.find(role="alert")) == (
        "Cette clé de sécurité n'a pas été reconnue. Rien n'a été modifié : utilisez la clé "
        "associée à votre compte, ou un code."
    )
    assert signed_in_user_id(client) is None
    # A key the account does not hold, in its own name, neither.
    authenticate_with(client, thief)
    assert signed_in_user_id(client) is None
    authenticate_with(client, key)
    assert signed_in_user_id(client) == str(staff.pk)


def test_the_step_page_offers_the_key_of_an_account_that_holds_one(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, staff.email)
    add_key(client, SoftwareSecurityKey())
    # A session whose second factor is not proven (e.g. a ProConnect sign-in without it).
    client.force_login(staff, second_factor=False)

    page = assert_dsfr_page(
        client.get(f"{STEP}?next=/admin/"), title="Validation en deux étapes requise"
    )
    links = {text(a): a["href"] for a in page.select("main a.fr-btn")}
    assert (
        links["Utiliser ma clé de sécurité"]
        == f"{reverse('mfa_reauthenticate_webauthn')}?next=/admin/"
    )
    assert "Ajouter une clé de sécurité" not in links


def test_an_account_without_a_second_factor_can_choose_an_app_or_a_key(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff, second_factor=False)

    page = assert_dsfr_page(
        client.get(f"{STEP}?next=/admin/"), title="Validation en deux étapes requise"
    )
    links = {text(a): a["href"] for a in page.select("main a.fr-btn")}
    assert links["Activer une application d'authentification"] == (
        f"{reverse('mfa_activate_totp')}?next=/admin/"
    )
    assert links["Ajouter une clé de sécurité"] == f"{reverse('mfa_add_webauthn')}?next=/admin/"


def test_the_sign_in_step_of_an_account_with_an_app_only_offers_no_key(client):
    from tests.people.test_staff_second_factor import with_app

    staff = UserFactory(is_staff=True, is_superuser=True)
    with_app(staff)
    sign_in(client, staff.email)
    page = assert_dsfr_page(
        client.get(reverse("mfa_authenticate")), title="Validation en deux étapes"
    )
    assert [text(h) for h in page.find_all("h2")] == ["Avec un code"]
    assert page.find(id="mfa_webauthn_authenticate") is None


def test_the_key_pages_are_in_french_and_in_the_design_system(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, staff.email)
    add_key(client, SoftwareSecurityKey(), name="Clé du bureau")

    add_page = assert_dsfr_page(
        client.get(reverse("mfa_add_webauthn")), title="Ajouter une clé de sécurité"
    )
    assert text(add_page.find("label", attrs={"for": "id_name"})) == "Nom de la clé"
    rename = reverse(
        "mfa_edit_webauthn",
        kwargs={"pk": Authenticator.objects.get(user=staff, type="webauthn").pk},
    )
    edit_page = assert_dsfr_page(client.get(rename), title="Modifier la clé de sécurité")
    assert text(edit_page.find("label", attrs={"for": "id_name"})) == "Nom de la clé"
    listing = assert_dsfr_page(client.get(reverse("mfa_list_webauthn")), title="Clés de sécurité")
    assert text(listing.find("caption")) == "Vos clés de sécurité"
    assert "Jamais utilisée." in text(listing.find("tbody"))
    profile = client.get(reverse("people:profile")).content.decode()
    assert "avec 1 clé de sécurité" in profile
    # allauth's French for the key's button, corrected by the portal's own catalogue.
    assert gettext("Use a security key") == "Utiliser ma clé de sécurité"


def test_a_key_answer_to_another_challenge_adds_no_key_and_says_why(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, staff.email)
    reauthenticate(client, reverse("mfa_add_webauthn"))
    options = client.get(reverse("mfa_add_webauthn")).context["js_data"]["creation_options"]
    options["publicKey"]["challenge"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"  # replayed
    refused = client.post(
        reverse("mfa_add_webauthn"),
        {"name": "Clé", "credential": SoftwareSecurityKey().register(options)},
    )
    page = assert_dsfr_page(refused, title="Ajouter une clé de sécurité")
    assert text(page.find(role="alert")) == (
        "La réponse de la clé de sécurité n'a pas pu être vérifiée. Aucune clé n'a été "
        "ajoutée : réessayez."
    )
    assert not Authenticator.objects.filter(user=staff, type="webauthn").exists()
    assert client.get("/admin/").status_code == 302  # and nothing opened


def test_confirming_access_with_the_key_from_the_step_page_opens_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    key = SoftwareSecurityKey()
    sign_in(client, staff.email)
    add_key(client, key)
    client.force_login(staff, second_factor=False)
    assert client.get("/admin/").status_code == 302

    confirm = f"{reverse('mfa_reauthenticate_webauthn')}?next=/admin/"
    page = client.get(confirm)
    assert_dsfr_page(page, title="Confirmer l'accès")
    credential = key.assert_(page.context["js_data"]["request_options"])
    done = client.post(confirm, {"credential": credential, "next": "/admin/"})
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
