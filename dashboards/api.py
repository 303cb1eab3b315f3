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
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from presidium.api.permissions import IsStaffOrCounty
from presidium.selectors import counties_visible_to
from suggestions.selectors import stats_breakdown

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
