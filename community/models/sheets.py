"""Practice sheets (fiches pratiques): Wagtail pages under one shared index, each
belonging to the space of its territory.

The listing lives at /communaute/fiches/ (a Django view, community.sheets.views);
the index page only holds the sheets in the tree and sends visitors there.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Task, TaskState
from wagtail.search import index

from community.sheets.blocks import AttachmentsBlock, StepsBlock

RICH = ["bold", "italic", "link", "ol", "ul"]


class PracticeSheetIndexPage(Page):
    intro = models.TextField("introduction", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["community.PracticeSheetPage"]
    max_count = 1
    # Nothing to preview: the page only redirects to the listing.
    preview_modes: list = []

    class Meta:
        verbose_name = "index des fiches pratiques"

    def serve(self, request, *args, **kwargs):
        # The listing, with its filters and search, is the Communauté's page.
        url = reverse("community:sheets")
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)


class SheetTag(TaggedItemBase):
    content_object = ParentalKey(
        "community.PracticeSheetPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class PracticeSheetPage(Page):
    territory = models.ForeignKey(
        "people.Territory",
        verbose_name="territoire",
        on_delete=models.PROTECT,
        related_name="practice_sheets",
        help_text="La fiche appartient à l'espace de ce territoire : celle d'un espace privé "
        "n'est lue que par ses membres.",
    )
    summary = models.TextField("résumé", max_length=300)
    context = RichTextField("contexte", features=RICH)
    target_public = models.TextField("public visé", max_length=300)
    steps = StreamField(StepsBlock(), verbose_name="étapes")
    results = RichTextField("résultats", features=RICH, blank=True)
    operators = ParentalManyToManyField(
        "people.Operator", verbose_name="opérateurs impliqués", blank=True
    )
    contact = models.TextField(
        "contact",
        max_length=300,
        blank=True,
        help_text="Qui joindre pour en savoir plus. Visible de tous les lecteurs de la fiche.",
    )
    attachments = StreamField(AttachmentsBlock(), blank=True, verbose_name="documents")
    tags = ClusterTaggableManager(through=SheetTag, blank=True, verbose_name="thèmes")
    # Set once, on first publication, by community.sheets.services; never by a revision.
    discussion_topic = models.ForeignKey(
        "community.Topic",
        verbose_name="discussion",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("territory"),
        MultiFieldPanel(
            [
                FieldPanel("context"),
                FieldPanel("target_public"),
                FieldPanel("steps"),
                FieldPanel("results"),
            ],
            heading="La pratique",
        ),
        MultiFieldPanel(
            [
                FieldPanel("operators", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
                FieldPanel("contact"),
                FieldPanel("attachments"),
            ],
            heading="Opérateurs, thèmes et contact",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("context"),
        index.SearchField("target_public"),
        index.SearchField("steps"),
        index.SearchField("results"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("territory"),
    ]
    parent_page_types = ["community.PracticeSheetIndexPage"]
    subpage_types: list[str] = []
    template = "community/sheets/practice_sheet_page.html"
    exclude_fields_in_copy = ["discussion_topic"]

    class Meta:
        verbose_name = "fiche pratique"
        verbose_name_plural = "fiches pratiques"

    def with_content_json(self, content):
        # A revision saved before the first publication knows no discussion: restoring
        # it (publishing, editing) must keep the one the sheet has.
        page = super().with_content_json(content)
        page.discussion_topic_id = self.discussion_topic_id
        return page

    def is_readable_by(self, user) -> bool:
        """The rule portal.search.pages asks of pages: may this user read the sheet's space."""
        from community.sheets.selectors import may_read_sheet

        return may_read_sheet(user=user, sheet=self)

    def serve(self, request, *args, **kwargs):
        # Admin previews do not come through here: they render get_context directly.
        if not self.is_readable_by(request.user):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from community.sheets.selectors import sheet_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(sheet_page_context(sheet=self, user=request.user))
        return context


class SheetReviewTask(Task):
    """The step of the sheets' workflow: « Relecture par l'animation de l'espace ».

    Who decides is community.permissions.may_review_sheet: the animateurs of the sheet's
    space (from the Communauté's review queue, /communaute/<espace>/fiches/a-relire/)
    and the editors who may publish the sheet (from the Wagtail admin). Animateurs
    need no Wagtail rights. Decisions go through Wagtail's own on_action, so the
    workflow's state, history and signals stay those of Wagtail.
    """

    class Meta:
        verbose_name = "relecture par l'animation de l'espace"
        verbose_name_plural = "relectures par l'animation de l'espace"

    def may_review(self, obj, user) -> bool:
        from community.sheets.selectors import may_review_sheet

        sheet = obj if isinstance(obj, PracticeSheetPage) else getattr(obj, "specific", obj)
        if isinstance(sheet, PracticeSheetPage):
            return may_review_sheet(user=user, sheet=sheet)
        # Attached to other content by an administrator: those who may publish it decide.
        permissions_for_user = getattr(obj, "permissions_for_user", None)
        return bool(
            user.is_active
            and (
                user.is_superuser
                or (permissions_for_user and permissions_for_user(user).can_publish())
            )
        )

    def user_can_access_editor(self, obj, user):
        # Animateurs review in the Communauté; editors reach the editor by their own rights.
        return False

    def locked_for_user(self, obj, user):
        # As in Wagtail's group approval: only the reviewers edit a sheet in review.
        return not self.may_review(obj, user)

    def user_can_lock(self, obj, user):
        return self.may_review(obj, user)

    def get_actions(self, obj, user):
        if not self.may_review(obj, user):
            return []
        return [
            ("reject", "Demander des modifications", True),
            ("approve", "Publier", False),
            ("approve", "Publier avec un commentaire", True),
        ]

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        page = task_state.workflow_state.content_object
        if not self.may_review(page, user):
            raise PermissionDenied
        if action_name == "approve" and not page.permissions_for_user(user).can_publish():
            # Wagtail's last step publishes in the approver's name and refuses whoever has
            # no Wagtail publish permission, as animateurs have none: this task has just
            # checked that they decide. The approval stays theirs (task state, history,
            # our notification); the publication is recorded as the workflow's own.
            task_state.approve(user=user, update=False, **kwargs)
            task_state.workflow_state.update(user=None)
            return None
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from community.sheets.selectors import sheet_ids_reviewable_by

        if not user.is_authenticated or not user.is_active:
            return TaskState.objects.none()
        states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS, task=self.task_ptr)
        ids = sheet_ids_reviewable_by(user=user)
        if ids is None:  # every sheet
            return states
        return states.filter(workflow_state__object_id__in=ids)

    @classmethod
    def get_description(cls):
        return (
            "Les animateurs de l'espace de la fiche la relisent depuis la Communauté ; "
            "les éditeurs qui peuvent la publier, depuis l'administration."
        )
