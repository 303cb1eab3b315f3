from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .forms import CountyRulesForm
from .models import (
    ApiKey,
    AuditAction,
    AuditEntry,
    County,
    CountyRules,
    HandlingUnit,
    HolidayDay,
    HolidayYear,
    Township,
    User,
)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province"]
    search_fields = ["name", "code"]


@admin.register(CountyRules)
class CountyRulesAdmin(admin.ModelAdmin):
    """Rules are changed through ``update_county_rules`` (validated as on the rules page, audited);
    a county's rules row is created with the county and never deleted on its own."""

    form = CountyRulesForm
    list_display = ["county", "sessions_per_year", "reply_within_months", "motion_min_deputies"]
    readonly_fields = ["county"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .services import update_county_rules

        update_county_rules(actor=request.user, rules=obj, data=form.cleaned_data)


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "county", "kind"]
    list_filter = ["county"]
    search_fields = ["name", "code"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "contact_person", "is_active"]
    list_filter = ["township__county", "township"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "township", "unit", "phone", "is_active"]
    list_filter = ["role", "county", "township"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("组织与角色"),
            {
                "fields": (
                    "role",
                    "staff_title",
                    "full_name",
                    "phone",
                    "county",
                    "township",
                    "unit",
                    "must_change_password",
                    "notify_channels",
                )
            },
        ),
    )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "county", "township", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "last_used_at"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is read-only: rows are written by ``presidium.services.audit`` alone."""

    list_display = ["created_at", "actor", "action", "object_repr", "township"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyMixin:
    """The national holiday calendar is shared by every county: only the superuser edits it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class HolidayDayInline(SuperuserOnlyMixin, admin.TabularInline):
    model = HolidayDay
    extra = 3
    fields = ["date", "kind", "name"]


@admin.register(HolidayYear)
class HolidayYearAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["year", "source", "note", "loaded_at"]
    inlines = [HolidayDayInline]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def save_related(self, request, form, formsets, change):
        from . import workdays
        from .services import audit, recompute_provisional_deadlines

        super().save_related(request, form, formsets, change)
        workdays.calendar_changed()
        transaction.on_commit(workdays.calendar_changed)
        recomputed = recompute_provisional_deadlines()
        audit(actor=request.user, action=AuditAction.HOLIDAYS_EDIT, obj=form.instance, recomputed=recomputed)

    def delete_model(self, request, obj):
        from . import workdays

        super().delete_model(request, obj)
        workdays.calendar_changed()
        transaction.on_commit(workdays.calendar_changed)
