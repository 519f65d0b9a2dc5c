"""Rules every template of the portal keeps."""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))


def test_no_template_has_a_multi_line_hash_comment():
    # Django's {# … #} ends at the end of its line: a multi-line one is printed on the page.
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert TEMPLATES and offenders == []


class _ButtonGroups(HTMLParser):
    """Finds buttons with a labelled icon inside a DSFR button group that does not allow it."""

    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.offenders: list[int] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        in_plain_group = any(plain for _, plain in self.stack)
        if in_plain_group and {"fr-btn--icon-left", "fr-btn--icon-right"} & set(classes):
            self.offenders.append(self.getpos()[0])
        if tag not in self.VOID:
            plain = "fr-btns-group" in classes and not any(
                c.startswith("fr-btns-group--icon-") for c in classes
            )
            self.stack.append((tag, plain))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break


def test_no_labelled_icon_button_sits_in_a_button_group_that_makes_it_icon_only():
    # In a .fr-btns-group without --icon-left/--icon-right, the DSFR shows every button
    # carrying an fr-icon-* class as an icon alone, 2.5rem wide: "Leçon suivante" read "Leço".
    offenders = []
    for path in TEMPLATES:
        parser = _ButtonGroups()
        parser.feed(path.read_text())
        offenders += [f"{path.relative_to(settings.BASE_DIR)}:{line}" for line in parser.offenders]
    assert offenders == []


def test_every_table_wraps_its_text():
    # DSFR table cells do not wrap unless the table is --multiline: a long reason was cut
    # and the moderation queue's decision buttons sat off-screen.
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for classes in re.findall(r'class="(fr-table(?: [^"]*)?)"', line)
        if "fr-table--multiline" not in classes.split()
    ]
    assert offenders == []
