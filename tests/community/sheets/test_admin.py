"""Practice sheets in the Wagtail admin: page types, and the review of members' proposals."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from community.models import Forum, Post, PracticeSheetIndexPage, PracticeSheetPage, Topic
from community.sheets import services
from community.sheets.notifications import SHEET_REVIEWED
from portal.models import HomePage
from portal.notifications.models import Notification
from portal.setup import site_setup
from tests.community.factories import MembershipFactory, space
from tests.community.sheets.conftest import proposal_data
from tests.factories import UserFactory, operator, territory

pytestmark = pytest.mark.urls("tests.community.sheets.urls_for_tests")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestSheetPagesThroughTheAdmin(WagtailPageTestCase):
    """Each page type is created where the tree allows it, with the admin's own form."""

    @classmethod
    def setUpTestData(cls):
        cls.home = site_setup()
        cls.superuser = UserFactory(is_superuser=True, is_staff=True)

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_index_is_created_under_the_home_page(self):
        self.assertCanCreate(
            self.home,
            PracticeSheetIndexPage,
            nested_form_data(
                {"title": "Fiches pratiques", "slug": "fiches-pratiques", "intro": "Partager."}
            ),
        )
        assert PracticeSheetIndexPage.objects.get().live

    def test_sheet_is_created_under_the_index_and_opens_its_discussion(self):
        index = services.sheet_index_ensure()
        self.assertCanCreate(
            index,
            PracticeSheetPage,
            nested_form_data(
                {
                    "title": "Un diagnostic des besoins en compétences",
                    "summary": "Interroger les employeurs du bassin avant de former.",
                    "territory": str(territory("aisne").pk),
                    "context": rich_text("<p>Des formations sans débouchés locaux.</p>"),
                    "target_public": "Conseillers et chargés de relations entreprises",
                    "steps": streamfield(
                        [
                            (
                                "step",
                                {
                                    "title": "Lister les employeurs",
                                    "detail": rich_text("<p>Avec la CCI.</p>"),
                                },
                            ),
                            ("step", {"title": "Les interroger", "detail": rich_text("")}),
                        ]
                    ),
                    "results": rich_text("<p>Trois formations ouvertes.</p>"),
                    "operators": [str(operator("france-travail").pk)],
                    "contact": "Équipe entreprises de Laon",
                    "tags": "compétences, entreprises",
                    "attachments": streamfield([]),
                }
            ),
        )
        sheet = PracticeSheetPage.objects.child_of(index).get()
        assert sheet.live
        assert [step.value["title"] for step in sheet.steps] == [
            "Lister les employeurs",
            "Les interroger",
        ]
        assert sorted(tag.name for tag in sheet.tags.all()) == ["compétences", "entreprises"]
        assert sheet.discussion_topic.forum.space.territory.slug == "aisne"

    def test_page_types_only_go_where_the_tree_allows(self):
        self.assertAllowedSubpageTypes(PracticeSheetIndexPage, {PracticeSheetPage})
        self.assertAllowedParentPageTypes(PracticeSheetPage, {PracticeSheetIndexPage})
        self.assertAllowedParentPageTypes(PracticeSheetIndexPage, {HomePage})
        self.assertCanNotCreateAt(HomePage, PracticeSheetPage)


# --- Review of a member's proposal ------------------------------------------------------------


@pytest.fixture
def proposal(site_root, nord):
    """A member of Nord proposed a sheet from the front-end form."""
    author = UserFactory(display_name="Inès Autrice", operator=operator("mission-locale"))
    MembershipFactory(space=nord, user=author)
    response = _client(author).post(
        reverse("community:sheet_propose", args=["nord"]), proposal_data()
    )
    assert response.status_code == 302
    return PracticeSheetPage.objects.get(owner=author)


def _workflow_action(user, sheet, action: str, comment: str = ""):
    task_state = PracticeSheetPage.objects.get(pk=sheet.pk).current_workflow_task_state
    return _client(user).post(
        reverse("wagtailadmin_pages:workflow_action", args=[sheet.pk, action, task_state.pk]),
        {"comment": comment},
    )


