"""A newcomer's whole Académie journey, in a real browser, with the RGAA rules on every page."""

import re
from io import StringIO

from django.core import mail
from django.core.management import call_command

from academy.models import Certificate, CoursePage, LessonPage
from portal.people.models import User
from tests.e2e.conftest import assert_no_axe_violations

COURSE_TITLE = "Le contrat d'engagement réciproque"
PASSWORD = "Un-mot-de-passe-solide-2026"


def _answers(lesson: LessonPage, *, correct: bool) -> dict[str, list[str]]:
    """For each question, the answer ids to tick: all correct ones, or a wrong one."""
    chosen = {}
    for question in lesson.quiz.value["questions"].bound_blocks:
        answers = question.value["answers"].bound_blocks
        right = [a.id for a in answers if a.value["correct"]]
        wrong = [a.id for a in answers if not a.value["correct"]]
        chosen[question.id] = right if correct else wrong[:1]
    return chosen


def _answer_quiz(page, lesson: LessonPage, *, correct: bool) -> None:
    for answer_ids in _answers(lesson, correct=correct).values():
        for answer_id in answer_ids:
            # DSFR styles the label over the native input: a person clicks the label.
            page.locator(f'label[for="a-{answer_id}"]').click()
    page.get_by_role("button", name="Valider mes réponses").click()
    page.wait_for_load_state()


def test_newcomer_signs_up_learns_passes_the_quiz_and_proves_it(page, live_server):
    call_command("seed_demo", "--force", stdout=StringIO())
    email = "nouvelle.conseillere@exemple.fr"

    # Sign up.
    page.goto("/comptes/signup/")
    assert_no_axe_violations(page)
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)

    # Verify the address from the e-mail.
    [verification] = [message for message in mail.outbox if message.to == [email]]
    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", verification.body).group(0)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert_no_axe_violations(page)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    # Complete the profile.
    page.goto("/mon-espace/profil/")
    assert_no_axe_violations(page)
    page.get_by_label("Nom affiché").fill("Aïcha B.")
    page.get_by_label("Opérateur").select_option(label="Mission locale")
    page.get_by_label("Structure").fill("Mission locale de Lille")
    page.locator("select[name=territories]").select_option(label="Nord (59)")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Votre profil est enregistré.").is_visible()
    user = User.objects.get(email=email)
    assert user.operator.slug == "mission-locale"

    # Find the course in the catalogue and enrol.
    page.goto("/academie/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=COURSE_TITLE).click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="M'inscrire à cette formation").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)

    # Work through every required lesson; fail the quiz once, then pass it.
    course = CoursePage.objects.get(title=COURSE_TITLE)
    failed_once = False
    for _ in range(20):
        resume = page.get_by_role("link", name="Reprendre")
        if resume.count() == 0:
            break
        resume.click()
        page.wait_for_load_state()
        assert_no_axe_violations(page)
        lesson = LessonPage.objects.get(url_path__endswith=page.url.split("/academie/", 1)[1])
        if lesson.quiz is None:
            page.get_by_role("button", name="J'ai terminé cette leçon").click()
            page.wait_for_load_state()
        else:
            if not failed_once:
                _answer_quiz(page, lesson, correct=False)
                assert page.get_by_text("Quiz non réussi").first.is_visible()
                assert_no_axe_violations(page)
                failed_once = True
            _answer_quiz(page, lesson, correct=True)
            assert page.get_by_text("Quiz réussi").first.is_visible()
            assert_no_axe_violations(page)
        page.goto(course.url)
    assert failed_once, "the course's quiz was never reached"
    assert page.get_by_text("Formation terminée").is_visible()
    assert_no_axe_violations(page)

    # Download the certificate.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger l'attestation (PDF)").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    certificate = Certificate.objects.get(user=user, course=course)

    # Anyone, logged out, can verify it.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    page.goto(f"/academie/certificats/{certificate.code}/")
    assert_no_axe_violations(page)
    body = page.locator("main").inner_text()
    assert "Attestation valide" in body and "Aïcha B." in body and COURSE_TITLE in body
    assert email not in page.content()
