"""Every write of the Académie that matters happens here."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from academy import permissions
from academy.models import (
    Certificate,
    CoursePage,
    CourseSession,
    Enrolment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    SessionRegistration,
)
from academy.quiz import QuizResult, QuizSubmissionInvalid, grade
from portal.notifications.services import notify


class ActionRefused(Exception):
    """A refused action; the message is French, for the person who tried."""


# --- Enrolment ------------------------------------------------------------------------


@transaction.atomic
def course_enrol(*, user, course: CoursePage) -> Enrolment:
    """Enrol, or re-enrol after leaving (progress kept). Idempotent."""
    reason = permissions.course_enrolment_refusal(user=user, course=course)
    if reason:
        raise ActionRefused(reason)
    enrolment, created = Enrolment.objects.get_or_create(user=user, course=course)
    if not created and not enrolment.active:
        enrolment.active = True
        enrolment.left_at = None
        enrolment.save(update_fields=["active", "left_at"])
    return enrolment


@transaction.atomic
def course_leave(*, user, course: CoursePage) -> None:
    """Leave a course; the progress stays, for a later return. Idempotent."""
    Enrolment.objects.filter(user=user, course=course, active=True).update(
        active=False, left_at=timezone.now()
    )


def _active_enrolment(*, user, course) -> Enrolment:
    enrolment = Enrolment.objects.filter(user=user, course=course, active=True).first()
    if enrolment is None:
        raise ActionRefused("Inscrivez-vous à la formation pour enregistrer votre progression.")
    return enrolment


# --- Progress ---------------------------------------------------------------------------


def course_of(lesson: LessonPage) -> CoursePage:
    return CoursePage.objects.ancestor_of(lesson).get()


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage, by_quiz: bool = False) -> LessonProgress:
    course = course_of(lesson)
    _active_enrolment(user=user, course=course)
    if lesson.quiz is not None and not by_quiz:
        raise ActionRefused("Cette leçon se termine en réussissant son quiz.")
    progress, _ = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"course": course}
    )
    course_completion_check(user=user, course=course)
    return progress


def required_lesson_ids(course: CoursePage) -> set[int]:
    return set(
        LessonPage.objects.live()
        .descendant_of(course)
        .filter(optional=False)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def course_completion_check(*, user, course: CoursePage) -> Certificate | None:
    """Complete the course (once) when every required lesson is done; issue the certificate."""
    enrolment = Enrolment.objects.select_for_update().get(user=user, course=course)
    if enrolment.completed_at is not None:
        return Certificate.objects.filter(user=user, course=course).first()
    required = required_lesson_ids(course)
    done = set(
        LessonProgress.objects.filter(user=user, lesson_id__in=required).values_list(
            "lesson_id", flat=True
        )
    )
    if not required or required - done:
        return None
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    return certificate_issue(user=user, course=course, completed_at=enrolment.completed_at)


def certificate_issue(*, user, course: CoursePage, completed_at) -> Certificate:
    certificate, created = Certificate.objects.get_or_create(
        user=user,
        course=course,
        defaults={
            "holder_name": user.public_name,
            "course_title": course.title,
            "completed_at": completed_at,
        },
    )
    if created:
        notify(recipient=user, kind="academy.certificate_available", target=certificate)
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    if not permissions.may_revoke_certificate(user=by):
        raise ActionRefused("Seule l'équipe du portail peut révoquer une attestation.")
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason[:255]
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


# --- Quiz ---------------------------------------------------------------------------------


def quiz_attempts_left(*, user, lesson: LessonPage) -> int | None:
    """None when unlimited."""
    quiz = lesson.quiz
    maximum = quiz.value["max_attempts"]
    if not maximum:
        return None
    used = QuizAttempt.objects.filter(user=user, lesson=lesson, quiz_id=quiz.id).count()
    return max(0, maximum - used)


@transaction.atomic
def quiz_submit(*, user, lesson: LessonPage, submission: dict[str, list[str]]) -> QuizResult:
    quiz = lesson.quiz
    if quiz is None:
        raise ActionRefused("Cette leçon n'a pas de quiz.")
    course = course_of(lesson)
    _active_enrolment(user=user, course=course)
    # Serialise a learner's submissions to this quiz: two tabs cannot beat the limit.
    Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if LessonProgress.objects.filter(user=user, lesson=lesson).exists():
        raise ActionRefused("Vous avez déjà réussi ce quiz.")
    left = quiz_attempts_left(user=user, lesson=lesson)
    if left == 0:
        raise ActionRefused("Vous avez utilisé toutes vos tentatives pour ce quiz.")
    try:
        result = grade(quiz.value, submission)
    except QuizSubmissionInvalid as exc:
        raise ActionRefused(str(exc)) from exc
    QuizAttempt.objects.create(
        user=user,
        lesson=lesson,
        quiz_id=quiz.id,
        answers=submission,
        score=result.score,
        passed=result.passed,
    )
    if result.passed:
        lesson_complete(user=user, lesson=lesson, by_quiz=True)
    return result


# --- Sessions -------------------------------------------------------------------------------


def _locked_session(session_id: int) -> CourseSession:
    # The row lock serialises registrations to one session: never more seats than capacity.
    # Only the session's row: without `of`, PostgreSQL would also lock the joined course
    # page rows, serialising every session of the course and blocking its publication.
    return (
        CourseSession.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=session_id)
    )


def _registered_count(session: CourseSession) -> int:
    return session.registrations.filter(status=SessionRegistration.Status.REGISTERED).count()


@transaction.atomic
def session_register(*, user, session: CourseSession) -> SessionRegistration:
    """Take a seat, or a place on the waiting list when full. Idempotent."""
    session = _locked_session(session.pk)
    if session.cancelled:
        raise ActionRefused("Cette session est annulée.")
    if session.starts_at <= timezone.now():
        raise ActionRefused("Cette session a déjà commencé : les inscriptions sont closes.")
    reason = permissions.course_enrolment_refusal(user=user, course=session.course)
    if reason:
        raise ActionRefused(reason)
    registration = SessionRegistration.objects.filter(session=session, user=user).first()
    if registration and registration.status != SessionRegistration.Status.CANCELLED:
        return registration
    full = _registered_count(session) >= session.capacity
    status = SessionRegistration.Status.WAITING if full else SessionRegistration.Status.REGISTERED
    now = timezone.now()
    if registration is None:
        try:
            with transaction.atomic():
                registration = SessionRegistration.objects.create(
                    session=session, user=user, status=status
                )
        except IntegrityError:
            return SessionRegistration.objects.get(session=session, user=user)
    else:
        registration.status = status
        registration.status_changed_at = now
        registration.save(update_fields=["status", "status_changed_at"])
    kind = "academy.session_registered" if not full else "academy.session_waiting"
    notify(recipient=user, kind=kind, target=session)
    if not full:
        _schedule_reminder(registration)
    return registration


@transaction.atomic
def session_cancel(*, user, session: CourseSession) -> SessionRegistration | None:
    """Give the seat back; the first person waiting takes it and is notified."""
    session = _locked_session(session.pk)
    registration = SessionRegistration.objects.filter(session=session, user=user).first()
    if registration is None or registration.status == SessionRegistration.Status.CANCELLED:
        return None
    freed_seat = registration.status == SessionRegistration.Status.REGISTERED
    registration.status = SessionRegistration.Status.CANCELLED
    registration.status_changed_at = timezone.now()
    registration.save(update_fields=["status", "status_changed_at"])
    # A seat freed in a cancelled or started session is nobody's to take: promoting
    # would tell someone waiting that a place is theirs in a session that will not be.
    if freed_seat and not session.cancelled and session.starts_at > timezone.now():
        session_promote_waiting(session=session)
    return registration


def session_promote_waiting(*, session: CourseSession) -> list[SessionRegistration]:
    """Fill free seats from the waiting list, first come first served (session locked)."""
    promoted = []
    free = session.capacity - _registered_count(session)
    if free <= 0:
        return promoted
    waiting = session.registrations.filter(status=SessionRegistration.Status.WAITING).order_by(
        "status_changed_at", "pk"
    )[:free]
    for registration in waiting:
        registration.status = SessionRegistration.Status.REGISTERED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
        notify(recipient=registration.user, kind="academy.session_promoted", target=session)
        _schedule_reminder(registration)
        promoted.append(registration)
    return promoted


@transaction.atomic
def session_cancellation_announce(*, session: CourseSession) -> int:
    """Tells the participants and the waiting list of a cancelled session; how many were told.

    Called once, when an editor cancels the session in the admin. Registrations keep their
    status: the session's flag says it is cancelled, calendars show the event cancelled,
    and the day-before reminders see it and stay silent.
    """
    session = _locked_session(session.pk)
    if not session.cancelled:
        return 0
    registrations = session.registrations.filter(
        status__in=[SessionRegistration.Status.REGISTERED, SessionRegistration.Status.WAITING]
    ).select_related("user")
    when = timezone.localtime(session.starts_at)
    what = f"La session « {session.title or session.course.title} » du {when:%d/%m/%Y à %H:%M}"
    told = 0
    for registration in registrations:
        if registration.status == SessionRegistration.Status.WAITING:
            title = f"{what} est annulée : votre inscription en liste d'attente prend fin"
        else:
            title = f"{what} est annulée"
        notify(
            recipient=registration.user,
            kind="academy.session_cancelled",
            target=session,
            context={"title": title},
        )
        told += 1
    return told


def _schedule_reminder(registration: SessionRegistration) -> None:
    from academy.tasks import session_reminder_send

    run_after = registration.session.starts_at - timedelta(days=1)
    if run_after <= timezone.now():
        return

    def enqueue():
        task = session_reminder_send
        if task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
            task.enqueue(
                registration_id=registration.pk,
                starts_at=registration.session.starts_at.isoformat(),
            )

    transaction.on_commit(enqueue)


def session_reminder(*, registration_id: int, starts_at: str) -> bool:
    """Send the day-before reminder if the person is still registered and nothing moved."""
    registration = (
        SessionRegistration.objects.select_related("session", "user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.status != SessionRegistration.Status.REGISTERED:
        return False
    session = registration.session
    if session.cancelled or session.starts_at.isoformat() != starts_at:
        return False
    notify(recipient=registration.user, kind="academy.session_reminder", target=session)
    return True
