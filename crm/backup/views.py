"""Download all my data: the account's backup zip (linked from Settings)."""

from __future__ import annotations

import tempfile

from flask import Blueprint, send_file
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.backup import services

bp = Blueprint("backup", __name__)


@bp.route("/settings/backup")
@login_required
def download() -> ResponseReturnValue:
    """The account's backup zip, built on disk and streamed from there."""
    now = clock.now()
    # Closed by the response once sent (a with block would close it before that).
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    services.write_backup(current_user, now, spool)
    spool.seek(0)
    response = send_file(
        spool,
        mimetype="application/zip",
        as_attachment=True,
        download_name=services.backup_file_name(now),
    )
    response.headers["Cache-Control"] = "no-store"
    return response
