"""{% dsfr_table "caption" %}<thead>…</thead><tbody>…</tbody>{% enddsfr_table %}: the DSFR
table's wrappers, multiline (cells wrap), with its caption (RGAA 5.4), written once (also
for allauth's table element, templates/allauth/elements/table.html)."""

from django import template
from django.utils.html import format_html

register = template.Library()


class DsfrTableNode(template.Node):
    def __init__(self, caption, nodelist):
        self.caption = caption
        self.nodelist = nodelist

    def render(self, context):
        caption = self.caption.resolve(context)
        return format_html(
            '<div class="fr-table fr-table--multiline fr-mb-4w"><div class="fr-table__wrapper">'
            '<div class="fr-table__container"><div class="fr-table__content"><table>'
            "{}{}</table></div></div></div></div>",
            format_html("<caption>{}</caption>", caption) if caption else "",
            self.nodelist.render(context),
        )


@register.tag
def dsfr_table(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            "dsfr_table prend une légende : {% dsfr_table caption %}"
        )
    nodelist = parser.parse(("enddsfr_table",))
    parser.delete_first_token()
    return DsfrTableNode(parser.compile_filter(bits[1]), nodelist)
