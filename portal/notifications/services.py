"""Every write of the notifications app: notify, read, preferences, e-mail batches."""

from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from portal.notifications import emails, kinds
from portal.notifications.kinds import Delivery
from portal.notifications.models import EmailBatch, Notification, NotificationPreference
from portal.notifications.selectors import (
    notification_delivery,
    notification_email_address,
    notification_preferences,
)
from portal.notifications.tasks import send_email_batch

DIGEST_TIMEZONE = ZoneInfo("Europe/Paris")
# An open batch this late lost its task (worker down, send failed): the next
# notification that joins it enqueues it again. Sending twice is harmless: the
# task closes the batch under a lock.
STALE_BATCH_AFTER = timedelta(minutes=15)


def notify(
    *, recipient, kind: str, target=None, actor=None, context=None, email: bool = True
) -> Notification | None:
    """Records one event for one member and schedules its e-mail.

    Returns None when the member is the actor: nobody is told of their own action.
    `email=False` keeps it in the in-app centre only (e.g. the member saw it live).
    """
    kind_def = kinds.get(kind)
    if actor is not None and actor.pk == recipient.pk:
        return None
    context = dict(context or {})
    notification = Notification(
        recipient=recipient,
        kind=kind,
        actor=actor,
        title=(context.get("title") or (str(target) if target is not None else kind_def.label))[
            :255
        ],
        url=context.get("url") or _target_url(target),
        context=context,
    )
    if target is not None:
        notification.target_content_type = ContentType.objects.get_for_model(target)
        notification.target_object_id = str(target.pk)
    with transaction.atomic():
        # email=False (someone who sees it live): no need to read their preference.
        delivery = notification_delivery(user=recipient, kind=kind) if email else Delivery.NEVER
        if delivery == Delivery.NEVER or notification_email_address(user=recipient) is None:
            notification.email_state = Notification.EmailState.SKIPPED
        else:
            notification.email_batch = _batch_join(user=recipient, mode=delivery)
        notification.save()
    return notification


def _target_url(target) -> str:
    if target is None:
        return ""
    if hasattr(target, "get_absolute_url"):
        return target.get_absolute_url()
    if hasattr(target, "get_url"):  # Wagtail pages
        return target.get_url() or ""
    return ""


def next_digest_time(now: datetime) -> datetime:
    """The next NOTIFICATIONS_DIGEST_HOUR o'clock in Paris, strictly after `now`."""
    local = now.astimezone(DIGEST_TIMEZONE)
    at = time(settings.NOTIFICATIONS_DIGEST_HOUR)
    candidate = datetime.combine(local.date(), at, tzinfo=DIGEST_TIMEZONE)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=DIGEST_TIMEZONE)
    return candidate


def _batch_send_time(mode: str, now: datetime) -> datetime:
    if mode == Delivery.DAILY:
        return next_digest_time(now)
    return now + timedelta(seconds=settings.NOTIFICATIONS_EMAIL_GROUPING_SECONDS)


def _batch_join(*, user, mode: str) -> EmailBatch:
    """The member's open batch for this mode; the first notification opens it."""
    now = timezone.now()
    batch, created = EmailBatch.objects.select_for_update().get_or_create(
        user=user, mode=mode, sent_at=None, defaults={"scheduled_for": _batch_send_time(mode, now)}
    )
    if not created and batch.scheduled_for < now - STALE_BATCH_AFTER:
        batch.scheduled_for = now
        batch.save(update_fields=["scheduled_for"])
        created = True
    if created:
        transaction.on_commit(partial(_batch_enqueue, batch.pk, batch.scheduled_for))
    return batch


def _batch_enqueue(batch_id: int, run_after: datetime) -> None:
    task = send_email_batch
    # The immediate backend cannot defer: the batch then leaves at once.
    if task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue(batch_id=batch_id)


def email_batch_send(*, batch_id: int) -> int:
    """Closes the batch and sends its one e-mail; returns how many notifications it listed.

    Notifications read in the centre meanwhile, or of a kind the member turned
    off, are dropped; with nothing left, or no address to reach, no e-mail leaves.
    """
    with transaction.atomic():
        batch = (
            EmailBatch.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=batch_id, sent_at__isnull=True)
            .first()
        )
        if batch is None:
            return 0
        now = timezone.now()
        batch.sent_at = now
        batch.save(update_fields=["sent_at"])
        user = batch.user
        pending = list(
            batch.notifications.filter(email_state=Notification.EmailState.PENDING)
            .select_related("actor")
            .order_by("created", "pk")
        )
        to_send = []
        if pending:
            deliveries = notification_preferences(user=user)
            to_send = [
                n for n in pending if n.read_at is None and deliveries.get(n.kind) != Delivery.NEVER
            ]
        address = notification_email_address(user=user) if to_send else None
        if address is None:
            to_send = []
        else:
            emails.batch_message(
                user=user, address=address, mode=batch.mode, notifications=to_send
            ).send()
        sent_ids = [n.pk for n in to_send]
        Notification.objects.filter(pk__in=sent_ids).update(
            email_state=Notification.EmailState.SENT, emailed_at=now
        )
        batch.notifications.filter(email_state=Notification.EmailState.PENDING).update(
            email_state=Notification.EmailState.SKIPPED
        )
    return len(sent_ids)


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_preferences_update(*, user, deliveries: dict[str, str]) -> None:
    for kind, delivery in deliveries.items():
        kinds.get(kind)
        if delivery not in Delivery.values:
            raise ValueError(f"Unknown delivery {delivery!r}.")
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=kind, delivery=delivery)
            for kind, delivery in deliveries.items()
        ],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["delivery"],
    )


def notification_unsubscribe(*, user, kind: str) -> None:
    """One kind, or every registered kind (emails.ALL_KINDS), set to "never"."""
    keys = [k.key for k in kinds.all_kinds()] if kind == emails.ALL_KINDS else [kind]
    notification_preferences_update(user=user, deliveries=dict.fromkeys(keys, Delivery.NEVER))
