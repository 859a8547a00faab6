"""The range of each value a person can enter, in one place: the forms, the imports and the
restore check the same rules, so no page meets a value it cannot show (a year 9999 date or a
weekly goal of 2**40 once made pages answer 500).

Pure: values in, a plain message (or None) out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# The follow-up rules' timings (crm.followups.rules.RuleSettings).
MAX_BUSINESS_DAYS = 60
MAX_REFERRAL_ASK_WEEKS = 12
MAX_HISTORY_DAYS = 365

# The largest id or count PostgreSQL's integer column holds.
MAX_INTEGER = 2**31 - 1

# Every date the app keeps: far enough from year 1 and 9999 that a time zone or a few
# business days added never step outside what Python's dates and calendars hold.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
DATE_MESSAGE = f"Use a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}."

# Informational interviews are near now: logged after the fact, or planned ahead.
INTERVIEW_YEARS_BACK = 20
INTERVIEW_YEARS_AHEAD = 5


@dataclass(frozen=True)
class Whole:
    """A whole number from low to high, with the message a form shows when it is not."""

    low: int
    high: int
    unit: str = ""

    @property
    def message(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"Use a number from {self.low} to {self.high}{unit}."

    def problem(self, value: object) -> str | None:
        """None when the value is a whole number in range; the message otherwise."""
        # bool is an int subclass; True must not pass as 1.
        if not isinstance(value, int) or isinstance(value, bool):
            return "Enter a whole number."
        return None if self.low <= value <= self.high else self.message


WEEKLY_GOAL = Whole(0, 200)
MORNING_EMAIL_HOUR = Whole(0, 23)
INTERVIEW_MINUTES = Whole(5, 480, "minutes")
COUNT = Whole(0, MAX_INTEGER)


def date_problem(value: date | datetime) -> str | None:
    """None when the date lies in the window every date of the app lies in."""
    day = value.date() if isinstance(value, datetime) else value
    return None if EARLIEST_DATE <= day <= LATEST_DATE else DATE_MESSAGE


def interview_window(today: date) -> tuple[date, date]:
    """The first and last day an interview can be on, seen from today."""
    return (
        today.replace(year=today.year - INTERVIEW_YEARS_BACK, day=min(today.day, 28)),
        today.replace(year=today.year + INTERVIEW_YEARS_AHEAD, day=min(today.day, 28)),
    )


def interview_day_problem(day: date, today: date) -> str | None:
    """None when an interview on this day is within the years around today it can be on."""
    first, last = interview_window(today)
    if first <= day <= last:
        return None
    return (
        f"Use a date from {first.year} to {last.year}: within "
        f"{INTERVIEW_YEARS_BACK} years before today and {INTERVIEW_YEARS_AHEAD} after."
    )
