"""The restore form (on the Import page while an account has no contacts)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField


class RestoreForm(FlaskForm):
    backup = FileField(
        "Backup file",
        validators=[FileRequired("Choose the backup zip to restore.")],
        description="The zip from “Download all my data” on the Settings page.",
        render_kw={"accept": ".zip,application/zip"},
    )
    submit = SubmitField("Restore")
