from csp.middleware import CSPMiddleware, PolicyParts

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
        return parts
