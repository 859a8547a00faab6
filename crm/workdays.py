"""Business days and weeks: pure date arithmetic every feature shares (today: crm/clock.py)."""

from datetime import date, timedelta

_SATURDAY = 5


def is_business_day(d: date) -> bool:
    """Return True for Monday to Friday."""
    return d.weekday() < _SATURDAY


def next_business_day(d: date) -> date:
    """Return d if it is a business day, else the Monday after it."""
    while not is_business_day(d):
        d += timedelta(days=1)
    return d


def next_business_day_after(d: date) -> date:
    """Return the first business day strictly after d."""
    return next_business_day(d + timedelta(days=1))


def business_days_after(start: date, n: int) -> date:
    """Return the date n business days after start, skipping Saturday and Sunday."""
    if n < 0:
        raise ValueError("The number of business days cannot be negative.")
    if n == 0:
        return next_business_day(start)
    d = start
    remaining = n
    while remaining:
        d += timedelta(days=1)
        if is_business_day(d):
            remaining -= 1
    return d


def week_start(d: date) -> date:
    """Return the Monday of d's week."""
    return d - timedelta(days=d.weekday())


def week_bounds(today: date) -> tuple[date, date]:
    """Return the Monday and Sunday of today's week."""
    monday = week_start(today)
    return monday, monday + timedelta(days=6)
