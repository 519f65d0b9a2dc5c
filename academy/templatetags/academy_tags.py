from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] for templates; an empty list when absent or not a mapping."""
    if isinstance(mapping, dict):
        return mapping.get(key, [])
    return []
