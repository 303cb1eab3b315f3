"""Admin: browse and correct reference data. Workflow objects (rectification, petitions, ballots)
are read-only here — their changes go through the services so every transition has an event row."""

from django.contrib import admin

from .models import (
    Appraisal,
    AppraisalTarget,
    Finding,
    Petition,
    PetitionEvent,
    Rectification,
    RectificationEvent,
    SupervisionActivity,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["kind", "content", "forwarded_unit", "forwarded_at"]
    readonly_fields = ["forwarded_at"]


@admin.register(SupervisionActivity)
class SupervisionActivityAdmin(admin.ModelAdmin):
    list_display = ["topic", "kind", "township", "start_date"]
    list_filter = ["kind", "township"]
    search_fields = ["topic", "law_checked"]
    date_hierarchy = "start_date"
    raw_id_fields = ["certificate_holder", "created_by"]
    filter_horizontal = ["target_units"]
    inlines = [FindingInline]


class RectificationEventInline(ReadOnlyMixin, admin.TabularInline):
    model = RectificationEvent
    extra = 0
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "township", "deadline", "status"]
    list_filter = ["status", "township"]
    search_fields = ["title", "unit__name"]
    inlines = [RectificationEventInline]


class AppraisalTargetInline(ReadOnlyMixin, admin.TabularInline):
    model = AppraisalTarget
    extra = 0
    fields = [
        "unit",
        "official_name",
        "paper_satisfied",
        "paper_basic",
        "paper_unsatisfied",
        "app_satisfied",
        "app_basic",
        "app_unsatisfied",
    ]
    readonly_fields = fields


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["activity", "township", "status", "low_score_threshold"]
    list_filter = ["status", "township"]
    inlines = [AppraisalTargetInline]


class PetitionEventInline(ReadOnlyMixin, admin.TabularInline):
    model = PetitionEvent
    extra = 0
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields


@admin.register(Petition)
class PetitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["subject", "township", "received_on", "channel", "status"]
    list_filter = ["status", "channel", "township"]
    search_fields = ["subject", "person_name"]
    inlines = [PetitionEventInline]
