"""A sheet sent back for changes: its author corrects it and sends it back to review."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from community.models import PracticeSheetPage
from community.sheets import services
from community.sheets.notifications import SHEET_SUBMITTED
from portal.notifications.models import Notification
from tests.community.conftest import client_for, page_text
from tests.community.sheets.conftest import proposal_data
from tests.community.sheets.test_review import TITLE, propose

pytestmark = pytest.mark.django_db

COMMENT = "Précisez le nombre de référents et la durée du binôme."


@pytest.fixture
def sent_back(site_root, private_cast, somme) -> PracticeSheetPage:
    sheet = propose(private_cast.member, somme)
    services.sheet_review_decide(
        sheet=sheet, by=private_cast.animator, decision="reject", comment=COMMENT
    )
    return PracticeSheetPage.objects.get(pk=sheet.pk)


def _url(sheet) -> str:
    return reverse("community:sheet_revise", args=[sheet.pk])


def _state(sheet) -> str:
    return WorkflowState.objects.for_instance(sheet).order_by("-created_at").first().status


def test_my_sheets_offers_to_correct_a_sheet_sent_back(sent_back, private_cast):
    html = client_for(private_cast.member).get(reverse("community:my_sheets")).content.decode()

    assert f'href="{_url(sent_back)}"' in html
    assert "Corriger et renvoyer" in html


def test_the_correction_form_shows_the_review_comment_and_the_sheet_as_it_is(
    sent_back, private_cast
):
    response = client_for(private_cast.member).get(_url(sent_back))

    assert response.status_code == 200
    text = page_text(response)
    assert COMMENT in text
    form = response.context["form"]
    assert form.initial["title"] == TITLE
    assert form.initial["steps"] == "Désigner les référents\nUn binôme par secteur.\n\nSigner"
    assert form.initial["context"] == (
        "Des parcours morcelés entre le Département et France Travail."
    )


def test_the_author_resubmits_and_the_review_starts_again(sent_back, private_cast, somme):
    data = proposal_data(title="Un référent unique, deux par secteur")
    before = Notification.objects.filter(kind=SHEET_SUBMITTED).count()

    response = client_for(private_cast.member).post(_url(sent_back), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("community:my_sheets")
    sheet = PracticeSheetPage.objects.get(pk=sent_back.pk)
    assert not sheet.live
    assert _state(sheet) == WorkflowState.STATUS_IN_PROGRESS
    draft = sheet.get_latest_revision_as_object()
    assert draft.title == "Un référent unique, deux par secteur"
    assert [step.value["title"] for step in draft.steps] == [
        "Désigner les référents",
        "Signer le contrat",
        "Faire le point à trois mois",
    ]
    assert sorted(tag.name for tag in draft.tags.all()) == ["RSA", "référent unique"]
    assert Notification.objects.filter(kind=SHEET_SUBMITTED).count() > before
    # The animateur can decide again, from the same queue.
    services.sheet_review_decide(sheet=sheet, by=private_cast.animator, decision="approve")
    assert PracticeSheetPage.objects.get(pk=sheet.pk).live


def test_invalid_correction_changes_nothing_and_keeps_what_was_typed(sent_back, private_cast):
    data = proposal_data(title="", summary="Un résumé tout neuf.")

    response = client_for(private_cast.member).post(_url(sent_back), data)

    assert response.status_code == 400
    assert "Donnez un titre à la fiche." in page_text(response)
    assert "Un résumé tout neuf." in response.content.decode()
    sheet = PracticeSheetPage.objects.get(pk=sent_back.pk)
    assert _state(sheet) == WorkflowState.STATUS_NEEDS_CHANGES
    assert sheet.get_latest_revision_as_object().title == TITLE


def test_someone_else_cannot_correct_the_sheet(sent_back, private_cast):
    response = client_for(private_cast.animator).get(_url(sent_back))

    assert response.status_code == 404
    response = client_for(private_cast.animator).post(_url(sent_back), proposal_data())
    assert response.status_code == 404
    assert _state(sent_back) == WorkflowState.STATUS_NEEDS_CHANGES


def test_a_sheet_in_review_is_not_offered_for_correction(site_root, private_cast, somme):
    sheet = propose(private_cast.member, somme)

    response = client_for(private_cast.member).post(_url(sheet), proposal_data(title="Autre"))

    assert response.status_code == 302
    assert PracticeSheetPage.objects.get(pk=sheet.pk).get_latest_revision_as_object().title == (
        TITLE
    )
    assert _state(sheet) == WorkflowState.STATUS_IN_PROGRESS


def test_login_is_needed_to_correct_a_sheet(sent_back, client):
    assert client.get(_url(sent_back)).status_code == 302
