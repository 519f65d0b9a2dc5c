import re

import pytest
from django.urls import reverse

from academy import services
from academy.models import Certificate, Enrolment, LessonPage, LessonProgress
from academy.selectors import course_progress_map
from portal.notifications.models import Notification
from tests.academy.factories import page_text, quiz_ids

pytestmark = pytest.mark.django_db


def _done_url(lesson):
    return reverse("academy:lesson_complete", args=[lesson.pk])


def _pass_quiz(user, tree):
    lesson = LessonPage.objects.get(pk=tree.quiz_lesson.pk)
    return services.quiz_submit(user=user, lesson=lesson, submission=quiz_ids(lesson).right())


def _complete_required(user, tree):
    services.lesson_complete(user=user, lesson=tree.lessons[0])
    services.lesson_complete(user=user, lesson=tree.lessons[1])
    _pass_quiz(user, tree)


def test_marking_a_lesson_done_records_progress_and_goes_to_the_next_lesson(
    tree, enrolled, learner_client
):
    response = learner_client.post(_done_url(tree.lessons[0]))

    assert response.status_code == 302
    assert response.url == tree.lessons[1].url
    assert LessonProgress.objects.filter(user=enrolled, lesson=tree.lessons[0]).exists()
    progress = course_progress_map(user=enrolled, courses=[tree.course])[tree.course.pk]
    assert (progress["done"], progress["total"], progress["percent"]) == (1, 3, 33)


def test_marking_a_lesson_done_twice_keeps_one_record(tree, enrolled, learner_client):
    learner_client.post(_done_url(tree.lessons[0]))
    learner_client.post(_done_url(tree.lessons[0]))
    assert LessonProgress.objects.filter(user=enrolled).count() == 1


def test_marking_a_lesson_done_is_post_only(tree, enrolled, learner_client):
    assert learner_client.get(_done_url(tree.lessons[0])).status_code == 405
    assert not LessonProgress.objects.exists()


def test_a_learner_who_is_not_enrolled_cannot_record_progress(tree, learner, learner_client):
    response = learner_client.post(_done_url(tree.lessons[0]), follow=True)
    assert "Inscrivez-vous à la formation pour enregistrer votre progression." in page_text(
        response
    )
    assert not LessonProgress.objects.exists()


def test_a_quiz_lesson_cannot_be_marked_done_by_hand(tree, enrolled, learner_client):
    response = learner_client.post(_done_url(tree.quiz_lesson), follow=True)

    assert response.redirect_chain[0][0] == tree.quiz_lesson.url
    assert "Cette leçon se termine en réussissant son quiz." in page_text(response)
    assert not LessonProgress.objects.exists()
    with pytest.raises(services.ActionRefused):
        services.lesson_complete(user=enrolled, lesson=tree.quiz_lesson)


def test_the_quiz_lesson_page_offers_no_manual_completion_button(tree, enrolled, learner_client):
    html = page_text(learner_client.get(tree.quiz_lesson.url))
    assert _done_url(tree.quiz_lesson) not in html
    assert _done_url(tree.lessons[0]) in page_text(learner_client.get(tree.lessons[0].url))


def test_optional_lessons_do_not_count_towards_completion(tree, enrolled):
    services.lesson_complete(user=enrolled, lesson=tree.optional_lesson)
    progress = course_progress_map(user=enrolled, courses=[tree.course])[tree.course.pk]
    assert (progress["done"], progress["total"]) == (0, 3)

    _complete_required(enrolled, tree)

    enrolment = Enrolment.objects.get(user=enrolled, course=tree.course)
    assert enrolment.completed_at is not None


def test_the_course_is_not_completed_while_a_required_lesson_is_missing(tree, enrolled):
    services.lesson_complete(user=enrolled, lesson=tree.lessons[0])
    services.lesson_complete(user=enrolled, lesson=tree.optional_lesson)
    _pass_quiz(enrolled, tree)
    assert Enrolment.objects.get(user=enrolled).completed_at is None
    assert not Certificate.objects.exists()


def test_completing_every_required_lesson_completes_the_course_once(tree, enrolled):
    _complete_required(enrolled, tree)
    enrolment = Enrolment.objects.get(user=enrolled, course=tree.course)
    completed_at = enrolment.completed_at
    assert completed_at is not None

    services.lesson_complete(user=enrolled, lesson=tree.optional_lesson)
    services.lesson_complete(user=enrolled, lesson=tree.lessons[0])
    services.course_completion_check(user=enrolled, course=tree.course)

    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at


def test_completion_issues_one_certificate_and_one_notification(tree, enrolled):
    _complete_required(enrolled, tree)
    services.course_completion_check(user=enrolled, course=tree.course)
    services.lesson_complete(user=enrolled, lesson=tree.optional_lesson)

    certificate = Certificate.objects.get(user=enrolled, course=tree.course)
    enrolment = Enrolment.objects.get(user=enrolled, course=tree.course)
    assert certificate.completed_at == enrolment.completed_at
    assert certificate.holder_name == "Camille Dupont"
    assert certificate.course_title == tree.course.title
    notifications = Notification.objects.filter(
        recipient=enrolled, kind="academy.certificate_available"
    )
    assert notifications.count() == 1
    assert notifications.get().url == certificate.get_absolute_url()


