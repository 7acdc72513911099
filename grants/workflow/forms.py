"""Forms of the workflow pages: they parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeInput, StyledFormMixin
from grants.models import Call
from grants.models.applications import MAX_AMOUNT
from grants.workflow.creation import staff_of
from grants.workflow.transitions import TRANSITION_FIELDS

COMMENT_REQUIRED = {"return_for_changes", "reject", "withdraw"}


class TransitionForm(StyledFormMixin, forms.Form):
    """The transition's own fields and a comment. Guards are checked by the service."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submission_ref = forms.CharField(
        label=_("Submission reference"),
        required=False,
        max_length=100,
        help_text=_("The number the government portal gave the submission, if any."),
    )
    supplement_deadline = forms.DateTimeField(
        label=_("Supplement deadline"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Shanghai time."),
    )
    approved_amount = forms.DecimalField(
        label=_("Approved amount (RMB)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
    )
    amount = forms.DecimalField(
        label=_("Amount received (RMB)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
    )
    paid_on = forms.DateField(label=_("Date paid"), required=False, widget=DateInput())

    def __init__(self, *args, transition: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        keep = {"comment", *TRANSITION_FIELDS.get(transition, ())}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if transition in COMMENT_REQUIRED:
            self.fields["comment"].label = _("Comment (required)")
        if "paid_on" in self.fields:
            self.fields["paid_on"].initial = timezone.localdate()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        comment = data.pop("comment", "")
        return {"comment": comment, **data}


class ApplicationCreateForm(StyledFormMixin, forms.Form):
    requested_amount = forms.DecimalField(
        label=_("Requested amount (RMB)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
        help_text=_("Defaults to the current estimate."),
    )
    call = forms.ModelChoiceField(
        label=_("Call"), queryset=Call.objects.none(), required=False, empty_label=_("No call yet")
    )
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None, required=False)

    def __init__(self, *args, programme, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.filter(
            programme=programme, deadline__gte=timezone.now()
        ).order_by("deadline")
        self.fields["assignee"].queryset = staff_of(organisation_id)
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class CommentForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class UploadForm(forms.Form):
    slot = forms.CharField(max_length=50)
    file = forms.FileField(allow_empty_file=True)
