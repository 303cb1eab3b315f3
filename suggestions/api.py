"""REST: suggestions (read-only) for staff, county, API keys (scoped) and deputies (their own only),
the suggestion figures per township, and the flat suggestion list under /api/v1/stats/suggestions/
for clients that build their own screens. Registered under /api/v1/ by presidium.api.urls."""

import datetime as dt

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from presidium.api.filters import BOOLEAN_VALUES
from presidium.api.lists import (
    ID_PARAM,
    LIST_YEAR,
    MAX_YEAR,
    MIN_YEAR,
    SCOPE_PARAMS,
    ScopedListView,
    iso,
    year_param,
)
from presidium.api.lists import int_param as int_query_param
from presidium.paging import KeysetPagination
from presidium.selectors import int_param, townships_visible_to

from . import selectors
from .models import Suggestion, overdue_on


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


# --- the flat list for clients that build their own screens (/api/v1/stats/suggestions/) ----------


class SuggestionRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    township_id = serializers.IntegerField()
    township = serializers.CharField(source="township.name")
    year = serializers.IntegerField(allow_null=True)
    category = serializers.CharField()
    level = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    source_kind = serializers.CharField()
    is_key = serializers.BooleanField()
    lead_unit_id = serializers.IntegerField(allow_null=True)
    lead_unit = serializers.CharField(source="lead_unit.name", allow_null=True, default=None)
    outcome_class = serializers.CharField()
    rating = serializers.CharField()
    round = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue")


@extend_schema_view(
    get=extend_schema(
        operation_id="stats_suggestions_list",
        summary="代表建议列表（分页、可筛选）/ Suggestions, paginated and filterable",
        parameters=[
            *SCOPE_PARAMS,
            OpenApiParameter("year", LIST_YEAR, description="年度"),
            OpenApiParameter("status", OpenApiTypes.STR, description="状态代码，或 open（未办结）"),
            OpenApiParameter("category", OpenApiTypes.STR, description="分类，如 道路建设"),
            OpenApiParameter("unit", ID_PARAM, description="主办单位 id"),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="只看逾期"),
            OpenApiParameter("key", OpenApiTypes.BOOL, description="只看重点督办"),
            OpenApiParameter("q", OpenApiTypes.STR, description="标题、编号或内容关键词"),
            OpenApiParameter("after", OpenApiTypes.STR, description="下一页游标（取自 next 链接）"),
            OpenApiParameter("before", OpenApiTypes.STR, description="上一页游标（取自 previous 链接）"),
            OpenApiParameter("last", OpenApiTypes.BOOL, description="最后一页"),
        ],
        tags=["stats"],
    )
)
class SuggestionListView(ScopedListView):
    serializer_class = SuggestionRowSerializer
    # Same response shape; next/previous are keyset links, ``last=1`` the last page (presidium.paging).
    pagination_class = KeysetPagination

    def get_queryset(self):
        params = {
            k: v
            for k, v in self.request.query_params.items()
            if k in ("status", "category", "unit", "year", "overdue", "key", "q", "source")
        }
        for flag in ("overdue", "key"):
            value = params.get(flag)
            if value is not None and value not in BOOLEAN_VALUES:
                raise ValidationError({"detail": _("参数 %(n)s 须为 true 或 false。") % {"n": flag}})
            if (value or "").lower() in ("0", "false", ""):
                params.pop(flag, None)
        int_query_param(self.request, "unit")
        year_param(self.request)
        township_ids = townships_visible_to(self.request.user).values_list("pk", flat=True)
        qs = selectors.filter_suggestions(
            self.scoped(selectors.suggestions_visible_to(self.request.user)),
            params,
            township_ids=township_ids,
        )
        return qs.order_by("-created_at", "-pk")

    # Rows are read as plain values and shaped here, not through model instances and the
    # serializer (which documents the shape): at 50 rows a page that is most of the server time.
    VALUES = (
        "id",
        "number",
        "title",
        "township_id",
        "township__name",
        "year",
        "category",
        "level",
        "status",
        "source_kind",
        "is_key",
        "lead_unit_id",
        "lead_unit__name",
        "outcome_class",
        "rating",
        "round",
        "submitted_at",
        "assigned_at",
        "replied_at",
        "closed_at",
        "due_date",
    )

    def list(self, request, *args, **kwargs):
        labels = dict(Suggestion._meta.get_field("status").choices)
        today = timezone.localdate()
        page = self.paginate_queryset(self.get_queryset().values(*self.VALUES))
        rows = []
        for v in page:
            rows.append(
                {
                    "id": v["id"],
                    "number": v["number"],
                    "title": v["title"],
                    "township_id": v["township_id"],
                    "township": v["township__name"],
                    "year": v["year"],
                    "category": v["category"],
                    "level": v["level"],
                    "status": v["status"],
                    "status_label": str(labels.get(v["status"], "")),
                    "source_kind": v["source_kind"],
                    "is_key": v["is_key"],
                    "lead_unit_id": v["lead_unit_id"],
                    "lead_unit": v["lead_unit__name"],
                    "outcome_class": v["outcome_class"],
                    "rating": v["rating"],
                    "round": v["round"],
                    "submitted_at": iso(v["submitted_at"]),
                    "assigned_at": iso(v["assigned_at"]),
                    "replied_at": iso(v["replied_at"]),
                    "closed_at": iso(v["closed_at"]),
                    "due_date": iso(v["due_date"]),
                    "overdue": overdue_on(v["status"], v["due_date"], today),
                }
            )
        return self.get_paginated_response(rows)


def register(router):
    router.register("suggestions", SuggestionViewSet, basename="suggestion")


urlpatterns = [
    path("suggestion-stats/", suggestion_stats, name="suggestion-stats"),
    path("stats/suggestions/", SuggestionListView.as_view(), name="stats-suggestions"),
]
