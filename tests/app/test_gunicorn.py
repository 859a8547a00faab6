"""Four gunicorn workers booting at once on a fresh database, with the settings file the
README uses: one upgrade, every worker up and tuned, and no tuning when an app is built
outside gunicorn."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL
from tests.mailbox import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKERS = 4


def _fresh_postgres_url(tmp_path) -> str:
    """A brand-new database beside the test one, dropped again after the test."""
    assert PG_URL
    name = f"boot_{os.getpid()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_postgres(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_database(tmp_path):
    if PG_URL:
        url = _fresh_postgres_url(tmp_path)
        yield url
        _drop_postgres(url)
    else:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"


def _get(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except OSError:  # refused, reset or timed out: not up yet
        return 0


def test_four_workers_start_together_on_a_fresh_database(fresh_database, tmp_path):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "CRM_DATABASE_URL": fresh_database,
        "CRM_SECRET_KEY": "gunicorn-test",
        "CRM_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        str(GUNICORN),
        "-c", "python:crm.gunicorn_conf",
        "--workers", str(WORKERS),
        "--bind", f"127.0.0.1:{port}",
        "--log-file", str(log),
        "--log-level", "info",
        "--timeout", "60",
        "crm:create_app()",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=tmp_path, env=env)
    try:
        # Two shared cores: a worker may need many seconds to import the app and its migrations.
        deadline = time.monotonic() + 180
        booted = 0
        while time.monotonic() < deadline:
            text_so_far = log.read_text() if log.exists() else ""
            assert "Worker failed to boot" not in text_so_far, text_so_far
            assert server.poll() is None, text_so_far
            booted = text_so_far.count("Booting worker")
            if booted >= WORKERS and _get(f"http://127.0.0.1:{port}/login") == 200:
                break
            time.sleep(0.5)
        assert booted >= WORKERS, log.read_text()
        # Every worker answers (gunicorn spreads connections across them).
        assert all(_get(f"http://127.0.0.1:{port}/login", timeout=60) == 200 for _ in range(20))
        # Give the workers time to finish their start-up, then check none died.
        time.sleep(2)
        final = log.read_text()
        assert "Worker failed to boot" not in final and "Traceback" not in final, final
        assert final.count("Booting worker") == WORKERS, final
        # Each worker left what it built at start out of garbage collection (crm.gunicorn_conf).
        frozen = re.findall(r"Left (\d+) objects built at start out of garbage collection", final)
        assert len(frozen) == WORKERS and all(int(n) > 10_000 for n in frozen), final
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    engine = create_engine(fresh_database)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    assert len(versions) == 1


def _frozen_after_create_app(tmp_path, testing: bool) -> int:
    """How many objects the garbage collector leaves out after create_app, in a process of
    its own (freezing this one would keep every test's objects)."""
    code = (
        "import gc, sys; from crm import create_app; "
        f"create_app({{'SQLALCHEMY_DATABASE_URI': sys.argv[1], 'SECRET_KEY': 's', "
        f"'TESTING': {testing}}}); print(gc.get_freeze_count())"
    )
    url = f"sqlite:///{tmp_path / f'freeze_{testing}.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", code, url], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return int(done.stdout.split()[-1])


def test_building_an_app_outside_gunicorn_leaves_garbage_collection_alone(tmp_path):
    # A flask command or a script builds an app too: only gunicorn's settings freeze.
    assert _frozen_after_create_app(tmp_path, testing=False) == 0
    assert _frozen_after_create_app(tmp_path, testing=True) == 0
