"""Interview logic: local times to UTC, completion and the follow-ups it starts. Flushes only."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.orm import contains_eager

from crm import clock
from crm.enums import FollowUpKind, InterviewStatus
from crm.extensions import db
from crm.followups import rules, threads
from crm.followups.services import (
    add_planned,
    close_interview_followup,
    record_interaction,
    settings_for,
)
from crm.formatting import long_day
from crm.models import Contact, Interview, User
from crm.prebuilt import Prebuilt, prebuilt

UPCOMING_LIMIT = 20


class InterviewError(ValueError):
    """An interview action that cannot be done, in words for the user."""


def to_utc(day: date, start: time, zone_name: str) -> datetime:
    """The UTC instant of a wall-clock time in the user's zone; refuse times the clocks skip."""
    zone = clock.zone_named(zone_name)
    local = datetime.combine(day, start.replace(second=0, microsecond=0), tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise InterviewError(
            f"{start:%H:%M} does not exist on {day:%d %b %Y} in {zone.key}: "
            "the clocks change that night. Pick another time."
        )
    return instant


def twice_that_night(day: date, start: time, zone_name: str) -> bool:
    """True when the clocks go back and this wall-clock time happens twice."""
    zone = clock.zone_named(zone_name)
    first = datetime.combine(day, start, tzinfo=zone)
    return first.utcoffset() != first.replace(fold=1).utcoffset()


def local_start(interview: Interview, zone_name: str) -> datetime:
    """The interview's start on the user's wall clock."""
    return clock.local(interview.starts_at, zone_name)


def schedule(user: User, contact: Contact, data: dict[str, Any]) -> Interview:
    """Create an interview from the form's values."""
    starts_at = to_utc(data["day"], data["start"], user.time_zone)
    twin = db.session.scalars(
        select(Interview).where(
            Interview.contact_id == contact.id,
            Interview.starts_at == starts_at,
            Interview.status == InterviewStatus.SCHEDULED,
        )
    ).first()
    if twin is not None:
        return twin
    interview = Interview(user_id=user.id, contact_id=contact.id, starts_at=starts_at)
    _apply(interview, data, starts_at)
    db.session.add(interview)
    db.session.flush()
    return interview


def reschedule(user: User, interview: Interview, data: dict[str, Any]) -> None:
    """Change time, place or questions; calendar clients see the change through SEQUENCE."""
    if interview.status != InterviewStatus.SCHEDULED:
        raise InterviewError("Only a scheduled interview can be changed.")
    starts_at = to_utc(data["day"], data["start"], user.time_zone)
    before = (interview.starts_at, interview.duration_minutes, interview.location)
    _apply(interview, data, starts_at)
    if before != (interview.starts_at, interview.duration_minutes, interview.location):
        interview.sequence += 1


def _apply(interview: Interview, data: dict[str, Any], starts_at: datetime) -> None:
    interview.starts_at = starts_at
    interview.duration_minutes = data["duration_minutes"]
    interview.location = (data.get("location") or "").strip() or None
    interview.prep_questions = (data.get("prep_questions") or "").strip() or None


NOTE_SECTIONS = ("career_path", "advice", "resources", "assignments", "referrals")


def carries_notes(form_data: Mapping[str, str]) -> bool:
    """True when a request came from the interview page's notes form (not a bare button)."""
    return any(section in form_data for section in NOTE_SECTIONS)


def save_notes(interview: Interview, data: dict[str, Any]) -> bool:
    """Store the notes sections; True when something changed."""
    changed = False
    for section in NOTE_SECTIONS:
        value = (data.get(section) or "").strip() or None
        if getattr(interview, section) != value:
            setattr(interview, section, value)
            changed = True
    return changed


def has_started(interview: Interview, now: datetime) -> bool:
    """Its start has passed: the time to mark it done."""
    return interview.starts_at <= now


def mark_done(user: User, interview: Interview, now: datetime) -> list[rules.PlannedFollowUp]:
    """Done: plan thank-you, update and referral ask; keep in touch monthly from now on."""
    if interview.status != InterviewStatus.SCHEDULED:
        raise InterviewError(f"This interview is already {interview.status}.")
    contact = interview.contact
    start = local_start(interview, user.time_zone)
    held_on = start.date()
    if not has_started(interview, now):
        raise InterviewError(
            f"This interview is on {start:%A} {start.day} {start:%B} at {start:%H:%M}. "
            "Mark it done once it has happened, or edit its date if it was earlier."
        )
    interview.status = InterviewStatus.DONE
    interview.done_on = held_on
    interview.sequence += 1
    settings = settings_for(user)
    today = clock.user_today(user, now)
    # Timed from the day it was held; nothing due before today (a late thank-you says so).
    planned = rules.interview_done_followups(held_on, settings, contact.full_name, today)
    add_planned(contact, planned, interview_id=interview.id)
    contact.cadence = rules.cadence_after_interview(contact.cadence, settings)
    record_interaction(contact, held_on)
    threads.close_on_interview(contact, held_on, today)
    return planned


def done_message(name: str, planned: list[rules.PlannedFollowUp]) -> str:
    """What to do next after an interview, with the real due dates, soonest first."""
    steps = {
        FollowUpKind.THANK_YOU: f"send {name} a thank-you by {{day}}",
        FollowUpKind.UPDATE: "send a progress update on {day}",
        FollowUpKind.REFERRAL_ASK: "ask for a referral on {day}",
    }
    said = [
        steps[plan.kind].format(day=long_day(plan.due))
        for plan in sorted(planned, key=lambda plan: plan.due)
        if plan.kind in steps
    ]
    first, *rest = said
    then = f" Then {', and '.join(rest)}." if rest else ""
    return f"Well done! {first[0].upper()}{first[1:]}.{then} They are on your follow-ups."


def cancel(interview: Interview) -> None:
    """Call it off; it leaves calendars through the feed."""
    if interview.status != InterviewStatus.SCHEDULED:
        raise InterviewError(f"This interview is already {interview.status}.")
    interview.status = InterviewStatus.CANCELLED
    interview.sequence += 1


def record_thank_you(interview: Interview, today: date) -> None:
    """The thank-you is sent: note the day and close its follow-up."""
    if interview.status != InterviewStatus.DONE:
        raise InterviewError("Mark the interview as done first; then record the thank-you.")
    if interview.thank_you_sent_on is not None:
        raise InterviewError("The thank-you is already recorded.")
    interview.thank_you_sent_on = today
    close_interview_followup(interview.id, FollowUpKind.THANK_YOU, "Thank-you sent")


def _scheduled(user_id: int | ColumnElement[int]) -> Select[Interview]:
    """The user's scheduled interviews with their contacts loaded in the same query."""
    return (
        select(Interview)
        .join(Interview.contact)
        .options(contains_eager(Interview.contact))
        .where(Interview.user_id == user_id, Interview.status == InterviewStatus.SCHEDULED)
    )


# An interview that began this long ago still counts as coming up (it may be going on).
GOING_ON = timedelta(hours=2)


@prebuilt
def _around_statement(coming: bool, limit: int) -> Prebuilt[Interview]:
    """Scheduled interviews from `since` on, soonest first, or else before it, latest first.
    The dashboard sends both, so they are built once."""
    since = (
        Interview.starts_at >= bindparam("since")
        if coming
        else Interview.starts_at < bindparam("since")
    )
    order = Interview.starts_at if coming else Interview.starts_at.desc()
    statement = _scheduled(bindparam("user_id")).where(since).order_by(order).limit(limit)
    return Prebuilt(statement, "user_id", "since")


def upcoming(user_id: int, now: datetime, limit: int = UPCOMING_LIMIT) -> list[Interview]:
    """Scheduled interviews from now on (and those that began in the last two hours)."""
    statement = _around_statement(True, limit)
    return list(statement.scalars({"user_id": user_id, "since": now - GOING_ON}))


def to_wrap_up(user_id: int, now: datetime, limit: int = 5) -> list[Interview]:
    """Interviews still marked scheduled though their time has passed: did they happen?"""
    statement = _around_statement(False, limit)
    return list(statement.scalars({"user_id": user_id, "since": now - GOING_ON}))


# The Interviews page lists this many on each side of now; older ones stay on contacts' pages.
LIST_LIMIT = 200


def listing(
    user_id: int, now: datetime, contact_id: int | None = None, limit: int = LIST_LIMIT
) -> tuple[list[Interview], list[Interview]]:
    """Coming interviews (soonest first) and past ones (latest first), contacts loaded."""
    stmt = (
        select(Interview)
        .join(Interview.contact)
        .options(contains_eager(Interview.contact))
        .where(Interview.user_id == user_id)
    )
    if contact_id is not None:
        stmt = stmt.where(Interview.contact_id == contact_id)
    coming = stmt.where(Interview.starts_at > now)
    past = stmt.where(Interview.starts_at <= now)
    return (
        list(db.session.scalars(coming.order_by(Interview.starts_at, Interview.id).limit(limit))),
        list(
            db.session.scalars(
                past.order_by(Interview.starts_at.desc(), Interview.id.desc()).limit(limit)
            )
        ),
    )
