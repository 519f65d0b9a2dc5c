"""Builders of a published Académie tree: index → courses → modules → lessons, and sessions.

Pages go through Wagtail's own path (add_child, then a published revision) and
come back re-read from the database, so block ids are the stored ones.
"""

import html
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from academy.models import (
    AcademyIndexPage,
    CoursePage,
    CourseSession,
    LessonPage,
    ModulePage,
)
from tests.factories import territory

QUIZ = {
    "title": "Quiz",
    "questions": [
        {
            "kind": "single",
            "prompt": "Qui signe le contrat d'engagement réciproque ?",
            "answers": [
                {
                    "text": "La personne et son référent",
                    "correct": True,
                    "feedback": "Exactement, les deux parties s'engagent ensemble.",
                },
                {
                    "text": "Le seul conseiller",
                    "correct": False,
                    "feedback": "Non, un engagement réciproque demande deux signatures.",
                },
            ],
            "explanation": "Le contrat se signe à deux dès l'entrée dans le parcours.",
        },
        {
            "kind": "multiple",
            "prompt": "Quels acteurs font partie du réseau pour l'emploi ?",
            "answers": [
                {"text": "Les Missions locales", "correct": True, "feedback": "Oui, bien vu."},
                {"text": "Cap emploi", "correct": True, "feedback": "Oui, eux aussi."},
                {
                    "text": "Une enseigne de grande distribution",
                    "correct": False,
                    "feedback": "Une entreprise recrute, elle n'anime pas le réseau.",
                },
            ],
            "explanation": "Le réseau réunit les opérateurs publics de l'accompagnement.",
        },
    ],
    "pass_mark": 50,
    "max_attempts": 2,
}


def _block(value) -> dict:
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


def quiz_stream_value(quiz: dict) -> dict:
    """The raw StreamField form of a quiz given as plain dicts (ListBlock items with ids)."""
    questions = []
    for question in quiz["questions"]:
        answers = [_block(dict(answer)) for answer in question["answers"]]
        questions.append(_block({**question, "answers": answers}))
    return {
        "title": quiz.get("title", "Quiz"),
        "intro": quiz.get("intro", ""),
        "questions": questions,
        "pass_mark": quiz.get("pass_mark", 80),
        "max_attempts": quiz.get("max_attempts", 3),
    }


def publish(parent, page):
    """Add the page under its parent, publish a revision, return it fresh from the database."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def academy_index(home) -> AcademyIndexPage:
    existing = AcademyIndexPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    return publish(home, AcademyIndexPage(title="Académie", slug="academie", intro="Formations"))


def course(
    index,
    *,
    title="Accompagner les allocataires du RSA",
    slug=None,
    summary="Les étapes de l'accompagnement, de l'orientation au contrat.",
    duration_minutes=90,
    audience=(),
    territories=(),
    restricted=False,
    tags=(),
    **fields,
) -> CoursePage:
    page = CoursePage(
        title=title,
        slug=slug or f"formation-{uuid.uuid4().hex[:10]}",
        summary=summary,
        duration_minutes=duration_minutes,
        enrolment_restricted=restricted,
        **fields,
    )
    page.audience.set(list(audience))
    page.territories.set(list(territories))
    for tag in tags:
        page.tags.add(tag)
    return publish(index, page)


def module(course_page, *, title="Module 1") -> ModulePage:
    return publish(course_page, ModulePage(title=title, slug=f"module-{uuid.uuid4().hex[:10]}"))


def lesson(module_page, *, title="Leçon", optional=False, body=None, quiz=None) -> LessonPage:
    stream = (
        body
        if body is not None
        else [{"type": "text", "value": f"<p>Contenu de la leçon « {title} ».</p>"}]
    )
    if quiz is not None:
        stream = [*stream, {"type": "quiz", "value": quiz_stream_value(quiz)}]
    return publish(
        module_page,
        LessonPage(
            title=title,
            slug=f"lecon-{uuid.uuid4().hex[:10]}",
            optional=optional,
            body=stream,
        ),
    )


@dataclass
class QuizIds:
    """The stored ids of a lesson's quiz: questions, and their answers in order."""

    questions: list[str]
    answers: list[list[str]]
    correct: list[list[str]]

    def right(self) -> dict[str, list[str]]:
        return {q: list(c) for q, c in zip(self.questions, self.correct, strict=True)}

    def wrong(self) -> dict[str, list[str]]:
        return {
            q: [next(a for a in answers if a not in correct)]
            for q, answers, correct in zip(self.questions, self.answers, self.correct, strict=True)
        }


def quiz_ids(lesson_page) -> QuizIds:
    lesson_page = LessonPage.objects.get(pk=lesson_page.pk)
    questions, answers, correct = [], [], []
    for question in lesson_page.quiz.value["questions"].bound_blocks:
        questions.append(question.id)
        bound = question.value["answers"].bound_blocks
        answers.append([answer.id for answer in bound])
        correct.append([answer.id for answer in bound if answer.value["correct"]])
    return QuizIds(questions=questions, answers=answers, correct=correct)


def as_post(submission: dict[str, list[str]]) -> dict[str, list[str]]:
    """A submission as the quiz form posts it."""
    return {f"q-{question_id}": answers for question_id, answers in submission.items()}


@dataclass
class Tree:
    index: AcademyIndexPage
    course: CoursePage
    modules: list[ModulePage]
    lessons: list[LessonPage]
    quiz_lesson: LessonPage
    optional_lesson: LessonPage


def course_tree(home, *, title="Accompagner les allocataires du RSA", **course_fields) -> Tree:
    """A course of two modules: two lessons, then a quiz lesson and an optional lesson.

    Required lessons, in order: lessons[0], lessons[1], quiz_lesson.
    """
    index = academy_index(home)
    course_page = course(index, title=title, **course_fields)
    first = module(course_page, title="Les bases")
    second = module(course_page, title="Aller plus loin")
    one = lesson(first, title="Le cadre de l'accompagnement")
    two = lesson(first, title="Le premier entretien")
    quiz_lesson = lesson(second, title="Vérifier ses acquis", quiz=QUIZ)
    optional = lesson(second, title="Pour aller plus loin", optional=True)
    return Tree(
        index=index,
        course=course_page,
        modules=[first, second],
        lessons=[one, two, quiz_lesson, optional],
        quiz_lesson=quiz_lesson,
        optional_lesson=optional,
    )


def course_session(
    course_page,
    *,
    starts_in=timedelta(days=3),
    duration=timedelta(hours=2),
    capacity=10,
    format=CourseSession.Format.VISIO,
    visio_url="https://visio.exemple.fr/salle-academie-8451",
    territory_slug="nord",
    **fields,
) -> CourseSession:
    starts_at = (timezone.now() + starts_in).replace(microsecond=0)
    return CourseSession.objects.create(
        course=course_page,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        format=format,
        visio_url=visio_url if format == CourseSession.Format.VISIO else "",
        place=fields.pop("place", "" if format == CourseSession.Format.VISIO else "Lille"),
        territory=territory(territory_slug),
        trainer=fields.pop("trainer", "Camille Formatrice"),
        capacity=capacity,
        **fields,
    )


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    """The response body with HTML entities decoded, to compare with French text."""
    return html.unescape(response.content.decode())
