"""The account's own table: the passwords sync clients (phones, desktops) log in with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.column_types import UTCDateTime
from crm.extensions import Model


class DevicePassword(Model):
    """A named password for one device or app; revoking it deletes the row.

    Only the SHA-256 of the secret is kept: the secret is long and random, so a slow hash
    would add nothing, and every sync request checks it."""

    __tablename__ = "device_password"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
