"""The outreach form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

CHANNELS = {
    "email": "Email",
    "linkedin": "LinkedIn message",
    "phone": "Phone",
    "text": "Text",
    "in_person": "In person",
    "introduction": "Introduction",
}
STATUSES = {
    "awaiting": "Awaiting reply",
    "replied": "Replied",
    "no_response": "No response",
    "declined": "Declined",
}


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class OutreachForm(FlaskForm):
    channel = SelectField("Channel", choices=_choices(CHANNELS), default="email")
    sent_on = DateField(
        "Date", validators=[DataRequired(message="Enter a real date, like 2026-11-27.")]
    )
    status = SelectField("Status", choices=_choices(STATUSES), default="awaiting")
    summary = TextAreaField(
        "Summary or message",
        validators=[Optional(), Length(max=10_000)],
        description="What you asked, or paste the message you sent.",
    )
    submit = SubmitField("Log outreach")
