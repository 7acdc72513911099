"""Factories of the companies tests, beside the shared ones in tests/factories.py."""

from __future__ import annotations

import factory

from companies.models import Contact
from tests.factories import CompanyFactory

# Real codes of well-known firms (public registers): valid check characters.
REAL_USCCS = (
    "91330100799655058B",
    "9144030071526726XG",
    "91110000802100433B",
    "91310000MA1FL1MMXL",
)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    title = "CFO"
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    phone = "+86 21 5555 0000"
    position = factory.Sequence(lambda n: n)


def company_post(**overrides) -> dict:
    """A valid company form submission (no contacts)."""
    data = {
        "name": "Pudong Vision AI Ltd",
        "name_zh": "浦东视觉智能有限公司",
        "uscc": REAL_USCCS[0],
        "district": "pudong",
        "established_on": "2018-03-01",
        "employees": "85",
        "tax_credit_rating": "A",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def project_post(costs: list[dict] | None = None, **overrides) -> dict:
    """A valid project form submission with the given cost lines (in form order)."""
    data = {
        "title": "Inspection model",
        "summary": "A vision model for production lines.",
        "areas": ["large_models", "manufacturing"],
        "start_date": "2025-01-01",
        "end_date": "2026-06-30",
    }
    costs = costs or []
    data.update(
        {
            "costs-TOTAL_FORMS": str(len(costs)),
            "costs-INITIAL_FORMS": "0",
            "costs-MIN_NUM_FORMS": "0",
            "costs-MAX_NUM_FORMS": "1000",
        }
    )
    for index, line in enumerate(costs):
        row = {
            "kind": "rd_investment",
            "amount": "1000.00",
            "months": "",
            "supplier": "",
            "description": "",
            "ORDER": str(index + 1),
        }
        row.update(line)
        for key, value in row.items():
            if key == "related_party":
                if value:
                    data[f"costs-{index}-related_party"] = "on"
                continue
            data[f"costs-{index}-{key}"] = value
    data.update(overrides)
    return data
