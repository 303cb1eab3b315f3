"""The statistics API under /api/v1/stats/… (read-only; API key or session; scoped).

Field names are the apps' STATS_LABELS keys (stable: renaming one is an API change), grouped into
sections: suggestions, deputies, meetings, supervision, petitions. Responses carry an ETag and a
short private max-age; a matching If-None-Match gets 304.
"""

import hashlib
import json
from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from presidium.api.filters import BOOLEAN_VALUES
from presidium.api.permissions import IsStaffOrCounty
from presidium.paging import KeysetPagination
from presidium.selectors import counties_visible_to, townships_visible_to

from . import selectors

# Clients keep a copy but revalidate every time (ETag → 304): a figure just written shows at once.
CACHE_CONTROL = "private, no-cache"

YEAR_PARAM = OpenApiParameter(
    "year",
    # The accepted range, documented (selectors.period_for refuses the rest with a 400).
    {"type": "integer", "minimum": selectors.MIN_YEAR, "maximum": date.today().year + 1},
    description="统计年度，默认今年 / year, default this year",
    examples=[OpenApiExample("2025", value=2025)],
)
LIST_YEAR = {"type": "integer", "minimum": selectors.MIN_YEAR, "maximum": 2100}
PERIOD_PARAM = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    enum=selectors.PERIOD_CODES,
    description="year（全年）, h1/h2（半年）, q1–q4（季度）, m01–m12（月份）; default `year`",
)
SECTION_PARAM = OpenApiParameter(
    "section",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(selectors.SECTIONS),
    description="suggestions, deputies, meetings, supervision, petitions",
)

PERIOD_FIELD = inline_serializer(
    "StatsPeriod",
    {
        "year": serializers.IntegerField(),
        "period": serializers.CharField(),
        "start": serializers.DateField(),
        "end": serializers.DateField(),
    },
)
SECTIONS_FIELD = serializers.DictField(
    child=serializers.DictField(child=serializers.FloatField(allow_null=True)),
    help_text="section → {field: number}; field names are listed with their labels at /api/v1/stats/labels/",
)

TOWNSHIP_EXAMPLE = {
    "township": {"id": 7, "name": "城关镇", "code": "360001", "county_id": 1},
    "period": {"year": 2025, "period": "year", "start": "2025-01-01", "end": "2025-12-31"},
    "sections": {
        "suggestions": {"received": 48, "assigned": 45, "replied": 41, "completion_rate": 91.1},
        "deputies": {"serving": 52, "women": 14},
        "meetings": {"sessions_held": 2, "presidium_meetings_held": 4},
    },
}
COUNTY_EXAMPLE = {
    "county": {"id": 1, "name": "青山县", "code": "360000"},
    "period": TOWNSHIP_EXAMPLE["period"],
    "totals": {"suggestions": {"received": 512, "replied": 470, "completion_rate": 91.8}},
    "townships": [
        {
            "id": 7,
            "name": "城关镇",
            "code": "360001",
            "sections": {"suggestions": {"received": 48, "replied": 41, "completion_rate": 91.1}},
        }
    ],
}

TownshipStatsSerializer = inline_serializer(
    "TownshipStats",
    {
        "township": inline_serializer(
            "StatsTownship",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "code": serializers.CharField(),
                "county_id": serializers.IntegerField(),
            },
        ),
        "period": PERIOD_FIELD,
        "sections": SECTIONS_FIELD,
        "as_of": serializers.DateTimeField(
            allow_null=True,
            help_text="When the summary rows these figures come from were computed; null when every "
            "figure was computed live for this response. A township changed since is always computed live.",
        ),
    },
)
CountyStatsSerializer = inline_serializer(
    "CountyStats",
    {
        "county": inline_serializer(
            "StatsCounty",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "code": serializers.CharField(),
            },
        ),
        "period": PERIOD_FIELD,
        "as_of": serializers.DateTimeField(
            allow_null=True,
            help_text="When the summary rows these figures come from were computed; null when every "
            "figure was computed live for this response. A township changed since is always computed live.",
        ),
        "totals": SECTIONS_FIELD,
        "townships": inline_serializer(
            "CountyStatsTownship",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "code": serializers.CharField(),
                "sections": SECTIONS_FIELD,
            },
            many=True,
        ),
    },
)
ErrorSerializer = inline_serializer("StatsError", {"detail": serializers.CharField()})


def _as_of(meta) -> str | None:
    return meta["as_of"].isoformat() if meta.get("as_of") else None


def _period(request):
    params = request.query_params
    # The API is stricter than the pages' form: what the schema does not allow is a 400.
    if "period" in params and params["period"] not in selectors.PERIOD_CODES:
        raise ApiValidationError({"detail": _("统计区间无效，可选：全年、上/下半年、季度或月份。")})
    if "year" in params and not params["year"].isdigit():
        raise ApiValidationError({"detail": _("年份须为数字。")})
    try:
        return selectors.period_for(request.query_params.get("year"), request.query_params.get("period"))
    except ValidationError as exc:
        raise ApiValidationError({"detail": exc.messages[0]}) from None


