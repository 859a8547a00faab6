"""The interview page's small repeatable form: one suggested person at a time."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from crm.enums import Permission
from crm.models import Company, Contact, column_length
from crm.normalize import InvalidLinkedInURL, email_key, normalize_linkedin_url

# A first and a last name, as the contact form takes them.
FULL_NAME_MAX = column_length(Contact.first_name) + 1 + column_length(Contact.last_name)
REACH_MAX = max(column_length(Contact.email), column_length(Contact.linkedin_url))


class SuggestionForm(FlaskForm):
    """Name, company, title, an address, and whether the suggester may be named."""

    class Meta:
        # Posted with the interview's notes, whose form checks the CSRF token.
        csrf = False

    name = StringField(
        "Name",
        validators=[DataRequired(message="Type the person's name."), Length(max=FULL_NAME_MAX)],
    )
    company = StringField(
        "Company", validators=[Optional(), Length(max=column_length(Company.name))]
    )
    title = StringField("Title", validators=[Optional(), Length(max=column_length(Contact.title))])
    reach = StringField(
        "Email or LinkedIn URL",
        validators=[Optional(), Length(max=REACH_MAX)],
        description="Optional: how to reach them, if you were given it.",
    )
    # Shown as three radio buttons (templates/referrals/_suggested.html).
    permission = SelectField(
        "I may mention their name",
        choices=[SelectChoice(value, label) for value, label in Permission.choices()],
        default=Permission.NOT_ASKED.value,
    )
    submit = SubmitField("Add")
    # Set by validate_reach: the address split into what it is.
    email: str | None = None
    linkedin_url: str | None = None

    def validate_reach(self, field: StringField) -> None:
        """An email address or a linkedin.com/in/ profile, stored in their normal forms."""
        typed = (field.data or "").strip()
        if not typed:
            return
        if "linkedin" in typed.lower():
            try:
                self.linkedin_url = normalize_linkedin_url(typed)
            except InvalidLinkedInURL as error:
                raise ValidationError(str(error)) from error
            return
        try:
            validate_email(typed, check_deliverability=False)
        except EmailNotValidError as error:
            raise ValidationError(
                "Type an email address (like tom@example.com) or a LinkedIn profile address."
            ) from error
        if len(typed) > column_length(Contact.email):
            raise ValidationError("That email address is too long.")
        self.email = email_key(typed)
