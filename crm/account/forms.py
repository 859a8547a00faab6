"""Account forms: each section of the Account page posts its own."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from crm.account.models import DevicePassword
from crm.auth.forms import EMAIL_MAX, EMAIL_MESSAGE, new_password_field, repeat_field
from crm.auth.services import MAX_PASSWORD_LENGTH
from crm.models import User, column_length


class ProfileForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[Length(max=column_length(User.name))],
        description="Signs your messages, and shows as the sender of your interview invitations.",
    )
    email = EmailField(
        "Email", validators=[DataRequired(), Email(message=EMAIL_MESSAGE), Length(max=EMAIL_MAX)]
    )
    current_password = PasswordField(
        "Current password",
        validators=[Length(max=MAX_PASSWORD_LENGTH)],
        description="Needed only to change your email.",
        id="profile-current-password",  # the password form below has its own
    )
    submit = SubmitField("Save")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    password = new_password_field()
    confirm = repeat_field()
    submit = SubmitField("Change password")


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Password",
        validators=[DataRequired()],
        description="Your current password.",
        id="delete-password",
    )
    submit = SubmitField("Delete my account")


class DeviceForm(FlaskForm):
    name = StringField(
        "Device or app name",
        validators=[
            DataRequired(message="Name the device, for example “iPhone” or “Thunderbird”."),
            Length(max=column_length(DevicePassword.name)),
        ],
        description="So you know which password to revoke if you lose it.",
    )
    submit = SubmitField("Create")
