import json
import secrets

from allauth.account.models import EmailAddress
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from requests import RequestException

from portal.people.proconnect.claims import identity_from_claims
from portal.people.proconnect.views import ProConnectAdapter

# What the portal uses, and nothing more (ProConnect: "ne demandez que ce qui sert").
# idp_id comes with openid; uid (the identity provider's own identifier) is not used.
SCOPES = ["openid", "email", "given_name", "usual_name", "siret"]


def _claims(data: dict) -> dict:
    # The signed userinfo has the identity; the ID token has nonce, acr, amr.
    return {**data.get("id_token", {}), **data.get("userinfo", {})}


def required_acr_values(*, two_factor: bool) -> list[str]:
    """The acr values this sign-in must come back with ([] for any): the two-factor ones
    for a staff account's second factor, else PROCONNECT_ACR_VALUES."""
    if two_factor:
        return list(settings.PROCONNECT_MFA_ACR_VALUES)
    return settings.PROCONNECT_ACR_VALUES.split()


def acr_claims(required: list[str]) -> str:
    """The `claims` parameter: ProConnect's documented way to ask for an acr (its
    authorize endpoint refuses acr_values, which it does not list). Without a
    requirement, the acr is still asked for, to be read (second_factor.py)."""
    acr = {"essential": True, "values": required} if required else None
    return json.dumps({"id_token": {"acr": acr}}, separators=(",", ":"))


class ProConnectAccount(OpenIDConnectProviderAccount):
    def to_str(self):
        claims = _claims(self.account.extra_data)
        return claims.get("email") or super().to_str()


class ProConnectProvider(OpenIDConnectProvider):
    id = "proconnect"
    name = "ProConnect"
    account_class = ProConnectAccount
    oauth2_adapter_class = ProConnectAdapter

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = "ProConnect"

    def get_login_url(self, request, **kwargs):
        url = reverse("proconnect_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self):
        return reverse("proconnect_callback")

    def get_oauth2_adapter(self, request):
        return ProConnectAdapter(request)

    def get_default_scope(self):
        return list(SCOPES)

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        # A nonce per sign-in, kept in allauth's state (in the session) with the state
        # parameter; the ID token must bring it back (adapters.SocialAccountAdapter).
        nonce = secrets.token_urlsafe(32)
        # Nothing from the request (?auth_params=): ProConnect refuses any parameter it
        # does not list.
        kwargs.pop("auth_params", None)
        two_factor = kwargs.pop("two_factor", False)
        required = required_acr_values(two_factor=two_factor)
        auth_params = {"nonce": nonce, "claims": acr_claims(required)}
        try:
            return super().redirect(
                request,
                process,
                next_url,
                data,
                auth_params=auth_params,
                nonce=nonce,
                acr_required=required,
                second_factor=two_factor,
                **kwargs,
            )
        except RequestException as exception:  # the discovery document is out of reach
            return render_authentication_error(request, self, exception=exception)

    def get_redirect_from_request_kwargs(self, request):
        kwargs = super().get_redirect_from_request_kwargs(request)
        kwargs["scope"] = self.get_scope()  # not widened by the request's ?scope=
        # The step a staff account takes for its second factor (people/second_factor.html).
        kwargs["two_factor"] = request.POST.get("double_authentification") == "1"
        return kwargs

    def extract_uid(self, data):
        return str(_claims(data)["sub"])

    def extract_common_fields(self, data):
        identity = identity_from_claims(_claims(data))
        return {
            "email": identity.email,
            "first_name": identity.first_name,
            "last_name": identity.last_name,
        }

    def extract_email_addresses(self, data):
        identity = identity_from_claims(_claims(data))
        return [EmailAddress(email=identity.email, verified=identity.email_verified, primary=True)]


provider_classes = [ProConnectProvider]
