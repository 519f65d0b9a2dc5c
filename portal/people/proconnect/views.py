"""The OAuth2 views of ProConnect (allauth's), its adapter, and the logout's return."""

import secrets

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from portal.people.second_factor import SESSION_ACR

# The session key that keeps the ID token for the logout at ProConnect (id_token_hint).
SESSION_ID_TOKEN = "proconnect_id_token"  # noqa: S105 (a key, not a secret)
SESSION_LOGOUT_STATE = "proconnect_logout_state"


def keep_sign_in(sender, request, user, sociallogin=None, **kwargs):
    """allauth's user_logged_in: the ProConnect sign-in of this request in the session."""
    held = getattr(request, "_proconnect_sign_in", None)
    if held and sociallogin is not None and sociallogin.account.provider == "proconnect":
        request.session.update(held)


class ProConnectAdapter(OpenIDConnectOAuth2Adapter):
    def __init__(self, request):
        super().__init__(request, "proconnect")

    def get_callback_url(self, request, app):
        return request.build_absolute_uri(reverse("proconnect_callback"))

    def complete_login(self, request, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise OAuth2Error("ProConnect n'a pas renvoyé de jeton d'identité.")
        data = {
            "id_token": self._decode_id_token(app, id_token),
            "userinfo": self._fetch_user_info(token.token),
        }
        if data["userinfo"].get("sub") != data["id_token"].get("sub"):
            raise OAuth2Error("userinfo and id_token name different people")
        login = self.get_provider().sociallogin_from_response(request, data)
        # Kept in the session only (never in the database): the ID token for the logout,
        # the acr for the staff's second factor (second_factor.py). A person already
        # signed in is signed out by allauth before this sign-in completes, which
        # empties the session: keep_sign_in writes them again once signed in.
        request._proconnect_sign_in = {
            SESSION_ID_TOKEN: id_token,
            SESSION_ACR: {
                "sub": str(data["id_token"].get("sub")),
                "acr": data["id_token"].get("acr"),
            },
        }
        request.session.update(request._proconnect_sign_in)
        return login

    def _decode_id_token(self, app, id_token: str) -> dict:
        # allauth skips the signature of a token it fetched itself over TLS (which OIDC
        # Core allows); ProConnect asks every service to check it: always checked.
        return self._verified(id_token, app)

    def _fetch_user_info(self, access_token: str) -> dict:
        """ProConnect's userinfo is a signed JWT (application/jwt), checked like the ID token."""
        headers = {"Authorization": f"Bearer {access_token}"}
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers=headers)
            response.raise_for_status()
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        if content_type != "application/jwt":
            raise OAuth2Error(f"userinfo is not a signed JWT ({content_type or 'no type'})")
        return self._verified(response.text.strip(), self.get_provider().app)

    def _verified(self, credential: str, app) -> dict:
        """A JWT of ProConnect: signature (its JWKS), issuer and audience checked."""
        return jwtkit.verify_and_decode(
            credential=credential,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


def _unless_unconfigured(view):
    """Without ProConnect's settings there is no app: its pages do not exist."""

    @login_not_required
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SocialApp.DoesNotExist as missing:
            raise Http404("ProConnect n'est pas configuré sur ce portail.") from missing

    return wrapped


oauth2_login = _unless_unconfigured(OAuth2LoginView.adapter_view(ProConnectAdapter))
oauth2_callback = _unless_unconfigured(OAuth2CallbackView.adapter_view(ProConnectAdapter))


def end_session_url(request, id_token: str) -> tuple[str, str] | None:
    """Where to send the browser to end the ProConnect session too (RP-initiated
    logout), and the state it will come back with; None if the provider has no such end."""
    adapter = ProConnectAdapter(request)
    endpoint = adapter.openid_config.get("end_session_endpoint")
    if not endpoint:
        return None
    state = secrets.token_urlsafe(32)
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse("proconnect_logout_callback")
            ),
        }
    )
    return f"{endpoint}?{query}", state


@login_not_required
def logout_callback(request):
    """Back from ProConnect's logout: the portal session ended before leaving."""
    expected = request.session.pop(SESSION_LOGOUT_STATE, None)
    if expected and secrets.compare_digest(expected, request.GET.get("state", "")):
        messages.success(request, "Vous êtes déconnecté(e) du portail et de ProConnect.")
    return redirect("/")
