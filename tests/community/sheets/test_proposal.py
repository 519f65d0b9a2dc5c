"""Members propose practice sheets from the front-end: into moderation, never live."""

import pytest
from django.urls import reverse

from community.models import PracticeSheetPage
from community.sheets.notifications import SHEET_SUBMITTED
from portal.notifications.models import Notification
from tests.community.conftest import client_for, page_text
from tests.community.sheets.conftest import proposal_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.community.sheets.urls_for_tests"),
]


def _propose_url(slug="somme") -> str:
    return reverse("community:sheet_propose", args=[slug])


def test_member_proposal_is_a_draft_in_moderation_owned_by_them(site_root, private_cast):
    response = client_for(private_cast.member).post(_propose_url(), proposal_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("community:my_sheets")
    sheet = PracticeSheetPage.objects.get()
    assert not sheet.live
    assert sheet.owner == private_cast.member
    assert sheet.territory.slug == "somme"
    assert sheet.workflow_in_progress
    assert sheet.current_workflow_task_state.task.name == "Relecture par l'animation de l'espace"
    assert sheet.latest_revision.user == private_cast.member
    assert sheet.get_parent().slug == "fiches-pratiques"
    # What was typed, as the page holds it.
    assert [step.value["title"] for step in sheet.steps] == [
        "Désigner les référents",
        "Signer le contrat",
        "Faire le point à trois mois",
    ]
    assert str(sheet.steps[0].value["detail"]) == "<p>Un binôme par secteur.</p>"
    assert sheet.context == "<p>Des parcours morcelés entre le Département et France Travail.</p>"
    assert sorted(o.slug for o in sheet.operators.all()) == [
        "conseil-departemental",
        "france-travail",
    ]
    assert sorted(t.name for t in sheet.tags.all()) == ["RSA", "référent unique"]


def test_proposal_is_not_served_before_publication(site_root, private_cast):
    client_for(private_cast.member).post(_propose_url(), proposal_data())
    sheet = PracticeSheetPage.objects.get()

    for user in (private_cast.member, private_cast.staff):
        response = client_for(user).get(f"/fiches-pratiques/{sheet.slug}/")
        assert response.status_code == 404


def test_space_animators_are_told_of_the_proposal_with_the_review_link(site_root, private_cast):
    client_for(private_cast.member).post(_propose_url(), proposal_data())
    sheet = PracticeSheetPage.objects.get()

    [notification] = Notification.objects.filter(kind=SHEET_SUBMITTED)
    assert notification.recipient == private_cast.animator
    # The review page in the Communauté: animateurs need no Wagtail rights.
    assert notification.url == reverse("community:sheet_review", args=["somme", sheet.pk])
    assert notification.title == (
        "Inès Membre propose une fiche pratique dans l'espace Somme : "
        "« Un référent unique pour les allocataires du RSA »"
    )


def test_author_follows_their_proposal_on_their_own_page(site_root, private_cast):
    client = client_for(private_cast.member)
    client.post(_propose_url(), proposal_data())

    text = page_text(client.get(reverse("community:my_sheets")))
    assert "Un référent unique pour les allocataires du RSA" in text
    assert "En cours de relecture" in text


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("non_member", "Rejoignez l'espace pour participer."),
        ("other_animator", "Rejoignez l'espace pour participer."),
        ("suspended", "vous pouvez lire mais pas publier"),
    ],
)
def test_only_those_who_may_post_in_the_space_propose(site_root, private_cast, who, reason):
    client = client_for(getattr(private_cast, who))

    for response in (client.get(_propose_url()), client.post(_propose_url(), proposal_data())):
        assert response.status_code == 403
        assert reason in page_text(response)
    assert not PracticeSheetPage.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in(site_root, somme):
    response = client_for(None).post(_propose_url(), proposal_data())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not PracticeSheetPage.objects.exists()


def test_staff_and_animators_propose_too(site_root, private_cast):
    for user in (private_cast.animator, private_cast.staff):
        response = client_for(user).get(_propose_url())
        assert response.status_code == 200
        assert "Proposer une fiche pratique" in page_text(response)


def test_invalid_proposal_keeps_everything_typed_with_french_errors(site_root, private_cast):
    data = proposal_data(
        context="",
        steps=("Une première ligne bien trop longue " * 8) + "\nSon détail.",
        operators=[],
    )

    response = client_for(private_cast.member).post(_propose_url(), data)

    assert response.status_code == 400
    text = page_text(response)
    assert "Votre fiche n'a pas été envoyée" in text
    assert "Décrivez le contexte de la pratique." in text
    assert "Le titre de l'étape 1 (sa première ligne) dépasse 200 caractères" in text
    assert "Cochez au moins un opérateur impliqué." in text
    for typed in (
        "Un référent unique pour les allocataires du RSA",
        "Un seul interlocuteur pour l'emploi et le social.",
        "Son détail.",
        "Deux fois plus de contrats signés dans le mois.",
        "Camille, Département de la Somme",
        "RSA, référent unique",
    ):
        assert typed in text, typed
    assert not PracticeSheetPage.objects.exists()


def test_proposal_in_an_unknown_space_is_not_found(site_root, private_cast):
    response = client_for(private_cast.member).get(_propose_url("nulle-part"))
    assert response.status_code == 404
