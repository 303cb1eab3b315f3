"""Read-mostly admin: workflow objects change through congress.services, not the admin."""

from django.contrib import admin

from .models import Motion, PresidiumMeeting, PresidiumMembership, Session


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "township", "kind", "start_date", "status"]
    list_filter = ["status", "kind", "township"]


@admin.register(Motion)
class MotionAdmin(ReadOnlyAdmin):
    list_display = ["title", "township", "session", "status"]
    list_filter = ["status", "township"]
    search_fields = ["title"]


@admin.register(PresidiumMeeting)
class PresidiumMeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "township", "status"]
    list_filter = ["status", "township"]


@admin.register(PresidiumMembership)
class PresidiumMembershipAdmin(ReadOnlyAdmin):
    list_display = ["deputy", "role", "township", "start_date", "end_date"]
    list_filter = ["township", "role"]
