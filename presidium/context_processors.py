from django.conf import settings

from . import navigation


def shell(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation.items_for(user) if user is not None else [],
        "nav_groups": navigation.groups_for(user) if user is not None else [],
        "APP_NAME": "乡镇人大主席团工作平台",
        "LANGUAGES": settings.LANGUAGES,
        "holiday_calendar_missing_year": _holiday_calendar_missing_year(user),
    }


def _holiday_calendar_missing_year(user):
    """From 1 November, staff and admins are told while next year's holiday calendar is not loaded
    (deadlines into it are provisional until it is)."""
    from django.utils import timezone

    from . import workdays
    from .models import Role

    if user is None or not user.is_authenticated:
        return None
    if not (user.is_superuser or getattr(user, "role", "") in (Role.STAFF, Role.COUNTY, Role.ADMIN)):
        return None
    today = timezone.localdate()
    return today.year + 1 if workdays.next_year_missing(today) else None
