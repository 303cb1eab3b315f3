from django import template

from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag
def inbox_unread(user) -> int:
    """Unread inbox messages of ``user`` (one COUNT query on an indexed column)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return unread_count(user)
