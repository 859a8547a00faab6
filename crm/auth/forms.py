"""Account forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from crm.auth.passwords import MIN_LENGTH, password_problem
from crm.auth.services import MAX_PASSWORD_LENGTH
from crm.forms import TimeZoneField
from crm.models import User, column_length

EMAIL_MESSAGE = "Enter an email address, like jo@example.com."
EMAIL_MAX = column_length(User.email)
NAME_MAX = column_length(User.name)


def password_rules(form: FlaskForm, field: Field) -> None:
    """The same rules as the commands (crm.auth.passwords.password_problem)."""
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


PASSWORD_HINT = f"At least {MIN_LENGTH} characters, and not a common password."


def new_password_field(label: str = "New password") -> PasswordField:
    return PasswordField(
        label, validators=[DataRequired(), password_rules], description=PASSWORD_HINT
    )


def repeat_field(label: str = "Repeat new password") -> PasswordField:
    return PasswordField(
        label, validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")]
    )


class RegisterForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[Optional(), Length(max=NAME_MAX)],
        description="Optional. Your messages are signed with it; you can add it later in Account.",
    )
    email = EmailField(
        "Email", validators=[DataRequired(), Email(message=EMAIL_MESSAGE), Length(max=EMAIL_MAX)]
    )
    password = new_password_field("Password")
    confirm = repeat_field("Repeat password")
    # timezone.js preselects the browser's own zone, so due dates land on the user's own day.
    time_zone = TimeZoneField(description="Due dates and reminders follow your own calendar day.")
    submit = SubmitField("Register")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=EMAIL_MAX)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    remember = BooleanField("Keep me logged in")
    submit = SubmitField("Log in")


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired(), Email(message=EMAIL_MESSAGE), Length(max=EMAIL_MAX)]
    )
    submit = SubmitField("Send me a link")


class ResetPasswordForm(FlaskForm):
    password = new_password_field()
    confirm = repeat_field()
    submit = SubmitField("Set password")
