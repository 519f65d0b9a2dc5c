"""django-allauth hooks for the portal.

Settings: ACCOUNT_ADAPTER = "portal.people.adapters.AccountAdapter".
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


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
