"""The preferences form: name, email, language and reminder emails."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User

EMAIL_TAKEN = _("Another Grantdesk account already uses this email address.")


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language", "reminder_emails"]
        widgets = {"language": forms.Select(), "reminder_emails": forms.CheckboxInput()}
        labels = {"first_name": _("First name"), "last_name": _("Last name"), "email": _("Email")}

    def clean_email(self) -> str:
        """One account per address: invitations find people by it (it is their sign-in name)."""
        email = (self.cleaned_data.get("email") or "").strip()
        if email:
            others = User.objects.exclude(pk=self.instance.pk)
            if others.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
                raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return email
