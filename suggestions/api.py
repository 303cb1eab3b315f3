"""REST: suggestions (read-only) for staff, county, API keys (scoped) and deputies (their own only),
plus the suggestion figures per township. Registered under /api/v1/ by presidium.api.urls."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from presidium.selectors import int_param, townships_visible_to

from . import selectors
from .models import Suggestion

# The years the figures endpoint answers for (documented in the schema; others are a 400).
MIN_YEAR, MAX_YEAR = 2000, 2100


class SuggestionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    source_label = serializers.CharField(source="get_source_kind_display", read_only=True)
    # null until a lead deputy / a lead unit is set (paper suggestions, items not yet assigned).
    lead_deputy = serializers.CharField(
        source="lead_deputy.name", default=None, allow_null=True, read_only=True
    )
    lead_unit = serializers.CharField(source="lead_unit.name", default=None, allow_null=True, read_only=True)
    overdue = serializers.BooleanField(source="overdue_now", read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "township_id",
            "number",
            "year",
            "title",
            "content",
            "category",
            "level",
            "status",
            "status_label",
            "source_kind",
            "source_label",
            "during_session",
            "session_id",
            "lead_deputy",
            "lead_unit",
            "is_key",
            "round",
            "submitted_at",
            "accepted_at",
            "assigned_at",
            "replied_at",
            "closed_at",
            "reply_due",
            "due_date",
            "overdue",
            "outcome_class",
            "rating",
            "replied_on_time",
        ]


class SuggestionViewSet(viewsets.ReadOnlyModelViewSet):
    """Suggestions the caller may read (same rules as the pages: selectors.suggestions_visible_to)."""

    serializer_class = SuggestionSerializer
    filterset_fields = ["township_id", "status", "category", "year", "is_key", "source_kind"]

    def get_queryset(self):
        return selectors.suggestions_visible_to(self.request.user).order_by("-created_at", "-pk")


@extend_schema(
    parameters=[OpenApiParameter("year", {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR})],
    responses=dict,
)
@api_view(["GET"])
def suggestion_stats(request):
    """Suggestion figures per visible township for a year (definitions: suggestions.selectors)."""
    if getattr(request.user, "role", None) in ("deputy", "unit") and not request.user.is_superuser:
        return Response({"detail": "无权查看统计。"}, status=403)
    raw = request.query_params.get("year")
    year = int_param(raw, low=MIN_YEAR, high=MAX_YEAR) if raw is not None else timezone.localdate().year
    if year is None:
        raise ValidationError(
            {"year": [_("年份须在 %(a)s 至 %(b)s 之间。") % {"a": MIN_YEAR, "b": MAX_YEAR}]}
        )
    ids = list(townships_visible_to(request.user).values_list("pk", flat=True))
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    stats = selectors.township_stats(township_ids=ids, start=start, end=end)
    # Steps of deputies and units done online vs recorded for them by the office (代录).
    channels = selectors.channel_split(township_ids=ids, start=start, end=end)
    return Response(
        {
            "year": year,
            "labels": {k: str(v) for k, v in selectors.STATS_LABELS.items()},
            "channel_labels": {k: str(v) for k, v in selectors.CHANNEL_SPLIT_LABELS.items()},
            "townships": [
                {"township_id": tid, **row, "by_channel": channels.get(tid, {})} for tid, row in stats.items()
            ],
        }
    )


def register(router):
    router.register("suggestions", SuggestionViewSet, basename="suggestion")


from django.urls import path  # noqa: E402

urlpatterns = [path("suggestion-stats/", suggestion_stats, name="suggestion-stats")]
