"""Download all my data (linked from Settings), and restore it into an account with no contacts
(offered on the Import page)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.backup import services
from crm.backup.archive import MAX_ZIP_BYTES, BackupError, open_backup
from crm.backup.forms import RestoreForm
from crm.backup.restore import restore_backup
from crm.extensions import db
from crm.sqlite import refresh_statistics

bp = Blueprint("backup", __name__)

# A whole account's zip can outgrow the import limit; it is spooled to disk, not memory.
RESTORE_MAX_BYTES = MAX_ZIP_BYTES


@bp.route("/settings/backup")
@login_required
def download() -> ResponseReturnValue:
    """The account's backup zip, streamed as it is written: the first bytes at once."""
    now = clock.now()
    chunks = services.iter_backup(current_user._get_current_object(), now)
    response = Response(stream_with_context(chunks), mimetype="application/zip")
    response.headers.set(
        "Content-Disposition", "attachment", filename=services.backup_file_name(now)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/import/restore", methods=["POST"])
@login_required
def restore() -> ResponseReturnValue:
    """Restore a backup zip into this account, when it has no data yet: all of it or nothing."""
    request.max_content_length = RESTORE_MAX_BYTES
    form = RestoreForm()
    if form.validate_on_submit():
        try:
            with open_backup(form.backup.data.stream) as backup:
                counts = restore_backup(current_user, backup)
        except BackupError as error:
            db.session.rollback()
            form.backup.errors = [str(error)]
        else:
            db.session.commit()
            refresh_statistics()
            flash(f"Welcome back: your backup is restored ({counts.summary()}).", "success")
            return redirect(url_for("contacts.index"))
    errors = list(form.backup.errors) or ["This form expired. Please send the file again."]
    return render_template("backup/restore.html", restore_errors=errors), 400
