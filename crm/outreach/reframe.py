"""What the app says when an outreach gets no answer or a no: the method's reframe and the
next concrete step, naming real people and days. Pure."""

from __future__ import annotations

from datetime import date

from crm.enums import OutreachStatus
from crm.formatting import day_label

REFRAME = "a non-reply is a temporary delay, not a roadblock"


def _when(day: date, today: date) -> str:
    if day <= today:
        return "today"
    return f"on {day_label(day, today)}"


def _second_person(company: str | None, other_person: str | None) -> str:
    if other_person and company:
        return f"write to {other_person} at {company}"
    if company:
        return f"find a second person at {company}"
    return "reach out to one more person in the role you want"


def reframe(
    status: str,
    contact_name: str,
    today: date,
    company: str | None = None,
    nudge_on: date | None = None,
    other_person: str | None = None,
) -> str:
    """The reply to "no response" or "declined": normal, not a failure, and what to do next."""
    company = (company or "").strip().rstrip(".") or None
    second = _second_person(company, other_person)
    if status == OutreachStatus.DECLINED:
        return (
            f"{contact_name} said no for now. That happens to everyone: {REFRAME}. "
            f"Thank them for replying, and {second}."
        )
    nudge = f"nudge once {_when(nudge_on, today)}, and " if nudge_on else ""
    return f"No reply yet from {contact_name}. That is normal, {REFRAME}: {nudge}{second}."
