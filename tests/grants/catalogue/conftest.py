from __future__ import annotations

import pytest

from grants.catalogue.loader import catalogue_load


@pytest.fixture
def seeded(db):
    """The seeded catalogue, loaded from grants/catalogue/catalogue.yaml."""
    return catalogue_load()
