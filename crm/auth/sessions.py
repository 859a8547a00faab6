"""Login sessions kept in the database, so logging out or changing a password ends them.

The cookies (Flask's session and Flask-Login's remember-me) carry a random token as the user
"id"; the database keeps only its SHA-256. Deleting the row ends the session wherever its
cookies were copied. Flushes, never commits (except the throttled last-seen touch).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select

from crm import clock
from crm.auth.models import LoginSession
from crm.extensions import db
from crm.models import User
from crm.prebuilt import Prebuilt, prebuilt

# A session nobody used for this long has ended (also the remember-me cookie's lifetime).
IDLE_LIMIT = timedelta(days=30)
# Last seen is written at most this often, so most pages do not write at all.
TOUCH_EVERY = timedelta(minutes=5)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, *, remember: bool, user_agent: str | None) -> LoginSession:
    """A new session for this login; the user now carries its token for Flask-Login."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    row = LoginSession(
        user_id=user.id,
        token_hash=_hash(token),
        device=describe_device(user_agent),
        remember=remember,
        created_at=now,
        last_seen_at=now,
    )
    db.session.add(row)
    db.session.flush()
    user.session_token = token
    return row


@prebuilt
def _session_statement() -> Prebuilt[User, LoginSession]:
    """A login session and its user, by the token's hash. Every page sends it, so it is
    built once."""
    statement = (
        select(User, LoginSession)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == bindparam("token_hash"))
    )
    return Prebuilt(statement, "token_hash")


def user_for_token(token: str) -> User | None:
    """The user whose live session this token names, or None (ended, expired or forged)."""
    if not token or len(token) > 100:
        return None
    now = clock.now()
    found = _session_statement().execute({"token_hash": _hash(token)}).first()
    if found is None:
        return None
    user, row = found
    if row.last_seen_at < now - IDLE_LIMIT:
        return None
    if row.last_seen_at < now - TOUCH_EVERY:
        # A write of its own, before the view runs, so the view still commits once.
        row.last_seen_at = now
        db.session.commit()
    user.session_token = token
    return user


def end_session(token: str | None) -> None:
    """Delete the session this token names (logging out)."""
    if token:
        db.session.execute(db.delete(LoginSession).where(LoginSession.token_hash == _hash(token)))


def end_other_sessions(user: User) -> int:
    """End every session of the user but the current one; how many ended."""
    statement = db.delete(LoginSession).where(LoginSession.user_id == user.id)
    if user.session_token:
        statement = statement.where(LoginSession.token_hash != _hash(user.session_token))
    result = db.session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def end_all_sessions(user: User) -> None:
    """End every session of the user (a reset by email or by the server's owner)."""
    db.session.execute(db.delete(LoginSession).where(LoginSession.user_id == user.id))


@dataclass(frozen=True)
class SessionView:
    id: int
    device: str
    last_seen_at: datetime
    remember: bool
    current: bool


def active_sessions(user: User) -> list[SessionView]:
    """The user's live sessions, most recently seen first, the current one marked."""
    current = _hash(user.session_token) if user.session_token else None
    rows = db.session.scalars(
        db.select(LoginSession)
        .where(
            LoginSession.user_id == user.id, LoginSession.last_seen_at >= clock.now() - IDLE_LIMIT
        )
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
    )
    return [
        SessionView(row.id, row.device, row.last_seen_at, row.remember, row.token_hash == current)
        for row in rows
    ]


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def _first_named(names: tuple[tuple[str, str], ...], agent: str) -> str | None:
    """The name of the first key found in the User-Agent."""
    return next((name for key, name in names if key in agent), None)


def describe_device(user_agent: str | None) -> str:
    """A short, readable device name from the User-Agent, like "Firefox on Linux"."""
    agent = re.sub(r"[\x00-\x1f]", "", user_agent or "")
    browser, system = _first_named(_BROWSERS, agent), _first_named(_SYSTEMS, agent)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or agent[:60] or "Unknown device"
