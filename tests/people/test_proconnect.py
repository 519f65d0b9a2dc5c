"""Signing in with ProConnect, against a real OpenID provider started by the tests
(tests/oidc.py: node-oidc-provider configured as ProConnect, signed userinfo).

The person's browser is played by two clients: Django's test client on the portal's
side (http://testserver), a requests session on the provider's side.
"""

import html
import json
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.people.proconnect.views import SESSION_ID_TOKEN
from tests.factories import UserFactory
from tests.oidc import TEST_HOST

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

User = get_user_model()

FRANCE_TRAVAIL_SIRET = "13000548100010"


def camille(proconnect, **claims):
    values = {
        "email": "camille.durand@francetravail.fr",
        "given_name": "Camille",
        "usual_name": "Durand",
        "siret": FRANCE_TRAVAIL_SIRET,
        "uid": "fi-uid-1",
        "idp_id": "fia1v2",
        **claims,
    }
    proconnect.add_account(values["email"], **values)
    return values


class Browser:
    """The provider's side of one person's browser (its cookies: its ProConnect session)."""

    def __init__(self):
        self.session = requests.Session()

    def until_portal(self, response):
        """Follow the provider's redirects until one leads back to the portal."""
        while response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(TEST_HOST):
                parts = urlsplit(location)
                return f"{parts.path}?{parts.query}" if parts.query else parts.path
            response = self.session.get(location, allow_redirects=False)
        return response

    def authorize(self, url: str):
        return self.until_portal(self.session.get(url, allow_redirects=False))

    def sign_in(self, form_page, login: str, password: str = "mot-de-passe-fi"):
        action = re.search(r'action="([^"]+/login)"', form_page.text).group(1)
        response = self.session.post(
            urljoin(form_page.url, action),
            data={"login": login, "password": password},
            allow_redirects=False,
        )
        return self.until_portal(response)

    def cancel(self, form_page):
        action = re.search(r'action="([^"]+/abort)"', form_page.text).group(1)
        return self.until_portal(
            self.session.post(urljoin(form_page.url, action), allow_redirects=False)
        )


def start(client) -> str:
    """Click "S'identifier avec ProConnect": where the portal sends the browser."""
    response = client.post(reverse("proconnect_login"))
    assert response.status_code == 302, response
    return response["Location"]


def sign_in(client, browser: Browser, login: str, **kwargs):
    """The whole journey; the portal's answer to the callback."""
    at_provider = browser.authorize(start(client))
    callback = (
        browser.sign_in(at_provider, login, **kwargs)
        if not isinstance(at_provider, str)
        else at_provider  # still signed in at ProConnect: straight back
    )
    assert isinstance(callback, str), callback.text
    return client.get(callback)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def followed(client, response):
    return client.get(response["Location"]) if response.status_code == 302 else response


# --- the authorization request -------------------------------------------------------