def _sections(section):
    if section is None:
        return None
    if section not in selectors.SECTIONS:
        raise Http404(_("统计类别不存在。"))
    return [section]


def cached_response(request, payload) -> Response:
    """200 with an ETag and a short private max-age, or 304 when the client's copy is current."""
    body = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Authorization, Cookie"}
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(payload, headers=headers)


class StatsView(APIView):
    permission_classes = [IsStaffOrCounty]


class TownshipStatsView(StatsView):
    @extend_schema(
        operation_id="stats_township",
        summary="一个乡镇的统计数据 / Figures of one township",
        parameters=[YEAR_PARAM, PERIOD_PARAM],
        responses={200: TownshipStatsSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        examples=[OpenApiExample("城关镇 2025", value=TOWNSHIP_EXAMPLE, response_only=True)],
        tags=["stats"],
    )
    def get(self, request, pk, section=None):
        sections = _sections(section)
        period = _period(request)
        township = selectors.dashboard_townships(request.user).filter(pk=pk).first()
        if township is None:
            raise Http404(_("乡镇不存在或无权查看。"))
        meta = {}
        data = selectors.figures(township_ids=[township.pk], period=period, sections=sections, meta=meta)
        return cached_response(
            request,
            {
                "as_of": _as_of(meta),
                "township": {
                    "id": township.pk,
                    "name": township.name,
                    "code": township.code,
                    "county_id": township.county_id,
                },
                "period": period.as_dict(),
                "sections": data[township.pk],
            },
        )


class TownshipSectionStatsView(TownshipStatsView):
    @extend_schema(
        operation_id="stats_township_section",
        summary="一个乡镇某一类统计 / One section of a township's figures",
        parameters=[SECTION_PARAM, YEAR_PARAM, PERIOD_PARAM],
        responses={200: TownshipStatsSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        tags=["stats"],
    )
    def get(self, request, pk, section=None):
        return super().get(request, pk, section)


class CountyStatsView(StatsView):
    @extend_schema(
        operation_id="stats_county",
        summary="一个县各乡镇的统计数据及合计 / Figures of every township of a county, with totals",
        description="Figures come from a summary table refreshed every 10 minutes (at most 30 minutes old) and "
        "within a minute of any change; a township changed since its row was computed, and other periods, are "
        "computed live, so a figure just written always shows (`as_of` tells how fresh the response is). Totals sum the counts; a rate is recomputed from its numerator and denominator when the "
        "app declares them, otherwise it is null (an average of rates would be wrong).",
        parameters=[YEAR_PARAM, PERIOD_PARAM],
        responses={200: CountyStatsSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        examples=[OpenApiExample("青山县 2025", value=COUNTY_EXAMPLE, response_only=True)],
        tags=["stats"],
    )
    def get(self, request, pk, section=None):
        sections = _sections(section)
        period = _period(request)
        county = counties_visible_to(request.user).filter(pk=pk).first()
        if county is None:
            raise Http404(_("县(区)不存在或无权查看。"))
        townships = list(selectors.dashboard_townships(request.user, county))
        meta = {}
        data = selectors.figures(
            township_ids=[t.pk for t in townships], period=period, sections=sections, meta=meta
        )
        return cached_response(
            request,
            {
                "as_of": _as_of(meta),
                "county": {"id": county.pk, "name": county.name, "code": county.code},
                "period": period.as_dict(),
                "totals": selectors.totals(data),
                "townships": [
                    {"id": t.pk, "name": t.name, "code": t.code, "sections": data[t.pk]} for t in townships
                ],
            },
        )


class CountySectionStatsView(CountyStatsView):
    @extend_schema(
        operation_id="stats_county_section",
        summary="一个县某一类统计 / One section of a county's figures",
        parameters=[SECTION_PARAM, YEAR_PARAM, PERIOD_PARAM],
        responses={200: CountyStatsSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        tags=["stats"],
    )
    def get(self, request, pk, section=None):
        return super().get(request, pk, section)


class StatsLabelsView(StatsView):
    @extend_schema(
        operation_id="stats_labels",
        summary="统计字段及中文名称 / Field names and their labels",
        responses={
            200: inline_serializer(
                "StatsLabels",
                {
                    "sections": serializers.DictField(
                        child=inline_serializer(
                            "StatsSectionLabels",
                            {
                                "label": serializers.CharField(),
                                "fields": serializers.DictField(child=serializers.CharField()),
                            },
                        )
                    )
                },
            )
        },
        examples=[
            OpenApiExample(
                "labels",
                response_only=True,
                value={
                    "sections": {
                        "suggestions": {
                            "label": "代表建议",
                            "fields": {"received": "收到建议", "completion_rate": "办结率(%)"},
                        }
                    }
                },
            )
        ],
        tags=["stats"],
    )
    def get(self, request):
        return cached_response(
            request,
            {
                "sections": {
                    s: {"label": str(selectors.SECTION_LABELS[s]), "fields": selectors.section_labels(s)}
                    for s in selectors.available_sections()
                }
            },
        )


BREAKDOWN_BY = ("category", "unit", "source")


class SuggestionBreakdownView(StatsView):
    @extend_schema(
        operation_id="stats_township_suggestions_breakdown",
        summary="一个乡镇的建议按分类/承办单位/来源分组统计 / A township's suggestion figures by category, unit or source",
        parameters=[
            OpenApiParameter(
                "by", OpenApiTypes.STR, enum=list(BREAKDOWN_BY), description="分组：category, unit, source"
            ),
            YEAR_PARAM,
            PERIOD_PARAM,
        ],
        responses={
            200: inline_serializer(
                "SuggestionBreakdown",
                {
                    "township": inline_serializer(
                        "BreakdownTownship",
                        {"id": serializers.IntegerField(), "name": serializers.CharField()},
                    ),
                    "period": PERIOD_FIELD,
                    "by": serializers.CharField(),
                    "rows": serializers.ListField(child=serializers.DictField()),
                },
            ),
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "按分类",
                response_only=True,
                value={
                    "township": {"id": 7, "name": "城关镇"},
                    "period": TOWNSHIP_EXAMPLE["period"],
                    "by": "category",
                    "rows": [{"key": "道路建设", "received": 14, "replied": 12, "completion_rate": 92.3}],
                },
            )
        ],
        tags=["stats"],
    )
    def get(self, request, pk):
        from suggestions.selectors import stats_breakdown

        by = request.query_params.get("by", "category")
        if by not in BREAKDOWN_BY:
            raise ApiValidationError({"detail": _("分组方式无效，可选：category、unit、source。")})
        period = _period(request)
        township = selectors.dashboard_townships(request.user).filter(pk=pk).first()
        if township is None:
            raise Http404(_("乡镇不存在或无权查看。"))
        rows = stats_breakdown(township=township, start=period.start, end=period.end, by=by)
        return cached_response(
            request,
            {
                "township": {"id": township.pk, "name": township.name},
                "period": period.as_dict(),
                "by": by,
                "rows": [{k: (str(v) if k == "key" else v) for k, v in row.items()} for row in rows],
            },
        )


urlpatterns = [
    path("stats/labels/", StatsLabelsView.as_view(), name="stats-labels"),
    path("stats/counties/<int:pk>/", CountyStatsView.as_view(), name="stats-county"),
    path(
        "stats/counties/<int:pk>/<str:section>/",
        CountySectionStatsView.as_view(),
        name="stats-county-section",
    ),
    path("stats/townships/<int:pk>/", TownshipStatsView.as_view(), name="stats-township"),
    path(
        "stats/townships/<int:pk>/suggestions/breakdown/",
        SuggestionBreakdownView.as_view(),
        name="stats-township-breakdown",
    ),
    path(
        "stats/townships/<int:pk>/<str:section>/",
        TownshipSectionStatsView.as_view(),
        name="stats-township-section",
    ),
]


# --- lists for clients that build their own screens -------------------------------------------


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


class ActivityRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    township_id = serializers.IntegerField()
    township = serializers.CharField(source="township.name")
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    topic = serializers.CharField()
    law_checked = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    voters_visited = serializers.IntegerField()
    forums_held = serializers.IntegerField()
    problems = serializers.IntegerField()
    opinions = serializers.IntegerField()
    forwarded = serializers.IntegerField()
    participant_count = serializers.IntegerField()


def _int_param(request, name):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise ApiValidationError({"detail": _("参数 %(n)s 须为正整数。") % {"n": name}})
    return int(raw)


def _year_param(request):
    year = _int_param(request, "year")
    if year is not None and not selectors.MIN_YEAR <= year <= 2100:
        raise ApiValidationError(
            {"detail": _("年份须在 %(a)s 至 %(b)s 之间。") % {"a": selectors.MIN_YEAR, "b": 2100}}
        )
    return year


class ScopedListView(ListAPIView):
    permission_classes = [IsStaffOrCounty]
    filter_backends = []

    def scoped(self, qs):
        township = _int_param(self.request, "township")
        county = _int_param(self.request, "county")
        if township is not None:
            qs = qs.filter(township_id=township)
        if county is not None:
            qs = qs.filter(township__county_id=county)
        return qs


# What _int_param accepts: a positive id of at most nine digits.
ID_PARAM = {"type": "integer", "minimum": 1, "maximum": 999999999}
SCOPE_PARAMS = [
    OpenApiParameter("township", ID_PARAM, description="乡镇 id（须在密钥范围内）"),
    OpenApiParameter("county", ID_PARAM, description="县(区) id"),
]


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
        from suggestions.selectors import filter_suggestions, suggestions_visible_to

        params = {
            k: v
            for k, v in self.request.query_params.items()
            if k in ("status", "category", "unit", "year", "overdue", "key", "q", "source")
        }
        for flag in ("overdue", "key"):
            value = params.get(flag)
            if value is not None and value not in BOOLEAN_VALUES:
                raise ApiValidationError({"detail": _("参数 %(n)s 须为 true 或 false。") % {"n": flag}})
            if (value or "").lower() in ("0", "false", ""):
                params.pop(flag, None)
        _int_param(self.request, "unit")
        _year_param(self.request)
        township_ids = townships_visible_to(self.request.user).values_list("pk", flat=True)
        qs = filter_suggestions(
            self.scoped(suggestions_visible_to(self.request.user)), params, township_ids=township_ids
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
        from suggestions.models import OPEN_STATUSES, Suggestion

        labels = dict(Suggestion._meta.get_field("status").choices)
        open_statuses = set(OPEN_STATUSES)
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
                    "submitted_at": _iso(v["submitted_at"]),
                    "assigned_at": _iso(v["assigned_at"]),
                    "replied_at": _iso(v["replied_at"]),
                    "closed_at": _iso(v["closed_at"]),
                    "due_date": _iso(v["due_date"]),
                    "overdue": bool(v["status"] in open_statuses and v["due_date"] and v["due_date"] < today),
                }
            )
        return self.get_paginated_response(rows)


def _iso(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.isoformat()


@extend_schema_view(
    get=extend_schema(
        operation_id="stats_activities_list",
        summary="监督活动列表（分页、可筛选）/ Supervision activities, paginated and filterable",
        parameters=[
            *SCOPE_PARAMS,
            OpenApiParameter("year", LIST_YEAR, description="年度（按开始日期）"),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, description="类型代码，如 inspection、law_enforcement"
            ),
            OpenApiParameter("q", OpenApiTypes.STR, description="主题或法律法规关键词"),
        ],
        tags=["stats"],
    )
)
class ActivityListView(ScopedListView):
    serializer_class = ActivityRowSerializer
    VALUES = (
        "id",
        "township_id",
        "township__name",
        "kind",
        "topic",
        "law_checked",
        "start_date",
        "end_date",
        "voters_visited",
        "forums_held",
        "problems",
        "opinions",
        "forwarded",
        "participant_count",
    )

    def get_queryset(self):
        from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
        from django.db.models.functions import Coalesce

        from supervision.models import ActivityKind, ActivityParticipant, Finding
        from supervision.selectors import activities_visible_to

        qs = self.scoped(activities_visible_to(self.request.user))
        kind = self.request.query_params.get("kind", "")
        if kind in ActivityKind.values:
            qs = qs.filter(kind=kind)
        year = _year_param(self.request)
        if year:
            qs = qs.filter(start_date__year=year)
        q = self.request.query_params.get("q", "").strip()[:100]
        if q:
            qs = qs.filter(Q(topic__icontains=q) | Q(law_checked__icontains=q) | Q(plan__icontains=q))

        # Correlated counts per row of the page (the findings and participants of 50 activities),
        # rather than joining both tables and counting DISTINCT over their product.
        def count(model, **filters):
            sub = (
                model.objects.filter(activity=OuterRef("pk"), **filters)
                .order_by()
                .values("activity")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(sub, output_field=IntegerField()), 0)

        return qs.annotate(
            problems=count(Finding, kind=Finding.Kind.PROBLEM),
            opinions=count(Finding, kind=Finding.Kind.OPINION),
            forwarded=count(Finding, forwarded_at__isnull=False),
            participant_count=count(ActivityParticipant),
        ).order_by("-start_date", "-pk")

    def list(self, request, *args, **kwargs):
        from supervision.models import ActivityKind

        labels = dict(ActivityKind.choices)
        page = self.paginate_queryset(self.get_queryset().values(*self.VALUES))
        rows = [
            {
                **{k: v[k] for k in self.VALUES if k != "township__name"},
                "township": v["township__name"],
                "kind_label": str(labels.get(v["kind"], "")),
                "start_date": _iso(v["start_date"]),
                "end_date": _iso(v["end_date"]),
            }
            for v in page
        ]
        return self.get_paginated_response(rows)


urlpatterns += [
    path("stats/suggestions/", SuggestionListView.as_view(), name="stats-suggestions"),
    path("stats/activities/", ActivityListView.as_view(), name="stats-activities"),
]
