"""The local HubSpot-compatible server, one per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_hubspot import FakeHubSpot
from tests.support.fake_salesforce import FakeSalesforce
from tests.support.sync_kit import TOKEN


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    server = FakeHubSpot(TOKEN)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def org() -> Iterator[FakeSalesforce]:
    """The local Salesforce-compatible server, one per test."""
    with FakeSalesforce(TOKEN) as server:
        yield server
