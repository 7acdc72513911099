"""The rules of product.md, "Matching and estimates", one table per rule, to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from grants import matching
from grants.matching import (
    ELIGIBLE,
    FAIL,
    INCOMPLETE,
    INELIGIBLE,
    MISSING,
    PASS,
    evaluate,
    match_project,
)
from tests.grants.matching.facts import TODAY, company, cost, programme, project

D = Decimal


def rule(match, name):
    return next(r for r in match.rules if r.rule == name)


# --- 1. Shanghai registration -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("district", "result", "status"),
    [
        ("pudong", PASS, ELIGIBLE),
        ("chongming", PASS, ELIGIBLE),
        ("outside", FAIL, INELIGIBLE),
        ("", MISSING, INCOMPLETE),
    ],
)
def test_shanghai_registration(district, result, status):
    match = evaluate(company(district=district), project(), programme(), today=TODAY)
    assert rule(match, "shanghai_registration").result == result
    assert match.status == status


def test_shanghai_registration_is_not_checked_when_the_programme_does_not_require_it():
    match = evaluate(
        company(district="outside"),
        project(),
        programme(requires_shanghai_registration=False),
        today=TODAY,
    )
    assert "shanghai_registration" not in [r.rule for r in match.rules]
    assert match.status == ELIGIBLE


# --- 2. Tax rating -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "allowed", "result", "status"),
    [
        ("A", ("A", "B", "M"), PASS, ELIGIBLE),
        ("M", ("A", "B", "M"), PASS, ELIGIBLE),
        ("C", ("A", "B", "M"), FAIL, INELIGIBLE),
        ("D", ("A", "B", "M"), FAIL, INELIGIBLE),
        ("", ("A", "B", "M"), MISSING, INCOMPLETE),
        ("B", ("A",), FAIL, INELIGIBLE),
    ],
)
def test_tax_rating(rating, allowed, result, status):
    match = evaluate(
        company(tax_credit_rating=rating),
        project(),
        programme(allowed_tax_ratings=allowed),
        today=TODAY,
    )
    assert rule(match, "tax_rating").result == result
    assert match.status == status


@pytest.mark.parametrize("rating", ["", "D"])
def test_an_empty_list_of_ratings_means_the_tax_rule_is_not_used(rating):
    match = evaluate(
        company(tax_credit_rating=rating), project(), programme(allowed_tax_ratings=()), today=TODAY
    )
    assert "tax_rating" not in [r.rule for r in match.rules]
    assert match.status == ELIGIBLE


# --- 3. Company age, with 29 February -----------------------------------------------------------


@pytest.mark.parametrize(
    ("established", "years", "today", "result"),
    [
        (date(2022, 10, 15), 3, date(2025, 10, 15), PASS),  # the anniversary itself
        (date(2022, 10, 16), 3, date(2025, 10, 15), FAIL),  # one day short
        (date(2010, 1, 1), 3, date(2025, 10, 15), PASS),
        (None, 3, date(2025, 10, 15), MISSING),
        # Founded on 29 February: in a common year the period ends on 28 February.
        (date(2020, 2, 29), 1, date(2021, 2, 27), FAIL),
        (date(2020, 2, 29), 1, date(2021, 2, 28), PASS),
        (date(2020, 2, 29), 1, date(2021, 3, 1), PASS),
        (date(2020, 2, 29), 4, date(2024, 2, 28), FAIL),  # a leap year has its 29th
        (date(2020, 2, 29), 4, date(2024, 2, 29), PASS),
        (date(2021, 3, 1), 3, date(2024, 2, 29), FAIL),
    ],
)
def test_company_age(established, years, today, result):
    match = evaluate(
        company(established_on=established),
        project(),
        programme(min_company_age_years=years),
        today=today,
    )
    assert rule(match, "company_age").result == result
    assert match.status == {PASS: ELIGIBLE, FAIL: INELIGIBLE, MISSING: INCOMPLETE}[result]


def test_company_age_zero_years_is_a_rule_and_a_missing_date_is_missing():
    match = evaluate(
        company(established_on=None), project(), programme(min_company_age_years=0), today=TODAY
    )
    assert rule(match, "company_age").result == MISSING


# --- 4. Areas -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("project_areas", "programme_areas", "result", "status"),
    [
        ({"finance", "healthcare"}, {"healthcare"}, PASS, ELIGIBLE),
        ({"finance"}, {"healthcare", "education"}, FAIL, INELIGIBLE),
        (set(), {"healthcare"}, MISSING, INCOMPLETE),
        (set(), set(), None, ELIGIBLE),  # any area: the rule is not used
        ({"finance"}, set(), None, ELIGIBLE),
    ],
)
def test_area(project_areas, programme_areas, result, status):
    match = evaluate(
        company(),
        project(cost(), areas=project_areas),
        programme(areas=frozenset(programme_areas)),
        today=TODAY,
    )
    results = {r.rule: r.result for r in match.rules}
    assert results.get("area") == result
    assert match.status == status


# --- 5. Basis, with related-party exclusion and proration -----------------------------------


@pytest.mark.parametrize(
    ("costs", "rules", "basis", "result"),
    [
        ([cost(amount="100.00")], {}, "100.00", PASS),
        ([cost(amount="100.00"), cost(amount="0.50")], {}, "100.50", PASS),
        ([cost(kind="model_service", amount="100.00")], {}, "0.00", FAIL),
        ([cost(amount="0.00")], {}, "0.00", FAIL),
        # related party: left out only when the programme says so
        ([cost(amount="100.00", related_party=True)], {}, "100.00", PASS),
        (
            [cost(amount="100.00", related_party=True)],
            {"exclude_related_party": True},
            "0.00",
            FAIL,
        ),
        (
            [cost(amount="100.00", related_party=True), cost(amount="40.00")],
            {"exclude_related_party": True},
            "40.00",
            PASS,
        ),
        # proration: amount × max_months / months for lines longer than max_months
        ([cost(amount="2400.00", months=24)], {"max_months": 12}, "1200.00", PASS),
        ([cost(amount="1200.00", months=12)], {"max_months": 12}, "1200.00", PASS),
        ([cost(amount="600.00", months=6)], {"max_months": 12}, "600.00", PASS),
        ([cost(amount="1000.00", months=36)], {"max_months": 12}, "333.33", PASS),
        ([cost(amount="2400.00", months=24)], {}, "2400.00", PASS),  # no max: whole amount
        ([cost(amount="2400.00")], {"max_months": 12}, "2400.00", PASS),  # no months given
    ],
)
def test_basis(costs, rules, basis, result):
    match = evaluate(company(), project(*costs), programme(**rules), today=TODAY)
    assert match.basis_amount == D(basis)
    assert rule(match, "basis").result == result


def test_related_party_lines_still_count_their_amount_in_the_explanation():
    match = evaluate(
        company(),
        project(cost(amount="70.00", related_party=True)),
        programme(exclude_related_party=True),
        today=TODAY,
    )
    assert match.basis.related_party_excluded == D("70.00")
    assert "¥70.00" in rule(match, "basis").message
    assert match.estimated_subsidy == D("0.00")


def test_proration_counts_exactly_before_the_one_rounding():
    # 100.00 × 12 / 36 = 33.333…; × 0.30 = 10.00 exactly (not 9.99 from a rounded basis).
    match = evaluate(
        company(),
        project(cost(kind="compute_lease", amount="100.00", months=36)),
        programme(basis="compute_lease", ratio=D("0.30"), cap=None, max_months=12),
        today=TODAY,
    )
    assert match.basis_amount == D("33.33")
    assert match.estimated_subsidy == D("10.00")


def test_three_prorated_thirds_add_up_to_the_whole():
    lines = [cost(kind="compute_lease", amount="0.01", months=36) for _ in range(3)]
    match = evaluate(
        company(),
        project(*lines),
        programme(basis="compute_lease", ratio=D("1"), cap=None, max_months=12),
        today=TODAY,
    )
    assert match.estimated_subsidy == D("0.01")


# --- 6. Minimum basis -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "minimum", "result", "status"),
    [
        ("1000.00", "1000.00", PASS, ELIGIBLE),
        ("999.99", "1000.00", FAIL, INELIGIBLE),
        ("5000.00", "1000.00", PASS, ELIGIBLE),
        ("0.00", "0.00", PASS, INELIGIBLE),  # basis 0 fails the basis rule anyway
    ],
)
def test_min_basis(amount, minimum, result, status):
    match = evaluate(
        company(), project(cost(amount=amount)), programme(min_basis_amount=D(minimum)), today=TODAY
    )
    assert rule(match, "min_basis").result == result
    assert match.status == status


def test_min_basis_compares_the_prorated_basis():
    match = evaluate(
        company(),
        project(cost(kind="compute_lease", amount="2000.00", months=24)),
        programme(basis="compute_lease", max_months=12, min_basis_amount=D("1500.00")),
        today=TODAY,
    )
    assert rule(match, "min_basis").result == FAIL


# --- Status: fail beats missing beats pass ------------------------------------------------------


@pytest.mark.parametrize(
    ("company_overrides", "costs", "status"),
    [
        ({}, [cost()], ELIGIBLE),
        ({"tax_credit_rating": ""}, [cost()], INCOMPLETE),
        ({"tax_credit_rating": "", "district": ""}, [cost()], INCOMPLETE),
        ({"tax_credit_rating": "", "district": "outside"}, [cost()], INELIGIBLE),
        ({"tax_credit_rating": ""}, [cost(kind="model_service")], INELIGIBLE),
        ({"tax_credit_rating": "D"}, [cost()], INELIGIBLE),
    ],
)
def test_status_is_ineligible_on_any_fail_else_incomplete_on_any_missing(
    company_overrides, costs, status
):
    match = evaluate(company(**company_overrides), project(*costs), programme(), today=TODAY)
    assert match.status == status
    assert matching.status_of(match.rules) == status


def test_rules_come_in_the_order_of_product_md():
    match = evaluate(
        company(),
        project(cost()),
        programme(
            areas=frozenset({"large_models"}),
            min_company_age_years=1,
            min_basis_amount=D("1"),
        ),
        today=TODAY,
    )
    assert [r.rule for r in match.rules] == list(matching.RULES)


# --- Estimate: ratio, cap, rounding -------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "ratio", "cap", "estimate", "capped"),
    [
        ("1000000.00", "0.30", "50000000", "300000.00", False),  # ratio binds
        ("200000000.00", "0.30", "50000000", "50000000.00", True),  # cap binds
        ("166666666.67", "0.30", "50000000", "50000000.00", True),  # just above the cap
        ("166666666.66", "0.30", "50000000", "49999999.998", False),
        ("100.00", "1.00", None, "100.00", False),  # no cap
        ("0.01", "0.50", None, "0.01", False),  # 0.005 rounds half up
        ("0.03", "0.50", None, "0.02", False),  # 0.015 → 0.02 (half-even would give 0.02 too)
        ("0.05", "0.50", None, "0.03", False),  # 0.025 → 0.03 (half-even would give 0.02)
        ("2.675", "1.00", None, "2.68", False),  # float(2.675) is 2.67499…: would round down
        ("1.005", "1.00", None, "1.01", False),  # float gives 1.00
        ("0.01", "0.05", None, "0.00", False),  # 0.0005 → 0.00
        ("0.10", "0.05", None, "0.01", False),  # 0.005 → 0.01
    ],
)
def test_estimate_is_ratio_times_basis_capped_rounded_half_up_once(
    amount, ratio, cap, estimate, capped
):
    rules = programme(ratio=D(ratio), cap=D(cap) if cap else None)
    match = evaluate(company(), project(cost(amount=amount)), rules, today=TODAY)
    assert match.estimated_subsidy == D(estimate).quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert match.capped is capped


def test_float_arithmetic_would_round_the_wrong_way():
    # The reason the engine never touches float: these are the cases above, done in float.
    assert round(2.675, 2) == 2.67
    assert round(1.005, 2) == 1.0
    match = evaluate(company(), project(cost(amount="2.675")), programme(ratio=D("1")), today=TODAY)
    assert match.estimated_subsidy == D("2.68")


def test_the_estimate_is_a_decimal_with_two_places():
    match = evaluate(company(), project(cost(amount="1234.56")), programme(), today=TODAY)
    assert isinstance(match.estimated_subsidy, Decimal)
    assert match.estimated_subsidy.as_tuple().exponent == -2
    assert str(match.estimated_subsidy) == "370.37"  # 370.368 → 370.37


@pytest.mark.parametrize("company_overrides", [{"district": "outside"}, {"tax_credit_rating": "C"}])
def test_an_ineligible_match_estimates_zero(company_overrides):
    match = evaluate(
        company(**company_overrides), project(cost(amount="9999999.00")), programme(), today=TODAY
    )
    assert match.status == INELIGIBLE
    assert match.estimated_subsidy == D("0.00")
    assert match.basis_amount == D("9999999.00")  # the basis is still shown


def test_an_incomplete_match_keeps_its_estimate():
    match = evaluate(
        company(tax_credit_rating=""), project(cost(amount="1000.00")), programme(), today=TODAY
    )
    assert match.status == INCOMPLETE
    assert match.estimated_subsidy == D("300.00")


def test_a_float_ratio_is_refused():
    with pytest.raises(TypeError):
        programme(ratio=0.3)


# --- Ordering -------------------------------------------------------------------------------


def test_matches_are_ordered_by_status_then_estimate_then_code():
    programmes = [
        programme(code="b_small", ratio=D("0.10")),
        programme(code="a_small", ratio=D("0.10")),
        programme(code="big", ratio=D("0.50")),
        programme(code="needs_area", ratio=D("0.90"), areas=frozenset({"finance"})),
        programme(code="no_costs", basis="model_service"),
        programme(code="age", ratio=D("0.99"), min_company_age_years=50),
    ]
    facts = project(cost(amount="1000.00"), areas=())
    matches = match_project(company(), facts, programmes, today=TODAY)
    assert [(m.programme, m.status) for m in matches] == [
        ("big", ELIGIBLE),
        ("a_small", ELIGIBLE),
        ("b_small", ELIGIBLE),
        ("needs_area", INCOMPLETE),
        ("age", INELIGIBLE),
        ("no_costs", INELIGIBLE),
    ]


# --- Messages -----------------------------------------------------------------------------------


def test_each_rule_explains_itself_in_the_active_language():
    facts = project(cost(amount="100.00"))
    rules = programme(min_company_age_years=3)
    with translation.override("en"):
        english = evaluate(company(tax_credit_rating=""), facts, rules, today=TODAY)
        assert "tax credit rating is not recorded" in rule(english, "tax_rating").message
    with translation.override("zh-hans"):
        chinese = evaluate(company(tax_credit_rating=""), facts, rules, today=TODAY)
        assert "纳税信用" in rule(chinese, "tax_rating").message


def test_missing_data_says_what_to_fill_in_and_where():
    match = evaluate(
        company(tax_credit_rating="", district="", established_on=None),
        project(cost(), areas=()),
        programme(min_company_age_years=2, areas=frozenset({"finance"})),
        today=TODAY,
        area_labels={"finance": "Finance"},
    )
    missing = {r.rule: r for r in match.rules if r.result == MISSING}
    assert set(missing) == {"shanghai_registration", "tax_rating", "company_age", "area"}
    assert missing["area"].subject == "project"
    assert missing["tax_rating"].subject == "company"
    assert "Finance" in missing["area"].message


def test_the_formula_in_words():
    with translation.override("en"):
        assert (
            matching.describe_formula(programme())
            == "30% of verified R&D investment, at most ¥50,000,000"
        )
        lease = programme(basis="compute_lease", ratio=D("1"), cap=None, max_months=12)
        assert matching.describe_formula(lease) == (
            "100% of computing-power lease costs, with no cap; at most 12 months of a lease count"
        )
    with translation.override("zh-hans"):
        assert "30%" in matching.describe_formula(programme())
        assert "¥50,000,000" in matching.describe_formula(programme())


def test_the_calculation_shows_the_cap_when_it_binds():
    rules = programme()
    match = evaluate(company(), project(cost(amount="200000000.00")), rules, today=TODAY)
    with translation.override("en"):
        assert matching.explain_formula(match, rules) == (
            "30% × ¥200,000,000.00 = ¥60,000,000.00; capped at ¥50,000,000.00"
        )


def test_best_total_takes_one_programme_per_cost_kind():
    facts = project(cost(amount="1000.00"), cost(kind="model_service", amount="100.00"))
    rules = [
        programme(code="a", ratio=D("0.30")),
        programme(code="b", ratio=D("0.50")),
        programme(code="c", basis="model_service", ratio=D("0.50")),
    ]
    matches = match_project(company(), facts, rules, today=TODAY)
    by_code = {r.code: r for r in rules}
    assert matching.best_total((by_code[m.programme].basis, m) for m in matches) == D("550.00")
