"""The contact form, the list's filters, and a contact's note and keep-in-touch forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from crm.contacts.introducers import IntroducerLookup
from crm.contacts.lookup import FULL_NAME_MAX
from crm.enums import Cadence, Network
from crm.models import Company, Contact, column_length
from crm.normalize import TAG_LENGTH, InvalidLinkedInURL, normalize_linkedin_url, split_tags

SORT_CHOICES = [("name", "Name"), ("company", "Company"), ("recent", "Recently added")]
NOTES_MAX = 20_000


class ContactForm(FlaskForm):
    first_name = StringField(
        "First name", validators=[DataRequired(), Length(max=column_length(Contact.first_name))]
    )
    last_name = StringField(
        "Last name", validators=[Optional(), Length(max=column_length(Contact.last_name))]
    )
    email = EmailField(
        "Email", validators=[Optional(), Email(), Length(max=column_length(Contact.email))]
    )
    phone = StringField(
        "Phone",
        validators=[
            Optional(),
            Length(max=column_length(Contact.phone)),
            Regexp(r"^[0-9+()./\- x]+$", message="Use digits, spaces and + ( ) - . only."),
        ],
    )
    company = StringField(
        "Company", validators=[Optional(), Length(max=column_length(Company.name))]
    )
    title = StringField("Title", validators=[Optional(), Length(max=column_length(Contact.title))])
    network = SelectField(
        "Network",
        choices=[SelectChoice(value, label) for value, label in Network.choices()],
        default=Network.OTHER,
    )
    how_we_met = StringField(
        "How we met", validators=[Optional(), Length(max=column_length(Contact.how_we_met))]
    )
    introduced_by = StringField(
        "Introduced by",
        validators=[Optional(), Length(max=FULL_NAME_MAX)],
        description="The name of another contact who introduced you.",
    )
    tags = StringField(
        "Tags",
        validators=[Optional(), Length(max=500)],
        description="Separate tags with commas, for example: mentor, data science.",
    )
    linkedin_url = StringField(
        "LinkedIn URL",
        validators=[Optional(), Length(max=column_length(Contact.linkedin_url))],
        description="A profile address, like linkedin.com/in/jane-doe.",
    )
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=NOTES_MAX)])
    submit = SubmitField("Save")
    # Set by the view only when a save is refused, for the page to explain why.
    duplicate: Contact
    introducer: IntroducerLookup

    def validate_linkedin_url(self, field: StringField) -> None:
        """Keep only linkedin.com/in/ profiles, stored in one normal form."""
        if field.data and field.data.strip():
            try:
                field.data = normalize_linkedin_url(field.data)
            except InvalidLinkedInURL as error:
                raise ValidationError(str(error)) from error

    def validate_tags(self, field: StringField) -> None:
        """Tags are short words; twenty is plenty for one person."""
        tags = split_tags(field.data)
        if len(tags) > 20:
            raise ValidationError("Use at most 20 tags.")
        if any(
            len(tag) > TAG_LENGTH
            for tag in (piece.strip() for piece in (field.data or "").split(","))
        ):
            raise ValidationError(f"Each tag can have at most {TAG_LENGTH} characters.")


class CadenceForm(FlaskForm):
    cadence = SelectField(
        "Keep in touch",
        choices=[SelectChoice(value, label) for value, label in Cadence.choices()],
    )
    submit = SubmitField("Save cadence")


class NoteForm(FlaskForm):
    body = TextAreaField("Note", validators=[DataRequired(), Length(max=NOTES_MAX)])
    submit = SubmitField("Add note")
