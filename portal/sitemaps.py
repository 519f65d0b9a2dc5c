"""sitemap.xml: the pages anyone may read, and nothing else.

Built with django.contrib.sitemaps. No sites framework is installed, so the
sitemap view uses the request's own scheme and host (`RequestSite`): the same
deployment answers correct URLs under every name it is reached by.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.models import Page, Site

from academy.models import ModulePage
from community.models import PracticeSheetIndexPage, PracticeSheetPage, Space


class PublicPageSitemap(Sitemap):
    """Live Wagtail pages without view restriction, except those that only redirect
    (modules, the sheets index) and the practice sheets of private spaces."""

    def items(self):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return []
        self._root_path = site.root_page.url_path
        private_sheets = PracticeSheetPage.objects.filter(
            territory__space__visibility=Space.Visibility.PRIVATE
        ).values("pk")
        return (
            Page.objects.live()
            .public()
            .descendant_of(site.root_page, inclusive=True)
            .not_type(ModulePage, PracticeSheetIndexPage)
            .exclude(pk__in=private_sheets)
            .order_by("path")
            .only("url_path", "last_published_at")
        )

    def location(self, page):
        return "/" + page.url_path[len(self._root_path) :]

    def lastmod(self, page):
        return page.last_published_at


class CommunitySitemap(Sitemap):
    """The Communauté's listings and the spaces open to everyone."""

    def items(self):
        spaces = (
            Space.objects.filter(visibility=Space.Visibility.OPEN)
            .select_related("territory")
            .order_by("territory__slug")
        )
        return [reverse("community:index"), reverse("community:sheets")] + [
            space.get_absolute_url() for space in spaces
        ]

    def location(self, url):
        return url


SITEMAPS = {"pages": PublicPageSitemap, "communaute": CommunitySitemap}
