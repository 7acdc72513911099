"""Forms of the company, project and member pages.

Cost lines and contacts are edited inline as formsets. Rows can be added, removed and reordered
with JavaScript (static/js/companies.js) or, without it, with submit buttons named
`formset_action` that the view answers by showing the form again with the change made
(`FormsetRows`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME, BaseFormSet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from companies import hooks
from companies.choices import CostKind, District
from companies.models import MAX_AMOUNT, Company, Membership, Organisation, Project
from companies.selectors import COMPANY_SORT_LABELS, organisation_companies
from companies.services import COMPANY_FIELDS, ORGANISATION_NAME_TAKEN, USCC_TAKEN, uscc_taken
from companies.validators import normalise_uscc, validate_uscc
from core.forms import DateInput, StyledFormMixin
from core.params import parse_index

MAX_ROWS = 200


class CompanyFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, Chinese name or USCC")}),
    )
    district = forms.ChoiceField(
        label=_("District"),
        required=False,
        choices=[("", _("All districts")), *District.choices],
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=list(COMPANY_SORT_LABELS.items()),
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )


class CompanyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Company
        fields = list(COMPANY_FIELDS)
        widgets = {"established_on": DateInput()}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        uscc = self.fields["uscc"]
        uscc.validators = [validate_uscc]  # one clear message per fault, not a length one too
        uscc.widget.attrs.update(
            {"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"}
        )
        self.fields["employees"].widget.attrs["min"] = 0

    def clean_uscc(self) -> str:
        code = normalise_uscc(self.cleaned_data["uscc"])
        if uscc_taken(organisation=self.organisation, uscc=code, exclude_pk=self.instance.pk):
            raise forms.ValidationError(USCC_TAKEN, code="uscc_taken")
        return code


class ContactForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)


class ProjectForm(StyledFormMixin, forms.ModelForm):
    areas = forms.MultipleChoiceField(
        label=_("Priority areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "area-choices"}),
    )

    class Meta:
        model = Project
        fields = ["title", "summary", "areas", "start_date", "end_date"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = hooks.area_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return data


class CostLineForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *CostKind.choices])
    amount = forms.DecimalField(
        label=_("Amount (RMB)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MAX_AMOUNT,
    )
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=1200, required=False)
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    related_party = forms.BooleanField(label=_("Related party"), required=False)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)


class OrderField(forms.IntegerField):
    """A row's position. Not a change by itself: a blank row the script numbered stays blank."""

    def has_changed(self, initial, data) -> bool:
        return False


class RowsFormSet(BaseFormSet):
    ordering_widget = forms.HiddenInput

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if ORDERING_FIELD_NAME in form.fields:
            order = form.fields[ORDERING_FIELD_NAME]
            form.fields[ORDERING_FIELD_NAME] = OrderField(
                label=order.label, required=False, initial=order.initial, widget=forms.HiddenInput
            )
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = _("Remove")
            form.fields[DELETION_FIELD_NAME].widget.attrs["class"] = "form-check-input"

    def rows(self) -> list[dict[str, Any]]:
        """The kept rows' cleaned data, in their order (call after `is_valid()`)."""
        if self.can_order:
            forms_in_order = self.ordered_forms
        else:
            deleted = set(map(id, self.deleted_forms))
            forms_in_order = [f for f in self.forms if f.cleaned_data and id(f) not in deleted]
        fields = [n for n in self.form.base_fields]
        return [{name: form.cleaned_data.get(name) for name in fields} for form in forms_in_order]


CostLineFormSet = forms.formset_factory(
    CostLineForm,
    formset=RowsFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=MAX_ROWS,
    validate_max=True,
)
ContactFormSet = forms.formset_factory(
    ContactForm, formset=RowsFormSet, extra=1, can_delete=True, max_num=50, validate_max=True
)


def cost_line_initial(project: Project) -> list[dict[str, Any]]:
    return [
        {
            "kind": line.kind,
            "amount": line.amount,
            "months": line.months,
            "supplier": line.supplier,
            "related_party": line.related_party,
            "description": line.description,
        }
        for line in project.costs.all()
    ]


