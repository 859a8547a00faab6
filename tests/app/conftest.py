"""Fixtures for the view tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.app.networking import TODAY


@pytest.fixture
def fixed_today(clock):
    """Pin the user's 'today' so business-day arithmetic is checkable."""
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    return TODAY
