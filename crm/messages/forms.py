"""The template editing form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from crm.messages.services import MAX_BODY, MAX_SUBJECT


class TemplateForm(FlaskForm):
    subject = StringField(
        "Subject",
        validators=[
            DataRequired(message="Write a subject."),
            Length(max=MAX_SUBJECT, message=f"Keep the subject under {MAX_SUBJECT} characters."),
        ],
    )
    body = TextAreaField(
        "Message",
        validators=[
            DataRequired(message="Write the message."),
            Length(max=MAX_BODY, message=f"Keep the message under {MAX_BODY:,} characters."),
        ],
    )
    submit = SubmitField("Save template")
