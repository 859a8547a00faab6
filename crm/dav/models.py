"""Sync's own table: what was deleted, so a client's next sync-collection removes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.column_types import UTCDateTime
from crm.extensions import Model


class SyncTombstone(Model):
    """A card or task gone from a collection (contact deleted in the app, follow-up removed);
    rows older than the oldest sync token a client may hold are pruned."""

    __tablename__ = "sync_tombstone"
    __table_args__ = (
        Index("ix_sync_tombstone_user_collection", "user_id", "collection", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    collection: Mapped[str] = mapped_column(String(20))
    uid: Mapped[str] = mapped_column(String(100))
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
