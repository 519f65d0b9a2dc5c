"""Territory spaces and who belongs to them."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Space(models.Model):
    """The space of one territory: national, région, département or local committee."""

    class Visibility(models.TextChoices):
        OPEN = "open", "Ouvert : lisible par tous, adhésion en un clic"
        PRIVATE = "private", "Privé : lisible par ses membres, adhésion sur demande"

    territory = models.OneToOneField(
        "people.Territory",
        verbose_name="territoire",
        on_delete=models.PROTECT,
        related_name="space",
    )
    description = models.TextField("présentation", max_length=1000, blank=True)
    visibility = models.CharField(
        "visibilité", max_length=8, choices=Visibility.choices, default=Visibility.OPEN
    )
    premoderate_first_posts = models.PositiveSmallIntegerField(
        "messages des nouveaux membres à relire",
        default=0,
        help_text="Les N premiers messages d'un nouveau membre attendent la validation d'un "
        "animateur (0 : aucun).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Denormalised for the listing (updated by services): no COUNT per space.
    member_count = models.PositiveIntegerField("membres", default=0)
    last_activity_at = models.DateTimeField("dernière activité", null=True, blank=True)

    class Meta:
        verbose_name = "espace territorial"
        verbose_name_plural = "espaces territoriaux"
        ordering = ["territory__level", "territory__name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:space", kwargs={"slug": self.territory.slug})

    @property
    def name(self) -> str:
        return self.territory.name

    @property
    def slug(self) -> str:
        return self.territory.slug

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Membre"
        ANIMATOR = "animator", "Animateur ou animatrice"

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField("membre depuis", auto_now_add=True)
    # A suspended member reads but cannot post until this moment.
    suspended_until = models.DateTimeField("suspendu jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "adhésion"
        constraints = [models.UniqueConstraint(fields=["space", "user"], name="membership_unique")]
        indexes = [models.Index(fields=["space", "role"])]

    def __str__(self):
        return f"{self.user} — {self.space} ({self.get_role_display()})"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        ACCEPTED = "accepted", "Acceptée"
        DECLINED = "declined", "Refusée"

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField("message", max_length=500, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "demande d'adhésion"
        verbose_name_plural = "demandes d'adhésion"
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=models.Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.space} ({self.get_status_display()})"
