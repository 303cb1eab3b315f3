from django import template

from deputies.pickers import deputy_label as _deputy_label

register = template.Library()


@register.filter
def deputy_label(deputy) -> str:
    """A deputy as pickers show them: name (level, district, group, birth year)."""
    return _deputy_label(deputy)
