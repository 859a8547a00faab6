"""The import forms: upload a file, confirm its preview, confirm an undo."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from crm.enums import Network

ACCEPTED = ".csv,.vcf,.vcard,.txt,text/csv,text/vcard,text/x-vcard"


class UploadForm(FlaskForm):
    file = FileField(
        "Contacts file",
        validators=[FileRequired("Choose a file to import.")],
        description="LinkedIn Connections.csv, a Google or Outlook contacts CSV, or a vCard file.",
        render_kw={"accept": ACCEPTED},
    )
    submit = SubmitField("Preview")


class ConfirmImportForm(FlaskForm):
    token = HiddenField()
    network = SelectField(
        "Network for new contacts",
        choices=[SelectChoice(value, label) for value, label in Network.choices()],
        default=Network.OTHER,
        description="People already in your contacts keep their network.",
    )
    submit = SubmitField("Import")


class UndoForm(FlaskForm):
    # "yes" once the user has seen which people, with their history, the undo removes.
    confirmed = HiddenField()
    submit = SubmitField("Undo import")


class RestoreForm(FlaskForm):
    backup = FileField(
        "Backup file",
        validators=[FileRequired("Choose the backup zip to restore.")],
        description="The zip from “Download all my data” on the Settings page.",
        render_kw={"accept": ".zip,application/zip"},
    )
    submit = SubmitField("Restore")
