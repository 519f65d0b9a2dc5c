"""Scheduled sessions of a course: seats, waiting list, calendar."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse


class CourseSession(models.Model):
    class Format(models.TextChoices):
        VISIO = "visio", "Visio"
        ONSITE = "presentiel", "Présentiel"

    course = models.ForeignKey(
        "academy.CoursePage", on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField("intitulé", max_length=200, blank=True)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    format = models.CharField("format", max_length=12, choices=Format.choices)
    place = models.CharField("lieu", max_length=255, blank=True)
    visio_url = models.URLField(
        "lien de la visio", blank=True, help_text="Visible des seuls participants inscrits."
    )
    territory = models.ForeignKey(
        "people.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    trainer = models.CharField("formateur ou formatrice", max_length=160)
    capacity = models.PositiveIntegerField("nombre de places")
    cancelled = models.BooleanField("session annulée", default=False)

    class Meta:
        verbose_name = "session"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.course.title} — {self.starts_at:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("academy:session_detail", kwargs={"pk": self.pk})

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "La fin doit être après le début."
        if self.format == self.Format.ONSITE and not self.place:
            errors["place"] = "Indiquez le lieu d'une session en présentiel."
        if self.format == self.Format.VISIO and not self.visio_url:
            errors["visio_url"] = "Indiquez le lien d'une session en visio."
        if errors:
            raise ValidationError(errors)


class SessionRegistration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", "Inscrit"
        WAITING = "waiting", "Liste d'attente"
        CANCELLED = "cancelled", "Annulé"

    session = models.ForeignKey(
        CourseSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_registrations"
    )
    status = models.CharField("statut", max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Order of the waiting list: the time one joined it.
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "inscription à une session"
        verbose_name_plural = "inscriptions aux sessions"
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="registration_unique")
        ]
        indexes = [models.Index(fields=["session", "status", "status_changed_at"])]

    def __str__(self):
        return f"{self.user} : {self.get_status_display()}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret URL serving one's sessions as iCalendar, for calendar applications."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Agenda de {self.user}"

    def get_absolute_url(self):
        return reverse("academy:calendar_feed", kwargs={"token": self.token})
