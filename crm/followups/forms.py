"""Follow-up forms: add one by hand, snooze one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from crm.forms import DateField
from crm.models import FollowUp, column_length

DATE_MESSAGE = "Enter a real date, like 2026-11-27."


class FollowUpForm(FlaskForm):
    due_on = DateField("Due date", validators=[DataRequired(message=DATE_MESSAGE)])
    reason = StringField(
        "What to do",
        validators=[DataRequired(), Length(max=column_length(FollowUp.reason))],
        description="For example: send the article we talked about.",
    )
    submit = SubmitField("Add follow-up")


class SnoozeForm(FlaskForm):
    to = DateField("Snooze to", validators=[DataRequired(message=DATE_MESSAGE)])
    submit = SubmitField("Snooze")


def followup_form() -> FollowUpForm:
    """The empty add-a-follow-up form the contact page shows."""
    return FollowUpForm(formdata=None)
