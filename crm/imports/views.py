"""Import pages: upload, preview, confirm, history and undo."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge

from crm import clock
from crm.access import owned_or_404
from crm.extensions import db
from crm.imports import services
from crm.imports.forms import ConfirmImportForm, UndoForm, UploadForm
from crm.imports.pending import PendingUploads, QuotaExceeded, is_token
from crm.models import ImportBatch
from crm.parsers import ParseResult, UnsupportedFormat
from crm.sqlite import refresh_statistics
from crm.words import plural

bp = Blueprint("imports", __name__)

PREVIEW_ROWS = 100
SKIPPED_ROWS = 500
HISTORY_ROWS = 50
EXPIRED = "This preview is no longer available. Please upload the file again."


def _uploads() -> PendingUploads:
    """The logged-in user's uploads waiting for a confirm."""
    return PendingUploads(
        current_user.id, clock.now(), quota=current_app.config["IMPORT_PENDING_QUOTA_BYTES"]
    )


def _local(moment: datetime) -> datetime:
    """A stored UTC time in the user's time zone."""
    return clock.local(moment, clock.user_zone(current_user))


def _size(limit: int) -> str:
    return f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit / 2**10:g} KB"


def too_large_message() -> str:
    limit = _size(current_app.config["IMPORT_MAX_BYTES"])
    return (
        f"This file is larger than {limit}, the most we import at once. "
        "A LinkedIn Connections.csv is usually far smaller: check that you chose the right file."
    )


def _index_page(
    form: UploadForm, status: int = 200, error: str | None = None
) -> ResponseReturnValue:
    """The Import page: the upload form, the import history, and a restore for a new account."""
    page = render_template(
        "imports/index.html",
        form=form,
        offer_restore=not services.has_contacts(current_user.id),
        error=error,
        batches=services.recent_batches(current_user.id, HISTORY_ROWS),
        history_rows=HISTORY_ROWS,
        local=_local,
    )
    return page, status


@bp.before_request
@login_required
def require_login() -> None:
    """Every import page needs a logged-in user."""


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A file over the upload limit: say so on the Import page, not on a bare error page."""
    if not current_user.is_authenticated:
        return render_template("error.html", code=413, message=too_large_message()), 413
    form = UploadForm(formdata=None)
    form.file.errors = [too_large_message()]
    return _index_page(form, 413)


@bp.route("/import", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    """Upload a contacts file; the preview comes before anything is written."""
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        limit = current_app.config["IMPORT_MAX_BYTES"]
        data = upload.read(limit + 1)
        filename = services.clean_filename(upload.filename)
        if len(data) > limit:
            form.file.errors = [too_large_message()]
        else:
            try:
                parsed = services.parse_upload(data, filename)
            except UnsupportedFormat as error:
                form.file.errors = [str(error)]
            else:
                try:
                    return _preview(parsed, data, filename)
                except QuotaExceeded as error:
                    db.session.rollback()
                    form.file.errors = [str(error)]
    return _index_page(form)


def _preview(
    parsed: ParseResult, data: bytes, filename: str, form: ConfirmImportForm | None = None
) -> ResponseReturnValue:
    """Keep the upload in the database for the confirm and show what importing it would do."""
    plan = services.plan_import(current_user.id, parsed)
    if form is None:
        token = None
        if plan.counts.people:
            token = _uploads().save(data, filename)
            db.session.commit()
        form = ConfirmImportForm(formdata=None, token=token)
    return render_template(
        "imports/preview.html",
        plan=plan,
        form=form,
        filename=filename,
        preview_rows=PREVIEW_ROWS,
        skipped_rows=SKIPPED_ROWS,
    )


@bp.route("/import/confirm", methods=["POST"])
def confirm() -> ResponseReturnValue:
    """Import the previewed file: new contacts, updates and job changes, all in one go."""
    form = ConfirmImportForm()
    token = form.token.data
    if not is_token(token):
        abort(404)
    uploads = _uploads()
    finished = uploads.finished_batch(token)
    if finished is not None:
        return _already_imported(finished)
    if not form.validate_on_submit():
        upload = uploads.read(token)
        if upload is None:
            return _expired()
        return _preview(
            services.parse_upload(upload.data, upload.filename), upload.data, upload.filename, form
        )
    # Claimed in this transaction: a second submit waits for it, then finds it done.
    upload = uploads.claim(token)
    if upload is None:
        db.session.rollback()
        finished = uploads.finished_batch(token)
        return _expired() if finished is None else _already_imported(finished)
    filename = upload.filename
    try:
        outcome = services.import_file(
            current_user, upload.data, filename, network=form.network.data
        )
        uploads.finish(upload, outcome.batch.id if outcome.batch else None)
        db.session.commit()
    except (SQLAlchemyError, UnsupportedFormat):
        db.session.rollback()
        current_app.logger.exception("import of %s failed", filename)
        flash(
            "Nothing was imported, so your contacts are as they were: something changed "
            "in them while we were writing. Please try again.",
            "error",
        )
        return redirect(url_for("imports.index"))
    refresh_statistics()
    flash(_summary(outcome.counts), "success")
    if outcome.batch is None:
        return redirect(url_for("imports.index"))
    return redirect(url_for("imports.batch", batch_id=outcome.batch.id))


def _already_imported(batch_id: int) -> ResponseReturnValue:
    flash("This file is already imported; here is what it did.", "info")
    return redirect(
        url_for("imports.batch", batch_id=batch_id) if batch_id else url_for("imports.index")
    )


def _expired() -> ResponseReturnValue:
    """The page for a token that is gone: expired, cleaned up, or someone else's."""
    return _index_page(UploadForm(formdata=None), 404, EXPIRED)


