import re

import pytest
from django.urls import reverse

from academy import services
from academy.models import LessonPage, LessonProgress, QuizAttempt
from academy.quiz import QuizSubmissionInvalid, grade
from tests.academy.factories import QUIZ, as_post, page_text, quiz_ids

pytestmark = pytest.mark.django_db

FEEDBACKS = [answer["feedback"] for q in QUIZ["questions"] for answer in q["answers"]]
EXPLANATIONS = [q["explanation"] for q in QUIZ["questions"]]
# Words of the feedback and explanations that appear nowhere else in the lesson.
FEEDBACK_WORDS = [
    "Exactement",
    "signatures",
    "recrute",
    "bien vu",
    "eux aussi",
    "opérateurs publics",
]
ANSWER_TEXTS = [answer["text"] for q in QUIZ["questions"] for answer in q["answers"]]


def _submit(client, lesson, submission):
    return client.post(reverse("academy:quiz_submit", args=[lesson.pk]), as_post(submission))


def _quiz_section(html: str) -> str:
    start = html.index('id="quiz"')
    return html[start : html.index("</section>", start)]


def _fresh(lesson):
    return LessonPage.objects.get(pk=lesson.pk)


# --- Grading, on the server ---------------------------------------------------------------


def test_grade_all_right_scores_100_and_passes(tree):
    lesson = _fresh(tree.quiz_lesson)
    ids = quiz_ids(lesson)
    result = grade(lesson.quiz.value, ids.right())
    assert (result.score, result.passed) == (100, True)
    assert all(question.correct for question in result.questions)


def test_grade_multiple_choice_needs_every_right_answer_and_no_wrong_one(tree):
    lesson = _fresh(tree.quiz_lesson)
    ids = quiz_ids(lesson)
    first, second = ids.questions
    partial = {first: ids.correct[0], second: ids.correct[1][:1]}
    result = grade(lesson.quiz.value, partial)
    assert [q.correct for q in result.questions] == [True, False]
    assert result.score == 50
    too_many = {first: ids.correct[0], second: ids.answers[1]}
    assert [q.correct for q in grade(lesson.quiz.value, too_many).questions] == [True, False]


def test_grade_below_pass_mark_fails_and_returns_feedback_of_the_chosen_answers(tree):
    lesson = _fresh(tree.quiz_lesson)
    result = grade(lesson.quiz.value, quiz_ids(lesson).wrong())
    assert (result.score, result.passed) == (0, False)
    assert result.questions[0].feedback == [QUIZ["questions"][0]["answers"][1]["feedback"]]
    assert result.questions[0].explanation == QUIZ["questions"][0]["explanation"]


def test_grade_refuses_an_answer_of_another_question(tree):
    lesson = _fresh(tree.quiz_lesson)
    ids = quiz_ids(lesson)
    swapped = {ids.questions[0]: [ids.answers[1][0]], ids.questions[1]: ids.correct[1]}
    with pytest.raises(QuizSubmissionInvalid, match="ne fait pas partie du quiz"):
        grade(lesson.quiz.value, swapped)


# --- Submitting through the page ----------------------------------------------------------


def test_passing_the_quiz_records_the_attempt_and_completes_the_lesson(
    tree, enrolled, learner_client
):
    lesson = tree.quiz_lesson
    response = _submit(learner_client, lesson, quiz_ids(lesson).right())

    assert response.status_code == 302
    assert response.url == lesson.url + "#quiz"
    attempt = QuizAttempt.objects.get(user=enrolled, lesson=lesson)
    assert (attempt.score, attempt.passed) == (100, True)
    assert LessonProgress.objects.filter(user=enrolled, lesson=lesson).exists()
    page = page_text(learner_client.get(lesson.url))
    assert "Quiz réussi" in page
    assert "la leçon est terminée" in page


def test_score_equal_to_the_pass_mark_passes(tree, enrolled):
    lesson = tree.quiz_lesson
    ids = quiz_ids(lesson)
    half = {ids.questions[0]: ids.correct[0], ids.questions[1]: ids.wrong()[ids.questions[1]]}
    result = services.quiz_submit(user=enrolled, lesson=_fresh(lesson), submission=half)
    assert (result.score, result.passed) == (50, True)


def test_failing_the_quiz_records_a_failed_attempt_and_shows_the_feedback(
    tree, enrolled, learner_client
):
    lesson = tree.quiz_lesson
    response = _submit(learner_client, lesson, quiz_ids(lesson).wrong())

    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(user=enrolled, lesson=lesson)
    assert (attempt.score, attempt.passed) == (0, False)
    assert not LessonProgress.objects.filter(user=enrolled, lesson=lesson).exists()
    quiz = _quiz_section(page_text(learner_client.get(lesson.url)))
    assert "Quiz non réussi" in quiz
    assert "Tentatives : 1 sur 2." in quiz
    assert "Non, un engagement réciproque demande deux signatures." in quiz
    assert "Une entreprise recrute, elle n'anime pas le réseau." in quiz
    assert "Le contrat se signe à deux dès l'entrée dans le parcours." in quiz
    # The feedback of answers the learner did not choose stays on the server.
    assert "Exactement, les deux parties" not in quiz
    # A second attempt is still offered.
    assert "Valider mes réponses" in quiz


