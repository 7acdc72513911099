"""Fixtures of the companies tests: the catalogue's 12 priority areas (valid `areas` codes)."""

from __future__ import annotations

import pytest

from tests.factories import PriorityAreaFactory

FOUNDATION = ("large_models", "computing_power", "data_corpora")
VERTICAL = (
    "manufacturing",
    "finance",
    "healthcare",
    "education",
    "urban_governance",
    "autonomous_driving",
    "embodied_ai",
    "ai_for_science",
    "online_economy",
)
AREA_CODES = FOUNDATION + VERTICAL


@pytest.fixture(autouse=True)
def areas(db):
    """Every test here may name any of the api.md area codes; grants' hook lists them."""
    return [
        PriorityAreaFactory(
            code=code,
            group="foundation" if code in FOUNDATION else "vertical",
            position=position,
        )
        for position, code in enumerate(AREA_CODES)
    ]
