"""The login tables: the sessions a user is logged in by, and the attempts counted for
throttling with the lock they queue on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.column_types import UTCDateTime
from crm.extensions import Model


class LoginSession(Model):
    """One login: its cookies name it by a token whose hash is kept; deleting the row ends it."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device: Mapped[str] = mapped_column(String(200), default="")
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class LoginAttempt(Model):
    """A failed login or a reset request, counted for throttling by every worker and server.

    The one table whose rows belong to no user: attempts name addresses that may have none.
    """

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_kind_email", "kind", "email", "created_at"),
        Index("ix_login_attempt_kind_address", "kind", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)


class AttemptLock(Model):
    """One row per kind of attempt, locked while an attempt is counted (crm.auth.throttle),
    so attempts sent at once are counted one after another by every worker and server."""

    __tablename__ = "attempt_lock"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    locked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
