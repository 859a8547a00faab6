"""The import's own table: a file kept between the preview and its confirm."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.column_types import UTCDateTime
from crm.extensions import Model


class PendingUpload(Model):
    """A file between the import preview and its confirm, kept here so any server can confirm.

    Claimed (claimed_at) inside the confirm's transaction, so a double submit imports once;
    finished ones keep only which import they became, for a day, then everything goes.
    """

    __table_args__ = (Index("ix_pending_upload_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The import this upload became; 0 when it imported nobody.
    batch_id: Mapped[int | None] = mapped_column()
