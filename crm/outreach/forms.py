"""The outreach form."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from crm.enums import Channel, OutreachStatus, Words


def _choices(words: type[Words]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in words.choices()]


class OutreachForm(FlaskForm):
    channel = SelectField("Channel", choices=_choices(Channel), default=Channel.EMAIL)
    sent_on = DateField(
        "Date", validators=[DataRequired(message="Enter a real date, like 2026-11-27.")]
    )
    status = SelectField(
        "Status", choices=_choices(OutreachStatus), default=OutreachStatus.AWAITING
    )
    summary = TextAreaField(
        "Summary or message",
        validators=[Optional(), Length(max=10_000)],
        description="What you asked, or paste the message you sent.",
    )
    submit = SubmitField("Log outreach")


def outreach_form(today: date) -> OutreachForm:
    """The empty log-an-outreach form the contact page shows, dated today."""
    return OutreachForm(formdata=None, sent_on=today)
