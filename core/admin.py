"""Read-only admin classes, for the records only services write (logs, history, versions).

Django's admin autodiscovery imports this module like any app's `admin`; it registers nothing.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse and search; never add, change or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """The related rows, shown as they are."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
