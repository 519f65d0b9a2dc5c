"""The read API's keys: made by their owner, shown once, kept as a digest, revocable.

A key is `pil_` followed by 43 URL-safe characters (256 random bits). Its SHA-256
digest is what the database holds and what a request is looked up by: a fast hash is
right for a random key of that length (there is nothing to guess), and the unique
index makes the lookup one query.
"""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from pilotage.models import ApiToken

KEY_PREFIX = "pil_"
LIFETIMES = {30: "30 jours", 90: "90 jours", 365: "un an"}
DEFAULT_LIFETIME = 365
MAX_ACTIVE = 10
# last_used_at is written at most once per interval: a program polling the API
# does not turn every read into a write.
USE_RECORDED_EVERY = timedelta(minutes=5)


class TokenError(Exception):
    """Why a key cannot be made, in French."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(user, name: str, days: int = DEFAULT_LIFETIME) -> tuple[ApiToken, str]:
    """A new key for `user`: (its row, the key itself, to show once and never again)."""
    name = name.strip()
    if not name:
        raise TokenError("Donnez un nom à la clé, par exemple celui du programme qui l'utilise.")
    if days not in LIFETIMES:
        raise TokenError("Choisissez une durée de validité proposée.")
    if active(user).count() >= MAX_ACTIVE:
        raise TokenError(
            f"Vous avez déjà {MAX_ACTIVE} clés actives : "
            "révoquez-en une avant d'en créer une autre."
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        prefix=key[: len(KEY_PREFIX) + 6],
        digest=digest(key),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, key


def active(user):
    now = timezone.now()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)


def authenticate(key: str) -> ApiToken | None:
    """The live token of this key (its owner active), or None."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(key), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
