"""The outreach form."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from crm.enums import Channel, OutreachStatus, TemplateKind, Words
from crm.forms import DateField, RealDate
from crm.models import MessageTemplate, column_length

# The subject a template fills in.
SUBJECT_MAX = column_length(MessageTemplate.subject)


def _choices(words: type[Words]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in words.choices()]


def _template_choices() -> list[SelectChoice]:
    return [SelectChoice("", "No template"), *_choices(TemplateKind)]


class OutreachForm(FlaskForm):
    channel = SelectField("Channel", choices=_choices(Channel), default=Channel.EMAIL)
    sent_on = DateField("Date", validators=[RealDate()])
    status = SelectField(
        "Status", choices=_choices(OutreachStatus), default=OutreachStatus.AWAITING
    )
    template = SelectField(
        "Template",
        choices=_template_choices(),
        default="",
        description="Fills the message for this person; edit it before you send it.",
    )
    use_template = SubmitField("Use template")
    subject = StringField(
        "Subject",
        validators=[
            Optional(),
            Length(max=SUBJECT_MAX, message=f"Keep the subject under {SUBJECT_MAX} characters."),
        ],
        description="For your email; only the message is kept with the outreach.",
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
