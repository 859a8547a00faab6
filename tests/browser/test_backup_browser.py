"""In Chromium: download all my data from Settings, restore it into a new account."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.backup import jobs
from crm.backup import views as backup_views
from crm.backup.models import RestoreJob
from crm.contacts.services import get_or_create_company
from crm.extensions import db
from crm.models import Contact, FollowUp, User
from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser

# The progress page fetches itself every REFRESH_SECONDS (2 s); a busy CI machine may need
# a few rounds before the background job's outcome shows, more than expect's 5 s default.
JOB_OUTCOME_MS = 20_000


def test_take_all_my_data_and_bring_it_back(page, live_server, check_a11y, app, tmp_path):
    register(page, live_server, check_a11y, "backup-old@example.com")
    with app.app_context():
        owner = db.session.scalar(select(User.id).where(User.email == "backup-old@example.com"))
        jane = Contact(user_id=owner, first_name="Jane", last_name="Doe", notes="Mentor =1+1")
        jane.company = get_or_create_company(owner, "Acme")
        db.session.add(jane)
        db.session.flush()
        db.session.add(
            FollowUp(
                user_id=owner,
                contact_id=jane.id,
                reason="Thank Jane",
                kind="thank_you",
                due_on=jane.created_at.date(),
                status="done",
            )
        )
        db.session.commit()

    page.goto(live_server + "/settings")
    check_a11y(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "settings-backup.png"), full_page=True)
    with page.expect_download() as started:
        page.get_by_role("link", name="Download all my data").click()
    download = started.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert download.suggested_filename.startswith("networking-crm-backup-")
    with zipfile.ZipFile(saved) as archive:
        data = json.loads(archive.read("data.json"))
    assert [c["first_name"] for c in data["contacts"]] == ["Jane"]
    assert [f["status"] for f in data["follow_ups"]] == ["done"]

    page.get_by_role("button", name="Log out").click()
    register(page, live_server, check_a11y, "backup-new@example.com")
    page.goto(live_server + "/import")
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "import-restore.png"), full_page=True)
    page.get_by_label("Backup file").set_input_files(str(saved))
    page.get_by_role("button", name="Restore").click()

    # The progress page fetches itself again until the background job ends.
    expect(page.get_by_text("your backup is restored (1 contact")).to_be_visible(
        timeout=JOB_OUTCOME_MS
    )
    check_a11y(page)
    page.get_by_role("link", name="See your contacts").click()
    expect(page.get_by_role("link", name="Jane Doe")).to_be_visible()
    check_a11y(page)
    page.goto(live_server + "/import")
    expect(page.get_by_role("heading", name="Restore a backup")).to_have_count(0)
    assert Path(saved).exists()


def test_a_restore_shows_its_progress_page_then_the_outcome(
    page, live_server, check_a11y, app, tmp_path, monkeypatch
):
    register(page, live_server, check_a11y, "progress-old@example.com")
    with app.app_context():
        owner = db.session.scalar(select(User.id).where(User.email == "progress-old@example.com"))
        db.session.add(Contact(user_id=owner, first_name="Ravi", last_name="Shah"))
        db.session.commit()
    with page.expect_download() as started:
        page.goto(live_server + "/settings")
        page.get_by_role("link", name="Download all my data").click()
    saved = tmp_path / "progress.zip"
    started.value.save_as(saved)
    page.get_by_role("button", name="Log out").click()
    register(page, live_server, check_a11y, "progress-new@example.com")
    # The job waits while axe reads the progress page.
    monkeypatch.setattr(jobs, "start", lambda job_id: None)
    monkeypatch.setattr(backup_views, "REFRESH_SECONDS", 1)

    page.goto(live_server + "/import")
    page.get_by_label("Backup file").set_input_files(str(saved))
    page.get_by_role("button", name="Restore").click()

    expect(page.get_by_role("heading", name="Restoring your backup")).to_be_visible()
    expect(page.get_by_text("Restoring: 0 of 1 contact.")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "restore-progress.png"), full_page=True)
    with app.app_context():
        job_id = db.session.scalar(select(RestoreJob.id).order_by(RestoreJob.id.desc()))
        jobs.run_job(job_id)
    # The page's script fetches it again and shows the outcome in place.
    expect(page.get_by_text("Welcome back: your backup is restored (1 contact")).to_be_visible(
        timeout=JOB_OUTCOME_MS
    )
    check_a11y(page)
    page.get_by_role("link", name="See your contacts").click()
    expect(page.get_by_role("link", name="Ravi Shah")).to_be_visible()