def test_the_authorization_request_carries_exactly_what_proconnect_accepts(client, proconnect):
    query = parse_qs(urlsplit(start(client)).query)

    assert set(query) == {
        "client_id",
        "redirect_uri",
        "response_type",
        "scope",
        "state",
        "nonce",
        "claims",
    }
    assert query["response_type"] == ["code"]
    assert set(query["scope"][0].split()) == {
        "openid",
        "email",
        "given_name",
        "usual_name",
        "siret",
    }
    assert query["redirect_uri"] == [f"{TEST_HOST}/comptes/proconnect/login/callback/"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    # acr_values is not among the parameters ProConnect lists: the level goes in claims.
    assert json.loads(query["claims"][0]) == {
        "id_token": {"acr": {"essential": True, "values": ["eidas1"]}}
    }


def test_the_login_and_signup_pages_show_the_proconnect_button_above_the_email_form(
    client, proconnect
):
    for url in (reverse("account_login"), reverse("account_signup")):
        page = client.get(url).content.decode()
        assert "S’identifier avec" in page and "ProConnect</span>" in page
        assert "Qu’est-ce que ProConnect ?" in page
        assert page.index("fr-connect") < page.index(
            'name="email"' if "signup" in url else 'name="login"'
        )


def test_without_proconnect_configured_the_pages_have_no_button_and_its_login_is_404(client):
    for url in (reverse("account_login"), reverse("account_signup")):
        response = client.get(url)
        assert response.status_code == 200
        assert "fr-connect" not in response.content.decode()
    assert client.post(reverse("proconnect_login")).status_code == 404


# --- signing in -------------------------------------------------------------------------


def test_a_first_sign_in_creates_the_account_from_the_claims_and_opens_the_profile(
    client, proconnect
):
    claims = camille(proconnect)

    response = sign_in(client, Browser(), claims["email"])

    assert response.status_code == 302
    assert response["Location"] == "/mon-espace/profil/"
    user = User.objects.get(email=claims["email"])
    assert (user.first_name, user.last_name, user.siret) == (
        "Camille",
        "Durand",
        FRANCE_TRAVAIL_SIRET,
    )
    assert user.operator.slug == "france-travail"  # from the SIRET
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "proconnect"
    assert account.extra_data["userinfo"]["idp_id"] == "fia1v2"
    assert account.extra_data["id_token"]["acr"] == "eidas1"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[SESSION_ID_TOKEN].count(".") == 2  # kept for the logout
    profile = client.get(response["Location"])
    welcome = " ".join(messages_of(profile))
    assert "Bienvenue ! ProConnect a rempli" in welcome and "France Travail" in welcome
    assert FRANCE_TRAVAIL_SIRET in profile.content.decode()
    assert "<h1>Compléter mon profil</h1>" in profile.content.decode()
    assert "Aucun mot de passe : vous vous connectez avec ProConnect" in profile.content.decode()


def test_an_unknown_siret_is_kept_and_the_profile_asks_for_the_operator(client, proconnect):
    claims = camille(proconnect, email="lea@asso-insertion.example", siret="88012345600017")

    profile = followed(client, sign_in(client, Browser(), claims["email"]))

    user = User.objects.get(email=claims["email"])
    assert user.siret == "88012345600017" and user.operator is None
    page = profile.content.decode()
    assert "88012345600017" in page
    assert "Le portail ne le connaît pas : choisissez votre opérateur" in page


def test_a_second_sign_in_reuses_the_account(client, proconnect):
    claims = camille(proconnect)
    sign_in(client, Browser(), claims["email"])
    client.logout()

    response = sign_in(client, Browser(), claims["email"])

    assert response.status_code == 302
    assert User.objects.filter(email=claims["email"]).count() == 1
    assert SocialAccount.objects.count() == 1
    assert int(client.session["_auth_user_id"]) == User.objects.get().pk


def test_an_existing_account_with_the_same_verified_email_is_linked_and_told(client, proconnect):
    existing = UserFactory(email="camille.durand@francetravail.fr", first_name="Camille")
    claims = camille(proconnect)

    response = followed(client, sign_in(client, Browser(), claims["email"]))

    assert User.objects.filter(email__iexact=claims["email"]).count() == 1
    assert SocialAccount.objects.get().user == existing
    assert int(client.session["_auth_user_id"]) == existing.pk
    assert any("désormais relié à ProConnect" in m for m in messages_of(response))
    existing.refresh_from_db()
    assert existing.has_usable_password()  # a verified address: the password stays


def test_an_identity_whose_email_is_not_verified_is_not_linked_to_an_existing_account(
    client, proconnect
):
    UserFactory(email="camille.durand@francetravail.fr")
    claims = camille(proconnect, email_verified=False)

    response = followed(client, sign_in(client, Browser(), claims["email"]))

    assert response.request["PATH_INFO"] == reverse("account_login")
    assert any("ne l'a pas vérifiée" in m for m in messages_of(response))
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == 1


# --- errors: a French message on the login page, nothing changed -------------------------


def test_cancelling_at_the_provider_ends_on_the_login_page_with_a_french_message(
    client, proconnect
):
    camille(proconnect)
    browser = Browser()
    at_provider = browser.authorize(start(client))

    response = followed(client, client.get(browser.cancel(at_provider)))

    assert response.request["PATH_INFO"] == reverse("account_login")
    assert any("Connexion avec ProConnect annulée" in m for m in messages_of(response))
    assert not SocialAccount.objects.exists()
    assert not User.objects.filter(email="camille.durand@francetravail.fr").exists()
    assert "_auth_user_id" not in client.session


def test_a_tampered_state_is_refused_with_a_french_message(client, proconnect):
    claims = camille(proconnect)
    browser = Browser()
    callback = browser.sign_in(browser.authorize(start(client)), claims["email"])
    tampered = re.sub(r"state=[^&]+", "state=" + "x" * 43, callback)

    response = followed(client, client.get(tampered))

    assert any(
        "la demande a expiré ou ne vient pas de ce navigateur" in m for m in messages_of(response)
    )
    assert not User.objects.filter(email=claims["email"]).exists()


def test_a_callback_played_twice_does_not_sign_in_twice(client, proconnect):
    claims = camille(proconnect)
    browser = Browser()
    callback = browser.sign_in(browser.authorize(start(client)), claims["email"])
    client.get(callback)
    client.logout()

    response = followed(client, client.get(callback))

    assert any("ProConnect" in m for m in messages_of(response))
    assert "_auth_user_id" not in client.session


def test_an_id_token_without_the_nonce_of_this_sign_in_is_refused(client, proconnect):
    claims = camille(proconnect)
    browser = Browser()
    at_provider = browser.authorize(start(client))
    session = client.session
    states = session["socialaccount_states"]
    for state in states.values():
        state[0]["nonce"] = "un-autre-nonce-que-celui-envoye-au-fournisseur"
    session["socialaccount_states"] = states
    session.save()

    response = followed(client, client.get(browser.sign_in(at_provider, claims["email"])))

    assert any("ne peut pas vérifier" in m for m in messages_of(response))
    assert not User.objects.filter(email=claims["email"]).exists()


def test_a_provider_that_does_not_answer_gives_a_french_message(client, settings, proconnect):
    from portal.settings import proconnect_app
    from tests.oidc import CLIENT_ID, CLIENT_SECRET, _free_port

    settings.SOCIALACCOUNT_PROVIDERS = {
        "proconnect": proconnect_app(
            client_id=CLIENT_ID,
            secret=CLIENT_SECRET,
            server_url=f"http://127.0.0.1:{_free_port()}/api/v2",
        )
    }

    response = followed(client, client.post(reverse("proconnect_login")))

    assert response.request["PATH_INFO"] == reverse("account_login")
    assert any("ProConnect ne répond pas" in m for m in messages_of(response))


# --- logout ----------------------------------------------------------------------------------


def test_logout_ends_the_portal_session_and_the_proconnect_session(client, proconnect):
    claims = camille(proconnect)
    browser = Browser()
    sign_in(client, browser, claims["email"])
    id_token = client.session[SESSION_ID_TOKEN]

    leaving = client.post(reverse("account_logout"))

    assert "_auth_user_id" not in client.session
    end = urlsplit(leaving["Location"])
    assert end.path.endswith("/api/v2/session/end")
    query = parse_qs(end.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [f"{TEST_HOST}/comptes/proconnect/logout/"]
    # At ProConnect: the confirmation, then back to the portal with the state.
    confirm = browser.session.get(leaving["Location"])
    form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', confirm.text, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    back = browser.until_portal(
        browser.session.post(
            urljoin(confirm.url, html.unescape(form.group(1))),
            data={**fields, "logout": "yes"},
            allow_redirects=False,
        )
    )
    assert back.startswith("/comptes/proconnect/logout/?state=")
    home = followed(client, client.get(back))
    assert any("déconnecté(e) du portail et de ProConnect" in m for m in messages_of(home))
    # The ProConnect session is over too: signing in again asks for the password.
    again = browser.authorize(start(client))
    assert not isinstance(again, str) and 'name="password"' in again.text


# --- how a person signs in, from the profile -------------------------------------------


def test_proconnect_is_never_removed_from_an_account_that_has_no_other_way_in(client, proconnect):
    claims = camille(proconnect)
    sign_in(client, Browser(), claims["email"])
    account = SocialAccount.objects.get()

    page = client.get(reverse("socialaccount_connections"))
    assert page.status_code == 200 and "ProConnect" in page.content.decode()
    refused = client.post(reverse("socialaccount_connections"), {"account": account.pk})

    assert SocialAccount.objects.filter(pk=account.pk).exists()
    assert "mot de passe" in refused.content.decode()

    # With a password, ProConnect may go: the account keeps a way in.
    user = User.objects.get()
    client.post(
        reverse("account_set_password"),
        {"password1": "Un-mot-de-passe-solide-42", "password2": "Un-mot-de-passe-solide-42"},
    )
    user.refresh_from_db()
    assert user.has_usable_password()
    client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert not SocialAccount.objects.exists()
    profile = client.get(reverse("people:profile")).content.decode()
    assert "ProConnect n'est pas relié à ce compte" in profile


def test_a_signed_in_person_links_proconnect_from_the_profile(client, proconnect):
    user = UserFactory(email="yanis@mission-locale.example")
    client.force_login(user)
    claims = camille(proconnect, email="yanis.benali@ml-amiens.example")

    start_url = client.post(reverse("proconnect_login"), {"process": "connect"})["Location"]
    browser = Browser()
    callback = browser.sign_in(browser.authorize(start_url), claims["email"])
    client.get(callback)

    account = SocialAccount.objects.get()
    assert account.user == user  # linked to the signed-in account, whatever its address
    assert User.objects.count() == 1
    page = client.get(reverse("socialaccount_connections")).content.decode()
    assert "yanis.benali@ml-amiens.example" in page


def test_the_data_export_holds_the_siret_and_what_proconnect_sent(client, proconnect):
    claims = camille(proconnect)
    sign_in(client, Browser(), claims["email"])

    data = json.loads(client.get(reverse("people:personal_data_download")).getvalue())
    readable = client.get(reverse("people:personal_data_html")).content.decode()

    assert data["profil"]["siret_de_la_structure"] == FRANCE_TRAVAIL_SIRET
    sent = data["profil"]["proconnect"][0]["donnees_transmises"]
    assert sent["usual_name"] == "Durand" and sent["idp_id"] == "fia1v2"
    assert "Nom d&#x27;usage (usual_name)" in readable or "Nom d'usage (usual_name)" in readable
