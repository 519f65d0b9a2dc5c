"""Staff accounts prove a second factor before their powers open
(portal/people/second_factor.py): signed in through allauth's real forms, here."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import UserFactory
from tests.people.helpers import sign_in, signed_in_user_id
from tests.people.pages import assert_dsfr_page, text
from tests.people.test_account_pages import current_totp_code, reauthenticate

pytestmark = pytest.mark.django_db

STEP = "/comptes/double-authentification/"


@pytest.fixture(autouse=True)
def _tolerant_totp(settings):
    # One step of tolerance: a code computed at the end of a 30-second step stays valid.
    settings.MFA_TOTP_TOLERANCE = 1


def with_app(user) -> tuple[str, list[str]]:
    """An authenticator app and recovery codes for this account: (secret, codes)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes


def step_for(response, next_url: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"{STEP}?next={next_url.replace('/', '%2F')}"


def test_a_staff_account_signed_in_with_a_password_alone_reaches_no_page_until_its_second_factor(
    client,
):
    staff = UserFactory(is_staff=True, is_superuser=True)
    assert sign_in(client, staff.email).status_code == 302
    assert signed_in_user_id(client) == str(staff.pk)

    for url in ("/admin/", "/django-admin/", "/communaute/", "/mon-espace/", "/"):
        step_for(client.get(url), url)

    page = assert_dsfr_page(
        client.get(f"{STEP}?next=/admin/"), title="Validation en deux étapes requise"
    )
    assert text(page.find("h1")) == "Validation en deux étapes requise"
    activate = [
        a for a in page.find_all("a") if text(a) == "Activer une application d'authentification"
    ]
    assert activate and activate[0]["href"] == f"{reverse('mfa_activate_totp')}?next=/admin/"
    # The account pages stay open: that is where the second factor is set up.
    assert client.get(reverse("mfa_index")).status_code == 200


# allauth adds the authenticator and sends its e-mail once the transaction commits:
# this test commits, as a real request does.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_activating_the_app_opens_the_admin_tells_by_email_and_the_next_sign_in_asks_a_code(
    client, mailoutbox
):
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, staff.email)
    reauthenticate(client, reverse("mfa_activate_totp"))
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    step_for(client.get("/admin/"), "/admin/")  # a wrong code opens nothing

    assert client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    assert client.get("/admin/").status_code == 200
    assert any("application d'authentification" in m.body.lower() for m in mailoutbox), [
        m.subject for m in mailoutbox
    ]

    client.post(reverse("account_logout"))
    assert sign_in(client, staff.email)["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert signed_in_user_id(client) == str(staff.pk)
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_opens_the_admin_once_and_never_again(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    _, codes = with_app(staff)

    sign_in(client, staff.email)
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert signed_in_user_id(client) == str(staff.pk)
    assert client.get("/admin/").status_code == 200

    client.post(reverse("account_logout"))
    sign_in(client, staff.email)
    reused = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert reused.status_code == 200  # the form again, with its error
    assert "Code incorrect." in reused.content.decode()
    assert signed_in_user_id(client) is None
    assert client.get("/admin/")["Location"].startswith("/admin/login/")

    client.post(reverse("mfa_authenticate"), {"code": codes[1]})
    assert signed_in_user_id(client) == str(staff.pk)


def test_a_session_opened_before_the_account_became_staff_waits_for_a_code(client):
    person = UserFactory()
    secret, _ = with_app(person)
    sign_in(client, person.email)
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    person.is_staff = person.is_superuser = True
    person.save()
    Authenticator.objects.filter(user=person).delete()  # and the app was removed since
    secret, _ = with_app(person)
    # The records of this session count only for the sign-in they were made for: a
    # force-login without them stands for that older session.
    client.force_login(person, second_factor=False)

    step_for(client.get("/admin/"), "/admin/")
    page = assert_dsfr_page(
        client.get(f"{STEP}?next=/admin/"), title="Validation en deux étapes requise"
    )
    code = [a for a in page.find_all("a") if text(a) == "Saisir un code"]
    assert code and code[0]["href"] == f"{reverse('mfa_reauthenticate')}?next=/admin/"

    response = client.post(code[0]["href"], {"code": current_totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_editor_without_is_staff_is_stopped_at_the_admin_only(client):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    sign_in(client, editor.email)

    step_for(client.get("/admin/pages/"), "/admin/pages/")
    assert client.get("/communaute/").status_code == 200


def test_people_without_staff_powers_never_meet_the_step(client):
    person = UserFactory()
    sign_in(client, person.email)

    assert client.get("/communaute/").status_code == 200
    response = client.get(f"{STEP}?next=/communaute/")
    assert response.status_code == 302 and response["Location"] == "/communaute/"


def test_the_step_only_ever_sends_back_to_a_page_of_the_portal(client):
    staff = UserFactory(is_staff=True)
    sign_in(client, staff.email)

    page = assert_dsfr_page(
        client.get(f"{STEP}?next=https://ailleurs.example/"),
        title="Validation en deux étapes requise",
    )
    hrefs = [a["href"] for a in page.find_all("a") if a.get("href", "").startswith("/comptes/")]
    assert hrefs and all("ailleurs" not in href for href in hrefs)
    assert f"{reverse('mfa_activate_totp')}?next=/admin/" in hrefs
