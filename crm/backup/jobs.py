"""Restores started on the Import page, run in the background while the page shows progress.

The server that takes the upload checks it (the bounded reader opens the zip and reads the
header of its data.json), keeps the file under instance/restores/ and runs the restore in a
thread of its own process (gthread workers keep serving meanwhile). The job's row
(crm/backup/models.py) holds its progress and outcome, so any server sharing the database
shows them. The restore is one transaction, as the command's is: when the process dies, the
database rolls it back, and the job, whose heartbeat stopped, reads as interrupted with
nothing written.

Flushes, never commits, except in the job's own thread, which is its own view: it commits
the restore once, and writes its progress and outcome as it goes.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from crm import clock
from crm.backup.archive import BackupError, open_backup
from crm.backup.models import RestoreJob
from crm.backup.restore import progress_words, restore_file
from crm.backup.services import account_is_empty
from crm.enums import RestoreStatus
from crm.extensions import db
from crm.files import owner_only_opener
from crm.models import User
from crm.sqlite import refresh_statistics

logger = logging.getLogger(__name__)

# How often a running job says it is alive, and how long without a word means it died: a
# beat comes from a thread of its own, so a long step of the restore does not delay it.
BEAT_EVERY_S = 2.0
STALE_AFTER = timedelta(seconds=60)
COPY_CHUNK_BYTES = 1024 * 1024
ACTIVE = (RestoreStatus.QUEUED, RestoreStatus.RUNNING)
ALREADY_RUNNING = (
    "A restore into this account is already running; its progress is shown below. "
    "Wait for it to finish before sending another file."
)
INTERRUPTED = (
    "The restore was interrupted: the server running it stopped before it finished. "
    "Nothing was written to your account. Please send the file again."
)
UNEXPECTED = (
    "Something went wrong on the server while restoring. Nothing was written to your "
    "account; please try again, and tell the server's owner if it happens again."
)


def runner_name() -> str:
    """This process, as the job row names the server running it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _upload_dir() -> Path:
    return Path(current_app.instance_path) / "restores"


def upload_path(job_id: int) -> Path:
    """Where the server that took the upload keeps it until the job ends."""
    return _upload_dir() / f"{job_id}.zip"


def _beat_path(job_id: int) -> Path:
    """SQLite's heartbeat: the restore holds the database's one write lock, so it is a file
    (every SQLite server is on the one machine that holds the database)."""
    return _upload_dir() / f"{job_id}.beat"


@dataclass(frozen=True)
class JobState:
    """What the page shows of a job: its status and how far it got."""

    status: RestoreStatus
    contacts_done: int
    contacts_total: int | None

    def progress(self) -> str:
        return progress_words(self.contacts_done, self.contacts_total)


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _last_beat(job: RestoreJob) -> tuple[datetime, int]:
    """When the job last said it was alive, and how many contacts it had written then."""
    beat, done = job.beat_at, job.contacts_done
    try:
        path = _beat_path(job.id)
        written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        count = int(path.read_text() or 0)
    except (OSError, ValueError):
        return beat, done
    return max(beat, written), max(done, count)


def job_state(job: RestoreJob) -> JobState:
    """The job as it stands; one that stopped beating is marked interrupted (flushed)."""
    if job.status not in ACTIVE:
        return JobState(RestoreStatus(job.status), job.contacts_done, job.contacts_total)
    beat, done = _last_beat(job)
    if clock.now() - beat > STALE_AFTER:
        _end(job, RestoreStatus.INTERRUPTED, error=INTERRUPTED)
        _remove_files(job.id)
        return JobState(RestoreStatus.INTERRUPTED, job.contacts_done, job.contacts_total)
    return JobState(RestoreStatus(job.status), done, job.contacts_total)


def active_job(user_id: int) -> RestoreJob | None:
    """The account's queued or running restore; None when there is none, or it died."""
    job = db.session.scalar(select(RestoreJob).where(RestoreJob.active_user_id == user_id))
    if job is None or job_state(job).status not in ACTIVE:
        return None
    return job


class RestoreBusy(BackupError):
    """A second restore while one runs for the same account."""

    def __init__(self, job: RestoreJob) -> None:
        super().__init__(ALREADY_RUNNING)
        self.job = job


