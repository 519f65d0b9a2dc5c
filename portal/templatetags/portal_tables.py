"""{% dsfr_table "caption" %}<thead>…</thead><tbody>…</tbody>{% enddsfr_table %}: the DSFR
table's wrappers, multiline (cells wrap), with its caption (RGAA 5.4), written once (also
for allauth's table element, templates/allauth/elements/table.html).
{% dsfr_table "caption" id=anchor %} gives the table an id, for a link to it (a chart's
« Voir les données du graphique »)."""

from django import template
from django.utils.html import format_html

register = template.Library()


class DsfrTableNode(template.Node):
    def __init__(self, caption, nodelist, anchor=None):
        self.caption = caption
        self.nodelist = nodelist
        self.anchor = anchor

    def render(self, context):
        caption = self.caption.resolve(context)
        anchor = self.anchor.resolve(context) if self.anchor else ""
        return format_html(
            '<div class="fr-table fr-table--multiline fr-mb-4w"><div class="fr-table__wrapper">'
            '<div class="fr-table__container"><div class="fr-table__content"><table{}>'
            "{}{}</table></div></div></div></div>",
            format_html(' id="{}"', anchor) if anchor else "",
            format_html("<caption>{}</caption>", caption) if caption else "",
            self.nodelist.render(context),
        )


@register.tag
def dsfr_table(parser, token):
    bits = token.split_contents()
    anchor = None
    if len(bits) == 3 and bits[2].startswith("id="):
        anchor = parser.compile_filter(bits.pop().removeprefix("id="))
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            "dsfr_table prend une légende, et un id si besoin : {% dsfr_table caption id=… %}"
        )
    nodelist = parser.parse(("enddsfr_table",))
    parser.delete_first_token()
    return DsfrTableNode(parser.compile_filter(bits[1]), nodelist, anchor)
