"""The catalogue at /academie/: full-text search, facets, pagination, learner progress."""

import pytest

from academy import services
from academy.models import CoursePage
from tests.academy.factories import academy_index, course, course_tree
from tests.factories import UserFactory, operator, territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(site_root, django_capture_on_commit_callbacks):
    # Search indexing runs on commit (a background task): let it run in the test.
    with django_capture_on_commit_callbacks(execute=True):
        index = academy_index(site_root)
        course(
            index,
            title="Conduire une formation en visio",
            summary="Animer des sessions à distance.",
            format=CoursePage.Format.ONLINE,
            duration_minutes=45,
            tags=["Animation"],
        )
        course(
            index,
            title="Recruter par simulation",
            summary="La méthode des habiletés pour les entreprises.",
            format=CoursePage.Format.SESSION,
            duration_minutes=240,
            audience=[operator("france-travail")],
            territories=[territory("hauts-de-france")],
            tags=["Recrutement"],
        )
        course(
            index,
            title="Le contrat d'engagement",
            summary="Droits et devoirs du contrat.",
            format=CoursePage.Format.BLENDED,
            duration_minutes=120,
            territories=[territory("bretagne")],
        )
    return index


def _titles(response) -> list[str]:
    return [c.title for c in response.context["courses"]]


def test_catalogue_lists_every_live_course(client, catalogue):
    response = client.get("/academie/")
    assert response.status_code == 200
    assert sorted(_titles(response)) == [
        "Conduire une formation en visio",
        "Le contrat d'engagement",
        "Recruter par simulation",
    ]


def test_search_box_finds_a_course_by_a_word_of_its_summary(client, catalogue):
    assert _titles(client.get("/academie/", {"q": "habiletés"})) == ["Recruter par simulation"]


@pytest.mark.postgres
def test_search_uses_french_stemming(client, catalogue):
    # "formations" finds "formation", "entreprise" finds "entreprises".
    assert _titles(client.get("/academie/", {"q": "formations"})) == [
        "Conduire une formation en visio"
    ]
    assert _titles(client.get("/academie/", {"q": "entreprise"})) == ["Recruter par simulation"]


def test_facets_filter_by_theme_format_duration_and_audience(client, catalogue):
    assert _titles(client.get("/academie/", {"theme": "recrutement"})) == [
        "Recruter par simulation"
    ]
    assert _titles(client.get("/academie/", {"format": "mixte"})) == ["Le contrat d'engagement"]
    assert _titles(client.get("/academie/", {"duree": "moins-1h"})) == [
        "Conduire une formation en visio"
    ]
    # A course without audience addresses everyone; one for France Travail only is hidden
    # from the Mission locale filter.
    assert "Recruter par simulation" not in _titles(
        client.get("/academie/", {"public": "mission-locale"})
    )


def test_territory_facet_keeps_national_courses_and_courses_above_the_territory(client, catalogue):
    titles = _titles(client.get("/academie/", {"territoire": "nord"}))
    assert "Recruter par simulation" in titles  # Hauts-de-France includes the Nord
    assert "Conduire une formation en visio" in titles  # national
    assert "Le contrat d'engagement" not in titles  # Bretagne


def test_unknown_filter_values_are_ignored_not_an_error(client, catalogue):
    response = client.get("/academie/", {"format": "<script>", "duree": "x", "page": "999"})
    assert response.status_code == 200
    assert len(_titles(response)) == 3


def test_catalogue_paginates_twelve_courses_per_page(client, site_root):
    index = academy_index(site_root)
    for number in range(14):
        course(index, title=f"Formation {number:02d}")
    first = client.get("/academie/")
    second = client.get("/academie/", {"page": 2})
    assert len(first.context["courses"]) == 12
    assert len(second.context["courses"]) == 2
    assert 'aria-current="page"' in first.content.decode()


def test_card_shows_the_learners_own_progress_when_enrolled(client, site_root):
    tree = course_tree(site_root)
    learner = UserFactory()
    services.course_enrol(user=learner, course=tree.course)
    services.lesson_complete(user=learner, lesson=tree.lessons[0])
    client.force_login(learner)
    html = client.get("/academie/").content.decode()
    assert "Votre progression : 33 %" in html
