"""The database and backups are private files, and one .env file sets up the server and
the commands alike."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

import crm
from crm import create_app
from crm.extensions import db
from tests.conftest import dispose

REPO = Path(crm.__file__).resolve().parent.parent
PASSWORD = "a long password\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def everyday_umask():
    """The umask most servers run with: files made by default are readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_sqlite_database_and_its_wal_files_are_owner_only(tmp_path, everyday_umask):
    database = tmp_path / "crm.sqlite3"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "s", "TESTING": True}
    )
    try:
        with app.app_context(), db.engine.connect() as connection:
            connection.execute(text("CREATE TABLE probe (x INTEGER)"))
            connection.commit()
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            assert all(path.exists() for path in files)
            assert [oct(mode(path)) for path in files] == [oct(0o600)] * 3
    finally:
        dispose(app)


def test_backups_are_owner_only(app, runner, tmp_path, everyday_umask):
    result = runner.invoke(args=["create-user", "jo@example.com"], input=PASSWORD)
    assert result.exit_code == 0, result.output
    zipped = tmp_path / "jo.zip"
    result = runner.invoke(args=["backup", "--user", "jo@example.com", "-o", str(zipped)])
    assert result.exit_code == 0, result.output
    assert mode(zipped) == 0o600
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    copy = tmp_path / "copy.sqlite3"
    result = runner.invoke(args=["backup-db", str(copy)])
    assert result.exit_code == 0, result.output
    assert copy.stat().st_size > 0
    assert mode(copy) == 0o600


# What gunicorn does: create_app() alone, with no flask command around it.
SERVER = """
from sqlalchemy import select
from crm import create_app
from crm.extensions import db
from crm.models import User
app = create_app()
with app.app_context():
    print(db.session.scalar(select(User.email)))
print(app.config["BASE_URL"], app.config["SMTP_URL"], app.config["SECRET_KEY"])
"""


def _run(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # Only the .env file configures the app: no CRM_ or FLASK_ settings from this process.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "FLASK_"))}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True
    )


def test_the_server_and_the_commands_read_the_same_env_file(tmp_path, mailbox):
    database = tmp_path / "from-env.sqlite3"
    (tmp_path / ".env").write_text(
        f"CRM_DATABASE_URL=sqlite:///{database}\n"
        "CRM_SECRET_KEY=from-the-env-file\n"
        "CRM_BASE_URL=https://crm.example.org\n"
        f"CRM_SMTP_URL={mailbox.url}\n"
    )
    # A command: an account created in the database the .env file names.
    created = _run(["-m", "flask", "--app", "crm", "create-user", "jo@example.com"], tmp_path,
                   PASSWORD * 2)  # fmt: skip
    reminders = _run(["-m", "flask", "--app", "crm", "send-reminders"], tmp_path)
    served = _run(["-c", SERVER], tmp_path)

    assert created.returncode == 0, created.stderr
    assert reminders.returncode == 0, reminders.stderr
    assert reminders.stdout.strip() == "sent: 0, skipped: 0"
    assert served.returncode == 0, served.stderr
    assert served.stdout.split() == [
        "jo@example.com",
        "https://crm.example.org",
        mailbox.url,
        "from-the-env-file",
    ]
    assert mode(database) == 0o600
