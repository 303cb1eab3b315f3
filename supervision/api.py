"""Read-only REST endpoints: supervision activities (with their counted figures) and rectification
items (a unit officer sees only their unit's), and the flat activity list under
/api/v1/stats/activities/ for clients that build their own screens. Visibility comes from the selectors."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from presidium.api.lists import LIST_YEAR, SCOPE_PARAMS, ScopedListView, iso, year_param

from . import selectors
from .models import ActivityKind, Rectification, SupervisionActivity


class ActivitySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    problems = serializers.IntegerField(read_only=True)
    opinions = serializers.IntegerField(read_only=True)
    forwarded = serializers.IntegerField(read_only=True)
    participant_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SupervisionActivity
        fields = [
            "id",
            "township",
            "kind",
            "kind_label",
            "topic",
            "start_date",
            "end_date",
            "law_checked",
            "voters_visited",
            "forums_held",
            "problems",
            "opinions",
            "forwarded",
            "participant_count",
        ]


class RectificationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Rectification
        fields = [
            "id",
            "township",
            "unit",
            "unit_name",
            "title",
            "assigned_on",
            "deadline",
            "deadline_workdays",
            "status",
            "status_label",
            "overdue",
            "closed_at",
        ]

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActivitySerializer
    filterset_fields = ["township", "kind"]

    def get_queryset(self):
        return selectors.activity_list(self.request.user).order_by("-start_date", "-pk")


class RectificationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RectificationSerializer
    filterset_fields = ["township", "unit", "status"]

    def get_queryset(self):
        return selectors.rectifications_visible_to(self.request.user).order_by("deadline", "pk")


def register(router):
    router.register("supervision/activities", ActivityViewSet, basename="supervision-activity")
    router.register("supervision/rectifications", RectificationViewSet, basename="supervision-rectification")


# --- the flat list for clients that build their own screens (/api/v1/stats/activities/) ----------


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
        params = self.request.query_params
        scope = self.scope_filters()
        year = year_param(self.request)
        qs = selectors.activity_list(
            self.request.user, kind=params.get("kind", ""), year=year, q=params.get("q", "").strip()[:100]
        )
        return qs.filter(**scope).order_by("-start_date", "-pk")

    def list(self, request, *args, **kwargs):
        labels = dict(ActivityKind.choices)
        page = self.paginate_queryset(self.get_queryset().values(*self.VALUES))
        rows = [
            {
                **{k: v[k] for k in self.VALUES if k != "township__name"},
                "township": v["township__name"],
                "kind_label": str(labels.get(v["kind"], "")),
                "start_date": iso(v["start_date"]),
                "end_date": iso(v["end_date"]),
            }
            for v in page
        ]
        return self.get_paginated_response(rows)


urlpatterns = [path("stats/activities/", ActivityListView.as_view(), name="stats-activities")]
