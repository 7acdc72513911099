"""Django admin: reminders. The ledger is read-only: rows are written by the sweep and tasks."""

from django.contrib import admin

from grants.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = (
        "application",
        "deadline_kind",
        "deadline_at",
        "offset_days",
        "recipient",
        "status",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "deadline_kind", "offset_days")
    search_fields = ("application__reference", "recipient__username", "recipient__email")
    date_hierarchy = "created_at"
    list_select_related = ("application", "recipient")
    readonly_fields = [field.name for field in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
