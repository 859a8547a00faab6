"""Crafted backups: a restore stays within a memory bound, checks every value as the forms do,
and refuses what it cannot keep with one clear line, writing nothing."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from crm.extensions import db
from crm.models import User
from tests.app.test_backup import (
    counts,
    data_of,
    fill_account,
    make_user,
    run_backup,
    user_id,
    wait_for_restore,
)

ROOT = Path(__file__).resolve().parents[2]
HEADER = b'{"format": "networking-crm-backup", "version": 1, '
# Peak memory of the whole `flask restore` process: the app alone takes about 80 MB.
MEMORY_BOUND_KB = 150 * 1024

# The launcher runs the command and prints its child's peak memory (Linux: kilobytes).
LAUNCHER = """\
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
print("PEAK_KB", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""


def _bomb(path: Path, parts: list[tuple[bytes, int]]) -> Path:
    """A zip whose data.json is each (chunk, times) written out in turn, deflated."""
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("data.json", "w", force_zip64=True) as member,
    ):
        for chunk, times in parts:
            per_block = max(1, 65536 // len(chunk))
            whole, rest = divmod(times, per_block)
            for _ in range(whole):
                member.write(chunk * per_block)
            member.write(chunk * rest)
    return path


def _restore_in_child(database_url: str, path: Path, email: str) -> tuple[int, str, int]:
    """Run `flask restore` in its own process; its exit code, stderr and peak memory in KB."""
    env = {
        **os.environ,
        "CRM_DATABASE_URL": database_url,
        "CRM_SECRET_KEY": "bounds-test",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "flask", "--app", "crm", "restore", str(path)]
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command, "--user", email],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    peak = int(done.stdout.rsplit("PEAK_KB", 1)[1])
    return done.returncode, done.stderr, peak


MB = 1024 * 1024


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        # 64 MB of empty lists: 1.6 GB when parsed whole.
        (
            [(HEADER + b'"contacts": [', 1), (b"[],", 64 * MB // 3), (b"[]]}", 1)],
            "contacts row 1 is not an object.",
        ),
        # The same under a key this app does not read.
        (
            [(HEADER + b'"later": [', 1), (b"[],", 64 * MB // 3), (b'[]], "contacts": []}', 1)],
            "holds a value longer than 1 MB",
        ),
        # A 200 MB name: 400 MB and more when parsed whole.
        (
            [(HEADER + b'"account": {"settings": {"name": "', 1), (b"x", 200 * MB), (b'"}}}', 1)],
            "holds a value longer than 1 MB",
        ),
    ],
    ids=["empty-lists", "empty-lists-elsewhere", "huge-string"],
)
def test_a_crafted_backup_is_refused_within_a_memory_bound(
    app, runner, database_url, tmp_path, parts, message
):
    make_user(runner, "new@example.com")
    bomb = _bomb(tmp_path / "bomb.zip", parts)
    assert bomb.stat().st_size < 1 * MB

    code, stderr, peak_kb = _restore_in_child(database_url, bomb, "new@example.com")

    assert code == 1
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert peak_kb < MEMORY_BOUND_KB
    with app.app_context():
        assert not any(counts("new@example.com").values())


def test_a_real_backup_restores_in_a_child_within_the_bound(app, runner, database_url, tmp_path):
    fill_account(app, runner)
    backup = run_backup(runner, tmp_path, "jo@example.com")
    make_user(runner, "new@example.com")

    code, stderr, peak_kb = _restore_in_child(database_url, backup, "new@example.com")

    assert code == 0, stderr
    assert peak_kb < MEMORY_BOUND_KB
    with app.app_context():
        assert counts("new@example.com") == counts("jo@example.com")


def test_the_import_page_refuses_a_bomb_with_the_same_line(app, client, auth, tmp_path):
    auth.register(email="new@example.com")
    bomb = _bomb(
        tmp_path / "bomb.zip",
        [(HEADER + b'"contacts": [', 1), (b"[],", 8 * MB // 3), (b"[]]}", 1)],
    )

    started = client.post(
        "/import/restore",
        data={"backup": (io.BytesIO(bomb.read_bytes()), "backup.zip")},
        content_type="multipart/form-data",
    )
    # The header reads as a backup, so the file is taken; the job then refuses its first row.
    response = wait_for_restore(client, started.location)

    assert "Your backup was not restored" in response.get_data(as_text=True)
    assert "contacts row 1 is not an object." in response.get_data(as_text=True)
    with app.app_context():
        assert not any(counts("new@example.com").values())


def restore_damaged(app, runner, tmp_path, damage) -> str:
    """Back up a full account, damage its data.json, restore it into a new one: stderr."""
    fill_account(app, runner)
    data = data_of(run_backup(runner, tmp_path, "jo@example.com"))
    damage(data)
    path = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.json", json.dumps(data))
    make_user(runner, "new@example.com")
    result = runner.invoke(args=["restore", str(path), "--user", "new@example.com"])
    assert result.exit_code == 1
    with app.app_context():
        assert not any(counts("new@example.com").values())
        assert db.session.get(User, user_id("new@example.com")).weekly_goal == 5
    return result.stderr


def _setting(name, value):
    return lambda data: data["account"]["settings"].__setitem__(name, value)


def _row(key, column, value):
    return lambda data: data[key][0].__setitem__(column, value)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_setting("weekly_goal", 2**40), "weekly_goal: Use a number from 0 to 200."),
        (_setting("nudge_days", 10**9), "nudge_days: Use a number from 0 to 60."),
        (_setting("morning_email_hour", 24), "morning_email_hour: Use a number from 0 to 23."),
        (_setting("time_zone", "Mars/Olympus"), "time_zone is not a time zone this app knows"),
        (_setting("after_interview_cadence", "daily"), "after_interview_cadence: Choose one of"),
        (_row("follow_ups", "due_on", "9999-12-31"), "due_on: Use a date from 1900 to 2200."),
        (_row("outreach", "sent_on", "0001-01-01"), "sent_on: Use a date from 1900 to 2200."),
        (_row("interviews", "starts_at", "9999-12-31T23:00:00+00:00"), "starts_at: Use a date"),
        (_row("interviews", "duration_minutes", 10**6), "duration_minutes: Use a number from 5"),
        (_row("contacts", "network", "enemies"), "network: Choose one of friend"),
        (_row("outreach", "status", "lost"), "status: Choose one of awaiting"),
        (_row("imports", "created_count", 2**31), "created_count: Use a number from 0"),
    ],
)
def test_a_restore_checks_each_value_as_the_forms_do(app, runner, tmp_path, damage, message):
    stderr = restore_damaged(app, runner, tmp_path, damage)

    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_a_restore_refuses_two_companies_of_one_name(app, runner, tmp_path):
    def damage(data):
        twin = dict(data["companies"][0], id=data["companies"][-1]["id"] + 1)
        data["companies"].append(twin)

    stderr = restore_damaged(app, runner, tmp_path, damage)

    assert "two rows where one must be unique" in stderr
