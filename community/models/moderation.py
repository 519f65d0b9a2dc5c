"""Reports, suspensions history and the append-only moderation log of a space."""

from django.conf import settings
from django.db import models


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "À traiter"
        HIDDEN = "hidden", "Message masqué"
        DISMISSED = "dismissed", "Classé sans suite"

    # Exactly one of post (forums) and chat_message (live chat) is set.
    post = models.ForeignKey(
        "community.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    chat_message = models.ForeignKey(
        "community.ChatMessage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("motif", max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("décision", max_length=500, blank=True)

    class Meta:
        verbose_name = "signalement"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, chat_message__isnull=True)
                | models.Q(post__isnull=True, chat_message__isnull=False),
                name="report_one_target",
            )
        ]

    def __str__(self):
        return f"Signalement de {self.post or self.chat_message} ({self.get_status_display()})"


class ModerationLogEntry(models.Model):
    """Who did what, when, to what. Rows are only ever added (services never update them)."""

    class Action(models.TextChoices):
        HIDE = "hide", "Message masqué"
        RESTORE = "restore", "Message rétabli"
        MOVE = "move", "Sujet déplacé"
        LOCK = "lock", "Sujet verrouillé"
        UNLOCK = "unlock", "Sujet déverrouillé"
        PIN = "pin", "Sujet épinglé"
        UNPIN = "unpin", "Sujet désépinglé"
        RETITLE = "retitle", "Titre modifié"
        SUSPEND = "suspend", "Membre suspendu"
        UNSUSPEND = "unsuspend", "Suspension levée"
        REPORT = "report", "Signalement traité"
        APPROVE = "approve", "Message approuvé"
        JOIN = "join", "Demande d'adhésion traitée"
        CHAT_DELETE = "chat_delete", "Message de discussion supprimé"
        FORUM_CREATE = "forum_create", "Forum créé"
        FORUM_EDIT = "forum_edit", "Forum modifié"
        FORUM_ORDER = "forum_order", "Ordre des forums modifié"
        FORUM_DELETE = "forum_delete", "Forum supprimé"

    space = models.ForeignKey(
        "community.Space", on_delete=models.CASCADE, related_name="moderation_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    target_label = models.CharField("objet", max_length=255)
    target_url = models.CharField(max_length=500, blank=True)
    detail = models.CharField("détail", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "entrée du journal de modération"
        verbose_name_plural = "journal de modération"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_action_display()} : {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Le journal de modération ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Le journal de modération ne se modifie pas.")
