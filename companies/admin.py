"""The Django admin for support staff: browse and search tenants, members, companies, projects.

Companies, projects and memberships are read-only here: a change in the admin would bypass the
services, their rules (one organisation per record, the last admin, applications tying a project
to its company) and the activity log. Users change them on the pages and through the API.
An organisation's own settings (name, four-eyes rule) may be changed here; that goes through
`organisation_update`, so it is recorded like a change on the members page.
"""

from django.contrib import admin

from companies import services
from companies.models import Activity, Company, Contact, CostLine, Membership, Organisation, Project
from core.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "require_second_reviewer", "created_at")
    list_filter = ("require_second_reviewer",)
    search_fields = ("name",)
    fields = ("name", "require_second_reviewer", "created_at")
    readonly_fields = ("created_at",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # its members, companies and history go with it: never from the admin

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        data = {name: form.cleaned_data[name] for name in services.ORGANISATION_FIELDS}
        services.organisation_update(actor=request.user, organisation=obj, data=data)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role", "company", "created_at")
    list_filter = ("role", "organisation")
    list_select_related = ("user", "organisation", "company")
    search_fields = ("user__username", "user__email", "organisation__name", "company__name")


class ContactInline(ReadOnlyInline):
    model = Contact
    fields = ("position", "name", "title", "email", "phone")


@admin.register(Company)
class CompanyAdmin(ReadOnlyAdmin):
    list_display = ("name", "name_zh", "uscc", "district", "tax_credit_rating", "organisation")
    list_filter = ("district", "tax_credit_rating", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("name", "name_zh", "uscc")
    inlines = [ContactInline]


class CostLineInline(ReadOnlyInline):
    model = CostLine
    fields = ("position", "kind", "amount", "months", "supplier", "related_party", "description")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("title", "company", "start_date", "end_date", "updated_at")
    list_filter = ("company__organisation", "company__district")
    list_select_related = ("company",)
    search_fields = ("title", "company__name", "company__name_zh", "company__uscc")
    inlines = [CostLineInline]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("at", "organisation", "actor", "verb", "object_type", "object_label")
    list_filter = ("verb", "object_type", "organisation")
    list_select_related = ("organisation", "actor")
    search_fields = ("object_label", "actor__username")
    date_hierarchy = "at"
