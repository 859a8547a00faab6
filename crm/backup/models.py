"""The backup's own table: restores started on the Import page, run in the background."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.column_types import UTCDateTime
from crm.enums import RestoreStatus
from crm.extensions import Model


class RestoreJob(Model):
    """One restore of an uploaded backup: its progress while it runs, then its outcome.

    Progress and outcome live here, so any server sharing the database shows them; the
    server that took the upload (`runner`) keeps the file and runs the job (crm/backup/jobs.py).
    """

    __tablename__ = "restore_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The user's id while the job is queued or running, else empty: unique, so an account
    # runs one restore at a time, whichever server is asked for a second.
    active_user_id: Mapped[int | None] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(String(20), default=RestoreStatus.QUEUED)
    # host:pid of the process that took the upload and runs the job.
    runner: Mapped[str] = mapped_column(String(300))
    contacts_total: Mapped[int | None] = mapped_column()
    contacts_done: Mapped[int] = mapped_column(default=0)
    # What the finished restore brought back, or why it wrote nothing.
    summary: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Moved on every few seconds while the runner lives: an old one means it died.
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
