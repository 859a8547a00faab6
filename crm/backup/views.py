"""Download all my data (linked from Settings), and restore it into an account with no contacts
(offered on the Import page), in the background with a progress page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.access import owned_or_404
from crm.backup import jobs, services
from crm.backup.archive import MAX_ZIP_BYTES, BackupError
from crm.backup.forms import RestoreForm
from crm.backup.models import RestoreJob
from crm.extensions import db

bp = Blueprint("backup", __name__)

# A whole account's zip can outgrow the import limit; it is spooled to disk, not memory.
RESTORE_MAX_BYTES = MAX_ZIP_BYTES
# How often a restore's progress page reloads itself while the job runs.
REFRESH_SECONDS = 2


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
    """Check and keep a backup zip for this account, when it has no data yet, and restore it
    in the background: its progress page follows."""
    request.max_content_length = RESTORE_MAX_BYTES
    form = RestoreForm()
    if form.validate_on_submit():
        try:
            job = jobs.queue_restore(current_user, form.backup.data.stream)
        except jobs.RestoreBusy as busy:
            db.session.rollback()
            return _job_page(busy.job, jobs.job_state(busy.job), 409, refused=str(busy))
        except BackupError as error:
            db.session.rollback()
            form.backup.errors = [str(error)]
        else:
            db.session.commit()
            jobs.start(job.id)
            return redirect(url_for("backup.job", job_id=job.id), 303)
    errors = list(form.backup.errors) or ["This form expired. Please send the file again."]
    return render_template("backup/restore.html", restore_errors=errors), 400


@bp.route("/import/restore/<int:job_id>")
@login_required
def job(job_id: int) -> ResponseReturnValue:
    """A restore's progress while it runs (the page reloads itself), then how it ended."""
    restore_job = owned_or_404(RestoreJob, job_id)
    state = jobs.job_state(restore_job)
    db.session.commit()  # a job found dead is recorded as interrupted
    return _job_page(restore_job, state)


def _job_page(
    restore_job: RestoreJob, state: jobs.JobState, status: int = 200, refused: str = ""
) -> ResponseReturnValue:
    page = render_template(
        "backup/job.html",
        job=restore_job,
        state=state,
        refused=refused,
        refresh_seconds=REFRESH_SECONDS,
        restore_errors=[restore_job.error] if restore_job.error else [],
    )
    return page, status
