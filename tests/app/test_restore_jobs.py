"""A restore sent on the Import page runs in the background: a progress page that reloads
itself, then the outcome; one restore per account at a time; a broken file or a dead server
writes nothing; and nobody sees another person's job."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from crm import clock as app_clock
from crm.backup import commands, jobs
from crm.backup.models import RestoreJob
from crm.enums import RestoreStatus
from crm.extensions import db
from tests.app.test_backup import (
    counts,
    data_of,
    fill_account,
    run_backup,
    user_id,
    wait_for_restore,
)


@pytest.fixture
def held(app, monkeypatch):
    """Jobs stay queued until the test runs them, as if the server were still busy; the
    files of those it never ran are removed after it."""
    monkeypatch.setattr(jobs, "start", lambda job_id: None)
    yield
    with app.app_context():
        for job_id in db.session.scalars(select(RestoreJob.id)):
            jobs.upload_path(job_id).unlink(missing_ok=True)


def _send(client, path):
    return client.post(
        "/import/restore",
        data={"backup": (io.BytesIO(path.read_bytes()), "backup.zip")},
        content_type="multipart/form-data",
    )


def _backup_of_jo(app, runner, tmp_path):
    fill_account(app, runner)
    return run_backup(runner, tmp_path, "jo@example.com")


def _job(email: str) -> RestoreJob:
    return db.session.scalars(
        select(RestoreJob).where(RestoreJob.user_id == user_id(email)).order_by(RestoreJob.id)
    ).all()[-1]


def test_a_restore_shows_its_progress_then_the_restored_contacts(
    app, runner, client, auth, tmp_path, held
):
    backup = _backup_of_jo(app, runner, tmp_path)
    auth.register(email="new@example.com")

    started = _send(client, backup)
    queued = client.get(started.location).get_data(as_text=True)
    with app.app_context():
        job = _job("new@example.com")
        job.status = RestoreStatus.RUNNING
        db.session.commit()
        beat = jobs._Beat(app, job.id)
        beat.progress(2, 3)
        beat.beat()  # what the job's heartbeat thread writes every few seconds
    running = client.get(started.location).get_data(as_text=True)
    with app.app_context():
        job = _job("new@example.com")
        job.status = RestoreStatus.QUEUED
        db.session.commit()
        jobs.run_job(job.id)
    done = client.get(started.location).get_data(as_text=True)
    contacts = client.get("/contacts/").get_data(as_text=True)

    assert started.status_code == 303
    assert "Restoring: 0 of 3 contacts." in queued
    assert '<meta http-equiv="refresh" content="2">' in queued
    assert "Restoring: 2 of 3 contacts." in running
    assert "Welcome back: your backup is restored (3 contacts, " in done
    assert 'http-equiv="refresh"' not in done
    assert "Ana" in contacts and "See your contacts" in done
    with app.app_context():
        assert counts("new@example.com") == counts("jo@example.com")
        assert not jobs.upload_path(_job("new@example.com").id).exists()  # the file is gone


def test_the_restore_runs_in_the_background_thread_to_the_end(app, runner, client, auth, tmp_path):
    backup = _backup_of_jo(app, runner, tmp_path)
    auth.register(email="new@example.com")

    started = _send(client, backup)
    page = wait_for_restore(client, started.location).get_data(as_text=True)

    assert "Welcome back: your backup is restored (3 contacts, " in page
    with app.app_context():
        assert counts("new@example.com") == counts("jo@example.com")
        job = _job("new@example.com")
        assert (job.status, job.active_user_id, job.contacts_done) == ("done", None, 3)


def test_a_second_upload_while_one_runs_is_refused(app, runner, client, auth, tmp_path, held):
    backup = _backup_of_jo(app, runner, tmp_path)
    auth.register(email="new@example.com")

    first = _send(client, backup)
    second = _send(client, backup)

    assert first.status_code == 303
    assert second.status_code == 409
    text = second.get_data(as_text=True)
    assert "A restore into this account is already running" in text
    assert "Restoring: 0 of 3 contacts." in text
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(RestoreJob)) == 1


def _broken_backup(app, runner, tmp_path):
    """A real backup whose last contact has a date no form accepts: refused late, after the
    companies and the first contacts were already written in the job's transaction."""
    data = data_of(_backup_of_jo(app, runner, tmp_path))
    data["contacts"][-1]["connected_on"] = "1800-01-01"
    path = tmp_path / "broken.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.json", json.dumps(data))
    return path


