"""Who must prove a second factor, and whether this session did: the one policy.

Staff accounts (superusers, `is_staff`, and everyone the Wagtail admin lets in: editors
and moderators) hold other people's data and the portal's content. A password alone
does not open their powers: the session must also show a second factor, one of

- a code of their authenticator app or a recovery code (allauth MFA), at sign-in or
  since (re-authentication, or the activation of the app, which proves the code);
- a ProConnect sign-in whose ID token carries an acr the federation documents as
  two-factor (docs.partenaires.proconnect.gouv.fr, « Forcer la double
  authentification »): the federation did the second factor, the portal relies on it.

allauth records every authentication step of a session
(`account_authentication_methods`); the ProConnect acr is kept beside it by the
provider's adapter (SESSION_ACR). Reading both costs no query.
"""

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Set by the ProConnect adapter at each sign-in: {"sub": ..., "acr": ...}.
SESSION_ACR = "proconnect_acr"

# Paths whose pages need the Wagtail admin's permission (and so a second factor for
# whoever holds it, even without is_staff).
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def holds_staff_powers(user, *, admin_path: bool = False) -> bool:
    """Whether this account has powers that a password alone must not open.

    is_staff and is_superuser are on the user's row; the Wagtail admin permission is
    asked only on the admin's own paths (it costs a query, and outside the admin it
    opens nothing)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return admin_path and user.has_perm("wagtailadmin.access_admin")


def proconnect_mfa_acr_values() -> set[str]:
    return set(settings.PROCONNECT_MFA_ACR_VALUES)


def session_second_factor(request: HttpRequest, user) -> str | None:
    """How this session proved a second factor ("mfa", "proconnect"), or None."""
    records = get_authentication_records(request, user)
    if any(record.get("method") == "mfa" for record in records):
        return "mfa"
    held = request.session.get(SESSION_ACR) or {}
    for record in records:
        if (
            record.get("method") == "socialaccount"
            and record.get("provider") == "proconnect"
            and record.get("uid") == held.get("sub")
            and held.get("acr") in proconnect_mfa_acr_values()
        ):
            return "proconnect"
    return None


def needs_second_factor(request: HttpRequest, user, *, admin_path: bool = False) -> bool:
    return holds_staff_powers(user, admin_path=admin_path) and not session_second_factor(
        request, user
    )


def record_activation(sender, request, user, authenticator, **kwargs) -> None:
    """allauth's authenticator_added: activating an authenticator app (or a security
    key) means using it, so it is a second factor for this session (allauth records it
    only for a sign-in). Recovery codes are not a factor of their own here."""
    if request is not None and authenticator.type in (
        Authenticator.Type.TOTP,
        Authenticator.Type.WEBAUTHN,
    ):
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


class _ScopeRequest:
    """What get_authentication_records reads of a request: its session."""

    def __init__(self, session):
        self.session = session


def scope_needs_second_factor(scope) -> bool:
    """The same rule for a WebSocket (its scope's session); call it off the event loop."""
    user = scope.get("user")
    if user is None or not holds_staff_powers(user):
        return False
    return session_second_factor(_ScopeRequest(scope["session"]), user) is None


# Paths a staff account reaches before its second factor: the account pages (sign-in,
# the second factor itself, logout), static files and health checks.
OPEN_PREFIXES = ("/comptes/", "/static/", "/livez", "/healthz", "/favicon.ico", "/robots.txt")


class StaffSecondFactorMiddleware:
    """Every page of a staff account, and every admin page, waits for the second factor.

    After AuthenticationMiddleware and allauth's AccountMiddleware. A person without
    staff powers costs nothing more; outside the admin's paths no query is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not path.startswith(OPEN_PREFIXES):
            admin_path = path.startswith(ADMIN_PREFIXES)
            if needs_second_factor(request, request.user, admin_path=admin_path):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('second_factor')}?{query}")
        return self.get_response(request)