def _summary(counts: services.ImportCounts) -> str:
    if counts.created == 0 and counts.updated == 0:
        skipped = f", {plural(counts.skipped, 'row')} skipped" if counts.skipped else ""
        return f"Nothing changed: {counts.unchanged} unchanged{skipped}."
    return (
        f"Import done: {plural(counts.created, 'contact')} added, {counts.updated} updated, "
        f"{counts.unchanged} already up to date, {plural(counts.skipped, 'row')} skipped."
    )


@bp.route("/import/history/<int:batch_id>")
def batch(batch_id: int) -> ResponseReturnValue:
    """One import: its counts, the people it added, the job changes it found, and Undo."""
    batch = owned_or_404(ImportBatch, batch_id)
    created, created_total = services.created_contacts(batch)
    return render_template(
        "imports/batch.html",
        batch=batch,
        created=created,
        created_total=created_total,
        job_changes=services.batch_job_changes(batch),
        form=UndoForm(formdata=None),
        local=_local,
    )


@bp.route("/import/history/<int:batch_id>/undo", methods=["POST"])
def undo(batch_id: int) -> ResponseReturnValue:
    """Undo an import, asking first when people it added have outreach or notes since."""
    batch = owned_or_404(ImportBatch, batch_id)
    form = UndoForm()
    if not form.validate_on_submit():
        abort(400)
    if batch.undone_at is not None:
        return _already_undone(batch)
    if form.confirmed.data != "yes":
        # Always ask: an undo can remove thousands of people at once.
        busy, busy_total = services.contacts_with_history(batch)
        form.confirmed.data = "yes"
        return render_template(
            "imports/undo.html",
            batch=batch,
            busy=busy,
            busy_total=busy_total,
            updated_later=services.contacts_updated_later(batch),
            created_total=services.created_contacts(batch)[1],
            form=form,
        )
    try:
        result = services.undo_import(batch)
    except services.AlreadyUndone:
        db.session.rollback()
        return _already_undone(db.session.get(ImportBatch, batch_id) or batch)
    db.session.commit()
    flash(
        f"Import of {batch.filename} undone: {plural(result.removed, 'contact')} removed, "
        f"{result.reverted} restored to how they were.",
        "success",
    )
    return redirect(url_for("imports.index"))


def _already_undone(batch: ImportBatch) -> ResponseReturnValue:
    when = f" on {_local(batch.undone_at).strftime('%d %b %Y')}" if batch.undone_at else ""
    flash(f"This import was already undone{when}; there is nothing left to undo.", "info")
    return redirect(url_for("imports.batch", batch_id=batch.id))
