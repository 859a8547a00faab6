"""Who gets the morning email now, what it says, and its signed unsubscribe token.

Flushes, never commits: send-reminders commits after each message that went out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from crm import clock
from crm.enums import FollowUpKind, FollowUpState, InterviewStatus
from crm.extensions import db
from crm.models import FollowUp, Interview, User

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

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_today or self.interviews)


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
        entry = DueFollowUp(followup.contact.full_name, _why(followup), followup.due_on, late)
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
    return MorningDigest(today, overdue, due_today, interviews)


def mark_handled(user: User, day: date) -> None:
    user.morning_email_last_on = day
    db.session.flush()


def unsubscribe_token(user: User, secret_key: str) -> str:
    """A signed token naming the user, for the one-click unsubscribe link."""
    return str(URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT).dumps(user.id))


def user_for_unsubscribe(token: str, secret_key: str) -> User | None:
    """The user the token was signed for, or None when it is forged or damaged."""
    try:
        user_id = URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def turn_off(user: User) -> None:
    user.morning_email = False
    db.session.flush()
