"""How dates read on screen: short within the user's current year, with the year otherwise.

The caller passes the user's today (crm.clock.user_today); the server's date is never used.
"""

from __future__ import annotations

from datetime import date, datetime


def day_label(value: date | datetime | None, today: date) -> str:
    """'Thu 26 Nov' in the user's current year; 'Fri 01 Jan 2027' in another (no misreading)."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return f"{day:%a %d %b}" if day.year == today.year else f"{day:%a %d %b %Y}"


def long_day(value: date) -> str:
    """'Monday 30 November', the way a person says a date in a sentence."""
    return f"{value:%A} {value.day} {value:%B}"
