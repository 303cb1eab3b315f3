from django.contrib import admin

from .models import ReportJob, ReportJobEvent, ReportNarrative


@admin.register(ReportNarrative)
class ReportNarrativeAdmin(admin.ModelAdmin):
    list_display = ["township", "year", "section", "version", "updated_by", "updated_at"]
    list_filter = ["year", "section"]
    readonly_fields = ["version", "updated_by", "updated_at"]


class ReportJobEventInline(admin.TabularInline):
    model = ReportJobEvent
    extra = 0
    fields = ["from_status", "to_status", "actor", "comment", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    # Jobs change state only through reports.services; the admin reads them.
    list_display = [
        "township",
        "kind",
        "year",
        "status",
        "progress",
        "pages",
        "size",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "kind", "year"]
    readonly_fields = [f.name for f in ReportJob._meta.fields]
    inlines = [ReportJobEventInline]

    def has_add_permission(self, request):
        return False
