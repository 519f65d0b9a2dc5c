"""Reads shared by the Académie's pages, views and feeds, with their query plans."""

from django.db.models import Count, Q
from django.utils import timezone

from academy import permissions
from academy.models import (
    Certificate,
    CoursePage,
    CourseSession,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
    QuizAttempt,
    SessionRegistration,
)
from academy.quiz import QuizSubmissionInvalid, grade
from portal.page_cache import shared


def _course_prefix(path: str, course_depth: int) -> str:
    return path[: course_depth * 4]


def course_progress_map(*, user, courses) -> dict[int, dict]:
    """{course id: {"done", "total", "percent", "enrolment"}} for the user's enrolments.

    Three queries whatever the number of courses: enrolments, required lessons
    of these courses, lessons the user completed in them.
    """
    if not user.is_authenticated or not courses:
        return {}
    by_id = {course.pk: course for course in courses}
    enrolments = {
        e.course_id: e
        for e in Enrolment.objects.filter(user=user, course_id__in=by_id, active=True)
    }
    if not enrolments:
        return {}
    depth = next(iter(by_id.values())).depth
    prefixes = {by_id[cid].path: cid for cid in enrolments}
    lesson_filter = Q()
    for path in prefixes:
        lesson_filter |= Q(path__startswith=path)
    required = (
        LessonPage.objects.live().filter(lesson_filter, optional=False).values_list("pk", "path")
    )
    totals: dict[int, set[int]] = {cid: set() for cid in enrolments}
    for lesson_id, path in required:
        course_id = prefixes.get(_course_prefix(path, depth))
        if course_id is not None:
            totals[course_id].add(lesson_id)
    done_rows = LessonProgress.objects.filter(user=user, course_id__in=enrolments).values_list(
        "course_id", "lesson_id"
    )
    done: dict[int, set[int]] = {cid: set() for cid in enrolments}
    for course_id, lesson_id in done_rows:
        done[course_id].add(lesson_id)
    result = {}
    for course_id, enrolment in enrolments.items():
        total = len(totals[course_id])
        count = len(done[course_id] & totals[course_id])
        result[course_id] = {
            "enrolment": enrolment,
            "done": count,
            "total": total,
            "percent": round(100 * count / total) if total else 0,
            "completed": enrolment.completed_at is not None,
            # Every lesson done, optional ones included (the course plan marks them).
            "done_ids": done[course_id],
        }
    return result


def course_outline(course: CoursePage) -> list[dict]:
    """Modules in tree order, each with its live lessons: the same for every reader, so
    kept with the shared copies (a publish renews them, portal/page_cache.py); two
    queries when it is not there."""
    return shared(f"course-outline:{course.pk}", lambda: _course_outline(course))


def _course_outline(course: CoursePage) -> list[dict]:
    pages = (
        course.get_descendants()
        .live()
        .type(ModulePage, LessonPage)
        .order_by("path")
        .only("id", "title", "path", "depth", "url_path", "slug", "content_type_id")
    )
    lessons = {
        lesson.pk: lesson
        for lesson in LessonPage.objects.live()
        .descendant_of(course)
        .only("id", "title", "path", "depth", "url_path", "slug", "optional", "duration_minutes")
    }
    modules = []
    for page in pages:
        if page.depth == course.depth + 1:
            modules.append({"module": page, "lessons": []})
        elif (
            page.pk in lessons
            and modules
            # A live lesson under an unpublished module is not part of the course.
            and page.path.startswith(modules[-1]["module"].path)
        ):
            modules[-1]["lessons"].append(lessons[page.pk])
    return modules


def upcoming_sessions(*, course=None, territory_ids=None, limit=None):
    qs = (
        CourseSession.objects.filter(starts_at__gte=timezone.now(), cancelled=False)
        .select_related("territory", "course")
        .annotate(
            registered_count=Count(
                "registrations",
                filter=Q(registrations__status=SessionRegistration.Status.REGISTERED),
            ),
            waiting_count=Count(
                "registrations", filter=Q(registrations__status=SessionRegistration.Status.WAITING)
            ),
        )
        .order_by("starts_at")
    )
    if course is not None:
        qs = qs.filter(course=course)
    if territory_ids is not None:
        qs = qs.filter(territory_id__in=territory_ids)
    return qs[:limit] if limit else qs


