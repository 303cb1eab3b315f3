"""Read-only REST API: sessions (with quorum figures) and presidium meetings, scoped like the pages."""

from django.db.models import Count, Q
from rest_framework import serializers, viewsets

from presidium.api.permissions import IsAuthenticatedScoped, IsStaffOrCounty

from . import selectors
from .models import AgendaItem, Attendance, PresidiumMeeting, Session


class SessionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="__str__", read_only=True)
    term = serializers.IntegerField(source="term.number", read_only=True)
    present = serializers.IntegerField(read_only=True)
    on_leave = serializers.IntegerField(read_only=True)
    absent = serializers.IntegerField(read_only=True)
    reports = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "township_id",
            "term",
            "number",
            "title",
            "kind",
            "status",
            "start_date",
            "end_date",
            "place",
            "present",
            "on_leave",
            "absent",
            "reports",
        ]


class PresidiumMeetingSerializer(serializers.ModelSerializer):
    topics = serializers.IntegerField(source="topic_count", read_only=True)
    present = serializers.IntegerField(read_only=True)

    class Meta:
        model = PresidiumMeeting
        fields = ["id", "township_id", "date", "place", "status", "member_count", "present", "topics"]


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """人代会 of the townships the caller may read."""

    serializer_class = SessionSerializer
    permission_classes = [IsAuthenticatedScoped, IsStaffOrCounty]
    filterset_fields = ["township_id", "status", "kind"]

    def get_queryset(self):
        return (
            selectors.sessions_visible_to(self.request.user)
            .annotate(
                present=Count(
                    "attendances", filter=Q(attendances__status=Attendance.Status.PRESENT), distinct=True
                ),
                on_leave=Count(
                    "attendances", filter=Q(attendances__status=Attendance.Status.LEAVE), distinct=True
                ),
                absent=Count(
                    "attendances", filter=Q(attendances__status=Attendance.Status.ABSENT), distinct=True
                ),
                reports=Count(
                    "agenda_items", filter=Q(agenda_items__kind__in=AgendaItem.REPORT_KINDS), distinct=True
                ),
            )
            .order_by("-start_date", "-pk")
        )


class PresidiumMeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """主席团会议 (without the minutes text) of the townships the caller may read."""

    serializer_class = PresidiumMeetingSerializer
    permission_classes = [IsAuthenticatedScoped, IsStaffOrCounty]
    filterset_fields = ["township_id", "status"]

    def get_queryset(self):
        return (
            selectors.meetings_visible_to(self.request.user)
            .annotate(
                topic_count=Count("topics", distinct=True),
                present=Count(
                    "attendances", filter=Q(attendances__status=Attendance.Status.PRESENT), distinct=True
                ),
            )
            .order_by("-date", "-pk")
        )


def register(router):
    router.register("congress/sessions", SessionViewSet, basename="congress-session")
    router.register("congress/presidium-meetings", PresidiumMeetingViewSet, basename="congress-meeting")
