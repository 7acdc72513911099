"""The unified social credit code (GB 32100-2015) and the other field rules, at every door."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from companies.forms import CompanyForm, CostLineForm, ProjectForm
from companies.validators import normalise_uscc, uscc_check_character, validate_uscc
from tests.companies.factories import REAL_USCCS, company_post
from tests.factories import make_uscc

CHECK_MESSAGE = "The check character does not match"


@pytest.mark.parametrize("code", REAL_USCCS)
def test_real_codes_pass(code):
    validate_uscc(code)
    validate_uscc(code.lower())  # capitals are restored, not demanded
    assert normalise_uscc(f"  {code.lower()} ") == code


@pytest.mark.parametrize("code", REAL_USCCS)
def test_any_other_check_character_fails_with_the_check_message(code):
    for wrong in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if wrong == code[-1]:
            continue
        with pytest.raises(ValidationError) as caught:
            validate_uscc(code[:17] + wrong)
        assert caught.value.code == "uscc_check"
        assert CHECK_MESSAGE in caught.value.messages[0]
        assert f"should be {code[-1]}" in caught.value.messages[0]


@pytest.mark.parametrize("length", [0, 1, 17, 19, 30])
def test_wrong_lengths_fail(length):
    code = (REAL_USCCS[0] * 2)[:length]
    with pytest.raises(ValidationError) as caught:
        validate_uscc(code)
    assert caught.value.code == "uscc_length"
    assert f"this one has {length}" in caught.value.messages[0]


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_outside_the_alphabet_fail(letter):
    code = REAL_USCCS[0][:10] + letter + REAL_USCCS[0][11:]
    with pytest.raises(ValidationError) as caught:
        validate_uscc(code)
    assert caught.value.code == "uscc_alphabet"
    assert letter in caught.value.messages[0]


def test_the_check_character_can_be_any_of_the_31():
    seen = {uscc_check_character(make_uscc(n)[:17]) for n in range(2000)}
    assert len(seen) == 31


# --- through the forms (the API has its own tests in test_api.py) ------------------------


@pytest.mark.parametrize(
    ("uscc", "code"),
    [
        ("91330100799655058C", "uscc_check"),
        ("9133010079965505", "uscc_length"),
        ("9133010079965505OB", "uscc_alphabet"),
    ],
)
def test_the_company_form_reports_each_fault_once(cast, uscc, code):
    form = CompanyForm(company_post(uscc=uscc), organisation=cast.org)
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["uscc"]] == [code]


@pytest.mark.parametrize("district", ["atlantis", "PUDONG", ""])
def test_the_company_form_refuses_unknown_districts(cast, district):
    form = CompanyForm(company_post(district=district), organisation=cast.org)
    assert "district" in form.errors


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "1000000000000.00"}, "amount"),
        ({"months": "0"}, "months"),
        ({"months": "-1"}, "months"),
        ({"kind": "other"}, "kind"),
    ],
)
def test_the_cost_line_form_refuses_bad_values(data, field):
    form = CostLineForm({"kind": "rd_investment", "amount": "10", **data})
    assert field in form.errors


def test_the_project_form_offers_the_catalogue_areas(db, areas):
    form = ProjectForm()
    codes = [code for code, _label in form.fields["areas"].choices]
    assert len(codes) == 12 and "embodied_ai" in codes
    assert "areas" in ProjectForm({"title": "x", "areas": ["made_up"]}).errors
