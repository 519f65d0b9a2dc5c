"""The Académie's demo content: idempotent, valid, and showing the session rules."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from academy.models import (
    AcademyIndexPage,
    CoursePage,
    CourseSession,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
    SessionRegistration,
)
from academy.permissions import course_enrolment_refusal
from portal.people.models import Territory, User

pytestmark = pytest.mark.django_db


def _seed(settings) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"academy", "wagtailcore", "taggit", "people", "account"}
    }


def _hauts_de_france_ids() -> set[int]:
    region = Territory.objects.get(slug="hauts-de-france")
    departments = set(region.children.values_list("pk", flat=True))
    locals_ = set(Territory.objects.filter(parent_id__in=departments).values_list("pk", flat=True))
    return {region.pk} | departments | locals_


def test_seeding_twice_creates_nothing_new_and_moves_nothing(settings):
    _seed(settings)
    first = _row_counts()
    sessions = list(CourseSession.objects.values_list("pk", "starts_at", "ends_at", "capacity"))
    registrations = list(SessionRegistration.objects.values_list("pk", "status").order_by("pk"))
    latest_revisions = list(LessonPage.objects.values_list("pk", "latest_revision_id"))

    _seed(settings)

    assert _row_counts() == first
    assert list(CourseSession.objects.values_list("pk", "starts_at", "ends_at", "capacity")) == (
        sessions
    )
    assert list(SessionRegistration.objects.values_list("pk", "status").order_by("pk")) == (
        registrations
    )
    assert list(LessonPage.objects.values_list("pk", "latest_revision_id")) == latest_revisions


def test_catalogue_has_live_courses_with_modules_lessons_and_a_quiz_each(settings):
    _seed(settings)
    index = AcademyIndexPage.objects.get()
    assert index.live and index.slug == "academie" and index.title == "Académie"

    courses = CoursePage.objects.live().descendant_of(index)
    assert courses.count() >= 3
    for course in courses:
        assert ModulePage.objects.live().child_of(course).count() >= 2, course.title
        lessons = [lesson.specific for lesson in LessonPage.objects.live().descendant_of(course)]
        assert 3 <= len(lessons) <= 5, course.title
        assert any(lesson.quiz is not None for lesson in lessons), course.title
        assert course.summary and course.objectives and course.tags.exists()
    assert LessonPage.objects.filter(optional=True).exists()


def test_every_lesson_body_passes_the_editors_validation(settings):
    # The quiz rules (true/false has two answers, one right answer for single…) are those an
    # editor meets in the admin; the demo must be content an editor could have saved.
    _seed(settings)
    kinds = set()
    unlimited = False
    for lesson in LessonPage.objects.all():
        lesson.full_clean()
        lesson.body.stream_block.clean(lesson.body)
        assert not {child.block_type for child in lesson.body} & {"image", "video", "document"}
        if lesson.quiz is not None:
            value = lesson.quiz.value
            kinds |= {question["kind"] for question in value["questions"]}
            unlimited |= value["max_attempts"] == 0
            # Grading names questions and answers by their list item ids.
            for question in value["questions"].bound_blocks:
                assert question.id
                assert all(answer.id for answer in question.value["answers"].bound_blocks)
    assert kinds == {"single", "multiple", "truefalse"}
    assert unlimited


def test_pages_render(settings):
    _seed(settings)
    client = Client()
    client.force_login(User.objects.get(email="camille.dupont@demo.academie.fr"))
    assert client.get("/academie/").status_code == 200
    for page in CoursePage.objects.live():
        assert client.get(page.url).status_code == 200, page.url
    for page in LessonPage.objects.live():
        assert client.get(page.url).status_code == 200, page.url


def test_two_upcoming_sessions_in_hauts_de_france_one_full_with_a_waiting_list(settings):
    _seed(settings)
    upcoming = CourseSession.objects.filter(
        starts_at__gt=timezone.now(),
        cancelled=False,
        territory_id__in=_hauts_de_france_ids(),
    )
    assert upcoming.count() >= 2
    assert {session.format for session in upcoming} == {"visio", "presentiel"}

    full = []
    for session in upcoming:
        registered = session.registrations.filter(status=SessionRegistration.Status.REGISTERED)
        waiting = session.registrations.filter(status=SessionRegistration.Status.WAITING)
        assert registered.count() <= session.capacity
        if registered.count() == session.capacity and waiting.exists():
            full.append(session)
        for registration in registered.select_related("user"):
            assert course_enrolment_refusal(user=registration.user, course=session.course) is None
    assert full


def test_restricted_course_refuses_people_outside_its_audience(settings):
    _seed(settings)
    course = CoursePage.objects.get(enrolment_restricted=True)
    assert set(course.audience.values_list("slug", flat=True)) == {"france-travail"}
    assert set(course.territories.values_list("slug", flat=True)) == {"hauts-de-france"}
    outsider = User.objects.get(email="sophie.martin@demo.academie.fr")  # Cap emploi
    assert course_enrolment_refusal(user=outsider, course=course)


def test_camille_has_started_a_course_and_extra_accounts_are_printed(settings):
    output = _seed(settings)
    camille = User.objects.get(email="camille.dupont@demo.academie.fr")
    enrolment = Enrolment.objects.get(user=camille, active=True)
    assert LessonProgress.objects.filter(user=camille, course=enrolment.course).count() == 1
    assert enrolment.completed_at is None
    assert "lucas.petit@demo.academie.fr" in output
    assert "ines.moreau@demo.academie.fr" in output
