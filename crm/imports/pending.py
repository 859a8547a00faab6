"""Uploaded files waiting between the preview and the confirm, kept in the database.

Any server behind a load balancer can confirm a preview another one showed. The confirm
claims the upload inside its own transaction (an UPDATE that only one request can win), so a
double submit imports once and a failed import gives the upload back by rolling back.
Uploads expire after a day; each user may keep QUOTA_BYTES waiting at once. Flushes only.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, select, update

from crm.extensions import db
from crm.imports.models import PendingUpload
from crm.models import column_length

MAX_AGE = timedelta(days=1)
QUOTA_BYTES = 50 * 1024 * 1024
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


class QuotaExceeded(ValueError):
    """The user already has too much waiting for a confirm."""


def is_token(text: str | None) -> bool:
    """Whether the text has the shape of a token we hand out."""
    return bool(text and _TOKEN.fullmatch(text))


def quota_message(quota: int = QUOTA_BYTES) -> str:
    return (
        f"You have previews waiting that add up to {quota // 2**20} MB, the most we keep "
        "at once. Import or leave them (they go after a day), then upload this file again."
    )


class PendingUploads:
    """One user's uploads waiting for their confirm."""

    def __init__(self, user_id: int, now: datetime, quota: int = QUOTA_BYTES) -> None:
        self.user_id = user_id
        self.now = now
        self.quota = quota

    def _fresh(self) -> Select[PendingUpload]:
        return select(PendingUpload).where(
            PendingUpload.user_id == self.user_id,
            PendingUpload.created_at > self.now - MAX_AGE,
        )

    def save(self, data: bytes, filename: str) -> str:
        """Keep the bytes for the confirm; return the token. QuotaExceeded when over quota."""
        remove_stale(self.now)
        waiting = db.session.scalar(
            select(func.coalesce(func.sum(PendingUpload.size), 0)).where(
                PendingUpload.user_id == self.user_id,
                PendingUpload.finished_at.is_(None),
                PendingUpload.created_at > self.now - MAX_AGE,
            )
        )
        if (waiting or 0) + len(data) > self.quota:
            raise QuotaExceeded(quota_message(self.quota))
        token = secrets.token_urlsafe(24)
        db.session.add(
            PendingUpload(
                user_id=self.user_id,
                token=token,
                filename=filename[: column_length(PendingUpload.filename)],
                data=data,
                size=len(data),
                created_at=self.now,
            )
        )
        db.session.flush()
        return token

    def read(self, token: str) -> PendingUpload | None:
        """The waiting upload with this token, or None (gone, done, or not this user's)."""
        if not is_token(token):
            return None
        return db.session.scalar(
            self._fresh().where(PendingUpload.token == token, PendingUpload.finished_at.is_(None))
        )

    def claim(self, token: str) -> PendingUpload | None:
        """Take the upload for importing in this transaction; None when gone or already taken."""
        if not is_token(token):
            return None
        claimed = db.session.execute(
            update(PendingUpload)
            .where(
                PendingUpload.user_id == self.user_id,
                PendingUpload.token == token,
                PendingUpload.claimed_at.is_(None),
                PendingUpload.finished_at.is_(None),
                PendingUpload.created_at > self.now - MAX_AGE,
            )
            .values(claimed_at=self.now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return db.session.scalar(self._fresh().where(PendingUpload.token == token))

    def finish(self, upload: PendingUpload, batch_id: int | None) -> None:
        """Forget the upload's bytes and remember which import it became."""
        upload.finished_at = self.now
        upload.batch_id = batch_id or 0
        upload.data = b""
        upload.size = 0
        db.session.flush()

    def finished_batch(self, token: str) -> int | None:
        """The import this upload became, 0 when it imported nobody, None when not done."""
        if not is_token(token):
            return None
        return db.session.scalar(
            select(PendingUpload.batch_id).where(
                PendingUpload.user_id == self.user_id,
                PendingUpload.token == token,
                PendingUpload.finished_at.is_not(None),
            )
        )


def remove_stale(now: datetime) -> int:
    """Delete every user's uploads older than a day; return how many went."""
    result = db.session.execute(
        delete(PendingUpload)
        .where(PendingUpload.created_at <= now - MAX_AGE)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
