"""Who gets the morning email now, what it says, and its signed unsubscribe token.

The token names the user and signs a fingerprint of their password and token version: a
new password or one use (the version goes up) and every earlier link stops working.

Flushes, never commits: send-reminders commits after each message that went out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from crm import clock
from crm.enums import FollowUpKind, FollowUpState, InterviewStatus
from crm.extensions import db
from crm.models import FollowUp, Interview, User
from crm.pipeline import Pipeline, pipeline
from crm.words import joined, plural

UNSUBSCRIBE_SALT = "morning-email-unsubscribe"


@dataclass(frozen=True)
class DueFollowUp:
    contact_name: str
    why: str
    due_on: date
    days_late: int


@dataclass(frozen=True)
class TodaysInterview:
    contact_name: str
    starts: str
    location: str | None


@dataclass(frozen=True)
class MorningDigest:
    """What one user has on their plate today, in their own time zone."""

    today: date
    overdue: list[DueFollowUp]
    due_today: list[DueFollowUp]
    interviews: list[TodaysInterview]
    # The local hour it is written at, so the greeting fits the time it arrives.
    hour: int
    # The same numbers as the dashboard's and the Plan page's pipeline.
    pipeline: Pipeline | None = None

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_today or self.interviews)

    @property
    def greeting(self) -> str:
        return greeting_at(self.hour)

    @property
    def subject(self) -> str:
        """Counted apart, e.g. "Today: 1 follow-up overdue, 2 due today and 1 interview"."""
        parts = []
        if self.overdue:
            parts.append(f"{plural(len(self.overdue), 'follow-up')} overdue")
        if self.due_today:
            due = len(self.due_today)
            parts.append(f"{due if self.overdue else plural(due, 'follow-up')} due today")
        if self.interviews:
            parts.append(plural(len(self.interviews), "interview"))
        return f"Today: {joined(parts)}"


def greeting_at(hour: int) -> str:
    """Good morning before noon, Good afternoon until six, Good evening after."""
    if hour < 12:
        return "Good morning"
    return "Good afternoon" if hour < 18 else "Good evening"


def wants_email_now(user: User, now: datetime) -> bool:
    """Asked for it, at or past their hour in their zone, and not yet handled today."""
    local = clock.local(now, clock.user_zone(user))
    return (
        user.morning_email
        and local.hour >= user.morning_email_hour
        and user.morning_email_last_on != local.date()
    )


def users_asking() -> list[User]:
    """Everyone who turned the morning email on (the hour is checked per user)."""
    return list(
        db.session.scalars(select(User).where(User.morning_email.is_(True)).order_by(User.id))
    )


def _why(followup: FollowUp) -> str:
    if followup.kind == FollowUpKind.MANUAL or followup.kind not in FollowUpKind.values():
        return followup.reason
    return f"{FollowUpKind(followup.kind).label}: {followup.reason}"


def digest_for(user: User, now: datetime) -> MorningDigest:
    """Open follow-ups due today or earlier, and interviews starting today (their day)."""
    zone = clock.user_zone(user)
    today = clock.today_in(zone, now)
    followups = db.session.scalars(
        select(FollowUp)
        .options(joinedload(FollowUp.contact))
        .where(
            FollowUp.user_id == user.id,
            FollowUp.status == FollowUpState.OPEN,
            FollowUp.due_on <= today,
        )
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    overdue: list[DueFollowUp] = []
    due_today: list[DueFollowUp] = []
    for followup in followups:
        late = (today - followup.due_on).days
        # The rut check-in is about no contact: it reads as a step of the user's plan.
        who = followup.contact.full_name if followup.contact else "Your plan"
        entry = DueFollowUp(who, _why(followup), followup.due_on, late)
        (overdue if entry.days_late > 0 else due_today).append(entry)
    start = clock.start_of_day(today, zone)
    end = clock.start_of_day(today + timedelta(days=1), zone)
    interviews = [
        TodaysInterview(
            interview.contact.full_name,
            clock.local(interview.starts_at, zone).strftime("%H:%M"),
            interview.location,
        )
        for interview in db.session.scalars(
            select(Interview)
            .options(joinedload(Interview.contact))
            .where(
                Interview.user_id == user.id,
                Interview.status == InterviewStatus.SCHEDULED,
                Interview.starts_at >= start,
                Interview.starts_at < end,
            )
            .order_by(Interview.starts_at)
        )
    ]
    hour = clock.local(now, zone).hour
    return MorningDigest(today, overdue, due_today, interviews, hour, pipeline(user.id))


def mark_handled(user: User, day: date) -> None:
    user.morning_email_last_on = day
    db.session.flush()


def _token_fingerprint(user: User) -> str:
    # A new password (fresh salt) or a used link (version + 1) gives a new fingerprint.
    source = f"{user.password_hash}|{user.morning_email_token_version}"
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def unsubscribe_token(user: User, secret_key: str) -> str:
    """A signed token for this user's current one-click unsubscribe link."""
    serializer = URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT)
    return str(serializer.dumps({"u": user.id, "f": _token_fingerprint(user)}))


def user_for_unsubscribe(token: str, secret_key: str) -> User | None:
    """The user the token was signed for, or None when forged, damaged, used or outdated."""
    try:
        data = URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if not 0 < data["u"] < 2**31:
        return None
    user = db.session.get(User, data["u"])
    if user is None or data.get("f") != _token_fingerprint(user):
        return None
    return user


def turn_off(user: User) -> None:
    """No more morning emails, and this link (and every earlier one) stops working."""
    user.morning_email = False
    user.morning_email_token_version += 1
    db.session.flush()
