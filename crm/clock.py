"""The one home of time: now (aware, UTC), a user's time zone with its one fallback, their today.

Pages, services, rule callers, commands and formatters ask this module; nothing else in crm/
reads the system clock or looks up a zone. It imports no Flask and no models, so the models
can take their timestamps from it. Tests stop the clock through the `clock` fixture
(tests/conftest.py), which calls `set_now`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FALLBACK_ZONE = "UTC"

# A moment tests stop the clock at; None lets it run.
_stopped_at: datetime | None = None


class HasTimeZone(Protocol):
    """Anything with an IANA zone name, such as a User."""

    time_zone: str


def now() -> datetime:
    """The current time, aware, in UTC."""
    if _stopped_at is not None:
        return _stopped_at
    return datetime.now(UTC)


def set_now(moment: datetime | None) -> None:
    """Stop the clock at an aware moment (tests, demos), or let it run again with None."""
    global _stopped_at
    if moment is not None and moment.utcoffset() is None:
        raise ValueError("The clock takes aware datetimes only.")
    _stopped_at = moment.astimezone(UTC) if moment is not None else None


def is_known_zone(name: str | None) -> bool:
    """Tell whether the name is an IANA time zone this machine knows."""
    if not name:
        return False
    try:
        ZoneInfo(name)
    # ZoneInfo raises KeyError for unknown names, ValueError for bad paths, OSError for folders.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def zone_named(name: str | None) -> ZoneInfo:
    """The named time zone; UTC when the name is empty, unknown or malformed (the one fallback)."""
    return ZoneInfo(name) if name and is_known_zone(name) else ZoneInfo(FALLBACK_ZONE)


def zone_name(name: str | None) -> str:
    """The zone name to store and show: the name when it is known, else the fallback's."""
    return zone_named(name).key


def user_zone(user: HasTimeZone) -> ZoneInfo:
    """The user's time zone (UTC when theirs is unknown)."""
    return zone_named(user.time_zone)


def local(moment: datetime, zone: str | ZoneInfo | None) -> datetime:
    """An aware moment on the wall clock of a zone (a name falls back to UTC)."""
    if moment.utcoffset() is None:
        raise ValueError("The moment must include a time zone.")
    return moment.astimezone(zone if isinstance(zone, ZoneInfo) else zone_named(zone))


def today_in(zone: str | ZoneInfo | None, at: datetime | None = None) -> date:
    """The calendar day in a zone at a moment (now by default)."""
    return local(at or now(), zone).date()


def user_today(user: HasTimeZone, at: datetime | None = None) -> date:
    """The user's calendar day in their time zone (now by default)."""
    return today_in(user_zone(user), at)


def start_of_day(day: date, zone: str | ZoneInfo | None) -> datetime:
    """The UTC instant a calendar day begins in a zone."""
    tz = zone if isinstance(zone, ZoneInfo) else zone_named(zone)
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
