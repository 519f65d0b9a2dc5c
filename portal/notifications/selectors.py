from allauth.account.models import EmailAddress
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from portal.notifications import kinds
from portal.notifications.models import Notification, NotificationPreference


def notification_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user) -> QuerySet[Notification]:
    """The centre's list: unread first, newest first, with what each row shows."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by(unread.desc(), "-created", "-pk")
    )


def notification_preferences(*, user) -> dict[str, str]:
    """Delivery per registered kind: the member's choice, else the kind's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.key: chosen.get(kind.key, kind.default_delivery) for kind in kinds.all_kinds()}


def notification_delivery(*, user, kind: str) -> str:
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or kinds.get(kind).default_delivery


def notification_email_address(*, user) -> str | None:
    """Where e-mails go: a verified address of an active member, else nowhere."""
    if not user.is_active:
        return None
    return (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary")
        .values_list("email", flat=True)
        .first()
    )
