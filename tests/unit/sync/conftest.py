"""The local HubSpot-compatible server, one per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_hubspot import FakeHubSpot
from tests.support.sync_kit import TOKEN


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    server = FakeHubSpot(TOKEN)
    server.start()
    yield server
    server.stop()
