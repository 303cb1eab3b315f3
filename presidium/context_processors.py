from django.conf import settings

from . import navigation


def shell(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation.items_for(user) if user is not None else [],
        "nav_groups": navigation.groups_for(user) if user is not None else [],
        "APP_NAME": "乡镇人大主席团工作平台",
        "LANGUAGES": settings.LANGUAGES,
    }