def test_passing_the_last_quiz_through_the_page_completes_the_course(
    tree, enrolled, learner_client
):
    services.lesson_complete(user=enrolled, lesson=tree.lessons[0])
    services.lesson_complete(user=enrolled, lesson=tree.lessons[1])
    url = reverse("academy:quiz_submit", args=[tree.quiz_lesson.pk])
    right = quiz_ids(tree.quiz_lesson).right()
    learner_client.post(url, {f"q-{q}": a for q, a in right.items()})

    assert Enrolment.objects.get(user=enrolled).completed_at is not None
    html = page_text(learner_client.get(tree.course.url))
    assert "Formation terminée" in html
    certificate = Certificate.objects.get(user=enrolled)
    assert reverse("academy:certificate_download", args=[certificate.code]) in html


COMPLETED = "Bravo, vous avez terminé la formation"


def test_finishing_a_course_with_its_last_quiz_says_so_and_leads_to_the_certificate(
    tree, enrolled, learner_client
):
    services.lesson_complete(user=enrolled, lesson=tree.lessons[0])
    services.lesson_complete(user=enrolled, lesson=tree.lessons[1])
    right = quiz_ids(tree.quiz_lesson).right()

    response = learner_client.post(
        reverse("academy:quiz_submit", args=[tree.quiz_lesson.pk]),
        {f"q-{q}": a for q, a in right.items()},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == tree.course.url
    html = page_text(response)
    assert f"{COMPLETED} « {tree.course.title} »" in html
    assert "Votre attestation est prête" in html


def test_finishing_a_course_with_its_last_lesson_says_so(tree, enrolled, learner_client):
    services.lesson_complete(user=enrolled, lesson=tree.lessons[0])
    _pass_quiz(enrolled, tree)

    response = learner_client.post(_done_url(tree.lessons[1]), follow=True)

    assert response.redirect_chain[-1][0] == tree.course.url
    assert COMPLETED in page_text(response)


def test_a_lesson_that_does_not_finish_the_course_says_only_lesson_done(
    tree, enrolled, learner_client
):
    response = learner_client.post(_done_url(tree.lessons[0]), follow=True)

    html = page_text(response)
    assert "Leçon terminée." in html
    assert COMPLETED not in html


def test_an_optional_lesson_after_completion_does_not_say_it_again(tree, enrolled, learner_client):
    _complete_required(enrolled, tree)

    response = learner_client.post(_done_url(tree.optional_lesson), follow=True)

    assert COMPLETED not in page_text(response)


def test_the_course_page_shows_the_progress_bar_and_resumes_at_the_first_missing_lesson(
    tree, enrolled, learner_client
):
    services.lesson_complete(user=enrolled, lesson=tree.lessons[1])

    html = page_text(learner_client.get(tree.course.url))

    assert re.search(r'<progress[^>]*value="33"', html)
    assert "1 leçon sur 3 : 33 %" in html
    resume = re.search(r'<a class="fr-btn" href="([^"]+)">Reprendre</a>', html)
    assert resume and resume.group(1) == tree.lessons[0].url

    services.lesson_complete(user=enrolled, lesson=tree.lessons[0])
    html = page_text(learner_client.get(tree.course.url))
    resume = re.search(r'<a class="fr-btn" href="([^"]+)">Reprendre</a>', html)
    assert resume and resume.group(1) == tree.quiz_lesson.url


def test_the_course_page_shows_no_progress_to_a_learner_not_enrolled(tree, learner_client):
    html = page_text(learner_client.get(tree.course.url))
    assert "<progress" not in html
    assert "Reprendre" not in html
    assert "M'inscrire à cette formation" in html


def test_a_lesson_page_links_to_the_previous_and_next_lessons_across_modules(
    tree, enrolled, learner_client
):
    html = page_text(learner_client.get(tree.lessons[1].url))
    previous = re.search(r'href="([^"]+)">Leçon précédente', html)
    following = re.search(r'href="([^"]+)">Leçon suivante', html)
    assert previous and previous.group(1) == tree.lessons[0].url
    assert following and following.group(1) == tree.quiz_lesson.url
    assert "Leçon 2 sur 4" in html

    first = page_text(learner_client.get(tree.lessons[0].url))
    assert "Leçon précédente" not in first
    last = page_text(learner_client.get(tree.optional_lesson.url))
    assert "Leçon suivante" not in last
    assert re.search(r'href="([^"]+)">Leçon précédente', last).group(1) == tree.quiz_lesson.url


def test_the_last_lesson_done_leads_back_to_the_course(tree, enrolled, learner_client):
    response = learner_client.post(_done_url(tree.optional_lesson))
    assert response.url == tree.course.url
