"""Admin for superusers: reference data editable, workflow records (status history, voter opinions
and their events) read-only — they change through deputies.services."""

from django.contrib import admin

from .models import (
    Activity,
    Deputy,
    DeputyGroup,
    DeputyStatusChange,
    DutyReport,
    ElectoralDistrict,
    ReceptionDay,
    Station,
    Term,
    Training,
    VoterContact,
    VoterOpinion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["township", "number", "start_date", "end_date"]
    list_filter = ["township__county", "township"]


@admin.register(ElectoralDistrict)
class ElectoralDistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "seats"]
    list_filter = ["township"]


@admin.register(DeputyGroup)
class DeputyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "area", "leader"]
    list_filter = ["township"]
    raw_id_fields = ["leader"]


@admin.register(Deputy)
class DeputyAdmin(ReadOnlyAdmin):
    list_display = ["name", "township", "term", "district", "occupation", "status"]
    list_filter = ["township__county", "township", "status", "occupation", "level"]
    search_fields = ["name", "name_pinyin", "name_initials", "certificate_no"]


@admin.register(DeputyStatusChange)
class DeputyStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["deputy", "from_status", "to_status", "effective_date", "document_ref", "actor"]
    list_filter = ["township", "to_status"]


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "kind", "is_active"]
    list_filter = ["township", "kind"]
    filter_horizontal = ["deputies"]


@admin.register(VoterOpinion)
class VoterOpinionAdmin(ReadOnlyAdmin):
    list_display = ["received_on", "township", "source", "status", "unit"]
    list_filter = ["township", "source", "status"]


for model in (ReceptionDay, VoterContact, Training, Activity, DutyReport):
    admin.site.register(model, ReadOnlyAdmin)
