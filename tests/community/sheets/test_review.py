"""The review of proposed practice sheets by the animateurs of their space, from the
Communauté, through Wagtail's workflow (task "Relecture par l'animation de l'espace")."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from community.models import PracticeSheetPage
from community.models.sheets import SheetReviewTask
from community.services import ActionRefused
from community.sheets import services
from community.sheets.notifications import SHEET_REVIEWED
from community.sheets.services import Step
from portal.notifications.models import Notification
from tests.community.conftest import client_for, page_text
from tests.factories import UserFactory, operator

pytestmark = pytest.mark.django_db

TITLE = "Un référent unique pour les allocataires du RSA"


def propose(user, space, *, title=TITLE) -> PracticeSheetPage:
    return services.sheet_propose(
        user=user,
        space=space,
        title=title,
        summary="Un seul interlocuteur pour l'emploi et le social.",
        context="Des parcours morcelés entre le Département et France Travail.",
        target_public="Allocataires du RSA soumis aux droits et devoirs",
        steps=[Step("Désigner les référents", "Un binôme par secteur."), Step("Signer")],
        operators=[operator("conseil-departemental")],
        tags=["RSA"],
    )


@pytest.fixture
def proposal(site_root, private_cast, somme) -> PracticeSheetPage:
    """Inès, member of the private Somme space, proposed a sheet there."""
    return propose(private_cast.member, somme)


def queue_url(slug="somme") -> str:
    return reverse("community:sheet_review_queue", args=[slug])


def review_url(sheet, slug="somme") -> str:
    return reverse("community:sheet_review", args=[slug, sheet.pk])


def fresh(sheet) -> PracticeSheetPage:
    return PracticeSheetPage.objects.get(pk=sheet.pk)


def assert_still_in_review(sheet):
    sheet = fresh(sheet)
    assert not sheet.live
    assert sheet.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert isinstance(sheet.current_workflow_task, SheetReviewTask)
    assert not Notification.objects.filter(kind=SHEET_REVIEWED).exists()


# --- The queue and the review page --------------------------------------------------------------


def test_space_animator_finds_the_proposal_in_the_review_queue(proposal, private_cast):
    response = client_for(private_cast.animator).get(queue_url())

    assert response.status_code == 200
    text = page_text(response)
    assert "Fiches pratiques à relire" in text
    assert TITLE in text
    assert "Inès Membre" in text
    assert review_url(proposal) in text


def test_review_queue_is_empty_without_proposals(site_root, private_cast):
    response = client_for(private_cast.animator).get(queue_url())

    assert response.status_code == 200
    assert "Aucune fiche n'attend de relecture dans cet espace." in page_text(response)


def test_review_page_previews_the_proposed_sheet(proposal, private_cast):
    response = client_for(private_cast.animator).get(review_url(proposal))

    assert response.status_code == 200
    text = page_text(response)
    assert TITLE in text
    assert "Un seul interlocuteur pour l'emploi et le social." in text
    assert "Désigner les référents" in text
    assert operator("conseil-departemental").name in text
    assert "RSA" in text  # its theme
    assert "Proposée par Inès Membre" in text
    assert 'name="decision" value="approve"' in text
    assert 'name="decision" value="reject"' in text


def test_space_page_links_its_animators_to_the_review_queue(proposal, private_cast):
    animator_page = page_text(client_for(private_cast.animator).get("/communaute/somme/"))
    member_page = page_text(client_for(private_cast.member).get("/communaute/somme/"))

    assert queue_url() in animator_page
    assert queue_url() not in member_page


@pytest.mark.parametrize("who", ["member", "suspended", "non_member", "other_animator"])
def test_who_does_not_animate_the_space_may_not_review_its_sheets(proposal, private_cast, who):
    client = client_for(getattr(private_cast, who))

    responses = [
        client.get(queue_url()),
        client.get(review_url(proposal)),
        client.post(review_url(proposal), {"decision": "approve"}),
        client.post(review_url(proposal), {"decision": "reject", "comment": "Non."}),
    ]

    for response in responses:
        assert response.status_code == 403
        assert "Seuls les animateurs et animatrices de l'espace relisent" in page_text(response)
    assert_still_in_review(proposal)


def test_anonymous_visitor_is_sent_to_log_in_and_changes_nothing(proposal):
    client = client_for(None)

    for response in (
        client.get(queue_url()),
        client.get(review_url(proposal)),
        client.post(review_url(proposal), {"decision": "approve"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert_still_in_review(proposal)


def test_animator_of_another_space_finds_no_sheet_of_this_space_in_theirs(proposal, private_cast):
    client = client_for(private_cast.other_animator)

    assert client.get(review_url(proposal, slug="aisne")).status_code == 404
    assert (
        client.post(review_url(proposal, slug="aisne"), {"decision": "approve"}).status_code == 404
    )
    assert TITLE not in page_text(client.get(queue_url("aisne")))
    assert_still_in_review(proposal)


# --- Decisions ----------------------------------------------------------------------------------


def test_animator_approval_publishes_through_the_workflow_and_tells_the_author(
    proposal, private_cast
):
    client = client_for(private_cast.animator)

    response = client.post(review_url(proposal), {"decision": "approve", "comment": "Merci !"})

    assert response.status_code == 302
    assert response["Location"] == queue_url()
    sheet = fresh(proposal)
    assert sheet.live and not sheet.workflow_in_progress
    state = WorkflowState.objects.for_instance(sheet).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    task_state = TaskState.objects.get(workflow_state=state)
    assert (task_state.status, task_state.finished_by, task_state.comment) == (
        TaskState.STATUS_APPROVED,
        private_cast.animator,
        "Merci !",
    )
    [notification] = Notification.objects.filter(kind=SHEET_REVIEWED)
    assert notification.recipient == private_cast.member
    assert notification.actor == private_cast.animator
    assert notification.title == f"Votre fiche pratique « {TITLE} » est publiée"
    assert sheet.discussion_topic.forum.space.slug == "somme"
    followed = client.get(response["Location"])
    assert f"La fiche « {TITLE} » est publiée" in page_text(followed)
    assert "Aucune fiche n'attend de relecture" in page_text(followed)


def test_animator_asks_for_changes_with_a_comment_the_author_receives(proposal, private_cast):
    response = client_for(private_cast.animator).post(
        review_url(proposal), {"decision": "reject", "comment": "Précisez les résultats."}
    )

    assert response.status_code == 302
    sheet = fresh(proposal)
    assert not sheet.live
    assert sheet.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    [notification] = Notification.objects.filter(kind=SHEET_REVIEWED)
    assert notification.recipient == private_cast.member
    assert notification.actor == private_cast.animator
    assert notification.context["comment"] == "Précisez les résultats."
    my_sheets = page_text(client_for(private_cast.member).get(reverse("community:my_sheets")))
    assert "À revoir" in my_sheets
    assert "Précisez les résultats." in my_sheets


def test_asking_for_changes_without_a_comment_is_refused_and_changes_nothing(
    proposal, private_cast
):
    response = client_for(private_cast.animator).post(
        review_url(proposal), {"decision": "reject", "comment": "   "}
    )

    assert response.status_code == 400
    text = page_text(response)
    assert "Aucune décision n'a été enregistrée" in text
    assert "le commentaire est obligatoire pour demander des modifications" in text
    assert_still_in_review(proposal)


def test_an_unknown_decision_is_refused_and_changes_nothing(proposal, private_cast):
    response = client_for(private_cast.animator).post(
        review_url(proposal), {"decision": "publish-everything", "comment": "Hop"}
    )

    assert response.status_code == 400
    assert "Choisissez de publier la fiche ou de demander des modifications." in page_text(response)
    assert "Hop" in page_text(response)  # what was typed stays
    assert_still_in_review(proposal)


def test_staff_review_every_space(proposal, private_cast):
    response = client_for(private_cast.staff).post(review_url(proposal), {"decision": "approve"})

    assert response.status_code == 302
    assert fresh(proposal).live


def test_a_decided_sheet_leaves_the_queue_and_its_review_page_says_so(proposal, private_cast):
    client = client_for(private_cast.animator)
    client.post(review_url(proposal), {"decision": "approve"})

    response = client.get(review_url(proposal), follow=True)

    assert response.redirect_chain == [(queue_url(), 302)]
    assert "Cette fiche n'attend plus de relecture" in page_text(response)


def test_a_second_decision_is_refused(proposal, private_cast):
    services.sheet_review_decide(sheet=proposal, by=private_cast.animator, decision="approve")

    with pytest.raises(ActionRefused, match="n'attend plus de relecture"):
        services.sheet_review_decide(
            sheet=proposal, by=private_cast.staff, decision="reject", comment="Trop tard."
        )
    assert fresh(proposal).live
    assert Notification.objects.filter(kind=SHEET_REVIEWED).count() == 1


@pytest.mark.parametrize("who", ["member", "other_animator", "non_member"])
def test_the_service_refuses_who_may_not_review(proposal, private_cast, who):
    with pytest.raises(ActionRefused, match="Seuls les animateurs et animatrices"):
        services.sheet_review_decide(
            sheet=proposal, by=getattr(private_cast, who), decision="approve"
        )
    assert_still_in_review(proposal)


# The queue's queries, whatever the number of sheets in review: the user, the space, the
# membership, the workflow states (the space's sheets are a subquery), the sheets, then the
# unread notifications count that every page reads (the site settings come from the
# shared cache, portal/page_cache.py).
QUEUE_QUERIES = 6


@pytest.mark.parametrize("count", [1, 6])
def test_review_queue_runs_a_fixed_number_of_queries(site_root, private_cast, somme, count):
    client = client_for(private_cast.animator)
    for number in range(count):
        propose(private_cast.member, somme, title=f"Fiche {number}")
    client.get(queue_url())  # warms the content type cache

    with CaptureQueriesContext(connection) as queries:
        response = client.get(queue_url())

    assert len(response.context["reviews"]) == count
    assert len(queries) == QUEUE_QUERIES


# --- The task in Wagtail ------------------------------------------------------------------------


def test_migration_installs_the_review_task_and_the_index_uses_its_workflow(proposal):
    task = SheetReviewTask.objects.get(name="Relecture par l'animation de l'espace")
    workflow = proposal.get_workflow()
    assert workflow.name == "Relecture des fiches pratiques"
    assert [t.specific for t in workflow.tasks] == [task]
    assert proposal.get_parent().specific.workflowpage.workflow == workflow


@pytest.fixture
def wagtail_moderator(db):
    user = UserFactory(display_name="Modération Wagtail")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_task_offers_its_actions_to_the_space_animators_and_the_editors_who_may_publish(
    proposal, private_cast, wagtail_moderator
):
    task = fresh(proposal).current_workflow_task.specific

    def actions(user):
        return sorted({name for name, _label, _modal in task.get_actions(fresh(proposal), user)})

    assert actions(private_cast.animator) == ["approve", "reject"]
    assert actions(private_cast.staff) == ["approve", "reject"]
    assert actions(wagtail_moderator) == ["approve", "reject"]
    for who in ("member", "suspended", "other_animator", "non_member"):
        assert actions(getattr(private_cast, who)) == []


def test_wagtail_dashboard_lists_each_reviewer_what_they_may_review(
    site_root, private_cast, somme, aisne, wagtail_moderator
):
    somme_sheet = propose(private_cast.member, somme)
    aisne_member = UserFactory()
    from tests.community.factories import MembershipFactory

    MembershipFactory(space=aisne, user=aisne_member)
    aisne_sheet = propose(aisne_member, aisne, title="Une fiche de l'Aisne")

    def reviewable(user):
        return {
            int(state.workflow_state.object_id)
            for state in TaskState.objects.reviewable_by(user).select_related("workflow_state")
        }

    assert reviewable(private_cast.animator) == {somme_sheet.pk}
    assert reviewable(private_cast.other_animator) == {aisne_sheet.pk}
    assert reviewable(private_cast.member) == set()
    assert reviewable(wagtail_moderator) == {somme_sheet.pk, aisne_sheet.pk}


# --- E-mails: ours, not Wagtail's, for members ---------------------------------------------------


def test_members_get_our_notification_email_and_none_of_wagtails(
    proposal, private_cast, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(private_cast.animator).post(
            review_url(proposal), {"decision": "reject", "comment": "Ajoutez des chiffres."}
        )

    to_author = [m for m in mail.outbox if m.to == [private_cast.member.email]]
    [message] = to_author
    assert message.subject == "[Académie & Communauté] 1 nouvelle notification"
    assert f"Votre fiche pratique « {TITLE} » est à revoir" in message.body


def test_wagtail_approval_email_still_reaches_an_editor_who_requested_the_review(
    site_root, private_cast, somme
):
    editor = UserFactory(display_name="Éditrice Académie")
    editor.groups.add(Group.objects.get(name="Editors"))
    sheet = propose(private_cast.animator, somme)
    state = fresh(sheet).current_workflow_state
    state.requested_by = editor
    state.save()
    mail.outbox.clear()

    services.sheet_review_decide(sheet=sheet, by=private_cast.animator, decision="approve")

    assert [m.to for m in mail.outbox] == [[editor.email]]
