"""Form styling shared by every page: Bootstrap classes on widgets, errors beside their fields."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting


class Renderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def style_widget(widget: forms.Widget, *, invalid: bool = False) -> None:
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        css = ""
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    classes = [c for c in (widget.attrs.get("class", ""), css) if c]
    if invalid:
        classes.append("is-invalid")
    widget.attrs["class"] = " ".join(dict.fromkeys(" ".join(classes).split()))


class StyledFormMixin:
    """Bootstrap classes on every widget; invalid fields marked after validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field.widget)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                style_widget(self.fields[name].widget, invalid=True)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