def test_approval_publishes_the_sheet_notifies_its_author_and_opens_its_discussion(
    proposal, moderator
):
    assert _workflow_action(moderator, proposal, "approve", "Très clair.").status_code == 302

    sheet = PracticeSheetPage.objects.get(pk=proposal.pk)
    assert sheet.live and not sheet.workflow_in_progress
    [notification] = Notification.objects.filter(recipient=sheet.owner, kind=SHEET_REVIEWED)
    assert notification.title == (
        "Votre fiche pratique « Un référent unique pour les allocataires du RSA » est publiée"
    )
    assert notification.url == sheet.url
    assert notification.actor == moderator

    topic = sheet.discussion_topic
    assert topic.title == "Discussion : Un référent unique pour les allocataires du RSA"
    assert topic.author == sheet.owner
    # Nord had no forum: one was made for its sheets' discussions.
    assert (topic.forum.name, topic.forum.space.territory.slug) == ("Fiches pratiques", "nord")
    opening = Post.objects.get(topic=topic, position=0)
    assert f'href="{sheet.url}"' in opening.body_html
    assert topic.watches.filter(user=sheet.owner).exists()


def test_republishing_an_edited_sheet_keeps_its_one_discussion(proposal, moderator):
    _workflow_action(moderator, proposal, "approve")
    sheet = PracticeSheetPage.objects.get(pk=proposal.pk)
    topic_id = sheet.discussion_topic_id

    client = _client(moderator)
    url = reverse("wagtailadmin_pages:edit", args=[sheet.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data["summary"] = "Un interlocuteur unique, relu."
    # StreamFields are drawn by the admin's JavaScript: post them as it would.
    data.update(
        nested_form_data(
            {
                "steps": streamfield([("step", {"title": "Désigner", "detail": rich_text("")})]),
                "attachments": streamfield([]),
            }
        )
    )
    data["action-publish"] = "action-publish"
    assert client.post(url, data).status_code == 302

    sheet = PracticeSheetPage.objects.get(pk=proposal.pk)
    assert sheet.summary == "Un interlocuteur unique, relu."
    assert sheet.discussion_topic_id == topic_id
    assert Topic.objects.count() == 1
    assert Forum.objects.filter(space__territory__slug="nord").count() == 1
    assert Notification.objects.filter(kind=SHEET_REVIEWED).count() == 1


def test_rejection_tells_the_author_why_and_leaves_the_sheet_unpublished(proposal, moderator):
    response = _workflow_action(moderator, proposal, "reject", "Précisez les résultats.")
    assert response.status_code == 302

    sheet = PracticeSheetPage.objects.get(pk=proposal.pk)
    assert not sheet.live and sheet.discussion_topic is None
    [notification] = Notification.objects.filter(recipient=sheet.owner, kind=SHEET_REVIEWED)
    assert notification.title == (
        "Votre fiche pratique « Un référent unique pour les allocataires du RSA » est à revoir"
    )
    assert notification.context["comment"] == "Précisez les résultats."
    assert notification.url == reverse("community:my_sheets")

    page = _client(sheet.owner).get(reverse("community:my_sheets")).content.decode()
    assert "À revoir" in page
    assert "Précisez les résultats." in page


def test_a_member_without_admin_access_cannot_approve_in_the_admin(proposal, nord):
    # Animateurs decide from the Communauté's review queue, never through the admin.
    animator = UserFactory()
    MembershipFactory(space=nord, user=animator, animator=True)

    _workflow_action(animator, proposal, "approve")

    sheet = PracticeSheetPage.objects.get(pk=proposal.pk)
    assert not sheet.live and sheet.workflow_in_progress


def test_a_private_space_sheet_is_previewed_by_its_moderator(site_root, moderator):
    somme = space("somme", private=True)
    author = UserFactory()
    MembershipFactory(space=somme, user=author)
    _client(author).post(reverse("community:sheet_propose", args=["somme"]), proposal_data())
    sheet = PracticeSheetPage.objects.get(owner=author)

    response = _client(moderator).get(reverse("wagtailadmin_pages:view_draft", args=[sheet.pk]))

    assert response.status_code == 200
    assert "Un référent unique pour les allocataires du RSA" in response.content.decode()
