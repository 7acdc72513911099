"""The filter forms of the reports, the exports and the activity log (GET parameters).

Choices come from what the user may see, so an id of another organisation's company is a field
error like any other bad value, never a leak and never a 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from companies.models import Company, membership_of
from core.forms import DateInput, StyledFormMixin
from grants.models import Programme
from grants.models.applications import State

FIRST_YEAR = 2018


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Company) -> str:
        return obj.display_name


class ProgrammeChoiceField(forms.ModelChoiceField):
    """A programme chosen by its code (the parameter the exports and links use)."""

    def __init__(self, **kwargs):
        programmes = Programme.objects.order_by("code")
        super().__init__(queryset=programmes, to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Programme) -> str:
        return f"{obj.name} ({obj.code})"


class ReportFilterForm(StyledFormMixin, forms.Form):
    """Common ground: scoped company choices, cleaned data as keyword arguments of a selector."""

    def __init__(self, data=None, *, user: User, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        if "company" in self.fields:
            self.fields["company"].queryset = Company.objects.visible_to(user).order_by("name")

    def filters(self) -> dict[str, Any]:
        """The valid filters as selector keywords (empty and invalid values left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        out = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            if isinstance(value, Company):
                value = value.pk
            elif isinstance(value, Programme):
                value = value.code
            out[name] = value
        return out

    def summary(self) -> list[tuple[str, str]]:
        """The filters applied, as (label, value shown): printed above the figures."""
        if not self.is_bound:
            return []
        self.is_valid()
        shown = []
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                text = field.label_from_instance(value)
            elif isinstance(field, forms.ChoiceField):
                text = str(dict(field.choices).get(self.data.get(name), value))
            else:
                text = str(value)
            shown.append((str(field.label), text))
        return shown


def _years() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [("", _("Every year"))] + [
        (str(y), str(y)) for y in range(this_year + 1, FIRST_YEAR - 1, -1)
    ]


class FundingFilterForm(ReportFilterForm):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    programme = ProgrammeChoiceField(
        label=_("Programme"), required=False, empty_label=_("Every programme")
    )
    company = CompanyChoiceField(
        queryset=Company.objects.none(),
        label=_("Client"),
        required=False,
        empty_label=_("Every client"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()


class ApplicationFilterForm(ReportFilterForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Reference or company")}),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    company = CompanyChoiceField(
        queryset=Company.objects.none(),
        label=_("Company"),
        required=False,
        empty_label=_("Every company"),
    )
    programme = ProgrammeChoiceField(
        label=_("Programme"), required=False, empty_label=_("Every programme")
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Every state")), *State.choices]
        self.fields["assignee"].choices = [("", _("Anyone")), *_member_choices(self.user)]

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()


def _member_choices(user: User, *, staff_only: bool = True) -> list[tuple[str, str]]:
    """Members of the user's organisation as (username, name) choices (one query)."""
    membership = membership_of(user)
    if membership is None:
        return []
    members = User.objects.filter(membership__organisation_id=membership.organisation_id)
    if staff_only:
        members = members.filter(membership__role__in=["admin", "consultant"])
    return [(u.username, u.display_name) for u in members.order_by("first_name", "username")]


class ActivityFilterForm(ReportFilterForm):
    actor = forms.ChoiceField(label=_("Who"), required=False)
    kind = forms.ChoiceField(label=_("What"), required=False)
    company = CompanyChoiceField(
        queryset=Company.objects.none(),
        label=_("Company"),
        required=False,
        empty_label=_("Every company"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [
            ("", _("Anyone")),
            *_member_choices(self.user, staff_only=False),
        ]
        self.fields["kind"].choices = [("", _("Everything")), *kinds]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start: dt.date | None = cleaned.get("date_from")
        end: dt.date | None = cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned
