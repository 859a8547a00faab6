"""SQLite's planner statistics: made on first start, after an upgrade and after an import.

Without them SQLite guessed plans that made the dashboard's statements take 690 ms instead
of 16 ms at 30,000 contacts. PostgreSQL keeps its own, so these tests run on SQLite only.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from crm.extensions import db
from tests.app.test_imports_support import fixture_bytes, import_bytes
from tests.conftest import PG_URL, dispose, make_test_app

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="PostgreSQL keeps its own statistics")


def _contact_rows_counted(app) -> int | None:
    """The contact count SQLite's statistics give the list's name index, if any."""
    with app.app_context():
        stat = db.session.scalar(
            text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_contact_user_sort_name'")
        )
        db.session.rollback()
    return None if stat is None else int(stat.split()[0])


def test_a_first_start_gives_a_database_without_statistics_some(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.sqlite3'}"
    app = make_test_app(url, AUTO_MIGRATE=True)
    with app.app_context():
        tables = db.session.scalars(text("SELECT name FROM sqlite_master")).all()
        db.session.execute(text("DROP TABLE sqlite_stat1"))
        db.session.commit()
    dispose(app)
    assert "sqlite_stat1" in tables  # made by the upgrade that built the schema
    again = make_test_app(url, AUTO_MIGRATE=True)
    with again.app_context():
        tables = db.session.scalars(text("SELECT name FROM sqlite_master")).all()
    dispose(again)
    assert "sqlite_stat1" in tables


def test_an_import_refreshes_the_statistics(app, client, user):
    with app.app_context():
        db.session.execute(text("DELETE FROM sqlite_stat1"))
        db.session.commit()
    page = import_bytes(client, fixture_bytes("linkedin_current.csv"))
    assert page.status_code == 200
    with app.app_context():
        contacts = db.session.scalar(text("SELECT count(*) FROM contact"))
    assert contacts and _contact_rows_counted(app) == contacts
