"""Accounts: creating users and checking passwords. Flushes, never commits."""

from __future__ import annotations

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from crm import clock
from crm.extensions import db
from crm.models import User
from crm.normalize import email_key

MIN_PASSWORD_LENGTH = 8


@cache
def _dummy_hash() -> str:
    """Checked when the email is unknown, so a wrong email costs as long as a wrong password."""
    return generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A user-facing reason an account cannot be created."""


def find_user(email: str) -> User | None:
    """The user with this email, compared case-insensitively."""
    return db.session.scalar(db.select(User).where(User.email == email_key(email)))


def create_user(email: str, password: str, time_zone: str | None = None) -> User:
    """Add a user; raise AccountError when the email is taken or the password too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if find_user(email) is not None:
        raise AccountError("An account with this email already exists.")
    user = User(
        email=email_key(email),
        password_hash=generate_password_hash(password),
        time_zone=clock.zone_name(time_zone),
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user when email and password match, else None (without saying which was wrong)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None
