"""Accounts: creating users and checking passwords. Flushes, never commits."""

from __future__ import annotations

import hashlib
from functools import cache

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from crm import clock
from crm.auth.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from crm.extensions import db
from crm.models import User
from crm.normalize import email_key
from crm.timezones import canonical

MIN_PASSWORD_LENGTH = MIN_LENGTH
MAX_PASSWORD_LENGTH = MAX_LENGTH
RESET_LINK_SECONDS = 60 * 60


@cache
def _dummy_hash() -> str:
    """Checked when the email is unknown, so a wrong email costs as long as a wrong password."""
    return generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A user-facing reason an account cannot be created."""


def find_user(email: str) -> User | None:
    """The user with this email, compared case-insensitively."""
    return db.session.scalar(select(User).where(User.email == email_key(email)))


def check_new_password(password: str) -> None:
    """Raise AccountError when the password breaks the rules."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)


def create_user(email: str, password: str, time_zone: str | None = None, name: str = "") -> User:
    """Add a user; raise AccountError when the email is taken or the password breaks the rules."""
    check_new_password(password)
    if find_user(email) is not None:
        raise AccountError("An account with this email already exists.")
    user = User(
        email=email_key(email),
        password_hash=generate_password_hash(password),
        # A listed zone, or its alias's (Asia/Calcutta is Asia/Kolkata); else the fallback.
        time_zone=canonical(time_zone) or clock.zone_name(None),
        name=" ".join(name.split()),
    )
    db.session.add(user)
    db.session.flush()
    return user


def register_or_find(
    email: str, password: str, time_zone: str | None, name: str = ""
) -> tuple[User, bool]:
    """A new account (True), or the one this email already has (False), without a change.

    Both cost one password hash, so the time taken does not tell which it was.
    """
    check_new_password(password)
    user = find_user(email)
    if user is None:
        return create_user(email, password, time_zone, name), True
    generate_password_hash(password)
    return user, False


def authenticate(email: str, password: str) -> User | None:
    """The user when email and password match, else None (without saying which was wrong)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def password_matches(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def set_password(user: User, password: str) -> None:
    """Store a new password (the caller ends the sessions that should end with the old one)."""
    check_new_password(password)
    user.password_hash = generate_password_hash(password)
    db.session.flush()


def change_email(user: User, new_email: str) -> None:
    """Move the account to another address (the caller has checked the current password)."""
    key = email_key(new_email)
    if key == user.email:
        return
    if find_user(key) is not None:
        raise AccountError("An account with this email already exists.")
    user.email = key
    db.session.flush()


def delete_account(user: User) -> None:
    """Remove the user and, through ON DELETE CASCADE, every row they own."""
    db.session.execute(db.delete(User).where(User.id == user.id))
    db.session.flush()


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Changes with every new password (fresh salt), so a link works once and dies with a change.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def reset_token(user: User, secret_key: str) -> str:
    """A signed token for the reset link: this user, this password, within the hour."""
    return _reset_serializer(secret_key).dumps({"u": user.id, "p": _password_fingerprint(user)})


def user_for_reset_token(token: str, secret_key: str) -> User | None:
    """The user a reset link is for, or None when it is forged, expired or already used."""
    try:
        data = _reset_serializer(secret_key).loads(token, max_age=RESET_LINK_SECONDS)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if not 0 < data["u"] < 2**31:
        return None
    user = db.session.get(User, data["u"])
    if user is None or data.get("p") != _password_fingerprint(user):
        return None
    return user
