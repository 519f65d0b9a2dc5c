"""Links an e-mail shows under one notification, supplied by the app that sent it.

This app knows no other app. One that wants a link under its notifications in
e-mails (the Communauté's "Ne plus suivre ce sujet") registers, for its kind, a
provider: `provider(*, user, notifications) -> {notification pk: [EmailLink, …]}`.
An e-mail calls each provider once with all the notifications of its kind that it
lists, so a provider reads what it needs in a fixed number of queries, and
decides at sending time (a watch removed since the event gets no link).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from portal.notifications import kinds


@dataclass(frozen=True)
class EmailLink:
    label: str
    url: str  # absolute: e-mails are read outside the site


Provider = Callable[..., dict[int, list[EmailLink]]]

_providers: dict[str, Provider] = {}


def register_email_links(kind: str, provider: Provider) -> None:
    kinds.get(kind)  # the kind is registered first
    existing = _providers.get(kind)
    if existing is not None and existing is not provider:
        raise ImproperlyConfigured(f"E-mail links of kind {kind!r} are already registered.")
    _providers[kind] = provider


def email_links(*, user, notifications) -> dict[int, list[EmailLink]]:
    """The links to show under each of these notifications, by notification pk."""
    by_kind = defaultdict(list)
    for notification in notifications:
        by_kind[notification.kind].append(notification)
    links: dict[int, list[EmailLink]] = {}
    for kind, group in by_kind.items():
        provider = _providers.get(kind)
        if provider is None:
            continue
        for pk, found in provider(user=user, notifications=group).items():
            links.setdefault(pk, []).extend(found)
    return links
