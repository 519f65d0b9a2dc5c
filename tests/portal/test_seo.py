"""Titles, descriptions, robots.txt and sitemap.xml: what browsers, assistive
technologies and crawlers read of the portal."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from academy.models import CoursePage
from tests.academy.factories import academy_index, course, lesson, module
from tests.community.factories import space
from tests.community.sheets.conftest import publish_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _another_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "academie.example.fr"]


NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _description(html: str) -> str:
    return re.search(r'<meta name="description" content="([^"]*)"', html).group(1)


@pytest.fixture
def pages(site_root):
    index = academy_index(site_root)
    course_page = course(index, title="Orienter vers la formation", summary="Les dispositifs.")
    first = lesson(module(course_page), title="Le compte personnel de formation")
    return site_root, index, course_page, first


def test_each_wagtail_page_has_its_own_title(pages, client):
    urls = [page.url for page in pages] + ["/mentions-legales/"]

    titles = [_title(client.get(url).content.decode()) for url in urls]

    assert len(set(titles)) == len(titles), titles
    assert titles[2].startswith("Orienter vers la formation — ")
    assert titles[3].startswith("Le compte personnel de formation — ")


def test_seo_title_wins_over_the_page_title(pages, client):
    course_page = pages[2]
    course_page.seo_title = "Formation : orienter vers la formation professionnelle"
    course_page.save_revision().publish()

    html = client.get(course_page.url).content.decode()

    assert _title(html).startswith("Formation : orienter vers la formation professionnelle — ")


def test_django_views_keep_their_own_title(client, site_root):
    assert _title(client.get("/recherche/").content.decode()).startswith("Recherche — ")


def test_course_description_is_its_summary_and_search_description_wins(pages, client):
    course_page = pages[2]
    assert _description(client.get(course_page.url).content.decode()) == "Les dispositifs."

    course_page.search_description = "Tout sur les dispositifs de formation."
    course_page.save_revision().publish()
    html = client.get(course_page.url).content.decode()

    assert _description(html) == "Tout sur les dispositifs de formation."


def test_every_page_has_a_description(client, site_root):
    for url in ["/", "/recherche/", "/communaute/"]:
        assert _description(client.get(url).content.decode()), url


def test_robots_txt_keeps_crawlers_out_of_accounts_and_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt", HTTP_HOST="academie.example.fr")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    for path in ["/admin/", "/django-admin/", "/comptes/", "/mon-espace/"]:
        assert f"Disallow: {path}\n" in body
    assert "Sitemap: http://academie.example.fr/sitemap.xml" in body


def _sitemap_locations(client, host="academie.example.fr") -> list[str]:
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 — our own response
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def test_sitemap_lists_public_pages_with_the_request_host(pages, client):

    locations = _sitemap_locations(client)

    for page in pages:
        assert f"http://academie.example.fr{page.url}" in locations
    assert "http://academie.example.fr/communaute/" in locations
    assert "http://academie.example.fr/mentions-legales/" in locations


def test_sitemap_leaves_out_drafts_restricted_pages_modules_and_private_sheets(pages, client):
    _, index, _course_page, first = pages
    draft = CoursePage(
        title="Brouillon", slug="brouillon", summary="…", duration_minutes=10, live=False
    )
    index.add_child(instance=draft)
    restricted = course(index, title="Réservée", slug="reservee")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    space("nord", private=True)
    private_sheet = publish_sheet(territory_slug="nord", title="Fiche privée")
    space("somme")
    open_sheet = publish_sheet(territory_slug="somme", title="Fiche ouverte")

    locations = [
        loc.removeprefix("http://academie.example.fr") for loc in _sitemap_locations(client)
    ]

    assert not any("/brouillon/" in loc or "/reservee/" in loc for loc in locations)
    assert first.url in locations
    assert first.get_parent().url not in locations  # the module only redirects
    assert private_sheet.url not in locations
    assert open_sheet.url in locations
    assert "/communaute/nord/" not in locations
    assert "/communaute/somme/" in locations


def test_sitemap_names_no_private_page_in_its_text(pages, client):
    space("nord", private=True)
    sheet = publish_sheet(territory_slug="nord", title="Fiche privée")

    body = client.get("/sitemap.xml").content.decode()

    assert sheet.slug not in body
    assert escape("Fiche privée") not in body


def test_favicon_ico_leads_to_the_dsfr_favicon_that_pages_declare(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("dsfr/dist/favicon/favicon.ico")
    assert finders.find("dsfr/dist/favicon/favicon.ico")  # a file that exists
