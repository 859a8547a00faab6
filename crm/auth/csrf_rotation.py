"""A new CSRF token at every login, so a token a visitor held before logging in (or one
planted in their browser by someone else) is worthless afterwards."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, session
from flask_login import user_logged_in


def _forget_csrf_token(sender: Flask, **extra: Any) -> None:
    """Drop the token Flask-WTF keeps in the session (and its copy for this request); the
    next form rendered gets a fresh one."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(name, None)
    g.pop(name, None)


def init_csrf_rotation(app: Flask) -> None:
    """Every login_user() of this app, whichever page logs in, changes the CSRF token."""
    user_logged_in.connect(_forget_csrf_token, app)
