"""/api/v1/deputies/: the roster for county screens and platforms (read-only, no phone numbers),
plus a deputy's own record."""

from rest_framework import serializers, viewsets

from presidium.api.permissions import IsStaffOrCounty

from . import selectors
from .models import Deputy


class DeputySerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name", default="", read_only=True)
    group = serializers.CharField(source="group.name", default="", read_only=True)
    term = serializers.IntegerField(source="term.number", read_only=True)

    class Meta:
        model = Deputy
        fields = [
            "id",
            "township_id",
            "term",
            "name",
            "gender",
            "ethnicity",
            "party",
            "education",
            "occupation",
            "level",
            "is_reelected",
            "status",
            "status_since",
            "district",
            "group",
        ]


class DeputyViewSet(viewsets.ReadOnlyModelViewSet):
    """Deputies visible to the caller (staff: own township; county staff and keys: their scope)."""

    serializer_class = DeputySerializer
    permission_classes = [IsStaffOrCounty]
    filterset_fields = ["township_id", "status", "occupation", "gender", "party", "level"]

    def get_queryset(self):
        return selectors.deputies_visible_to(self.request.user).order_by("township_id", "name_pinyin", "pk")


def register(router):
    router.register("deputies", DeputyViewSet, basename="deputy")
