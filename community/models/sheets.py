"""Practice sheets (fiches pratiques): Wagtail pages under one shared index, each
belonging to the space of its territory.

The listing lives at /communaute/fiches/ (a Django view, community.sheets.views);
the index page only holds the sheets in the tree and sends visitors there.
"""

from django import forms
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
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
