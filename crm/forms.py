"""Forms shared by several features."""

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """An empty form: gives one-button POSTs (delete, log out) their CSRF token."""
