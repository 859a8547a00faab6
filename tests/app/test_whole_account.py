"""Whole-account work at size: the backup reads in batches and starts at once, a restore of a
20,000-contact backup and a feed of 20,000 follow-ups stay within a memory bound, and a
streamed response outlives gunicorn's worker timeout under the README's settings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import event, select

from crm import clock
from crm.backup import services
from crm.backup.restore import BATCH_ROWS
from crm.calendar.services import calendar_counts, issue_feed_token
from crm.extensions import db
from crm.models import Contact, User
from tests.app.test_backup import counts, make_user, run_backup, user_id
from tests.app.test_backup_bounds import LAUNCHER, ROOT
from tests.conftest import counting_statements
from tests.mailbox import free_port
from tests.seed import seed, seed_plan

GUNICORN = Path(sys.executable).with_name("gunicorn")
# Peak memory of a whole `flask` process: the app alone takes about 80 MB. Reading the
# backup whole took 420 MB for 20,000 contacts, and building the feed whole 190 MB.
MEMORY_BOUND_KB = 150 * 1024
BIG = 20_000


def _seed_account(app, runner, email: str, contacts: int) -> int:
    make_user(runner, email)
    with app.app_context():
        uid = user_id(email)
        seed(uid, contacts, outreach=contacts, followups=contacts, unicode=True, tags_per_contact=2)
        seed_plan(uid)
    return uid


def _backup_statements(app, email: str) -> int:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        with counting_statements(app) as statements:
            size = sum(len(chunk) for chunk in services.iter_backup(user, clock.now()))
        assert size > 0
    return len(statements)


def test_a_backup_of_1000_contacts_takes_as_many_statements_as_one_of_10(app, runner):
    _seed_account(app, runner, "small@example.com", 10)
    _seed_account(app, runner, "large@example.com", 1_000)

    assert _backup_statements(app, "large@example.com") == _backup_statements(
        app, "small@example.com"
    )


def test_a_backup_yields_its_first_bytes_before_reading_the_account(app, runner):
    _seed_account(app, runner, "jo@example.com", 10)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "jo@example.com"))
        seen: list[str] = []
        engine = db.engine

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            chunks = services.iter_backup(user, clock.now())
            first = next(chunks)
            read_before_first = len(seen)
            rest = b"".join(chunks)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert first.startswith(b"PK\x03\x04")  # a zip's first local file header
    assert read_before_first == 0
    assert len(seen) > 0 and len(rest) > 1000


def _flask_in_child(database_url: str, *args: str) -> tuple[int, str, int]:
    """Run a flask command in its own process; its exit code, stderr and peak memory in KB."""
    env = {
        **os.environ,
        "CRM_DATABASE_URL": database_url,
        "CRM_SECRET_KEY": "whole-account-test",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "flask", "--app", "crm", *args]
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
    )
    peak = int(done.stdout.rsplit("PEAK_KB", 1)[1])
    return done.returncode, done.stderr, peak


def test_a_20000_contact_account_backs_up_restores_and_feeds_within_a_memory_bound(
    app, runner, database_url, tmp_path
):
    _seed_account(app, runner, "big@example.com", BIG)
    backup = tmp_path / "big.zip"
    feed = tmp_path / "feed.ics"
    make_user(runner, "new@example.com")

    backed_up = _flask_in_child(
        database_url, "backup", "--user", "big@example.com", "-o", str(backup)
    )
    restored = _flask_in_child(database_url, "restore", str(backup), "--user", "new@example.com")
    fed = _flask_in_child(database_url, "export-ics", "--user", "big@example.com", "-o", str(feed))

    for code, stderr, peak_kb in (backed_up, restored, fed):
        assert code == 0, stderr
        assert peak_kb < MEMORY_BOUND_KB, (backed_up[2], restored[2], fed[2])
    with app.app_context():
        assert counts("new@example.com") == counts("big@example.com")
        assert counts("new@example.com")["contact"] == BIG
        user = db.session.scalar(select(User).where(User.email == "big@example.com"))
        followups, interviews = calendar_counts(user, clock.now())
    body = feed.read_bytes()
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert followups > BIG // 2
    assert body.count(b"BEGIN:VEVENT") == followups + interviews


# gthread's main loop reports to the arbiter at least once a second: a longer timeout.
WORKER_TIMEOUT_S = 3


def _serve(database_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """gunicorn with the README's settings file and a short worker timeout."""
    env = {
        **os.environ,
        "CRM_DATABASE_URL": database_url,
        "CRM_SECRET_KEY": "whole-account-test",
        "CRM_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        str(GUNICORN),
        "-c", "python:crm.gunicorn_conf",
        "--workers", "1",
        "--bind", f"127.0.0.1:{port}",
        "--log-file", str(log),
        "--timeout", str(WORKER_TIMEOUT_S),
        "crm:create_app()",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=log.parent, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    raise AssertionError(log.read_text())


def _slow_get(port: int, path: str) -> bytes:
    """GET like a slow calendar app: a small receive window, and a pause after the first
    bytes long past the worker timeout, so the server is still sending when it ends."""
    with socket.socket() as client:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.connect(("127.0.0.1", port))
        client.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        received = [client.recv(1024)]
        time.sleep(WORKER_TIMEOUT_S * 3)
        client.settimeout(120)
        while chunk := client.recv(65536):
            received.append(chunk)
    return b"".join(received)


def test_a_feed_streams_past_the_worker_timeout_under_the_readme_settings(
    app, runner, database_url, tmp_path
):
    make_user(runner, "cal@example.com")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "cal@example.com"))
        seed(user.id, 300, followups=BIG, open_followups=True, interviews_and_notes=False)
        token = issue_feed_token(user, app.config["SECRET_KEY"])
        db.session.commit()
    port = free_port()
    log = tmp_path / "gunicorn.log"
    server = _serve(database_url, port, log)
    try:
        answer = _slow_get(port, f"/feed/{token}.ics")
    finally:
        server.terminate()
        server.wait(timeout=60)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200"), log.read_text()
    assert body.endswith(b"END:VCALENDAR\r\n"), log.read_text()
    assert body.count(b"BEGIN:VEVENT") == BIG
    assert "WORKER TIMEOUT" not in log.read_text()


def test_a_batch_of_contacts_with_introducers_goes_in_as_one_insert(app, runner, tmp_path):
    make_user(runner, "big@example.com")
    with app.app_context():
        uid = user_id("big@example.com")
        ids = seed(uid, 2_500, interviews_and_notes=False)
        # Every seventh person was introduced by the one before: links set once both exist.
        for index in range(0, len(ids) - 1, 7):
            db.session.execute(
                Contact.__table__.update()
                .where(Contact.id == ids[index + 1])
                .values(introduced_by_id=ids[index])
            )
        db.session.commit()
    backup = run_backup(runner, tmp_path, "big@example.com")
    make_user(runner, "new@example.com")

    with counting_statements(app) as statements:
        result = runner.invoke(args=["restore", str(backup), "--user", "new@example.com"])

    assert result.exit_code == 0, result.output
    # One INSERT a batch (1,000 + 1,000 + 500), whoever introduced whom; on PostgreSQL one
    # COPY a batch, each after drawing the batch's ids.
    batches = [
        s
        for s in statements
        if s.startswith("INSERT INTO contact ") or "pg_get_serial_sequence('contact'" in s
    ]
    assert len(batches) == -(-2_500 // BATCH_ROWS)
    with app.app_context():
        assert counts("new@example.com") == counts("big@example.com")
