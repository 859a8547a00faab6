"""Fetching the logged-in user's rows; anything else answers 404."""

from __future__ import annotations

from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user

from crm.deployment import MAX_ID
from crm.extensions import db
from crm.models import Contact


class _Owned(Protocol):
    @property
    def user_id(self) -> int: ...


Row = TypeVar("Row", bound=_Owned)


def owned_or_404(model: type[Row], row_id: int) -> Row:
    """The row with this id when it belongs to the logged-in user; 404 otherwise."""
    if not 1 <= row_id <= MAX_ID:  # from a query string or form: no row, and no overflow
        abort(404)
    row = db.session.get(model, row_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    return row


def posted_id(text: str) -> int:
    """An id from a form or query string (`request.form.get(name, type=posted_id)`); one no
    row can have raises ValueError, so the field reads as not given rather than overflowing."""
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"{text} names no row")
    return value


def get_contact_or_404(contact_id: int) -> Contact:
    """The logged-in user's contact, or 404 (also when it belongs to someone else)."""
    return owned_or_404(Contact, contact_id)


def safe_next(target: str | None) -> str | None:
    """A path on this site to go back to, or None (never another site: no open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.netloc and not parts.scheme:
            return target
    return None
