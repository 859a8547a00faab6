"""Follow-up, keep-in-touch and note forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from crm.enums import Cadence

DATE_MESSAGE = "Enter a real date, like 2026-11-27."


class FollowUpForm(FlaskForm):
    due_on = DateField("Due date", validators=[DataRequired(message=DATE_MESSAGE)])
    reason = StringField(
        "What to do",
        validators=[DataRequired(), Length(max=500)],
        description="For example: send the article we talked about.",
    )
    submit = SubmitField("Add follow-up")


class SnoozeForm(FlaskForm):
    to = DateField("Snooze to", validators=[DataRequired(message=DATE_MESSAGE)])
    submit = SubmitField("Snooze")


class CadenceForm(FlaskForm):
    cadence = SelectField(
        "Keep in touch",
        choices=[SelectChoice(value, label) for value, label in Cadence.choices()],
    )
    submit = SubmitField("Save cadence")


class NoteForm(FlaskForm):
    body = TextAreaField("Note", validators=[DataRequired(), Length(max=20_000)])
    submit = SubmitField("Add note")
