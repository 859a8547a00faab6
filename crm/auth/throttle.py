"""Throttling password guesses and reset requests, counted in the database.

The counts live in the login_attempt table, so every worker and every app server sharing
the database sees the same numbers. Only failures (and reset requests) are recorded; while
a limit holds, further attempts are refused without being recorded or checked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from crm import clock
from crm.auth.models import LoginAttempt
from crm.enums import AttemptKind
from crm.extensions import db
from crm.models import column_length
from crm.normalize import email_key
from crm.words import plural


@dataclass(frozen=True)
class Limit:
    attempts: int
    window: timedelta


# About ten wrong passwords per account in 15 minutes; an address guessing across many
# accounts gets more room (people share addresses behind one router) but not unlimited.
LOGIN_PER_ACCOUNT = Limit(10, timedelta(minutes=15))
LOGIN_PER_ADDRESS = Limit(50, timedelta(minutes=15))
RESET_PER_ACCOUNT = Limit(3, timedelta(hours=1))
RESET_PER_ADDRESS = Limit(10, timedelta(hours=1))
KEEP_FOR = timedelta(days=1)
EMAIL_SIZE = column_length(LoginAttempt.email)
ADDRESS_SIZE = column_length(LoginAttempt.address)

LIMITS = {
    AttemptKind.LOGIN: (LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS),
    AttemptKind.RESET: (RESET_PER_ACCOUNT, RESET_PER_ADDRESS),
}


def _blocked_until(
    column: InstrumentedAttribute[str], value: str, kind: AttemptKind, limit: Limit, now: datetime
) -> datetime | None:
    """When the limit stops holding for this account or address, or None when it does not."""
    times = db.session.scalars(
        select(LoginAttempt.created_at)
        .where(LoginAttempt.kind == kind, column == value)
        .where(LoginAttempt.created_at > now - limit.window)
        .order_by(LoginAttempt.created_at.desc())
        .limit(limit.attempts)
    ).all()
    if len(times) < limit.attempts:
        return None
    # Free again once the oldest of the last `attempts` attempts leaves the window.
    return times[-1] + limit.window


def minutes_blocked(kind: AttemptKind, email: str, address: str) -> int | None:
    """Whole minutes until this account and address may try again, or None when they may now."""
    now = clock.now()
    per_account, per_address = LIMITS[kind]
    until = [
        _blocked_until(LoginAttempt.email, email_key(email), kind, per_account, now),
        _blocked_until(LoginAttempt.address, address, kind, per_address, now),
    ]
    latest = max((moment for moment in until if moment is not None), default=None)
    if latest is None:
        return None
    return max(1, math.ceil((latest - now).total_seconds() / 60))


def record_attempt(kind: AttemptKind, email: str, address: str) -> None:
    """Count a failed login or a reset request; forget attempts older than a day."""
    now = clock.now()
    db.session.add(
        LoginAttempt(
            kind=kind,
            email=email_key(email)[:EMAIL_SIZE],
            address=address[:ADDRESS_SIZE],
            created_at=now,
        )
    )
    db.session.execute(db.delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP_FOR))
    db.session.flush()


def too_many_message(minutes: int) -> str:
    return f"Too many attempts. Try again in {plural(minutes, 'minute')}."
