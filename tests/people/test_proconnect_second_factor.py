"""A staff account signed in through ProConnect relies on the federation's acr
(portal/people/second_factor.py), against the real provider of tests/oidc.py: an
identity whose sign-in gave two factors opens the admin; one that did not is sent
to the step, whose « Se reconnecter avec ProConnect » asks the federation for them.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model

from portal.people.proconnect.views import SESSION_ID_TOKEN
from tests.people.pages import soup, text
from tests.people.test_proconnect import Browser, camille, followed, messages_of, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

User = get_user_model()

STEP = "/comptes/double-authentification/"
TWO_FACTOR = "https://proconnect.gouv.fr/assurance/self-asserted-2fa"


@pytest.fixture
def any_level(settings, proconnect):
    """A portal that asks no particular level for everyone (the default), so that an
    identity comes back with the acr its identity provider gives."""
    settings.PROCONNECT_ACR_VALUES = ""
    return proconnect


def staff_identity(client, proconnect, **claims) -> tuple[dict, object]:
    """camille's ProConnect identity, linked to a superuser account of the portal."""
    values = camille(proconnect, **claims)
    sign_in(client, Browser(), values["email"])
    client.logout()
    user = User.objects.get(email=values["email"])
    user.is_staff = user.is_superuser = True
    user.save()
    return values, user


def step_up_form(client, next_url="/admin/"):
    """The step's ProConnect form: (action, fields)."""
    page = soup(client.get(f"{STEP}?next={next_url}"))
    button = [b for b in page.find_all("button") if text(b) == "Se reconnecter avec ProConnect"]
    assert button, "the step offers no ProConnect sign-in"
    form = button[0].find_parent("form")
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    return form["action"], fields


def step_up(client, browser, login):
    """Submit the step's ProConnect form, sign in at the provider: the portal's answer."""
    action, fields = step_up_form(client)
    response = client.post(action, fields)
    assert response.status_code == 302, response
    authorize = response["Location"]
    at_provider = browser.authorize(authorize)
    callback = at_provider if isinstance(at_provider, str) else browser.sign_in(at_provider, login)
    assert isinstance(callback, str), callback.text
    return authorize, client.get(callback)


def test_a_staff_identity_signed_in_with_two_factors_at_proconnect_opens_the_admin(
    client, any_level
):
    claims, staff = staff_identity(client, any_level, acr=TWO_FACTOR)

    sign_in(client, Browser(), claims["email"])

    assert int(client.session["_auth_user_id"]) == staff.pk
    assert client.get("/admin/").status_code == 200
    assert client.get("/communaute/").status_code == 200


def test_a_staff_identity_with_one_factor_is_sent_to_the_step_which_asks_proconnect_for_two(
    client, any_level
):
    claims, staff = staff_identity(client, any_level)  # the provider's default: eidas1

    sign_in(client, Browser(), claims["email"])
    assert int(client.session["_auth_user_id"]) == staff.pk
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(STEP)

    # The federation gives one factor again: refused with its own wording, still closed.
    authorize, answer = step_up(client, Browser(), claims["email"])
    asked = json.loads(parse_qs(urlsplit(authorize).query)["claims"][0])
    assert asked["id_token"]["acr"]["essential"] is True
    assert TWO_FACTOR in asked["id_token"]["acr"]["values"]
    assert "eidas1" not in asked["id_token"]["acr"]["values"]
    page = followed(client, answer)
    assert page.request["PATH_INFO"] == STEP
    assert any("sans double authentification ProConnect" in m for m in messages_of(page))
    assert int(client.session["_auth_user_id"]) == staff.pk  # still signed in, no more
    assert client.get("/admin/").status_code == 302

    # The person installs an authenticator at ProConnect and signs in again: open.
    any_level.add_account(claims["email"], **{**claims, "acr": TWO_FACTOR})
    _, answer = step_up(client, Browser(), claims["email"])
    assert answer.status_code == 302 and answer["Location"] == "/admin/"
    assert int(client.session["_auth_user_id"]) == staff.pk
    # allauth signed the person out and in again: the logout still ends at ProConnect.
    assert client.session[SESSION_ID_TOKEN]
    assert client.get("/admin/").status_code == 200


def test_another_persons_identity_cannot_be_a_staff_accounts_second_factor(client, any_level):
    claims, staff = staff_identity(client, any_level)
    other = camille(
        any_level,
        email="dominique.martin@francetravail.fr",
        given_name="Dominique",
        usual_name="Martin",
        uid="fi-uid-2",
        acr=TWO_FACTOR,
    )
    sign_in(client, Browser(), claims["email"])

    _, answer = step_up(client, Browser(), other["email"])

    page = followed(client, answer)
    assert page.request["PATH_INFO"] == STEP
    assert any("n'est pas reliée à votre compte" in m for m in messages_of(page))
    assert int(client.session["_auth_user_id"]) == staff.pk
    assert client.get("/admin/").status_code == 302
    assert not User.objects.filter(email=other["email"]).exists()


def test_a_level_asked_for_everyone_is_checked_on_the_way_back(client, settings, proconnect):
    settings.PROCONNECT_ACR_VALUES = "eidas2"
    claims = camille(proconnect)  # eidas1 at its identity provider

    page = followed(client, sign_in(client, Browser(), claims["email"]))

    assert page.request["PATH_INFO"] == "/comptes/login/"
    assert any("niveau d'authentification" in m for m in messages_of(page))
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email=claims["email"]).exists()
