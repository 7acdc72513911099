"""The shared look: every form styled with errors beside fields, names in the reader's language."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string
from django.utils import translation


class PlainForm(forms.Form):
    """A form without StyledFormMixin, as Django's own sign-in and password forms are."""

    email = forms.EmailField(help_text="Where we write to you.")
    agree = forms.BooleanField()


def test_the_sign_in_and_password_forms_get_bootstrap_classes(client, cast, login):
    html = client.get("/accounts/login/").content.decode()
    assert re.search(r'<input type="text" name="username"[^>]*class="form-control"', html)
    html = login(cast.consultant).get("/accounts/password/").content.decode()
    assert re.search(r'<input type="password" name="old_password"[^>]*class="form-control"', html)


def test_the_settings_form_is_styled_like_every_other(cast, login):
    html = login(cast.consultant).get("/me/settings/").content.decode()
    assert re.search(r'<select name="language"[^>]*class="form-select"', html)
    assert re.search(r'<input type="checkbox" name="reminder_emails"[^>]*form-check-input', html)


def test_a_missing_password_is_outlined_and_said_beside_the_field(client, cast):
    response = client.post("/accounts/login/", {"username": cast.consultant.username})
    html = response.content.decode()
    assert re.search(r'name="password"[^>]*class="form-control is-invalid"', html)
    assert 'id="id_password_error"' in html


def test_an_error_added_after_validation_still_outlines_its_field_and_is_described():
    form = PlainForm({"email": "a@b.example", "agree": "on"})
    assert form.is_valid()
    form.add_error("email", "This address already has an account.")
    html = form.render()
    assert re.search(r'name="email"[^>]*class="form-control is-invalid"', html)
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'id="id_email_error"' in html and 'id="id_email_helptext"' in html
    assert html.index('id="id_email"') < html.index("already has an account")


def test_a_company_is_named_in_the_readers_language_first(cast):
    company = cast.company
    with translation.override("zh-hans"):
        zh = render_to_string("includes/company_name.html", {"company": company})
        other = render_to_string("includes/company_name.html", {"company": company, "other": True})
    assert company.name_zh in zh and company.name not in zh
    assert company.name in other
    with translation.override("en"):
        en = render_to_string("includes/company_name.html", {"company": company})
    assert en.strip() == company.name


def test_a_company_without_a_chinese_name_keeps_its_name_in_chinese(cast):
    company = cast.company
    company.name_zh = ""
    with translation.override("zh-hans"):
        assert render_to_string("includes/company_name.html", {"company": company}) == company.name
        assert not render_to_string(
            "includes/company_name.html", {"company": company, "other": True}
        ).strip()
