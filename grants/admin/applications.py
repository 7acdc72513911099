"""Django admin: applications, read-only.

The workflow service is the only way an application changes (state, amounts, history), so the
admin shows applications, their log, documents and disbursements without editing or deleting.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from grants.models import (
    Application,
    ApplicationComment,
    Disbursement,
    Document,
    ReferenceSequence,
    TransitionLog,
)


class TransitionLogInline(ReadOnlyInline):
    model = TransitionLog
    fields = ["at", "transition", "from_state", "to_state", "actor", "comment", "data"]
    readonly_fields = fields


class DisbursementInline(ReadOnlyInline):
    model = Disbursement
    fields = ["paid_on", "amount", "recorded_by", "recorded_at"]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ["slot", "version", "filename", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "company", "programme", "state", "requested_amount", "updated_at"]
    list_filter = ["state", "programme", "organisation"]
    search_fields = ["reference", "company__name", "company__name_zh", "submission_ref"]
    list_select_related = ["company", "programme"]
    inlines = [TransitionLogInline, DocumentInline, DisbursementInline]


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ["application", "transition", "from_state", "to_state", "actor", "at"]
    list_filter = ["transition"]
    list_select_related = ["application", "actor"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["application", "slot", "version", "filename", "size", "uploaded_at"]
    list_select_related = ["application", "slot"]
    exclude = ["file"]  # files go out only through the permission-checked download view


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["application", "paid_on", "amount", "recorded_by"]
    list_select_related = ["application", "recorded_by"]


@admin.register(ApplicationComment)
class ApplicationCommentAdmin(ReadOnlyAdmin):
    list_display = ["application", "author", "created_at"]


@admin.register(ReferenceSequence)
class ReferenceSequenceAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "year", "last_number"]
