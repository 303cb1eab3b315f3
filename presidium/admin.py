from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiKey, AuditEntry, County, CountyRules, HandlingUnit, Township, User


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province"]
    search_fields = ["name", "code"]


@admin.register(CountyRules)
class CountyRulesAdmin(admin.ModelAdmin):
    list_display = ["county", "sessions_per_year", "reply_within_months", "motion_min_deputies"]


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
    list_display = ["created_at", "actor", "action", "object_repr", "township"]
    list_filter = ["action"]
