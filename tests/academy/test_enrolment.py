import pytest
from django.urls import reverse

from academy import services
from academy.models import Enrolment, LessonProgress
from tests.academy.factories import academy_index, course, login, page_text
from tests.factories import UserFactory, operator, territory

pytestmark = pytest.mark.django_db


def _enrol_url(course_page):
    return reverse("academy:course_enrol", args=[course_page.pk])


def test_anonymous_visitor_is_sent_to_the_login_page(tree, client):
    response = client.post(_enrol_url(tree.course))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Enrolment.objects.exists()


def test_course_page_invites_an_anonymous_visitor_to_log_in(tree, client):
    html = page_text(client.get(tree.course.url))
    assert "Se connecter pour s'inscrire" in html
    assert _enrol_url(tree.course) not in html


def test_enrolling_is_post_only(tree, learner_client):
    assert learner_client.get(_enrol_url(tree.course)).status_code == 405
    assert not Enrolment.objects.exists()


def test_enrolling_is_protected_against_cross_site_requests(tree, csrf_client):
    assert csrf_client.post(_enrol_url(tree.course)).status_code == 403
    assert not Enrolment.objects.exists()


def test_enrolling_creates_one_active_enrolment_and_says_so(tree, learner, learner_client):
    response = learner_client.post(_enrol_url(tree.course), follow=True)
    assert response.redirect_chain[-1][0] == tree.course.url
    assert "Vous êtes inscrit(e) à « Accompagner les allocataires du RSA »" in page_text(response)
    enrolment = Enrolment.objects.get(user=learner, course=tree.course)
    assert enrolment.active


def test_enrolling_twice_keeps_a_single_enrolment(tree, learner, learner_client):
    learner_client.post(_enrol_url(tree.course))
    learner_client.post(_enrol_url(tree.course))
    services.course_enrol(user=learner, course=tree.course)
    assert Enrolment.objects.filter(user=learner, course=tree.course).count() == 1


def test_leaving_then_enrolling_again_keeps_the_progress(tree, enrolled, learner_client):
    services.lesson_complete(user=enrolled, lesson=tree.lessons[0])
    leave = reverse("academy:course_leave", args=[tree.course.pk])

    learner_client.post(leave)

    enrolment = Enrolment.objects.get(user=enrolled, course=tree.course)
    assert not enrolment.active and enrolment.left_at is not None
    assert LessonProgress.objects.filter(user=enrolled, lesson=tree.lessons[0]).exists()
    assert "M'inscrire à cette formation" in page_text(learner_client.get(tree.course.url))

    learner_client.post(_enrol_url(tree.course))

    enrolment.refresh_from_db()
    assert enrolment.active and enrolment.left_at is None
    assert Enrolment.objects.filter(user=enrolled).count() == 1
    assert "1 leçon sur 3 : 33 %" in page_text(learner_client.get(tree.course.url))


def test_a_course_that_is_not_published_cannot_be_enrolled_in(tree, learner, learner_client):
    tree.course.unpublish()
    assert learner_client.post(_enrol_url(tree.course)).status_code == 404
    assert not Enrolment.objects.exists()


# --- Restricted courses -----------------------------------------------------------------


@pytest.fixture
def restricted_to_missions_locales(site_root):
    return course(
        academy_index(site_root),
        title="Le PACEA",
        audience=[operator("mission-locale")],
        restricted=True,
    )


@pytest.fixture
def restricted_to_hauts_de_france(site_root):
    return course(
        academy_index(site_root),
        title="Le RSA en Hauts-de-France",
        territories=[territory("hauts-de-france")],
        restricted=True,
    )


def test_a_user_of_another_operator_is_refused_with_the_audience_named(
    restricted_to_missions_locales, learner, learner_client
):
    response = learner_client.post(_enrol_url(restricted_to_missions_locales), follow=True)
    assert "Cette formation est réservée aux professionnels de : Mission locale." in page_text(
        response
    )
    assert not Enrolment.objects.exists()
    with pytest.raises(services.ActionRefused, match="Mission locale"):
        services.course_enrol(user=learner, course=restricted_to_missions_locales)


def test_a_user_without_operator_is_told_to_fill_in_the_profile(restricted_to_missions_locales):
    user = UserFactory(operator=None)
    with pytest.raises(services.ActionRefused, match="Indiquez votre opérateur"):
        services.course_enrol(user=user, course=restricted_to_missions_locales)


def test_a_user_of_the_audience_may_enrol(restricted_to_missions_locales):
    user = UserFactory(operator=operator("mission-locale"))
    login(user).post(_enrol_url(restricted_to_missions_locales))
    assert Enrolment.objects.filter(user=user, active=True).exists()


def test_a_user_outside_the_territory_is_refused(restricted_to_hauts_de_france):
    user = UserFactory(territories=[territory("finistere")])
    response = login(user).post(_enrol_url(restricted_to_hauts_de_france), follow=True)
    assert (
        "Cette formation est réservée aux professionnels des territoires suivants : "
        "Hauts-de-France." in page_text(response)
    )
    assert not Enrolment.objects.exists()


def test_a_user_in_a_departement_of_the_course_region_may_enrol(restricted_to_hauts_de_france):
    user = UserFactory(territories=[territory("pas-de-calais")])
    services.course_enrol(user=user, course=restricted_to_hauts_de_france)
    assert Enrolment.objects.filter(user=user, active=True).exists()


def test_a_region_course_is_not_open_to_a_user_of_the_national_level_only(
    restricted_to_hauts_de_france,
):
    # Being attached to a wider territory does not make one part of a narrower one.
    user = UserFactory(territories=[territory("national")])
    with pytest.raises(services.ActionRefused):
        services.course_enrol(user=user, course=restricted_to_hauts_de_france)


def test_the_course_page_explains_the_refusal_instead_of_offering_to_enrol(
    restricted_to_missions_locales, learner_client
):
    html = page_text(learner_client.get(restricted_to_missions_locales.url))
    assert "Cette formation est réservée aux professionnels de : Mission locale." in html
    assert _enrol_url(restricted_to_missions_locales) not in html


def test_an_unrestricted_course_only_uses_audience_and_territories_for_the_catalogue(site_root):
    open_course = course(
        academy_index(site_root),
        audience=[operator("mission-locale")],
        territories=[territory("bretagne")],
        restricted=False,
    )
    user = UserFactory(territories=[territory("finistere")])
    services.course_enrol(user=user, course=open_course)
    assert Enrolment.objects.filter(user=user).exists()
