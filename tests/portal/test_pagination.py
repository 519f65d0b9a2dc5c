"""The portal's one pagination: django-dsfr's tag with the DSFR's inactive links."""

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory


def _render(number: int, count: int = 95, per_page: int = 10, query: str = "") -> str:
    request = RequestFactory().get(f"/liste/{query}")
    page_obj = Paginator(range(count), per_page).get_page(number)
    return Template("{% load dsfr_tags %}{% dsfr_pagination page_obj %}").render(
        Context({"request": request, "page_obj": page_obj})
    )


def test_first_page_marks_first_and_previous_inactive_without_a_bare_link():
    html = _render(1)

    assert (
        '<a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"'
        ' role="link" aria-disabled="true">Page précédente</a>' in html
    )
    assert 'role="link" aria-disabled="true">Première page</a>' in html
    assert 'href="?page=2">Page suivante</a>' in html
    assert html.count('aria-disabled="true"') == 2


def test_last_page_marks_next_and_last_inactive():
    html = _render(10)

    assert 'role="link" aria-disabled="true">Page suivante</a>' in html
    assert 'role="link" aria-disabled="true">Dernière page</a>' in html
    assert 'href="?page=9">Page précédente</a>' in html
    assert html.count('aria-disabled="true"') == 2


def test_every_link_but_the_inactive_ones_has_an_href():
    html = _render(5)

    links = html.split("<a ")[1:]
    assert links and all("href=" in link for link in links)


def test_current_page_is_marked_and_far_pages_are_elided_as_text():
    html = _render(5)

    assert 'aria-current="page" title="Page 5" href="?page=5">5</a>' in html
    assert '<span class="fr-pagination__link fr-hidden fr-unhidden-lg">…</span>' in html
    assert 'href="?page=10">10</a>' in html
    assert ">8</a>" not in html


def test_pagination_keeps_the_other_query_parameters():
    html = _render(1, query="?q=formation&theme=rsa")

    assert 'href="?q=formation&amp;theme=rsa&amp;page=2"' in html


@pytest.mark.parametrize("count", [0, 3, 10])
def test_a_single_page_renders_no_pagination(count):
    assert "fr-pagination" not in _render(1, count=count)
