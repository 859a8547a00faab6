"""Follow-up forms: add one by hand, snooze one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from crm.forms import DateField, RealDate
from crm.models import FollowUp, column_length


class FollowUpForm(FlaskForm):
    due_on = DateField("Due date", validators=[RealDate()])
    reason = StringField(
        "What to do",
        validators=[DataRequired(), Length(max=column_length(FollowUp.reason))],
        description="For example: send the article we talked about.",
    )
    keep_weekend = BooleanField(
        "Keep a weekend date", description="Otherwise a Saturday or Sunday moves to the Monday."
    )
    submit = SubmitField("Add follow-up")


class SnoozeForm(FlaskForm):
    to = DateField("Snooze to", validators=[RealDate()])
    submit = SubmitField("Snooze")


def followup_form() -> FollowUpForm:
    """The empty add-a-follow-up form the contact page shows."""
    return FollowUpForm(formdata=None)
