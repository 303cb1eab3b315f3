"""Read-only REST endpoints: the livelihood projects (candidates, chosen, progress, score) as each
principal may see them. Figures per township come through the stats API (``township_stats``)."""

from rest_framework import serializers, viewsets

from . import selectors
from .models import Project


class ProjectSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    votes = serializers.IntegerField(read_only=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True)
    satisfaction_rate = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "township",
            "year",
            "session",
            "title",
            "location",
            "estimated_cost",
            "unit",
            "unit_name",
            "leader",
            "planned_completion",
            "source",
            "status",
            "status_label",
            "votes",
            "progress",
            "completed_on",
            "on_time",
            "satisfaction_rate",
        ]

    def get_satisfaction_rate(self, obj) -> float | None:
        target = obj.appraisal_target
        return target.satisfaction_rate if target is not None else None


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    filterset_fields = ["township", "year", "status", "unit"]

    def get_queryset(self):
        return (
            selectors.projects_visible_to(self.request.user)
            .select_related("unit", "appraisal_target")
            .order_by("-year", "township_id", "order", "pk")
        )


def register(router):
    router.register("livelihood/projects", ProjectViewSet, basename="livelihood-project")
