"""What crm.sqlite asks of every SQLite connection: foreign keys, WAL and a busy timeout,
so a deleted contact takes its rows with it and two workers' writes queue, not fail."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from crm.extensions import db
from crm.sqlite import BUSY_TIMEOUT_MS
from tests.conftest import PG_URL, dispose, make_test_app

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="PostgreSQL needs no pragmas")


def test_each_connection_to_a_sqlite_file_is_tuned(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'crm.sqlite3'}", AUTO_MIGRATE=True)
    try:
        with app.app_context():
            pragma = {
                name: db.session.scalar(text(f"PRAGMA {name}"))
                for name in ("foreign_keys", "journal_mode", "busy_timeout", "synchronous")
            }
            db.session.rollback()
    finally:
        dispose(app)
    assert pragma == {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "busy_timeout": BUSY_TIMEOUT_MS,
        "synchronous": 1,  # NORMAL: safe with WAL
    }


def test_an_in_memory_database_still_keeps_foreign_keys():
    app = make_test_app("sqlite://", AUTO_MIGRATE=True)
    try:
        with app.app_context():
            assert db.session.scalar(text("PRAGMA foreign_keys")) == 1
            db.session.rollback()
    finally:
        dispose(app)
