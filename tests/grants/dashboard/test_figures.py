"""The figures of the dashboards and reports, for a known data set (see conftest.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grants.reports.selectors import funding_report, pipeline_by_state

D = Decimal


def _by_key(rows):
    return {row.key: row.values for row in rows}


def test_the_pipeline_counts_and_sums_per_state(cast, funding):
    figures = {f.state: (f.count, f.requested) for f in pipeline_by_state(cast.consultant)}
    assert list(figures)[:3] == ["draft", "preparing", "internal_review"]
    assert figures["draft"] == (1, D("100000.00"))
    assert figures["preparing"] == (1, D("60000.00"))
    assert figures["submitted"] == (1, D("200000.00"))
    assert figures["approved"] == (1, D("500000.00"))
    assert figures["funded"] == (1, D("300000.00"))
    assert figures["rejected"] == (1, D("80000.00"))
    assert figures["closed"] == (0, D("0.00"))
    assert sum(count for count, _ in figures.values()) == 6


def test_funding_by_programme_client_and_year(cast, funding):
    report = funding_report(cast.consultant)
    assert _by_key(report.by_programme) == {
        "model_voucher": (D("500000.00"), D("250000.00"), D("150000.00")),
        "compute_lease": (D("580000.00"), D("400000.00"), D("0.00")),
    }
    assert _by_key(report.by_client) == {
        str(cast.company.pk): (D("700000.00"), D("400000.00"), D("0.00")),
        str(cast.other_company.pk): (D("380000.00"), D("250000.00"), D("150000.00")),
    }
    # Requested in the year of submission (Shanghai time), approved in the year of the approve
    # transition, disbursed in the year paid.
    assert _by_key(report.by_year) == {
        "2024": (D("300000.00"), D("0.00"), D("0.00")),
        "2025": (D("780000.00"), D("650000.00"), D("100000.00")),
        "2026": (D("0.00"), D("0.00"), D("50000.00")),
    }
    assert report.total.values == (D("1080000.00"), D("650000.00"), D("150000.00"))


@pytest.mark.parametrize(
    ("filters", "total"),
    [
        ({"year": 2025}, ("780000.00", "650000.00", "100000.00")),
        ({"programme": "model_voucher"}, ("500000.00", "250000.00", "150000.00")),
        ({"company": "other"}, ("380000.00", "250000.00", "150000.00")),
        ({"year": 2026, "programme": "model_voucher"}, ("0.00", "0.00", "50000.00")),
    ],
)
def test_funding_filters(cast, funding, filters, total):
    if filters.get("company") == "other":
        filters["company"] = cast.other_company.pk
    report = funding_report(cast.consultant, **filters)
    assert report.total.values == tuple(D(v) for v in total)


def test_a_consultant_of_another_organisation_sees_only_its_own(cast, funding):
    report = funding_report(cast.outsider)
    assert report.total.values == (D("9000000.00"), D("8000000.00"), D("8000000.00"))
    assert [f.count for f in pipeline_by_state(cast.outsider) if f.count] == [1]


def test_labels_follow_the_language(cast, funding):
    from django.utils import translation

    with translation.override("zh-hans"):
        report = funding_report(cast.consultant)
    assert {row.label for row in report.by_programme} == {"模型券", "算力券"}
    assert {row.label for row in report.by_client} == {
        "陆家嘴视觉科技有限公司",
        "张江机器人有限公司",
    }
