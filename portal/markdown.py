"""The one Markdown pipeline: render with markdown-it (raw HTML off), then clean
the HTML it produced with nh3 against an allowlist. User text is never trusted.

Forum posts use the full set; chat messages the inline subset. A caller may turn
spans of the text into links (the @mentions of members) before the HTML is cleaned:
the links then pass through the same allowlist as everything else.
"""

from collections.abc import Callable
from html import escape
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_renderer.disable("image")  # images come as attachments, whose access is checked

BLOCK_TAGS = {
    "p", "br", "strong", "em", "a", "code", "pre", "ul", "ol", "li", "blockquote",
    "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
INLINE_TAGS = {"p", "br", "strong", "em", "a", "code", "ul", "ol", "li"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
MENTION_CLASS = "portal-mention"
# Text inside these is left as it is: a link in a link, or in code, means nothing.
_NO_LINKS_INSIDE = {"a", "code", "pre"}

# Given a run of text, the (start, end, href) of the spans to link, in order.
LinkFinder = Callable[[str], list[tuple[int, int, str]]]


class _TextLinker(HTMLParser):
    """Rewrites the text nodes of markdown-it's HTML, leaving its tags as they are."""

    def __init__(self, find: LinkFinder):
        super().__init__(convert_charrefs=True)
        self.find = find
        self.out: list[str] = []
        self.shielded = 0  # depth inside a, code or pre

    def handle_starttag(self, tag, attrs):
        self.shielded += tag in _NO_LINKS_INSIDE
        self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.shielded -= tag in _NO_LINKS_INSIDE
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        spans = [] if self.shielded else self.find(data)
        at = 0
        for start, end, href in spans:
            self.out.append(escape(data[at:start], quote=False))
            self.out.append(
                f'<a class="{MENTION_CLASS}" href="{escape(href)}">'
                f"{escape(data[start:end], quote=False)}</a>"
            )
            at = end
        self.out.append(escape(data[at:], quote=False))


def _link_text(html: str, find: LinkFinder) -> str:
    linker = _TextLinker(find)
    linker.feed(html)
    linker.close()
    return "".join(linker.out)


def _shift_headings(html: str) -> str:
    # A post sits under the page's h1 and the topic's h2: its own headings start at h3.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>"
        )
    return html


def render_markdown(
    text: str, *, inline_only: bool = False, links: LinkFinder | None = None
) -> str:
    html = _renderer.render(text or "")
    if not inline_only:
        html = _shift_headings(html)
    if links is not None:
        html = _link_text(html, links)
    return nh3.clean(
        html,
        tags=INLINE_TAGS if inline_only else BLOCK_TAGS,
        attributes=ATTRIBUTES,
        allowed_classes={"a": {MENTION_CLASS}},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
