"""Dashboard and the home page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.enums import FollowUpKind
from crm.followups.services import colleagues_for
from crm.main.services import build_dashboard
from crm.messages.services import followup_messages

bp = Blueprint("main", __name__)


@bp.route("/")
def home() -> ResponseReturnValue:
    """Logged-in users go to their dashboard; visitors see what the app is for."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/home.html")


@bp.route("/dashboard")
@login_required
def dashboard() -> ResponseReturnValue:
    """The morning page: what to do next."""
    today = clock.user_today(current_user)
    dashboard = build_dashboard(current_user, today, clock.now())
    shown = [*dashboard.overdue, *dashboard.due_today, *dashboard.next_up]
    return render_template(
        "main/dashboard.html",
        d=dashboard,
        colleagues=colleagues_for(current_user.id, shown),
        messages=followup_messages(current_user, shown),
        plan=dashboard.plan,
        kind_labels=FollowUpKind.labels(),
        user_zone=clock.user_zone(current_user),
    )
