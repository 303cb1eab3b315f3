"""Admin: inspection only for workflow fields (every transition goes through suggestions.services)."""

from django.contrib import admin

from .models import Attachment, ContactRecord, CoSigner, CoUnit, Suggestion, SuggestionEvent, SuggestionReply


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class EventInline(ReadOnlyInline):
    model = SuggestionEvent


class CoSignerInline(ReadOnlyInline):
    model = CoSigner


class CoUnitInline(ReadOnlyInline):
    model = CoUnit


class ReplyInline(ReadOnlyInline):
    model = SuggestionReply


class ContactInline(ReadOnlyInline):
    model = ContactRecord


class AttachmentInline(ReadOnlyInline):
    model = Attachment


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "township",
        "lead_deputy",
        "category",
        "status",
        "lead_unit",
        "due_date",
        "is_key",
    ]
    list_filter = ["status", "source_kind", "is_key", "township__county"]
    search_fields = ["number", "title", "lead_deputy__name"]
    list_select_related = ["township", "lead_deputy", "lead_unit"]
    inlines = [CoSignerInline, CoUnitInline, ContactInline, ReplyInline, AttachmentInline, EventInline]
    # Content may be corrected by an administrator; the workflow state may not.
    readonly_fields = [
        "township",
        "year",
        "seq",
        "number",
        "status",
        "version",
        "source_kind",
        "source_content_type",
        "source_object_id",
        "lead_deputy",
        "created_by",
        "merged_into",
        "lead_unit",
        "round",
        "extension_status",
        "extension_until",
        "outcome_class",
        "rating",
        "first_rating",
        "planned_done_at",
        "created_at",
        "submitted_at",
        "accepted_at",
        "assigned_at",
        "signed_at",
        "replied_at",
        "closed_at",
        "assign_due",
        "return_due",
        "co_input_due",
        "reply_due",
        "due_date",
        "replied_on_time",
        "is_key",
        "not_accepted_reason",
    ]

    def has_add_permission(self, request):
        return False
