"""/api/v1/notifications/: the signed-in user's own inbox (read-only). API keys have no inbox."""

from rest_framework import serializers, viewsets

from . import selectors
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "verb",
            "rule",
            "title",
            "body",
            "url",
            "due_date",
            "created_at",
            "read_at",
            "is_read",
        ]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        qs = selectors.inbox_for(self.request.user)
        if self.request.query_params.get("unread") == "1":
            qs = qs.filter(read_at__isnull=True)
        return qs


def register(router):
    router.register("notifications", NotificationViewSet, basename="notification")
