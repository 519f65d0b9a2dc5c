"""The grouped e-mails and their signed one-click unsubscribe links."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portal.notifications import kinds
from portal.notifications.kinds import Delivery
from portal.notifications.links import email_links

ALL_KINDS = "all"
UNSUBSCRIBE_SALT = "portal.notifications.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign_object([user_id, kind])


def unsubscribe_payload(token: str) -> tuple[int, str]:
    """(user id, kind or ALL_KINDS); raises SignatureExpired or BadSignature."""
    payload = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).unsign_object(
        token, max_age=settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE
    )
    match payload:
        case [int(user_id), str(kind)]:
            return user_id, kind
    raise signing.BadSignature("Unexpected unsubscribe payload.")


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))


def batch_message(*, user, address: str, mode: str, notifications) -> EmailMultiAlternatives:
    count = len(notifications)
    digest = mode == Delivery.DAILY
    kinds_in = sorted({n.kind for n in notifications})
    # The one-click header stops what this e-mail is about: one kind, or all of them.
    header_kind = kinds_in[0] if len(kinds_in) == 1 else ALL_KINDS
    one_click_url = unsubscribe_url(user_id=user.pk, kind=header_kind)
    # What the sending apps add under their notifications (e.g. "Ne plus suivre ce sujet").
    links = email_links(user=user, notifications=notifications)
    context = {
        "user": user,
        "count": count,
        "portal_name": settings.PORTAL_NAME,
        "site_url": settings.SITE_URL,
        "items": [
            {
                "title": n.title,
                "kind_label": n.kind_label,
                "actor_name": n.actor.public_name if n.actor else "",
                "created": n.created,
                "url": absolute_url(reverse("notifications:open", args=[n.pk])),
                "links": links.get(n.pk, []),
            }
            for n in notifications
        ],
        "unsubscribe_kinds": [
            {"label": kinds.label_for(kind), "url": unsubscribe_url(user_id=user.pk, kind=kind)}
            for kind in kinds_in
        ],
        "unsubscribe_all_url": unsubscribe_url(user_id=user.pk, kind=ALL_KINDS),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }
    plural = "s" if count > 1 else ""
    news = f"{count} nouvelle{plural} notification{plural}"
    subject = f"[{settings.PORTAL_NAME}] " + (f"Votre résumé du jour : {news}" if digest else news)
    template = "digest" if digest else "immediate"
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[address],
        headers={
            "List-Unsubscribe": f"<{one_click_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
