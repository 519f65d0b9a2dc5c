"""{% dsfr_table "caption" %}<thead>…</thead><tbody>…</tbody>{% enddsfr_table %}: the DSFR
table's wrappers, multiline (cells wrap), with its caption (RGAA 5.4), written once."""

from django import template
from django.utils.html import format_html

register = template.Library()


class DsfrTableNode(template.Node):
    def __init__(self, caption, nodelist):
        self.caption = caption
        self.nodelist = nodelist

    def render(self, context):
        return format_html(
            '<div class="fr-table fr-table--multiline fr-mb-4w"><div class="fr-table__wrapper">'
            '<div class="fr-table__container"><div class="fr-table__content"><table>'
            "<caption>{}</caption>{}</table></div></div></div></div>",
            self.caption.resolve(context),
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
