"""The Académie's page tree: index (catalogue) → course → module → lesson."""

from django import forms
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from academy.blocks import LessonStreamBlock

RICH = ["bold", "italic", "link", "ol", "ul"]


class AcademyIndexPage(Page):
    """The catalogue at /academie/: search, facets, pagination (see academy.catalogue)."""

    intro = models.TextField("introduction", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["academy.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = "catalogue de l'Académie"

    def get_context(self, request, *args, **kwargs):
        from academy.catalogue import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(index_page=self, request=request))
        return context


class CourseTag(TaggedItemBase):
    content_object = ParentalKey(
        "academy.CoursePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CoursePage(Page):
    class Level(models.TextChoices):
        DISCOVERY = "decouverte", "Découverte"
        INTERMEDIATE = "intermediaire", "Intermédiaire"
        ADVANCED = "approfondissement", "Approfondissement"

    class Format(models.TextChoices):
        ONLINE = "en_ligne", "En ligne"
        SESSION = "en_session", "En session"
        BLENDED = "mixte", "Mixte"

    summary = models.TextField("résumé", max_length=600)
    objectives = RichTextField("objectifs", features=RICH, blank=True)
    prerequisites = RichTextField("prérequis", features=RICH, blank=True)
    duration_minutes = models.PositiveIntegerField(
        "durée estimée (minutes)", help_text="Par exemple 90 pour 1 h 30."
    )
    level = models.CharField(
        "niveau", max_length=20, choices=Level.choices, default=Level.DISCOVERY
    )
    format = models.CharField(
        "format", max_length=12, choices=Format.choices, default=Format.ONLINE
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="image de couverture",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = ParentalManyToManyField(
        "people.Operator",
        verbose_name="public visé (opérateurs)",
        blank=True,
        help_text="Vide : tous les opérateurs du réseau.",
    )
    territories = ParentalManyToManyField(
        "people.Territory",
        verbose_name="territoires",
        blank=True,
        help_text="Vide : formation nationale. Un territoire inclut ses départements et comités.",
    )
    enrolment_restricted = models.BooleanField(
        "inscription réservée au public et aux territoires indiqués",
        default=False,
        help_text="Sinon, le public et les territoires ne servent qu'aux filtres du catalogue.",
    )
    tags = ClusterTaggableManager(through=CourseTag, blank=True, verbose_name="thèmes")

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("prerequisites"),
        MultiFieldPanel(
            [
                FieldPanel("duration_minutes"),
                FieldPanel("level"),
                FieldPanel("format"),
                FieldPanel("cover_image"),
                FieldPanel("tags"),
            ],
            heading="Caractéristiques",
        ),
        MultiFieldPanel(
            [
                FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
                FieldPanel("territories"),
                FieldPanel("enrolment_restricted"),
            ],
            heading="Public et territoires",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("format"),
        index.FilterField("level"),
        index.FilterField("duration_minutes"),
    ]
    parent_page_types = ["academy.AcademyIndexPage"]
    subpage_types = ["academy.ModulePage"]

    class Meta:
        verbose_name = "formation"
        verbose_name_plural = "formations"

    def get_context(self, request, *args, **kwargs):
        from academy.selectors import course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(course=self, user=request.user))
        return context

    @property
    def duration_label(self) -> str:
        hours, minutes = divmod(self.duration_minutes, 60)
        if not hours:
            return f"{minutes} min"
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


class ModulePage(Page):
    intro = models.TextField("introduction", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["academy.CoursePage"]
    subpage_types = ["academy.LessonPage"]

    class Meta:
        verbose_name = "module"

    def serve(self, request, *args, **kwargs):
        # A module is a heading of the course plan, not a page of its own; its
        # preview in the admin shows the module as the course plan will.
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        from django.shortcuts import redirect

        return redirect(self.get_parent().url + f"#module-{self.pk}")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = lessons = None
        if self.path:  # a module previewed before its first save is not in the tree yet
            course = CoursePage.objects.ancestor_of(self).first()
            lessons = LessonPage.objects.child_of(self).order_by("path")
        context.update(course=course, lessons=lessons)
        return context


class LessonPage(Page):
    optional = models.BooleanField(
        "leçon facultative",
        default=False,
        help_text="Une leçon facultative ne compte pas pour terminer la formation.",
    )
    duration_minutes = models.PositiveIntegerField("durée estimée (minutes)", default=10)
    body = StreamField(LessonStreamBlock(), verbose_name="contenu")

    content_panels = [
        *Page.content_panels,
        FieldPanel("optional"),
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["academy.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "leçon"
        verbose_name_plural = "leçons"

    @property
    def quiz(self):
        """The lesson's quiz block (a StreamChild) or None."""
        for child in self.body:
            if child.block_type == "quiz":
                return child
        return None

    def get_context(self, request, *args, **kwargs):
        from academy.selectors import lesson_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_page_context(lesson=self, user=request.user))
        return context
