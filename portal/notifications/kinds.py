"""The registry of notification kinds.

Each app registers the kinds it sends, once, from its AppConfig.ready() (or a
module imported there): `register("community.reply", label="Réponses à mes sujets")`.
The label is what members read on the preferences page.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Immédiatement (groupé)"
    DAILY = "daily", "Résumé quotidien"
    NEVER = "never", "Jamais"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    default_delivery: str


_registry: dict[str, Kind] = {}


def register(key: str, *, label: str, default_delivery: str = Delivery.IMMEDIATE) -> Kind:
    if default_delivery not in Delivery.values:
        raise ImproperlyConfigured(f"Unknown delivery {default_delivery!r} for kind {key!r}.")
    kind = Kind(key=key, label=label, default_delivery=str(default_delivery))
    existing = _registry.get(key)
    if existing is not None and existing != kind:
        raise ImproperlyConfigured(f"Notification kind {key!r} is already registered.")
    _registry[key] = kind
    return kind


def get(key: str) -> Kind:
    try:
        return _registry[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}: register it first.") from None


def all_kinds() -> list[Kind]:
    return sorted(_registry.values(), key=lambda kind: kind.label)


def label_for(key: str) -> str:
    # Rows may outlive the app that registered their kind.
    kind = _registry.get(key)
    return kind.label if kind else "Notification"


register("system.welcome", label="Message de l'équipe du portail")
register(
    "system.announcement",
    label="Annonces et nouveautés du portail",
    default_delivery=Delivery.DAILY,
)
