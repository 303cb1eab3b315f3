from django.contrib import admin

from .models import Delivery, DeliveryEvent, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("channel", "address", "status", "attempts", "not_before", "sent_at", "last_error")
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "title", "rule", "due_date", "read_at")
    list_filter = ("rule", "verb")
    search_fields = ("title", "recipient__username", "recipient__full_name", "key")
    date_hierarchy = "created_at"
    raw_id_fields = ("recipient",)
    readonly_fields = ("key", "batch", "target_type", "target_id")
    inlines = [DeliveryInline]
    list_select_related = ("recipient",)


class DeliveryEventInline(admin.TabularInline):
    model = DeliveryEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "actor", "comment")
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: state changes go through notifications.services (the staff page re-sends)."""

    list_display = ("created_at", "channel", "address", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "channel")
    search_fields = ("address", "notification__title")
    list_select_related = ("notification",)
    inlines = [DeliveryEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
