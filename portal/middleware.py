import logging

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpResponseServerError

# Wagtail's admin still ships inline <script> (inline panels, date pickers):
# its pages get a policy that allows them; every public page keeps the strict
# nonce-based one.
ADMIN_PREFIX = "/admin/"
ADMIN_SCRIPT_SRC = {"script-src": ["'self'", "'unsafe-inline'"]}


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(ADMIN_PREFIX):
            parts.replace = {**(parts.replace or {}), **ADMIN_SCRIPT_SRC}
        if origin := proconnect_origin():
            # The sign-in and logout forms post here, then redirect to ProConnect:
            # browsers apply form-action to that redirect too.
            parts.update = {**(parts.update or {}), "form-action": [origin]}
        return parts


def proconnect_origin() -> str | None:
    """ProConnect's origin when it is configured (settings.SOCIALACCOUNT_PROVIDERS)."""
    from urllib.parse import urlsplit

    from django.conf import settings

    apps = settings.SOCIALACCOUNT_PROVIDERS.get("proconnect", {}).get("APPS", [])
    if not apps:
        return None
    url = urlsplit(apps[0]["settings"]["server_url"])
    return f"{url.scheme}://{url.netloc}"


class PortalErrorPagesMiddleware:
    """The portal's French 404 and 500 pages also under DEBUG, the embedded default.

    With DEBUG on, Django answers a 404 with its English technical page listing the
    routes, and a crash with its traceback page: that is what a person trying
    `make run` met. Here the portal's own pages answer, as in production; the
    traceback of a crash is still logged. DJANGO_DEBUG_PAGES=1 gives Django's
    pages back to a developer who wants them. First in MIDDLEWARE, so it is the
    last to see an exception: allauth and the others handle theirs first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.conf import settings
        from django.core.exceptions import PermissionDenied, SuspiciousOperation
        from django.http import Http404
        from django.shortcuts import render
        from django.template.loader import render_to_string

        if not settings.DEBUG or settings.DJANGO_DEBUG_PAGES:
            return None
        if isinstance(exception, Http404):
            return render(request, "404.html", {"title": "Page non trouvée"}, status=404)
        if isinstance(exception, PermissionDenied | SuspiciousOperation):
            return None  # Django's own 403 and 400 handling stays
        logging.getLogger("django.request").exception(
            "Erreur interne : %s", request.path, exc_info=exception
        )
        return HttpResponseServerError(render_to_string("500.html"))
