"""Throttling password guesses and reset requests, counted in the database.

The counts live in the login_attempt table, so every worker and every app server sharing
the database sees the same numbers. Logins are limited per account-and-address and per
address, never per account alone: guesses from one address slow that address down, with
waits that grow after each further failure, while the owner elsewhere still gets in.

An attempt is counted before its password is checked (claim_attempt), under a lock on its
kind's row in attempt_lock, so attempts sent at once are counted one after another; a right
password then takes its own account-and-address count back (attempt_succeeded). Attempts
refused while a wait holds are neither checked nor recorded, so the waits do not grow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute

from crm import clock
from crm.auth.models import AttemptLock, LoginAttempt
from crm.enums import AttemptKind
from crm.extensions import db
from crm.models import column_length
from crm.normalize import email_key
from crm.words import plural

Identity = Mapping[InstrumentedAttribute[str], str]


@dataclass(frozen=True)
class Rule:
    """`free` attempts within `memory` pass at once; after that each one waits after the
    last: `first_wait`, doubling with every further attempt up to `longest_wait`."""

    by: tuple[InstrumentedAttribute[str], ...]
    free: int
    memory: timedelta
    first_wait: timedelta
    longest_wait: timedelta

    def wait_after(self, attempts: int) -> timedelta:
        if attempts < self.free:
            return timedelta(0)
        doublings = min(attempts - self.free, 20)
        return min(self.first_wait * (1 << doublings), self.longest_wait)


BY_ACCOUNT_AND_ADDRESS = (LoginAttempt.email, LoginAttempt.address)
BY_ACCOUNT = (LoginAttempt.email,)
BY_ADDRESS = (LoginAttempt.address,)
DAY, HOUR, MINUTE = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)
QUARTER = 15 * MINUTE

# Ten wrong passwords for one account from one address, then 1, 2, 4, 8 and 15 minutes after
# each further one; an address guessing across accounts gets more room (people share
# addresses behind one router) but not unlimited. Resets are few per account: each mails it.
RULES: dict[AttemptKind, tuple[Rule, ...]] = {
    AttemptKind.LOGIN: (
        Rule(BY_ACCOUNT_AND_ADDRESS, free=10, memory=DAY, first_wait=MINUTE, longest_wait=QUARTER),
        Rule(BY_ADDRESS, free=50, memory=DAY, first_wait=MINUTE, longest_wait=QUARTER),
    ),
    # Sync clients retry on their own: the same room as logins, counted apart from them.
    AttemptKind.DEVICE: (
        Rule(BY_ACCOUNT_AND_ADDRESS, free=10, memory=DAY, first_wait=MINUTE, longest_wait=QUARTER),
        Rule(BY_ADDRESS, free=50, memory=DAY, first_wait=MINUTE, longest_wait=QUARTER),
    ),
    AttemptKind.RESET: (
        Rule(BY_ACCOUNT, free=3, memory=HOUR, first_wait=QUARTER, longest_wait=HOUR),
        Rule(BY_ADDRESS, free=10, memory=HOUR, first_wait=QUARTER, longest_wait=HOUR),
    ),
}  # fmt: skip
KEEP_FOR = DAY
EMAIL_SIZE = column_length(LoginAttempt.email)
ADDRESS_SIZE = column_length(LoginAttempt.address)


def _identity(email: str, address: str) -> Identity:
    return {
        LoginAttempt.email: email_key(email)[:EMAIL_SIZE],
        LoginAttempt.address: address[:ADDRESS_SIZE],
    }


def _lock(kind: AttemptKind, now: datetime) -> None:
    """Hold the kind's lock row until the transaction ends (INSERT ... ON CONFLICT DO UPDATE:
    a row lock on PostgreSQL, the database's write lock on SQLite)."""
    upsert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = upsert(AttemptLock).values(kind=kind, locked_at=now)
    db.session.execute(
        statement.on_conflict_do_update(index_elements=["kind"], set_={"locked_at": now})
    )


def _free_at(kind: AttemptKind, rule: Rule, identity: Identity, now: datetime) -> datetime:
    """When this rule lets the next attempt through (now or earlier: at once)."""
    attempts, latest = db.session.execute(
        db.select(func.count(LoginAttempt.id), func.max(LoginAttempt.created_at))
        .where(LoginAttempt.kind == kind, LoginAttempt.created_at > now - rule.memory)
        .where(*(column == identity[column] for column in rule.by))
    ).one()
    wait = rule.wait_after(attempts)
    return latest + wait if latest is not None and wait else now


def claim_attempt(kind: AttemptKind, email: str, address: str) -> int | None:
    """Count an attempt before its password is checked; or, while a wait holds, record
    nothing and say how many whole minutes are left.

    Commits its own short transaction, so the lock is let go before the slow password check
    and attempts sent at once each see the ones counted before them.
    """
    now = clock.now()
    identity = _identity(email, address)
    _lock(kind, now)
    free_at = max(_free_at(kind, rule, identity, now) for rule in RULES[kind])
    if free_at <= now:
        db.session.add(
            LoginAttempt(
                kind=kind,
                email=identity[LoginAttempt.email],
                address=identity[LoginAttempt.address],
                created_at=now,
            )
        )
        db.session.execute(db.delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP_FOR))
    db.session.commit()
    if free_at <= now:
        return None
    return max(1, math.ceil((free_at - now).total_seconds() / 60))


def minutes_to_wait(kind: AttemptKind, email: str, address: str) -> int | None:
    """While a wait holds, how many whole minutes are left; None when an attempt may go
    ahead. Reads only: for sync clients, which count only their failures (claim_attempt)."""
    now = clock.now()
    identity = _identity(email, address)
    free_at = max(_free_at(kind, rule, identity, now) for rule in RULES[kind])
    if free_at <= now:
        return None
    return max(1, math.ceil((free_at - now).total_seconds() / 60))


def attempt_succeeded(kind: AttemptKind, email: str, address: str) -> None:
    """The right password: forget this account-and-address's attempts. Commits its own
    short transaction, so the lock is not held through the work that follows."""
    identity = _identity(email, address)
    _lock(kind, clock.now())
    db.session.execute(
        db.delete(LoginAttempt).where(
            LoginAttempt.kind == kind, *(column == value for column, value in identity.items())
        )
    )
    db.session.commit()


def too_many_message(minutes: int) -> str:
    return f"Too many attempts. Try again in {plural(minutes, 'minute')}."
