"""The page range of the portal's one pagination (templates/dsfr/pagination.html)."""

from django import template

register = template.Library()


@register.filter
def elided_pages(page_obj):
    """Page numbers around the current one, None where pages are skipped."""
    paginator = page_obj.paginator
    return [
        item if isinstance(item, int) else None
        for item in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    ]
