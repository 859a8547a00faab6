"""Two-factor forms: the code at login, and the Account page's section."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from crm.auth.services import MAX_PASSWORD_LENGTH

CODE_HINT = "The 6-digit code your authenticator app shows now."
CODE_KW = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}


def code_field(hint: str = CODE_HINT, id: str | None = None) -> StringField:
    return StringField(
        "Code",
        validators=[DataRequired(message="Type the code."), Length(max=40)],
        description=hint,
        render_kw=CODE_KW,
        id=id,
    )


class LoginCodeForm(FlaskForm):
    code = code_field("The 6-digit code your authenticator app shows now, or a recovery code.")
    submit = SubmitField("Log in")


class ConfirmTwoFactorForm(FlaskForm):
    code = code_field(id="two-factor-code")
    submit = SubmitField("Confirm")


class TurnOffTwoFactorForm(FlaskForm):
    password = PasswordField(
        "Password",
        validators=[DataRequired(message="Type your password."), Length(max=MAX_PASSWORD_LENGTH)],
        description="Your current password.",
        id="two-factor-off-password",
    )
    code = code_field(
        "A code from your authenticator app, or a recovery code.", id="two-factor-off-code"
    )
    submit = SubmitField("Turn off")
