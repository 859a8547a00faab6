"""How values read on screen: dates short within the user's current year (with the year
otherwise), web addresses as links.

The caller passes the user's today (crm.clock.user_today); the server's date is never used.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit


def day_label(value: date | datetime | None, today: date) -> str:
    """'Thu 26 Nov' in the user's current year; 'Fri 01 Jan 2027' in another (no misreading)."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return f"{day:%a %d %b}" if day.year == today.year else f"{day:%a %d %b %Y}"


def web_address(text: str | None) -> str | None:
    """The text itself when it is one http(s) address, so a page can link it; None otherwise.

    Only http and https: a javascript: or data: "link" typed into a field never becomes one.
    """
    value = (text or "").strip()
    if not value or any(ch.isspace() for ch in value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # "http://[" and the like
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return value


def starts_in(start: datetime, now: datetime) -> str:
    """'Thursday 3 December at 15:00, in 4 days': when something is, and how far away.

    Both are wall-clock times in the user's zone; days count calendar days, as people do.
    """
    when = f"{start:%A} {start.day} {start:%B}"
    if start.year != now.year:
        when += f" {start.year}"
    when += f" at {start:%H:%M}"
    days = (start.date() - now.date()).days
    if days > 1:
        return f"{when}, in {days} days"
    if days == 1:
        return f"{when}, tomorrow"
    minutes = int((start - now).total_seconds() // 60)
    if minutes >= 60:
        hours = minutes // 60
        return f"{when}, today, in {hours} hour{'' if hours == 1 else 's'}"
    if minutes > 0:
        return f"{when}, in {minutes} minute{'' if minutes == 1 else 's'}"
    return f"{when}, now"


def long_day(value: date) -> str:
    """'Monday 30 November', the way a person says a date in a sentence."""
    return f"{value:%A} {value.day} {value:%B}"


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """The count with its noun in the right number: "1 follow-up", "2 follow-ups"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def joined(parts: list[str]) -> str:
    """Words in a list as a sentence has them: "a", "a and b", "a, b and c"."""
    return "".join(parts) if len(parts) <= 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
