"""Sync's own tables: what was deleted, so a client's next sync-collection removes it, and the
cards recently served, so an edit made on a device against one of them can be merged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
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


class ServedCard(Model):
    """A contact's card as a device was given it, under its ETag: the base a device's later
    edit is compared with. Only the newest few per contact are kept."""

    __tablename__ = "served_card"
    __table_args__ = (UniqueConstraint("contact_id", "etag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    etag: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    served_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
