"""The two-factor tables: each user's TOTP secret and their one-time recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.column_types import UTCDateTime
from crm.extensions import Model


class TwoFactor(Model):
    """A user's authenticator secret; it guards logins only once a first code confirmed it."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    # Base32, as authenticator apps take it; the server must read it back to check codes.
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The newest 30-second step whose code was accepted: that code and older ones are spent.
    last_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(Model):
    """One of the ten codes that stand in for the phone, once each; only its hash is kept."""

    __tablename__ = "recovery_code"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
