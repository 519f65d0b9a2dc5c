"""What a learner does: enrolments, lessons done, quiz attempts, certificates."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "academy.CoursePage", on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField("inscrit le", auto_now_add=True)
    # Leaving keeps the row (and the learner's progress) so that coming back resumes.
    active = models.BooleanField("inscription en cours", default=True)
    left_at = models.DateTimeField("désinscrit le", null=True, blank=True)
    completed_at = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription"
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_unique_user_course")
        ]
        indexes = [models.Index(fields=["course", "active"])]

    def __str__(self):
        return f"{self.user} → {self.course_id}"


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "academy.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    # Denormalised: per-course progress in one indexed query, for any number of courses.
    course = models.ForeignKey("academy.CoursePage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField("terminée le", auto_now_add=True)

    class Meta:
        verbose_name = "leçon terminée"
        verbose_name_plural = "leçons terminées"
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="progress_unique_user_lesson")
        ]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self):
        return f"{self.user} : leçon {self.lesson_id}"


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(
        "academy.LessonPage", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz_id = models.CharField("identifiant du quiz", max_length=64)
    answers = models.JSONField("réponses", default=dict)
    score = models.PositiveSmallIntegerField("score (%)")
    passed = models.BooleanField("réussi")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tentative de quiz"
        verbose_name_plural = "tentatives de quiz"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["user", "lesson"])]

    def __str__(self):
        return f"{self.user} : {self.score} %"


def new_verification_code() -> str:
    return secrets.token_urlsafe(18)


class Certificate(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    course = models.ForeignKey(
        "academy.CoursePage", on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(
        "code de vérification", max_length=32, unique=True, default=new_verification_code
    )
    # Frozen at issue time: the certificate says what was true then.
    holder_name = models.CharField("titulaire", max_length=160)
    course_title = models.CharField("formation", max_length=255)
    completed_at = models.DateTimeField("terminée le")
    issued_at = models.DateTimeField("délivrée le", auto_now_add=True)
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)
    revoked_reason = models.CharField("motif de révocation", max_length=255, blank=True)

    class Meta:
        verbose_name = "attestation"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="certificate_unique_user_course"
            )
        ]

    def __str__(self):
        return f"{self.holder_name} — {self.course_title}"

    def get_absolute_url(self):
        return reverse("academy:certificate_verify", kwargs={"code": self.code})

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
