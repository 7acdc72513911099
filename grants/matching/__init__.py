"""The matching engine: which programmes a project qualifies for, and for how much.

Pure functions over plain data (no queries), implementing the rules of product.md exactly:

- each rule the programme uses gives pass / fail / missing, in the order of product.md
  (Shanghai registration, tax rating, company age, area, basis, minimum basis);
- status is ineligible if any rule fails, else incomplete if any is missing, else eligible;
- the eligible basis sums the project's cost lines of the programme's kind, leaving out
  related-party lines when the programme excludes them; a line with more months than
  `max_months` counts `amount × max_months / months`;
- the estimate is `ratio × basis`, capped at `cap`, computed exactly and rounded once, at the
  end, to 0.01 with ROUND_HALF_UP; an ineligible match estimates 0.00.

Exactness: amounts, ratios and caps are `Decimal` (a float is refused). Prorating divides, and
`amount × 12 / 36` has no finite decimal, so the engine computes with exact fractions: each
Decimal becomes an integer ratio (`Decimal.as_integer_ratio`, exact), sums and products stay
integer ratios, and the only rounding is the last one, to the cent, half up. (Plain integers
rather than `fractions.Fraction` because matching ten thousand projects makes hundreds of
thousands of these operations; `Basis.exact` and `Match.uncapped` give Fractions for reading.)

Speed: `evaluate` decides the status from cheap checks (a project without costs of the
programme's kind is ineligible at once) and builds the rule messages only when `Match.rules` is
read, in the language active then. Matching thousands of projects for the opportunities page
builds no message at all.

The package, read in order: `facts` (statuses, labels and the plain data), `arithmetic` (basis
and estimate), `checks` (one check per rule, and the status), `explanations` (each rule with
its message), `engine` (evaluate, bulk outcomes, ordering, totals), `formula` (the formula and
conditions in words). Callers import from `grants.matching` only.
"""

from grants.matching.arithmetic import (
    NO_BASIS,
    ZERO,
    ZERO_CENTS,
    Basis,
    ProratedLine,
    add_years,
    cents,
    eligible_basis,
    estimate,
    round_cents,
)
from grants.matching.checks import (
    check_area,
    check_basis,
    check_company_age,
    check_min_basis,
    check_shanghai_registration,
    check_tax_rating,
    status_of,
)
from grants.matching.engine import (
    Match,
    Outcome,
    ProgrammeSet,
    best_total,
    evaluate,
    match_project,
    outcomes,
    sort_key,
)
from grants.matching.explanations import RuleResult, explain_rules
from grants.matching.facts import (
    ELIGIBLE,
    FAIL,
    INCOMPLETE,
    INELIGIBLE,
    MISSING,
    PASS,
    RESULT_LABELS,
    RULE_LABELS,
    RULE_SUBJECT,
    RULES,
    STATUS_LABELS,
    STATUS_ORDER,
    STATUSES,
    CompanyFacts,
    CostFacts,
    ProgrammeRules,
    ProjectFacts,
    Ratio,
)
from grants.matching.formula import (
    BASIS_PHRASES,
    describe_conditions,
    describe_formula,
    explain_formula,
    format_amount,
)

__all__ = [
    "BASIS_PHRASES",
    "ELIGIBLE",
    "FAIL",
    "INCOMPLETE",
    "INELIGIBLE",
    "MISSING",
    "NO_BASIS",
    "PASS",
    "RESULT_LABELS",
    "RULES",
    "RULE_LABELS",
    "RULE_SUBJECT",
    "STATUSES",
    "STATUS_LABELS",
    "STATUS_ORDER",
    "ZERO",
    "ZERO_CENTS",
    "Basis",
    "CompanyFacts",
    "CostFacts",
    "Match",
    "Outcome",
    "ProgrammeRules",
    "ProgrammeSet",
    "ProjectFacts",
    "ProratedLine",
    "Ratio",
    "RuleResult",
    "add_years",
    "best_total",
    "cents",
    "check_area",
    "check_basis",
    "check_company_age",
    "check_min_basis",
    "check_shanghai_registration",
    "check_tax_rating",
    "describe_conditions",
    "describe_formula",
    "eligible_basis",
    "estimate",
    "evaluate",
    "explain_formula",
    "explain_rules",
    "format_amount",
    "match_project",
    "outcomes",
    "round_cents",
    "sort_key",
    "status_of",
]
