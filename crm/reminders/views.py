"""The one-click unsubscribe from the morning email (RFC 8058): a GET only asks, a POST acts."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue

from crm.extensions import csrf, db
from crm.reminders import services

bp = Blueprint("reminders", __name__)


@bp.route("/morning-email/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients POST here with no page and no cookie (RFC 8058)
def unsubscribe(token: str) -> ResponseReturnValue:
    """A page with one button (mail scanners open links); the POST turns the email off."""
    user = services.user_for_unsubscribe(token, current_app.config["SECRET_KEY"])
    if user is None:
        return render_template("reminders/link_used.html"), 404
    if request.method == "GET":
        return render_template("reminders/unsubscribe.html")
    services.turn_off(user)
    db.session.commit()
    if request.form.get("List-Unsubscribe") == "One-Click":
        return "", 204
    return render_template("reminders/unsubscribed.html")
