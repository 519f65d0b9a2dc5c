"""The site shell: home page, simple content pages and the site-wide settings."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import ContentStreamBlock


@register_setting(icon="site")
class PortalSettings(BaseGenericSetting):
    """The brand block and the accessibility status shown in every footer."""

    class AccessibilityStatus(models.TextChoices):
        NOT = "non", "non conforme"
        PARTIAL = "partiellement", "partiellement conforme"
        FULL = "totalement", "totalement conforme"

    brand_top = models.CharField("bloc-marque, première ligne", max_length=40, default="République")
    brand_bottom = models.CharField(
        "bloc-marque, seconde ligne", max_length=40, default="Française"
    )
    operator_name = models.CharField("nom de l'opérateur", max_length=80, default="France Travail")
    site_title = models.CharField("nom du service", max_length=80, default="Académie & Communauté")
    site_tagline = models.CharField(
        "devise du service",
        max_length=160,
        default="Se former et partager entre professionnels du réseau pour l'emploi",
    )
    accessibility_status = models.CharField(
        "état de conformité RGAA",
        max_length=16,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.NOT,
        help_text="Tel que déclaré dans la déclaration d'accessibilité.",
    )
    footer_description = models.TextField(
        "texte du pied de page",
        blank=True,
        default="L'Académie et la Communauté France Travail réunissent les professionnels du "
        "réseau pour l'emploi pour se former ensemble et partager ce qui marche, territoire "
        "par territoire.",
    )

    class Meta:
        verbose_name = "réglages du portail"

    @classmethod
    def _get_or_create(cls):
        # Read by every page's header and footer: kept with the shared copies, and
        # renewed by their generation when these settings are saved (portal/page_cache.py).
        from portal.page_cache import shared

        return shared("portal-settings", super()._get_or_create)


class HomePage(Page):
    intro = models.CharField("accroche", max_length=255, blank=True)
    academy_text = RichTextField(
        "ce que propose l'Académie", blank=True, features=["bold", "italic", "link", "ul"]
    )
    community_text = RichTextField(
        "ce que propose la Communauté", blank=True, features=["bold", "italic", "link", "ul"]
    )
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name="contenu")

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("academy_text"),
        FieldPanel("community_text"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "page d'accueil"

    def get_context(self, request, *args, **kwargs):
        from portal import home

        context = super().get_context(request, *args, **kwargs)
        context["latest_courses"] = home.latest_courses(user=request.user)
        context["active_spaces"] = home.active_spaces(user=request.user)
        return context


class ContentPage(Page):
    """An editorial page: legal notices, accessibility statement, guides…"""

    intro = models.TextField("chapô", blank=True)
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name="contenu")

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "page de contenu"
