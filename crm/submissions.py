"""A form sent twice, at once or later, writes once; a unique-key race never answers 500.

Each <form method="post"> on a page served to a signed-in person carries a one-time token
(added to the page as it leaves, so every form gets one without being written for it). The
first request that writes with a token stores it in the same transaction as its write; the
database's unique key refuses it to any other, whose write is rolled back, and that request
answers the page the first one led to. A request that meets a token already used answers
that page at once. A unique key refusing anything else (two check-ins for one day sent at
once) answers the page the form came from, where the first write shows.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import datetime, timedelta

from flask import Flask, Response, flash, g, has_request_context, redirect, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import ForeignKey, String, delete, event, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm import clock
from crm.access import safe_next
from crm.column_types import UTCDateTime
from crm.extensions import Model, db
from crm.models import User
from crm.transactions import wrote

TOKEN_FIELD = "form_token"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_POST_FORM = re.compile(rb"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.IGNORECASE)
# Long enough for any form left open in a tab; older tokens are let go.
KEEP_TOKENS = timedelta(days=2)
# How long a refused twin waits for the first request to say where it led.
WAIT_FOR_FIRST_SECONDS = 3.0
ALREADY_SENT = "That form was already sent; it was saved once."


class FormSubmission(Model):
    """A one-time form token that has been used, and the page its request led to."""

    __tablename__ = "form_submission"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    result: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


def _with_tokens(html: bytes) -> bytes:
    """The page with a fresh token in each form that posts."""

    def add(match: re.Match[bytes]) -> bytes:
        token = secrets.token_urlsafe(16).encode()
        return match.group(0) + b'<input type="hidden" name="form_token" value="' + token + b'">'

    return _POST_FORM.sub(add, html)


def _posted_token() -> str | None:
    """The token of a signed-in person's plain form post (uploads are left alone: reading
    their body here would come before the view sets its own size limit)."""
    if request.method != "POST" or request.mimetype != "application/x-www-form-urlencoded":
        return None
    if not current_user.is_authenticated:
        return None
    token = request.form.get(TOKEN_FIELD, "")
    return token if _TOKEN.fullmatch(token) else None


def _back() -> str:
    """The page the form came from (this site's only), else the form's own address."""
    referrer = request.referrer or ""
    host = request.host_url
    path = "/" + referrer[len(host) :] if referrer.startswith(host) else None
    return safe_next(path) or request.path


def _used(token: str) -> FormSubmission | None:
    return db.session.get(FormSubmission, (current_user.id, token))


def _before_request() -> ResponseReturnValue | None:
    token = _posted_token()
    if token is None:
        return None
    used = _used(token)
    if used is None:
        # Kept apart from current_user: logging out or deleting the account changes it.
        g.form_token, g.form_user_id = token, current_user.id
        return None
    flash(ALREADY_SENT, "info")
    return redirect(used.result or _back())


def _before_commit(session: Session) -> None:
    """Store the request's token with its first write, so a twin's write is refused."""
    if not has_request_context() or not g.get("form_token") or g.get("form_token_kept"):
        return
    if not (wrote(session) or session.new or session.dirty or session.deleted):
        return
    g.form_token_kept = True
    user_id, now = g.form_user_id, clock.now()
    # Through the user row, so a request that deleted the account stores nothing.
    kept = select(User.id, literal(g.form_token, String), literal(now, UTCDateTime)).where(
        User.id == user_id
    )
    session.execute(insert(FormSubmission).from_select(["user_id", "token", "created_at"], kept))
    session.execute(
        delete(FormSubmission).where(
            FormSubmission.user_id == user_id, FormSubmission.created_at < now - KEEP_TOKENS
        )
    )


def _after_request(response: Response) -> Response:
    """Note where a kept token's request led; give each form of a page its token."""
    if g.get("form_token_kept") and response.location:
        db.session.execute(
            update(FormSubmission)
            .where(FormSubmission.user_id == g.form_user_id)
            .where(FormSubmission.token == g.form_token)
            .values(result=response.location[:2000])
        )
        db.session.commit()
    if (
        response.mimetype == "text/html"
        and not response.direct_passthrough
        and not response.is_streamed
        and current_user.is_authenticated
    ):
        response.set_data(_with_tokens(response.get_data()))
    return response


def _first_result(user_id: int, token: str) -> str | None:
    """Where the request that used the token first led, once it says so."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    while True:
        result = db.session.scalar(
            select(FormSubmission.result).where(
                FormSubmission.user_id == user_id, FormSubmission.token == token
            )
        )
        db.session.rollback()  # the next look sees what others committed since
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def _unique_race(error: IntegrityError) -> ResponseReturnValue:
    """A twin request lost the race at the database: answer what the first one shows."""
    db.session.rollback()
    token = g.pop("form_token", None)
    g.pop("form_token_kept", None)
    flash(ALREADY_SENT, "info")
    user_id = g.pop("form_user_id", None)
    result = _first_result(user_id, token) if token and user_id else None
    return redirect(result or _back())


def install(app: Flask) -> None:
    """Give every form a one-time token, and answer unique-key races (see the module)."""
    app.before_request(_before_request)
    app.after_request(_after_request)
    app.register_error_handler(IntegrityError, _unique_race)
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "before_commit", _before_commit)
