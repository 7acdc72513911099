"""The preferences form: name, email, language and reminder emails."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language", "reminder_emails"]
        widgets = {"language": forms.Select(), "reminder_emails": forms.CheckboxInput()}
        labels = {"first_name": _("First name"), "last_name": _("Last name"), "email": _("Email")}