def queue_restore(user: User, upload: IO[bytes]) -> RestoreJob:
    """Check and keep an uploaded backup and record a job for it (flushed); the view commits,
    then start()s it. BackupError when it cannot be restored, RestoreBusy when one runs."""
    running = active_job(user.id)
    if running is not None:
        raise RestoreBusy(running)
    if not account_is_empty(user.id):
        raise BackupError(
            f"{user.email} already has contacts or other data; "
            "a backup can only be restored into an empty account."
        )
    _upload_dir().mkdir(mode=0o700, exist_ok=True)
    job = RestoreJob(user_id=user.id, active_user_id=user.id, runner=runner_name())
    db.session.add(job)
    try:
        db.session.flush()
    except IntegrityError:  # a job started at the same moment won (the caller rolls back)
        raise BackupError(ALREADY_RUNNING) from None
    path = upload_path(job.id)
    try:
        with open(path, "wb", opener=owner_only_opener) as kept:
            shutil.copyfileobj(upload, kept, COPY_CHUNK_BYTES)
        with path.open("rb") as handle, open_backup(handle) as backup:
            job.contacts_total = backup.contacts
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def start(job_id: int) -> None:
    """Run the committed job in a thread of this process (the server that holds its file)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    thread = threading.Thread(
        target=_run_in_app, args=(app, job_id), name=f"restore-{job_id}", daemon=True
    )
    thread.start()


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


class _Beat(threading.Thread):
    """Says every BEAT_EVERY_S that the job lives and how far it got, from its own thread:
    a row of its own on PostgreSQL, a file on SQLite (whose write lock the restore holds)."""

    def __init__(self, app: Flask, job_id: int) -> None:
        super().__init__(name=f"restore-{job_id}-beat", daemon=True)
        self.app, self.job_id = app, job_id
        self.on_file = _sqlite()
        self.contacts = 0
        self.stopped = threading.Event()

    def progress(self, contacts: int, announced: int | None) -> None:
        self.contacts = contacts  # read by run(); an int is swapped whole

    def run(self) -> None:
        with self.app.app_context():
            while not self.stopped.wait(BEAT_EVERY_S):
                try:
                    self.beat()
                except (OSError, SQLAlchemyError):  # a missed beat; the next one may land
                    logger.warning("Restore job %s: a heartbeat failed", self.job_id, exc_info=True)

    def beat(self) -> None:
        if self.on_file:
            temporary = _beat_path(self.job_id).with_suffix(".beat-new")
            temporary.write_text(str(self.contacts))
            temporary.replace(_beat_path(self.job_id))
            return
        stmt = (
            update(RestoreJob)
            .where(RestoreJob.id == self.job_id, RestoreJob.status == RestoreStatus.RUNNING)
            .values(contacts_done=self.contacts, beat_at=clock.now())
        )
        with db.engine.begin() as connection:
            connection.execute(stmt)

    def stop(self) -> None:
        self.stopped.set()
        if self.is_alive():
            self.join()


def run_job(job_id: int) -> None:
    """Restore a queued job's file into its account, all or nothing, and record how it went."""
    job = db.session.get(RestoreJob, job_id)
    if job is None or job.status != RestoreStatus.QUEUED:
        return
    job.status, job.beat_at = RestoreStatus.RUNNING, clock.now()
    db.session.commit()
    beat = _Beat(current_app._get_current_object(), job_id)  # type: ignore[attr-defined]
    beat.beat()
    beat.start()
    try:
        user = db.session.get_one(User, job.user_id)
        counts = restore_file(user, upload_path(job_id), beat.progress)
        beat.stop()
        # Marked done in the restore's own transaction: rows and outcome land together.
        contacts = counts.rows.get("contacts", 0)
        ended = _end(job, RestoreStatus.DONE, summary=counts.summary(), contacts_done=contacts)
        if not ended:  # declared dead meanwhile: the page says so, so nothing may land
            db.session.rollback()
            return
        db.session.commit()
        refresh_statistics()
    except (BackupError, OSError) as error:
        _failed(job_id, beat, str(error))
    except Exception:
        logger.exception("Restore job %s failed", job_id)
        _failed(job_id, beat, UNEXPECTED)
    finally:
        beat.stop()
        _remove_files(job_id)


def _failed(job_id: int, beat: _Beat, error: str) -> None:
    beat.stop()
    db.session.rollback()
    job = db.session.get(RestoreJob, job_id)
    if job is not None:
        _end(job, RestoreStatus.FAILED, error=error)
        db.session.commit()


def _end(job: RestoreJob, status: RestoreStatus, **outcome: str | int) -> bool:
    """Record the job's end (flushed), unless another server recorded one first."""
    stmt = (
        update(RestoreJob)
        .where(RestoreJob.id == job.id, RestoreJob.status.in_(ACTIVE))
        .values(status=status, active_user_id=None, finished_at=clock.now(), **outcome)
        .execution_options(synchronize_session="fetch")
    )
    ended: bool = db.session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    db.session.refresh(job)
    return ended


def _remove_files(job_id: int) -> None:
    for path in (upload_path(job_id), _beat_path(job_id)):
        path.unlink(missing_ok=True)
