"""The one home of time: now, a user's zone with its one fallback, and their today."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from crm import clock
from crm.followups.rules import snooze_business_days
from crm.workdays import is_business_day


def _utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """Build an aware UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """Build an aware UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zone", "expected"),
    [
        # Friday evening in London is already Saturday morning in Tokyo (UTC+9).
        (_utc(2026, 3, 6, 23, 30), "Asia/Tokyo", date(2026, 3, 7)),
        (_utc(2026, 3, 6, 23, 30), "UTC", date(2026, 3, 6)),
        (_utc(2026, 3, 6, 23, 30), "Europe/London", date(2026, 3, 6)),
        # Saturday 02:00 UTC is still Friday 18:00 in Los Angeles (PST, UTC-8).
        (_utc(2026, 3, 7, 2), "America/Los_Angeles", date(2026, 3, 6)),
        (_utc(2026, 3, 7, 7, 59), "America/Los_Angeles", date(2026, 3, 6)),
        (_utc(2026, 3, 7, 8), "America/Los_Angeles", date(2026, 3, 7)),
        # After daylight saving starts on 8 March 2026, Los Angeles is UTC-7.
        (_utc(2026, 3, 9, 7, 30), "America/Los_Angeles", date(2026, 3, 9)),
        # Kiritimati (UTC+14) starts the day ten hours before UTC does.
        (_utc(2026, 3, 6, 10), "Pacific/Kiritimati", date(2026, 3, 7)),
        (_utc(2026, 3, 6, 9, 59), "Pacific/Kiritimati", date(2026, 3, 6)),
    ],
)
def test_today(now: datetime, zone: str, expected: date) -> None:
    assert clock.today_in(zone, now) == expected


def test_today_tokyo_saturday_is_not_a_business_day() -> None:
    today = clock.today_in("Asia/Tokyo", _utc(2026, 3, 6, 23, 30))
    assert is_business_day(today) is False
    assert snooze_business_days(today, 1) == date(2026, 3, 9)


def test_today_accepts_any_aware_time() -> None:
    tokyo_morning = datetime(2026, 3, 7, 8, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert clock.today_in("UTC", tokyo_morning) == date(2026, 3, 6)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "America", "../etc/passwd"])
def test_an_unknown_zone_falls_back_to_utc(zone: str) -> None:
    late_evening = _utc(2026, 3, 6, 23, 30)
    assert clock.today_in(zone, late_evening) == date(2026, 3, 6)
    assert clock.zone_name(zone) == "UTC"
    assert clock.user_today(SimpleNamespace(time_zone=zone), late_evening) == date(2026, 3, 6)


def test_today_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="must include a time zone"):
        clock.today_in("UTC", datetime(2026, 3, 6, 12))


def test_a_known_zone_is_kept_and_its_name_stored():
    assert clock.zone_name("Asia/Tokyo") == "Asia/Tokyo"
    assert clock.user_zone(SimpleNamespace(time_zone="Asia/Tokyo")) == ZoneInfo("Asia/Tokyo")


def test_a_day_starts_at_local_midnight_in_utc():
    assert clock.start_of_day(date(2026, 3, 7), "Asia/Tokyo") == _utc(2026, 3, 6, 15)
    assert clock.start_of_day(date(2026, 3, 7), "Mars/Base") == _utc(2026, 3, 7, 0)


def test_the_clock_stops_where_a_test_sets_it_and_runs_again_after(request):
    stopped = request.getfixturevalue("clock")  # the fixture every test sets time through
    stopped.set(datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("America/New_York")))
    assert clock.now() == _utc(2026, 11, 26, 4, 30)
    assert clock.now().tzinfo == UTC
    assert clock.today_in("America/New_York") == date(2026, 11, 25)
    stopped.set(None)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(minutes=1)


def test_the_clock_refuses_a_naive_moment():
    with pytest.raises(ValueError, match="aware"):
        clock.set_now(datetime(2026, 11, 25, 12))