def course_page_context(*, course: CoursePage, user) -> dict:
    outline = course_outline(course)
    lessons = [lesson for module in outline for lesson in module["lessons"]]
    progress = course_progress_map(user=user, courses=[course]).get(course.pk)
    done_ids: set[int] = progress["done_ids"] if progress else set()
    resume = next((item for item in lessons if not item.optional and item.pk not in done_ids), None)
    sessions = list(upcoming_sessions(course=course))
    registrations = {}
    if user.is_authenticated and sessions:
        registrations = {
            r.session_id: r
            for r in SessionRegistration.objects.filter(user=user, session__in=sessions)
        }
    for session in sessions:
        session.my_registration = registrations.get(session.pk)
        session.seats_left = max(0, session.capacity - session.registered_count)
    certificate = None
    if progress and progress["completed"]:
        certificate = Certificate.objects.filter(user=user, course=course).first()
    return {
        "outline": outline,
        "lessons": lessons,
        "progress": progress,
        "done_ids": done_ids,
        "resume_lesson": resume,
        "sessions": sessions,
        "certificate": certificate,
        "enrolment_refusal": permissions.course_enrolment_refusal(user=user, course=course)
        if user.is_authenticated
        else None,
        "audience": list(course.audience.all()),
        "scope": list(course.territories.all()),
        "themes": list(course.tags.all()),
    }


def lesson_page_context(*, lesson: LessonPage, user) -> dict:
    course = CoursePage.objects.ancestor_of(lesson).get()
    outline = course_outline(course)
    lessons = [item for module in outline for item in module["lessons"]]
    index = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), None)
    previous_lesson = lessons[index - 1] if index else None
    next_lesson = lessons[index + 1] if index is not None and index + 1 < len(lessons) else None
    enrolment = None
    completed = False
    quiz_state = None
    if user.is_authenticated:
        enrolment = Enrolment.objects.filter(user=user, course=course, active=True).first()
        completed = LessonProgress.objects.filter(user=user, lesson=lesson).exists()
    quiz = lesson.quiz
    quiz_submission = None
    if quiz is not None:
        attempts = (
            list(QuizAttempt.objects.filter(user=user, lesson=lesson, quiz_id=quiz.id))
            if user.is_authenticated
            else []
        )
        maximum = quiz.value["max_attempts"]
        last = attempts[-1] if attempts else None
        last_result = None
        if last is not None:
            try:
                last_result = grade(quiz.value, last.answers)
            except QuizSubmissionInvalid:
                last_result = None  # the quiz changed since; show the score only
        quiz_state = {
            "attempts_used": len(attempts),
            "attempts_left": None if not maximum else max(0, maximum - len(attempts)),
            "max_attempts": maximum,
            "last": last,
            "last_result": last_result,
            "passed": completed,
        }
        if last is not None and last_result is not None and not last.passed:
            # A failed attempt's answers come back ticked: the learner corrects, not retypes.
            quiz_submission = last.answers
    return {
        "course": course,
        "outline": outline,
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "lesson_position": (index or 0) + 1,
        "lesson_count": len(lessons),
        "enrolment": enrolment,
        "lesson_completed": completed,
        "quiz_state": quiz_state,
        "quiz_submission": quiz_submission,
    }


def learner_dashboard(*, user) -> dict:
    enrolments = list(
        Enrolment.objects.filter(user=user, active=True)
        .select_related("course")
        .order_by("-enrolled_at")
    )
    courses = [e.course for e in enrolments]
    progress = course_progress_map(user=user, courses=courses)
    certificates = {
        c.course_id: c for c in Certificate.objects.filter(user=user).select_related("course")
    }
    in_progress, completed = [], []
    for enrolment in enrolments:
        item = {
            "course": enrolment.course,
            "progress": progress.get(enrolment.course_id),
            "certificate": certificates.get(enrolment.course_id),
        }
        (completed if enrolment.completed_at else in_progress).append(item)
    registrations = list(
        SessionRegistration.objects.filter(
            user=user,
            session__starts_at__gte=timezone.now(),
            status__in=[SessionRegistration.Status.REGISTERED, SessionRegistration.Status.WAITING],
        )
        .select_related("session", "session__course", "session__territory")
        .order_by("session__starts_at")
    )
    return {
        "in_progress": in_progress,
        "completed": completed,
        "registrations": registrations,
        "certificates": list(certificates.values()),
    }


def course_list_latest(*, user, limit: int = 3) -> list[CoursePage]:
    """The latest public courses, the same for every reader (the home page): kept with
    the shared copies, renewed by a publish."""
    return shared(
        f"latest-courses:{limit}",
        lambda: list(CoursePage.objects.live().public().order_by("-first_published_at")[:limit]),
    )
