"""The Django admin for support staff: browse and search tenants, members, companies, projects.

Changes made here bypass the services (and so the activity log); the pages and the API are the
way users change things. The activity log itself is read-only.
"""

from django.contrib import admin

from companies.models import Activity, Company, Contact, CostLine, Membership, Organisation, Project
from core.admin import ReadOnlyAdmin


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "require_second_reviewer", "created_at")
    list_filter = ("require_second_reviewer",)
    search_fields = ("name",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "company", "created_at")
    list_filter = ("role", "organisation")
    list_select_related = ("user", "organisation", "company")
    search_fields = ("user__username", "user__email", "organisation__name", "company__name")
    autocomplete_fields = ("user", "organisation", "company")


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("position", "name", "title", "email", "phone")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "uscc", "district", "tax_credit_rating", "organisation")
    list_filter = ("district", "tax_credit_rating", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("name", "name_zh", "uscc")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [ContactInline]


class CostLineInline(admin.TabularInline):
    model = CostLine
    extra = 0
    fields = ("position", "kind", "amount", "months", "supplier", "related_party", "description")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "company", "start_date", "end_date", "updated_at")
    list_filter = ("company__organisation", "company__district")
    list_select_related = ("company",)
    search_fields = ("title", "company__name", "company__name_zh", "company__uscc")
    autocomplete_fields = ("company",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [CostLineInline]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("at", "organisation", "actor", "verb", "object_type", "object_label")
    list_filter = ("verb", "object_type", "organisation")
    list_select_related = ("organisation", "actor")
    search_fields = ("object_label", "actor__username")
    date_hierarchy = "at"
