"""django-allauth hooks for the portal.

Settings: ACCOUNT_ADAPTER = "portal.people.adapters.AccountAdapter",
SOCIALACCOUNT_ADAPTER = "portal.people.adapters.SocialAccountAdapter" (ProConnect).
"""

import logging
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from requests import RequestException

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mail templates read as `current_site` (name and domain)."""

    name: str
    domain: str

    def __str__(self):
        return self.name


def portal_site() -> PortalSite:
    return PortalSite(
        name=settings.PORTAL_NAME, domain=urlsplit(settings.SITE_URL).netloc or "localhost"
    )


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Without django.contrib.sites, allauth names the site after the request's host
        # ("Bonjour, c'est 127.0.0.1:8000 !"); the portal's e-mails carry its name instead.
        super().send_mail(template_prefix, email, {**context, "current_site": portal_site()})

    # --- logout: the ProConnect session ends too --------------------------------------

    def get_logout_redirect_url(self, request):
        """Called before the logout: a person signed in with ProConnect leaves through
        ProConnect's end of session (RP-initiated logout), which brings them back."""
        from portal.people.proconnect.views import SESSION_ID_TOKEN, end_session_url

        id_token = request.session.get(SESSION_ID_TOKEN)
        if id_token and settings.PROCONNECT_ENABLED:
            try:
                ending = end_session_url(request, id_token)
            except (RequestException, ValueError):
                logger.exception("ProConnect: no end of session (discovery failed)")
                ending = None
            if ending:
                url, request._proconnect_logout_state = ending
                return url
        return super().get_logout_redirect_url(request)

    def logout(self, request):
        from portal.people.proconnect.views import SESSION_LOGOUT_STATE

        state = getattr(request, "_proconnect_logout_state", None)
        super().logout(request)  # a new, empty session
        if state:
            request.session[SESSION_LOGOUT_STATE] = state


# French messages for what can go wrong between the portal and ProConnect.
PROCONNECT_ERRORS = {
    "cancelled": "Connexion avec ProConnect annulée. Vous pouvez réessayer, ou vous "
    "connecter avec votre adresse électronique et votre mot de passe.",
    "state": "La connexion avec ProConnect n'a pas abouti : la demande a expiré ou ne vient "
    "pas de ce navigateur. Rien n'a été modifié ; réessayez.",
    "down": "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou "
    "connectez-vous avec votre adresse électronique et votre mot de passe.",
    "invalid": "ProConnect a renvoyé une réponse que le portail ne peut pas vérifier (code "
    "expiré, jeton ou signature invalide). Rien n'a été modifié ; réessayez.",
    "claims": "ProConnect n'a pas transmis votre adresse électronique professionnelle : "
    "le portail ne peut pas vous connecter ainsi. Connectez-vous avec votre adresse "
    "électronique et votre mot de passe.",
    "unverified": "Un compte du portail existe déjà avec l'adresse {email}, et ProConnect "
    "ne l'a pas vérifiée : le portail ne relie pas les deux sans vous. Connectez-vous avec "
    "votre mot de passe, puis reliez ProConnect depuis votre profil.",
    "acr": "Votre connexion ProConnect n'a pas le niveau d'authentification que ce portail "
    "demande. Rien n'a été modifié ; reconnectez-vous avec ProConnect.",
    # ProConnect's own wording for a service that requires two factors (« Forcer la
    # double authentification »).
    "two_factor": "Vous ne pouvez pas accéder à l'administration sans double "
    "authentification ProConnect. Installez une application d'authentification dans "
    "ProConnect, puis reconnectez-vous.",
    "other_person": "Cette identité ProConnect n'est pas reliée à votre compte : elle ne "
    "peut pas servir de second facteur. Rien n'a été modifié.",
    "other": "La connexion avec ProConnect n'a pas abouti. Rien n'a été modifié ; réessayez.",
}


def proconnect_refusal(request, key: str, to: str = "account_login", **values):
    """Back on the login page (or `to`) with the French message: nothing else changes."""
    messages.error(request, PROCONNECT_ERRORS[key].format(**values))
    return ImmediateHttpResponse(redirect(to))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def generate_state_param(self, state: dict) -> str:
        return secrets.token_urlsafe(32)  # ProConnect wants 32 characters or more

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        from portal.people.proconnect.claims import MissingClaims

        extra_context = extra_context or {}
        if error == AuthError.CANCELLED:
            key = "cancelled"
        elif isinstance(exception, MissingClaims):
            key = "claims"
        elif isinstance(exception, RequestException):
            key = "down"
        elif isinstance(exception, OAuth2Error):
            key = "invalid"
        elif exception is None and extra_context.get("state") is None:
            key = "state"  # unknown, reused or tampered state
        else:
            key = "other"
        logger.warning("ProConnect sign-in failed: %s (%r)", key, exception)
        raise proconnect_refusal(request, key)

    def pre_social_login(self, request, sociallogin):
        if sociallogin.account.provider != "proconnect":
            return
        expected = sociallogin.state.get("nonce") or ""
        received = str(sociallogin.account.extra_data.get("id_token", {}).get("nonce") or "")
        if not expected or not secrets.compare_digest(expected, received):
            logger.warning("ProConnect sign-in refused: nonce mismatch")
            raise proconnect_refusal(request, "invalid")
        self._check_acr(request, sociallogin)
        if sociallogin.is_existing or sociallogin.user.pk:
            return  # a returning identity, or an account found by its verified e-mail
        email = sociallogin.user.email
        unverified = [a for a in sociallogin.email_addresses if not a.verified]
        if unverified and get_user_model().objects.filter(email__iexact=email).exists():
            raise proconnect_refusal(request, "unverified", email=email)

    def _check_acr(self, request, sociallogin):
        """The acr asked for must come back (ProConnect: « vous devez impérativement
        vérifier les valeurs contenues dans le champ acr »); a second factor taken by a
        signed-in staff account must be that account's own ProConnect identity."""
        required = sociallogin.state.get("acr_required") or []
        acr = sociallogin.account.extra_data.get("id_token", {}).get("acr")
        # A step-up by a signed-in staff account comes back to its step page.
        step_up = bool(sociallogin.state.get("second_factor")) and request.user.is_authenticated
        if required and acr not in required:
            logger.warning("ProConnect sign-in refused: acr %r not in %r", acr, required)
            if step_up:
                raise proconnect_refusal(request, "two_factor", to="second_factor")
            two_factor = bool(sociallogin.state.get("second_factor"))
            raise proconnect_refusal(request, "two_factor" if two_factor else "acr")
        if step_up and sociallogin.user.pk != request.user.pk:
            raise proconnect_refusal(request, "other_person", to="second_factor")

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        if sociallogin.account.provider == "proconnect":
            from portal.people.proconnect.services import fill_from_identity

            fill_from_identity(user, sociallogin.account.extra_data)
        return user
