"""Tests for the shared business-day and week arithmetic."""

from datetime import date

import pytest

from crm.workdays import next_business_day, next_business_day_after, week_start

# Mon 23 Nov 2026 ... Sun 29 Nov 2026


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 11, 23), date(2026, 11, 23)),
        (date(2026, 11, 27), date(2026, 11, 23)),
        (date(2026, 11, 29), date(2026, 11, 23)),
        (date(2027, 1, 1), date(2026, 12, 28)),  # across the year
    ],
)
def test_week_start_is_the_monday_of_the_week(day: date, monday: date) -> None:
    assert week_start(day) == monday


def test_next_business_day_keeps_a_weekday_and_moves_a_weekend_to_monday() -> None:
    assert next_business_day(date(2026, 11, 25)) == date(2026, 11, 25)
    assert next_business_day(date(2026, 11, 28)) == date(2026, 11, 30)


def test_next_business_day_after_is_strictly_later() -> None:
    assert next_business_day_after(date(2026, 11, 25)) == date(2026, 11, 26)
    assert next_business_day_after(date(2026, 11, 27)) == date(2026, 11, 30)
