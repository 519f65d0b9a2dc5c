"""The Académie's listing pages run a fixed number of SQL queries, whatever the data.

Each test measures a page on a small tree, then grows the data (50 courses, a
course of 30 lessons, other learners' enrolments, progress and session seats)
and requires exactly the same number of queries for the same page.
"""

import gc
import warnings
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images import get_image_model

from academy import services
from academy.models import CoursePage, LessonPage
from tests.academy.factories import course, course_session, lesson, login, module, quiz_ids
from tests.factories import UserFactory, operator, territory

pytestmark = pytest.mark.django_db

# The queries of each page on the small tree (SQLite and PostgreSQL alike): a new
# query must show up here, in review. The big data set must then do exactly as many.
# Anonymous pages are counted as rendered (their cached copy costs none); Wagtail's
# site, its root page, the portal settings, each course's outline and the catalogue's
# filter lists come from the shared cache.
PINNED = {
    "catalogue, anonymous": 8,
    "catalogue, enrolled learner": 13,
    "catalogue, search and every filter": 16,
    "course page, anonymous": 10,
    "course page, enrolled learner": 17,
    "lesson page": 15,
    "quiz lesson page": 16,
    "quiz lesson page, anonymous": 11,
    "learner dashboard": 10,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _cover(title: str):
    buffer = BytesIO()
    PILImage.new("RGB", (64, 36), "navy").save(buffer, "PNG")
    image = get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title}.png")
    )
    # Wagtail 8 leaves the SpooledTemporaryFile of a new rendition unclosed (a
    # ResourceWarning, an error here): make the card's rendition now, warnings muted.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        image.get_rendition("fill-600x338")
        gc.collect()
    return image


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _measure(client, url) -> list[dict]:
    """The queries of a warm request: caches (site root paths, renditions) filled first."""
    _get(client, url)
    with CaptureQueriesContext(connection) as context:
        _get(client, url)
    return context.captured_queries


def _queries_report(name: str, small: list[dict], big: list[dict]) -> str:
    lines = [f"{name}: {len(small)} queries on the small tree, {len(big)} on the big one."]
    lines += ["--- small"] + [q["sql"] for q in small]
    lines += ["--- big"] + [q["sql"] for q in big]
    return "\n".join(lines)


def _grow(tree, learner):
    """49 more courses (with covers, themes, audience), 26 more lessons, other learners."""
    for number in range(49):
        extra = course(
            tree.index,
            title=f"Formation {number:02d}",
            tags=["insertion", f"theme-{number % 5}"],
            audience=[operator("mission-locale")] if number % 3 == 0 else [],
            territories=[territory("nord")] if number % 4 == 0 else [],
            cover_image=_cover(f"couverture-{number}") if number % 2 == 0 else None,
        )
        if number % 4 == 0:
            extra_module = module(extra, title="Module")
            extra_lesson = lesson(extra_module, title="Leçon")
            services.course_enrol(user=learner, course=extra)
            services.lesson_complete(user=learner, lesson=extra_lesson)
    for number, parent in enumerate(tree.modules * 13):
        lesson(parent, title=f"Leçon supplémentaire {number}", optional=number % 5 == 0)
    others = [UserFactory() for _ in range(15)]
    for other in others:
        services.course_enrol(user=other, course=tree.course)
        services.lesson_complete(user=other, lesson=tree.lessons[0])
    for days in range(3, 8):
        session = course_session(tree.course, starts_in=timedelta(days=days), capacity=4)
        for other in others[:6]:
            services.session_register(user=other, session=session)
    services.session_register(user=learner, session=session)
    assert CoursePage.objects.count() == 50
    assert LessonPage.objects.descendant_of(tree.course).count() == 30


def _small_extras(tree, learner):
    """What the big data set has, once: a session, a cover, a theme, another learner."""
    tree.course.cover_image = _cover("couverture")
    tree.course.tags.add("insertion")
    tree.course.save_revision().publish()
    other = UserFactory()
    services.course_enrol(user=other, course=tree.course)
    session = course_session(tree.course, capacity=4)
    services.session_register(user=other, session=session)
    services.session_register(user=learner, session=session)


@pytest.fixture
def learning(tree, enrolled):
    """The learner is enrolled, has done one lesson and failed the quiz once."""
    services.lesson_complete(user=enrolled, lesson=tree.lessons[0])
    services.quiz_submit(
        user=enrolled, lesson=tree.quiz_lesson, submission=quiz_ids(tree.quiz_lesson).wrong()
    )
    _small_extras(tree, enrolled)
    return enrolled


def _pages(tree, learner, anonymous):
    signed_in = login(learner)
    filtered = "?q=accompagnement&theme=insertion&public=mission-locale&territoire=nord"
    return {
        "catalogue, anonymous": (anonymous, tree.index.url),
        "catalogue, enrolled learner": (signed_in, tree.index.url),
        "catalogue, search and every filter": (signed_in, tree.index.url + filtered),
        "course page, anonymous": (anonymous, tree.course.url),
        "course page, enrolled learner": (signed_in, tree.course.url),
        "lesson page": (signed_in, tree.lessons[1].url),
        "quiz lesson page": (signed_in, tree.quiz_lesson.url),
        "quiz lesson page, anonymous": (anonymous, tree.quiz_lesson.url),
        "learner dashboard": (signed_in, "/mon-espace/formation/"),
    }


def test_academy_pages_run_a_fixed_number_of_queries_whatever_the_data(
    tree, learning, client, django_assert_max_num_queries, no_page_cache
):
    pages = _pages(tree, learning, client)
    small = {}
    for name, (who, url) in pages.items():
        _get(who, url)
        with django_assert_max_num_queries(PINNED[name], info=name) as context:
            _get(who, url)
        small[name] = context.captured_queries
    assert "1 formation" in _get(*pages["catalogue, search and every filter"]).content.decode()

    _grow(tree, learning)

    mismatches = []
    for name, (who, url) in pages.items():
        big = _measure(who, url)
        if len(big) != len(small[name]):
            mismatches.append(_queries_report(name, small[name], big))
    if mismatches:
        print("\n\n".join(mismatches))
        pytest.fail(
            "Query counts grow with the data: " + "; ".join(m.splitlines()[0] for m in mismatches)
        )

    # The big data set is really what the pages showed.
    catalogue = _get(*pages["catalogue, enrolled learner"]).content.decode()
    assert "50 formations" in catalogue and "Votre progression" in catalogue
    assert "50 formations" in _get(*pages["catalogue, search and every filter"]).content.decode()
    course_html = _get(*pages["course page, enrolled learner"]).content.decode()
    assert "Leçon supplémentaire 25" in course_html
    assert course_html.count("fr-tile__title") == 6
    assert "Leçon supplémentaire 25" in _get(*pages["quiz lesson page"]).content.decode()
