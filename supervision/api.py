"""Read-only REST endpoints: supervision activities (with their counted figures) and rectification
items (a unit officer sees only their unit's). Visibility comes from the selectors."""

from rest_framework import serializers, viewsets

from . import selectors
from .models import Rectification, SupervisionActivity


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
