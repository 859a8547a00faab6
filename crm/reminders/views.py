"""The one-click unsubscribe from the morning email."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from crm.extensions import csrf, db
from crm.reminders import services

bp = Blueprint("reminders", __name__)


@bp.route("/morning-email/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients POST here with no page and no cookie (RFC 8058)
def unsubscribe(token: str) -> ResponseReturnValue:
    """Turn the morning email off for the user the signed link names."""
    user = services.user_for_unsubscribe(token, current_app.config["SECRET_KEY"])
    if user is None:
        abort(404)
    services.turn_off(user)
    db.session.commit()
    if request.method == "POST":
        return "", 204
    return render_template("reminders/unsubscribed.html", email=user.email)
