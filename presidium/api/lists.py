"""Plumbing of the scoped read-only lists under /api/v1/stats/… that clients use to build their own
screens (each list lives in its own app's ``api.py``): staff, county staff and API keys, narrowed by
``?township=`` / ``?county=`` within what the caller may read; a parameter the schema does not allow
is a 400 with the reason."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView

from .permissions import IsStaffOrCounty

# The years the figures and the lists answer for (documented in the schema; others are a 400).
MIN_YEAR, MAX_YEAR = 2000, 2100
LIST_YEAR = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}
# What int_param accepts: a positive id of at most nine digits.
ID_PARAM = {"type": "integer", "minimum": 1, "maximum": 999999999}
SCOPE_PARAMS = [
    OpenApiParameter("township", ID_PARAM, description="乡镇 id（须在密钥范围内）"),
    OpenApiParameter("county", ID_PARAM, description="县(区) id"),
]


def int_param(request, name):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise ApiValidationError({"detail": _("参数 %(n)s 须为正整数。") % {"n": name}})
    return int(raw)


def year_param(request):
    year = int_param(request, "year")
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise ApiValidationError(
            {"detail": _("年份须在 %(a)s 至 %(b)s 之间。") % {"a": MIN_YEAR, "b": MAX_YEAR}}
        )
    return year


def iso(value):
    """A date or a moment (in local time) as ISO text, or None."""
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.isoformat()


class ScopedListView(ListAPIView):
    permission_classes = [IsStaffOrCounty]
    filter_backends = []

    def scope_filters(self) -> dict:
        """``?township=`` and ``?county=`` as filters (checked before the list's own parameters)."""
        township = int_param(self.request, "township")
        county = int_param(self.request, "county")
        filters = {}
        if township is not None:
            filters["township_id"] = township
        if county is not None:
            filters["township__county_id"] = county
        return filters

    def scoped(self, qs):
        return qs.filter(**self.scope_filters())