def test_a_broken_archive_ends_as_a_clear_error_with_nothing_written(
    app, runner, client, auth, tmp_path
):
    broken = _broken_backup(app, runner, tmp_path)
    auth.register(email="new@example.com")

    started = _send(client, broken)
    page = wait_for_restore(client, started.location)
    text = page.get_data(as_text=True)
    not_a_zip = client.post(
        "/import/restore",
        data={"backup": (io.BytesIO(b"not a zip"), "backup.zip")},
        content_type="multipart/form-data",
    )

    assert "Your backup was not restored" in text
    assert "Nothing was written to your account" in text
    assert "contacts row 3: connected_on" in text
    assert 'aria-invalid="true"' in text  # the form to send a file again, the reason beside it
    assert not_a_zip.status_code == 400
    assert "it is not a zip file" in not_a_zip.get_data(as_text=True)
    with app.app_context():
        assert not any(counts("new@example.com").values())
        job = _job("new@example.com")
        assert (job.status, job.active_user_id) == ("failed", None)


def test_another_users_job_answers_404(app, runner, client, auth, tmp_path, held):
    backup = _backup_of_jo(app, runner, tmp_path)
    auth.register(email="new@example.com")
    started = _send(client, backup)
    auth.logout()
    auth.register(email="eve@example.com")

    assert client.get(started.location).status_code == 404
    assert client.get("/import/restore/999999").status_code == 404


def test_an_interrupted_job_reads_as_interrupted_with_nothing_written(
    app, runner, client, auth, tmp_path, held, clock
):
    backup = _backup_of_jo(app, runner, tmp_path)
    auth.register(email="new@example.com")
    started = _send(client, backup)
    with app.app_context():
        job = _job("new@example.com")
        job.status = RestoreStatus.RUNNING  # its server took it, then died: no more beats
        db.session.commit()

    clock.set(app_clock.now() + jobs.STALE_AFTER + timedelta(seconds=1))
    page = client.get(started.location).get_data(as_text=True)
    again = _send(client, backup)

    assert "The restore was interrupted" in page
    assert "Nothing was written to your account" in page
    assert 'http-equiv="refresh"' not in page
    assert again.status_code == 303  # the account is free for another try
    with app.app_context():
        assert not any(counts("new@example.com").values())
        first, second = db.session.scalars(select(RestoreJob).order_by(RestoreJob.id)).all()
        assert (first.status, first.active_user_id) == ("interrupted", None)
        assert second.status == "queued"


def test_a_job_declared_dead_while_it_ran_writes_nothing(
    app, runner, client, auth, tmp_path, held, monkeypatch
):
    backup = _backup_of_jo(app, runner, tmp_path)
    auth.register(email="new@example.com")
    started = _send(client, backup)
    with app.app_context():
        job_id = _job("new@example.com").id
        real_restore = jobs.restore_file

        def given_up_meanwhile(*args):
            # Another server's poll found no beat and recorded the job as interrupted.
            with db.engine.begin() as other_server:
                other_server.execute(
                    update(RestoreJob)
                    .where(RestoreJob.id == job_id)
                    .values(status="interrupted", active_user_id=None, error=jobs.INTERRUPTED)
                )
            return real_restore(*args)

        monkeypatch.setattr(jobs, "restore_file", given_up_meanwhile)
        jobs.run_job(job_id)

    page = client.get(started.location).get_data(as_text=True)
    assert "The restore was interrupted" in page
    with app.app_context():
        assert not any(counts("new@example.com").values())


def test_the_restore_command_prints_its_progress(app, runner, tmp_path, monkeypatch):
    backup = _backup_of_jo(app, runner, tmp_path)
    runner.invoke(args=["create-user", "new@example.com"], input="a long password\n")
    monkeypatch.setattr(commands, "PROGRESS_EVERY", 1)

    result = runner.invoke(args=["restore", str(backup), "--user", "new@example.com"])

    assert result.exit_code == 0, result.output
    assert "Restoring: 3 of 3 contacts" in result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("Restored into new@example.com: ")