def contact_initial(company: Company) -> list[dict[str, Any]]:
    return [
        {"name": c.name, "title": c.title, "email": c.email, "phone": c.phone}
        for c in company.contacts.all()
    ]


class FormsetRows:
    """The rows of a posted formset as plain data, to show the form again after a row action.

    Without JavaScript, "add a line", "move up" and "move down" are submit buttons named
    `formset_action` with values like `costs:add`, `costs:up:2` (2 = the row's form index).
    Nothing is saved: the page comes back with the change made and nothing typed lost.
    """

    def __init__(self, data: QueryDict, prefix: str, fields: list[str], *, ordered: bool):
        self.prefix = prefix
        total = min(parse_index(data.get(f"{prefix}-TOTAL_FORMS"), limit=10**6) or 0, MAX_ROWS)
        rows = []
        for index in range(total):
            row: dict[str, Any] = {"_index": index}
            for name in fields:
                row[name] = data.get(f"{prefix}-{index}-{name}", "")
            row["DELETE"] = bool(data.get(f"{prefix}-{index}-{DELETION_FIELD_NAME}"))
            order = parse_index(data.get(f"{prefix}-{index}-{ORDERING_FIELD_NAME}"), limit=10_000)
            row["_order"] = order if order is not None else 10_000 + index
            if any(row[name] for name in fields) or row["DELETE"]:
                rows.append(row)
        if ordered:
            rows.sort(key=lambda r: (r["_order"], r["_index"]))
        self.rows = rows
        self.extra = 1

    def apply(self, action: str) -> bool:
        """Make the change an action names; False when the action is not for this formset."""
        prefix, _sep, rest = action.partition(":")
        if prefix != self.prefix:
            return False
        verb, _sep, index = rest.partition(":")
        if verb == "add":
            self.extra += 1
            return True
        positions = {row.get("_index"): pos for pos, row in enumerate(self.rows)}
        pos = positions.get(parse_index(index, limit=MAX_ROWS))
        if pos is None:
            return True
        other = pos - 1 if verb == "up" else pos + 1 if verb == "down" else None
        if other is not None and 0 <= other < len(self.rows):
            self.rows[pos], self.rows[other] = self.rows[other], self.rows[pos]
        return True

    def formset(self, formset_class: type[BaseFormSet]) -> BaseFormSet:
        formset = formset_class(initial=self.initial(), prefix=self.prefix)
        formset.extra = min(self.extra, MAX_ROWS)
        return formset

    def initial(self) -> list[dict[str, Any]]:
        return [
            {k: (v == "on" if k == "related_party" else v) for k, v in row.items() if k[0] != "_"}
            for row in self.rows
        ]


def initial_from_post(form_class: type[forms.BaseForm], data: QueryDict) -> dict[str, Any]:
    """A form's posted values as `initial`, to show them again without validation errors."""
    initial: dict[str, Any] = {}
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.MultipleChoiceField):
            initial[name] = data.getlist(name)
        elif name in data:
            initial[name] = data.get(name)
    return initial


class MemberInviteForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    company = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Company.objects.none(),
        required=False,
        help_text=_("Clients see this company only."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = organisation_companies(organisation)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("role") == Membership.Role.CLIENT:
            if not data.get("company") and "company" not in self.errors:
                self.add_error("company", _("A client member needs a company."))
        else:
            data["company"] = None
        return data


class MemberRoleForm(MemberInviteForm):
    email = None


class OrganisationSettingsForm(StyledFormMixin, forms.ModelForm):
    """The organisation's own settings, for its admins (members page)."""

    prefix = "organisation"

    class Meta:
        model = Organisation
        fields = ["name", "require_second_reviewer"]
        labels = {"name": _("Organisation name")}
        error_messages = {
            "name": {"unique": ORGANISATION_NAME_TAKEN},
        }
