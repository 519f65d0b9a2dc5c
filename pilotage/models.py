"""Who pilots which territory, and the pre-computed indicators they read.

Pages, exports and the API read `Aggregate` rows of the latest finished
`AggregationRun` only: they never scan the raw events (pilotage/aggregation.py)."""

from django.conf import settings
from django.db import models

from portal.people.models import Operator, Territory


class PiloteRole(models.Model):
    """A pilote (territorial manager of a comité pour l'emploi) of one territory: they
    read its indicators and those of every territory inside it (pilotage/policy.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pilote_roles"
    )
    territory = models.ForeignKey(
        Territory, verbose_name="territoire", on_delete=models.CASCADE, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="attribué par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField("attribué le", auto_now_add=True)

    class Meta:
        verbose_name = "rôle de pilote"
        verbose_name_plural = "rôles de pilote"
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="pilote_role_unique")
        ]

    def __str__(self):
        return f"{self.user} pilote {self.territory}"


class AggregationRun(models.Model):
    """One computation of every indicator; readers use the latest finished one, so that
    a run in progress (or failed) never shows half its figures."""

    class Status(models.TextChoices):
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échoué"

    started_at = models.DateTimeField("commencé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    # The last month counted (its first day): the 12 months shown end with it.
    last_month = models.DateField("dernier mois compté")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.PositiveIntegerField("lignes", default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "calcul des indicateurs"
        verbose_name_plural = "calculs des indicateurs"
        ordering = ["-started_at"]
        get_latest_by = "finished_at"

    def __str__(self):
        return f"Calcul du {self.started_at:%d/%m/%Y %H:%M} ({self.get_status_display()})"


class Aggregate(models.Model):
    """One cell: an indicator for a territory (and everything inside it), an operator
    (null: all of them), a course theme ("" : all of them) and a period.

    `value` is the figure (a count, a share between 0 and 1, a median in hours or
    days); `people` is how many distinct persons it stands on. Below the threshold
    of pilotage/disclosure.py, or when it could be recomputed from the figures around
    it, `hidden` is set and readers show « < 5 », never the value."""

    run = models.ForeignKey(AggregationRun, on_delete=models.CASCADE, related_name="aggregates")
    indicator = models.CharField(max_length=40)
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    operator = models.ForeignKey(
        Operator, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    theme = models.CharField(max_length=100, blank=True)
    # A month (its first day, months=1) or the 12 months ending with the run's last
    # month (the first day of the first one, months=12).
    period_start = models.DateField()
    months = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True)
    people = models.PositiveIntegerField()
    # Decided once per run, for every reader (pilotage/disclosure.py).
    hidden = models.BooleanField(default=False)

    class Meta:
        verbose_name = "indicateur calculé"
        verbose_name_plural = "indicateurs calculés"
        indexes = [
            models.Index(fields=["run", "territory", "months", "indicator"]),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.territory_id} · {self.period_start:%Y-%m}"


class ApiToken(models.Model):
    """A key to the read API (pilotage/api.py), made by its owner for a program of theirs.

    Only a SHA-256 digest of the key is kept (the key is 256 random bits, shown once):
    a leaked database gives no key. The key reads what its owner reads, asked of
    pilotage/policy.py at every request: a role withdrawn is a territory no longer
    readable, whatever the key. Revoking sets `revoked_at`; the key then opens nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="titulaire",
        on_delete=models.CASCADE,
        related_name="pilotage_tokens",
    )
    name = models.CharField("nom", max_length=80)
    # The key's first characters, to recognise it in a list; not enough to use it.
    prefix = models.CharField("début de la clé", max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API du pilotage"
        verbose_name_plural = "jetons d'API du pilotage"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
