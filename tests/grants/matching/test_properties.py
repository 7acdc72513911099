"""Properties of the estimate that hold for any facts (hypothesis)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from grants import matching
from grants.matching import CompanyFacts, CostFacts, ProgrammeRules, ProjectFacts, evaluate

KINDS = ["rd_investment", "compute_lease", "model_service"]
TODAY = date(2025, 10, 15)

amounts = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("999999999.99"), places=2, allow_nan=False
)
ratios = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1"), places=4)
caps = st.none() | st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999"), places=2)
months = st.none() | st.integers(min_value=1, max_value=120)
costs = st.builds(CostFacts, st.sampled_from(KINDS), amounts, months, st.booleans())
projects = st.builds(
    ProjectFacts,
    st.frozensets(st.sampled_from(["finance", "healthcare", "education"]), max_size=2),
    st.lists(costs, max_size=6).map(tuple),
)
companies = st.builds(
    CompanyFacts,
    st.sampled_from(["pudong", "xuhui", "outside", ""]),
    st.sampled_from(["A", "B", "M", "C", "D", ""]),
    st.none() | st.dates(min_value=date(1990, 1, 1), max_value=TODAY),
)
programmes = st.builds(
    ProgrammeRules,
    code=st.just("p"),
    basis=st.sampled_from(KINDS),
    ratio=ratios,
    cap=caps,
    max_months=st.none() | st.integers(min_value=1, max_value=36),
    areas=st.frozensets(st.sampled_from(["finance", "healthcare", "education"]), max_size=2),
    exclude_related_party=st.booleans(),
    requires_shanghai_registration=st.booleans(),
    allowed_tax_ratings=st.sampled_from([(), ("A", "B", "M"), ("A",)]),
    min_company_age_years=st.none() | st.integers(min_value=0, max_value=10),
    min_basis_amount=st.none() | amounts,
)


@settings(max_examples=300, deadline=None)
@given(companies, projects, programmes)
def test_the_estimate_never_exceeds_the_cap_nor_ratio_times_basis(company, project, programme):
    match = evaluate(company, project, programme, today=TODAY)
    if programme.cap is not None:
        assert match.estimated_subsidy <= programme.cap
    exact = match.basis.exact * Fraction(programme.ratio)
    # Rounding half up adds at most half a cent to the exact product.
    assert Fraction(match.estimated_subsidy) <= exact + Fraction(1, 200)
    assert match.estimated_subsidy >= 0
    assert match.estimated_subsidy == match.estimated_subsidy.quantize(Decimal("0.01"))


@settings(max_examples=300, deadline=None)
@given(companies, projects, programmes)
def test_an_ineligible_match_estimates_zero_and_the_status_follows_the_rules(
    company, project, programme
):
    match = evaluate(company, project, programme, today=TODAY)
    if match.status == matching.INELIGIBLE:
        assert match.estimated_subsidy == Decimal("0.00")
    assert match.status == matching.status_of(match.rules)


@settings(max_examples=300, deadline=None)
@given(companies, projects, programmes, amounts, st.integers(min_value=0, max_value=5))
def test_the_estimate_never_goes_down_when_a_qualifying_cost_goes_up(
    company, project, programme, extra, index
):
    qualifying = CostFacts(programme.basis, Decimal("100.00"), None, False)
    before_costs = (*project.costs, qualifying)
    position = index % len(before_costs)
    grown = list(before_costs)
    line = grown[position]
    if line.kind != programme.basis or (line.related_party and programme.exclude_related_party):
        position = len(grown) - 1
        line = grown[position]
    grown[position] = line._replace(amount=line.amount + extra)
    before = evaluate(company, ProjectFacts(project.areas, before_costs), programme, today=TODAY)
    after = evaluate(company, ProjectFacts(project.areas, tuple(grown)), programme, today=TODAY)
    assert after.estimated_subsidy >= before.estimated_subsidy
    assert after.basis.exact >= before.basis.exact


@settings(max_examples=200, deadline=None)
@given(companies, projects, programmes)
def test_adding_a_cost_of_another_kind_changes_nothing(company, project, programme):
    other = next(k for k in KINDS if k != programme.basis)
    before = evaluate(company, project, programme, today=TODAY)
    more = ProjectFacts(project.areas, (*project.costs, CostFacts(other, Decimal("5000"))))
    after = evaluate(company, more, programme, today=TODAY)
    assert (after.status, after.estimated_subsidy) == (before.status, before.estimated_subsidy)


@settings(max_examples=200, deadline=None)
@given(companies, projects, st.lists(programmes, min_size=1, max_size=5))
def test_the_bulk_outcomes_agree_with_evaluate(company, project, rules):
    rules = [dataclasses.replace(r, code=f"p{i}") for i, r in enumerate(rules)]
    expected = {
        r.code: (m.status, m.estimated_subsidy)
        for r in rules
        for m in [evaluate(company, project, r, today=TODAY)]
    }
    programme_set = matching.ProgrammeSet(rules)
    every = matching.outcomes(company, project, programme_set, today=TODAY)
    assert {o.programme: (o.status, o.estimated_subsidy) for o in every} == expected
    claimable = matching.outcomes(
        company, project, programme_set, today=TODAY, with_ineligible=False
    )
    assert {o.programme: (o.status, o.estimated_subsidy) for o in claimable} == {
        code: value for code, value in expected.items() if value[0] != matching.INELIGIBLE
    }
