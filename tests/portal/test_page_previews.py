"""What an editor sees when previewing each Wagtail page type from the admin."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from academy.models import LessonPage, ModulePage
from community.sheets import services as sheet_services
from tests.academy.factories import QUIZ, academy_index, course, lesson, module
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def _draft(client, page):
    return client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))


@pytest.fixture
def plan(site_root):
    course_page = course(academy_index(site_root), title="Orienter vers la formation")
    module_page = module(course_page, title="Les dispositifs de formation")
    first = lesson(module_page, title="Le compte personnel de formation")
    quiz_lesson = lesson(module_page, title="Quiz des dispositifs", quiz=QUIZ)
    return course_page, module_page, first, quiz_lesson


def test_module_preview_shows_the_module_and_its_lessons(plan, admin_client):
    course_page, module_page, first, quiz_lesson = plan

    response = _draft(admin_client, module_page)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Les dispositifs de formation</h1>" in html
    assert escape(course_page.title) in html
    assert escape(first.title) in html and escape(quiz_lesson.title) in html


def test_module_preview_marks_lessons_still_in_draft(plan, admin_client):
    _, module_page, _, _ = plan
    draft = LessonPage(title="Une leçon en cours d'écriture", slug="en-cours", live=False, body=[])
    module_page.add_child(instance=draft)

    html = _draft(admin_client, module_page).content.decode()

    assert "Une leçon en cours d&#x27;écriture" in html
    assert "Brouillon" in html


def test_a_module_served_to_visitors_still_redirects_to_its_course_plan(plan, client):
    course_page, module_page, _, _ = plan

    response = client.get(module_page.url)

    assert response.status_code == 302
    assert response["Location"] == f"{course_page.url}#module-{module_page.pk}"


def test_quiz_preview_shows_every_question_and_which_answers_are_right(plan, admin_client):
    *_, quiz_lesson = plan

    response = _draft(admin_client, quiz_lesson)

    assert response.status_code == 200
    html = response.content.decode()
    for question in QUIZ["questions"]:
        assert escape(question["prompt"]) in html
        for answer in question["answers"]:
            assert escape(answer["text"]) in html
            assert escape(answer["feedback"]) in html
        assert escape(question["explanation"]) in html
    assert html.count("Bonne réponse</span>") == 3
    assert "Inscrivez-vous à la formation pour répondre au quiz" not in html


def test_learners_never_see_which_answers_are_right(plan, client):
    *_, quiz_lesson = plan

    html = client.get(quiz_lesson.url).content.decode()

    assert "Bonne réponse</span>" not in html
    assert escape(QUIZ["questions"][0]["answers"][0]["feedback"]) not in html


@pytest.mark.parametrize("which", ["home", "index", "course", "lesson"])
def test_every_previewable_page_type_previews_without_error(plan, site_root, admin_client, which):
    course_page, _, first, _ = plan
    page = {
        "home": site_root,
        "index": academy_index(site_root),
        "course": course_page,
        "lesson": first,
    }[which]

    assert _draft(admin_client, page).status_code == 200


def test_sheet_index_has_no_preview_because_it_only_redirects_to_the_listing(site_root):
    # Its serve() redirects to the Communauté's listing: the admin offers no preview.
    index = sheet_services.sheet_index_ensure()
    assert index.preview_modes == []
    assert ModulePage.preview_modes  # a module does offer one, tested above
