"""Side columns (course enrolment card and sessions, a sheet's contact) end above the
footer, at 100 % and at 200 % zoom, and never cover its links."""

from datetime import timedelta

import pytest

from portal.setup import site_setup
from tests.academy.factories import academy_index, course, course_session, lesson, module
from tests.community.factories import space
from tests.community.sheets.conftest import publish_sheet

LONG = "".join(f"<p>Paragraphe {n} du programme détaillé de la formation.</p>" for n in range(40))


@pytest.fixture
def pages():
    home = site_setup()
    course_page = course(academy_index(home), objectives=LONG)
    lesson(module(course_page))
    for days in (3, 10, 17):
        course_session(course_page, starts_in=timedelta(days=days))
    space("nord")
    sheet = publish_sheet(contact="Camille, Mission locale de Lille", context=LONG)
    return {"formation": course_page.url, "fiche": sheet.url}


@pytest.mark.parametrize("width", [1280, 640], ids=["100%", "200%"])
def test_side_column_ends_above_the_footer_and_leaves_its_links_clickable(page, pages, width):
    # 200 % zoom of a 1280 px window is a 640 px CSS viewport.
    page.set_viewport_size({"width": width, "height": 900})
    for name, url in pages.items():
        page.goto(url)
        aside = page.locator("main aside")
        footer = page.locator("footer.fr-footer")
        lowest = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('main aside *')]"
            ".map(e => e.getBoundingClientRect().bottom + window.scrollY))"
        )
        footer_top = footer.bounding_box()["y"] + page.evaluate("window.scrollY")
        assert aside.count() == 1, name
        assert lowest <= footer_top, f"{name} : la colonne déborde de {lowest - footer_top} px"
        link = footer.get_by_role("link", name="Mentions légales")
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('footer') !== null",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit, f"{name} : le lien du pied de page est recouvert"
