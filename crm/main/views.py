"""Dashboard and the home page."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from crm.extensions import db
from crm.main import bp
from crm.models import Contact


@bp.route("/")
def home():
    """Logged-in users go to their dashboard; visitors see what the app is for."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/home.html")


@bp.route("/dashboard")
@login_required
def dashboard():
    """The morning page: what to do next."""
    contact_count = db.session.scalar(
        select(func.count(Contact.id)).where(Contact.user_id == current_user.id)
    )
    return render_template("main/dashboard.html", contact_count=contact_count)


@bp.route("/follow-ups")
@login_required
def followups():
    """Placeholder until follow-ups land."""
    return render_template("main/coming.html", title="Follow-ups")
