"""How dates read on screen: short within the current year, with the year otherwise."""

from __future__ import annotations

from datetime import date, datetime


def day_label(value: date | datetime | None, today: date | None = None) -> str:
    """'Thu 26 Nov' this year; 'Fri 01 Jan 2027' in another, so no date is misread."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    year = (today or date.today()).year
    return f"{day:%a %d %b}" if day.year == year else f"{day:%a %d %b %Y}"
