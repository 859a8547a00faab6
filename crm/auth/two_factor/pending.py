"""The login between its two steps: the password was right, the code is still to come.

Kept in Flask's signed session cookie, so it cannot be forged; it names the user only by id
and lasts a few minutes. The visitor is not logged in until the code is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import session

from crm import clock
from crm.models import User

KEY = "two_factor_pending"
LASTS = timedelta(minutes=5)


@dataclass(frozen=True)
class PendingLogin:
    user_id: int
    remember: bool


def start_second_step(user: User, *, remember: bool) -> None:
    """Remember, for a few minutes, whose password was just checked."""
    session[KEY] = {
        "user": user.id,
        "remember": remember,
        "until": (clock.now() + LASTS).timestamp(),
    }


def pending_login() -> PendingLogin | None:
    """The login waiting for its code, or None (none started, or it took too long)."""
    value = session.get(KEY)
    if not isinstance(value, dict):
        return None
    user_id, until = value.get("user"), value.get("until")
    if not isinstance(user_id, int) or not isinstance(until, float):
        return None
    if clock.now().timestamp() > until:
        return None
    return PendingLogin(user_id, bool(value.get("remember")))


def end_second_step() -> None:
    session.pop(KEY, None)
