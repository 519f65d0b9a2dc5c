"""The one Markdown pipeline: render with markdown-it (raw HTML off), then clean
the HTML it produced with nh3 against an allowlist. User text is never trusted.

Forum posts use the full set; chat messages the inline subset.
"""

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


def _shift_headings(html: str) -> str:
    # A post sits under the page's h1 and the topic's h2: its own headings start at h3.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>"
        )
    return html


def render_markdown(text: str, *, inline_only: bool = False) -> str:
    html = _renderer.render(text or "")
    if not inline_only:
        html = _shift_headings(html)
    return nh3.clean(
        html,
        tags=INLINE_TAGS if inline_only else BLOCK_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
