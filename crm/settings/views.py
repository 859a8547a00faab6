"""The settings page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm.deployment import mail_problem
from crm.extensions import db
from crm.followups.rules import RULE_NUMBERS
from crm.settings.forms import SettingsForm

bp = Blueprint("settings", __name__)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    """Time zone, weekly goal and the follow-up rule numbers."""
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        form.populate_obj(current_user)
        db.session.commit()
        flash("Settings saved. New follow-ups use these numbers.", "success")
        return redirect(url_for("settings.index"))
    problem = mail_problem(current_app.config)
    return render_template(
        "settings/index.html", form=form, rule_numbers=RULE_NUMBERS, mail_problem=problem
    )
