from __future__ import annotations

from decimal import Decimal

import pytest

from grants.catalogue.loader import catalogue_load
from tests.factories import CostLineFactory, ProjectFactory


@pytest.fixture
def seeded(db):
    """The seeded catalogue, loaded from grants/catalogue/catalogue.yaml."""
    return catalogue_load()


@pytest.fixture
def make_project():
    """make_project(company, costs=[(kind, amount, months, related_party)], **fields)."""

    def _make(company, costs=(("rd_investment", "1000000.00", None, False),), **fields):
        project = ProjectFactory(company=company, **fields)
        for position, (kind, amount, months, related) in enumerate(costs):
            CostLineFactory(
                project=project,
                kind=kind,
                amount=Decimal(amount),
                months=months,
                related_party=related,
                position=position,
            )
        return project

    return _make
