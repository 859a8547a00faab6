"""The settings page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm.extensions import db
from crm.followups.rules import RuleSettings
from crm.settings.forms import SettingsForm

bp = Blueprint("settings", __name__)

RULE_FIELDS = (
    "second_person_days",
    "nudge_days",
    "thank_you_days",
    "update_days",
    "referral_ask_weeks",
    "after_interview_cadence",
)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    """Time zone, weekly goal and the follow-up rule numbers."""
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        try:
            RuleSettings(**{name: getattr(form, name).data for name in RULE_FIELDS})
        except ValueError as error:
            form.form_errors.append(str(error))
        else:
            form.populate_obj(current_user)
            db.session.commit()
            flash("Settings saved. New follow-ups use these numbers.", "success")
            return redirect(url_for("settings.index"))
    return render_template("settings/index.html", form=form)