def test_after_a_failed_attempt_the_form_comes_back_with_the_learner_s_answers_ticked(
    tree, enrolled, learner_client
):
    lesson = tree.quiz_lesson
    ids = quiz_ids(lesson)
    chosen = ids.wrong()
    _submit(learner_client, lesson, chosen)

    html = learner_client.get(lesson.url).content.decode()

    for question_id, answer_ids in chosen.items():
        for answer_id in answer_ids:
            assert f'id="a-{answer_id}" name="q-{question_id}" value="{answer_id}" checked' in html
    assert html.count(" checked>") == sum(len(a) for a in chosen.values())


def test_once_attempts_are_exhausted_a_submission_is_refused_and_not_recorded(
    tree, enrolled, learner_client
):
    lesson = tree.quiz_lesson
    ids = quiz_ids(lesson)
    for _ in range(QUIZ["max_attempts"]):
        assert _submit(learner_client, lesson, ids.wrong()).status_code == 302

    response = _submit(learner_client, lesson, ids.right())

    assert response.status_code == 400
    assert "Vous avez utilisé toutes vos tentatives pour ce quiz." in page_text(response)
    assert QuizAttempt.objects.filter(user=enrolled, lesson=lesson).count() == 2
    assert not LessonProgress.objects.filter(user=enrolled, lesson=lesson).exists()
    with pytest.raises(services.ActionRefused, match="toutes vos tentatives"):
        services.quiz_submit(user=enrolled, lesson=_fresh(lesson), submission=ids.right())
    page = page_text(learner_client.get(lesson.url))
    assert "Valider mes réponses" not in page


def test_a_tampered_answer_id_is_rejected_and_nothing_is_recorded(tree, enrolled, learner_client):
    lesson = tree.quiz_lesson
    submission = quiz_ids(lesson).right()
    first = next(iter(submission))
    submission[first] = ["00000000-0000-0000-0000-000000000000"]

    response = _submit(learner_client, lesson, submission)

    assert response.status_code == 400
    assert "Une réponse envoyée ne fait pas partie du quiz" in page_text(response)
    assert not QuizAttempt.objects.exists()
    assert not LessonProgress.objects.exists()


def test_several_answers_to_a_single_choice_question_are_rejected(tree, enrolled, learner_client):
    lesson = tree.quiz_lesson
    ids = quiz_ids(lesson)
    submission = ids.right()
    submission[ids.questions[0]] = ids.answers[0]

    response = _submit(learner_client, lesson, submission)

    assert response.status_code == 400
    assert "Une seule réponse est possible" in page_text(response)
    assert not QuizAttempt.objects.exists()


def test_an_unanswered_question_is_rejected_and_the_ticked_answers_stay_checked(
    tree, enrolled, learner_client
):
    lesson = tree.quiz_lesson
    ids = quiz_ids(lesson)
    ticked = ids.correct[1]
    response = _submit(learner_client, lesson, {ids.questions[1]: ticked})

    assert response.status_code == 400
    html = page_text(response)
    assert "Répondez à toutes les questions avant de valider." in html
    assert not QuizAttempt.objects.exists()
    checked = set(re.findall(r'value="([0-9a-f-]{36})" checked', html))
    assert checked == set(ticked)


def test_the_lesson_page_never_sends_correct_answers_or_feedback_before_a_submission(
    tree, enrolled, learner_client, client
):
    for html in (
        page_text(learner_client.get(tree.quiz_lesson.url)),
        page_text(client.get(tree.quiz_lesson.url)),
    ):
        assert "correct" not in html.lower()
        for text in FEEDBACKS + EXPLANATIONS + FEEDBACK_WORDS:
            assert text not in html
    quiz = _quiz_section(page_text(learner_client.get(tree.quiz_lesson.url)))
    for text in ANSWER_TEXTS:
        assert text in quiz


def test_a_learner_who_is_not_enrolled_cannot_submit(tree, learner, learner_client):
    response = _submit(learner_client, tree.quiz_lesson, quiz_ids(tree.quiz_lesson).right())
    assert response.status_code == 400
    assert "Inscrivez-vous à la formation" in page_text(response)
    assert not QuizAttempt.objects.exists()


def test_a_passed_quiz_cannot_be_submitted_again(tree, enrolled, learner_client):
    lesson = tree.quiz_lesson
    ids = quiz_ids(lesson)
    _submit(learner_client, lesson, ids.right())
    response = _submit(learner_client, lesson, ids.wrong())
    assert response.status_code == 400
    assert "Vous avez déjà réussi ce quiz." in page_text(response)
    assert QuizAttempt.objects.count() == 1


def test_quiz_submission_needs_a_login_and_a_post(tree, client, learner_client):
    url = reverse("academy:quiz_submit", args=[tree.quiz_lesson.pk])
    response = client.post(url, {})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert learner_client.get(url).status_code == 405


def test_a_lesson_without_quiz_has_no_quiz_endpoint(tree, enrolled, learner_client):
    response = learner_client.post(reverse("academy:quiz_submit", args=[tree.lessons[0].pk]), {})
    assert response.status_code == 404
