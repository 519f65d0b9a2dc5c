"""Notifications, members' delivery preferences, and the e-mail batches that group them."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from portal.notifications import kinds
from portal.notifications.kinds import Delivery


class EmailBatch(models.Model):
    """One e-mail to come for a member: notifications join it until it leaves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="+",
    )
    mode = models.CharField(
        "mode",
        max_length=10,
        choices=[(Delivery.IMMEDIATE, "Groupé"), (Delivery.DAILY, "Résumé quotidien")],
    )
    scheduled_for = models.DateTimeField("envoi prévu le")
    sent_at = models.DateTimeField("clos le", null=True, blank=True)
    created = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        verbose_name = "envoi groupé"
        verbose_name_plural = "envois groupés"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "mode"],
                condition=models.Q(sent_at__isnull=True),
                name="notifications_one_open_batch_per_user_mode",
            )
        ]

    def __str__(self):
        return f"{self.get_mode_display()} — {self.scheduled_for:%d/%m/%Y %H:%M}"


class Notification(models.Model):
    class EmailState(models.TextChoices):
        PENDING = "pending", "À envoyer"
        SENT = "sent", "Envoyée"
        SKIPPED = "skipped", "Non envoyée"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("type", max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur de l'action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_object_id = models.CharField(max_length=64, blank=True)
    # Snapshots taken at notify time: the centre and the e-mails read no target.
    title = models.CharField("titre", max_length=255)
    url = models.CharField("adresse", max_length=500, blank=True)
    context = models.JSONField("contexte", default=dict, blank=True)
    created = models.DateTimeField("créée le", default=timezone.now)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    email_state = models.CharField(
        "courriel", max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    emailed_at = models.DateTimeField("envoyée par courriel le", null=True, blank=True)
    email_batch = models.ForeignKey(
        EmailBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notif_recipient_created"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_recipient_unread",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def kind_label(self) -> str:
        return kinds.label_for(self.kind)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="membre",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField("type", max_length=60)
    delivery = models.CharField("envoi par courriel", max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notifications_one_preference_per_kind"
            )
        ]

    def __str__(self):
        return f"{kinds.label_for(self.kind)} : {self.get_delivery_display()}"
