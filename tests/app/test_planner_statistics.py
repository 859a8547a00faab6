"""SQLite's planner statistics: made on first start, after an upgrade and after an import.

Without them SQLite guessed plans that made the dashboard's statements take 690 ms instead
of 16 ms at 30,000 contacts. PostgreSQL keeps its own, so these tests run on SQLite only.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import event, text

from crm.extensions import db
from crm.sqlite import refresh_statistics
from tests.app.test_imports_support import fixture_bytes, import_bytes
from tests.conftest import PG_URL, dispose, make_test_app
from tests.seed import seed

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="PostgreSQL keeps its own statistics")


def _contact_rows_counted(app) -> int | None:
    """The contact count SQLite's statistics give the list's name index, if any."""
    with app.app_context():
        stat = db.session.scalar(
            text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_contact_user_sort_name'")
        )
        db.session.rollback()
    return None if stat is None else int(stat.split()[0])


def _restart(url: str) -> int | None:
    app = make_test_app(url, AUTO_MIGRATE=True)
    counted = _contact_rows_counted(app)
    dispose(app)
    return counted


def test_a_start_refreshes_statistics_that_are_missing_or_far_off(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.sqlite3'}"
    app = make_test_app(url, AUTO_MIGRATE=True)
    with app.app_context():
        tables = db.session.scalars(text("SELECT name FROM sqlite_master")).all()
    assert "sqlite_stat1" in tables  # made by the upgrade that built the schema
    client = app.test_client()
    client.post(
        "/register",
        data={
            "email": "jo@example.com",
            "password": "a long password",
            "confirm": "a long password",
        },
    )
    for n in range(3):
        client.post("/contacts/new", data={"first_name": f"Person {n}", "network": "work"})
    with app.app_context():
        db.session.execute(text("DROP TABLE sqlite_stat1"))
        db.session.commit()
    assert _restart(url) == 3  # none at all
    for n in range(3, 7):
        client.post("/contacts/new", data={"first_name": f"Person {n}", "network": "work"})
    assert _restart(url) == 7  # 3 counted, 7 now: more than twice
    client.post("/contacts/new", data={"first_name": "Person 8", "network": "work"})
    assert _restart(url) == 7  # 7 counted, 8 now: close enough, left as they are
    dispose(app)


def test_an_import_refreshes_the_statistics(app, client, user):
    with app.app_context():
        db.session.execute(text("DELETE FROM sqlite_stat1"))
        db.session.commit()
    page = import_bytes(client, fixture_bytes("linkedin_current.csv"))
    assert page.status_code == 200
    with app.app_context():
        contacts = db.session.scalar(text("SELECT count(*) FROM contact"))
    assert contacts and _contact_rows_counted(app) == contacts


# One contact's outreach, as their page reads it.
OUTREACH_PLAN = text(
    "EXPLAIN QUERY PLAN SELECT * FROM outreach WHERE user_id = 1 AND contact_id = 3"
)


def _app_with_stale_statistics(path):
    """An app on a new database at `path` whose one user has 600 outreach, and statistics
    gone stale as the table grew, calling the contact's index unselective (with none at
    all, the planner's pick between two unmeasured indexes is a coin toss). Its pool is
    empty: connections opened from here on read those statistics."""
    app = make_test_app(f"sqlite:///{path}", AUTO_MIGRATE=True)
    app.test_client().post(
        "/register",
        data={
            "email": "jo@example.com",
            "password": "a long password",
            "confirm": "a long password",
        },
    )
    with app.app_context():
        user_id = db.session.scalar(text("SELECT id FROM user"))
        seed(user_id, 300, outreach=600, followups=0)
        stale = "INSERT INTO sqlite_stat1 VALUES ('outreach', 'ix_outreach_contact_id', '600 600')"
        db.session.execute(text(stale))
        db.session.commit()
        db.engine.dispose()
    return app


def test_connections_opened_before_a_refresh_plan_with_the_new_statistics(tmp_path):
    app = _app_with_stale_statistics(tmp_path / "crm.sqlite3")
    with app.app_context():
        with db.engine.connect() as before_refresh:  # opened first, and kept open
            before = " ".join(row[3] for row in before_refresh.execute(OUTREACH_PLAN))
            refresh_statistics()  # on another connection: this one is checked out
        # Both pooled connections: the one that refreshed, and the one opened before.
        with db.engine.connect() as first, db.engine.connect() as second:
            after = {" ".join(row[3] for row in c.execute(OUTREACH_PLAN)) for c in (first, second)}
    dispose(app)
    # Every row is the user's: with statistics, the contact's own index wins.
    assert "ix_outreach_contact_id" not in before, before
    assert after == {"SEARCH outreach USING INDEX ix_outreach_contact_id (contact_id=?)"}, after


def test_an_import_whose_statistics_fail_is_kept_and_says_so_only_in_the_log(
    app, client, user, monkeypatch, caplog
):
    with app.app_context():
        refresh_statistics()
        before = db.session.execute(text("SELECT tbl, idx, stat FROM sqlite_stat1")).all()
        db.session.rollback()
    monkeypatch.setattr("crm.sqlite.ANALYZE", "ANALYZE no_such_table")  # SQLite refuses it
    page = import_bytes(client, fixture_bytes("linkedin_current.csv"))
    assert page.status_code == 200 and "Import done:" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM contact")) > 0
        after = db.session.execute(text("SELECT tbl, idx, stat FROM sqlite_stat1")).all()
    assert after == before  # the old statistics stay, the failed refresh undone
    assert "planner statistics were not refreshed" in caplog.text


def test_a_refresh_while_a_connection_opens_does_not_fail_the_page(tmp_path):
    """A restore's refresh in the background landed between a page's new connection opening
    and its first checkout: refused twice, the page answered "This connection is closed".
    Now that connection serves its first checkout, and is opened afresh at its next."""
    path = tmp_path / "crm.sqlite3"
    app = _app_with_stale_statistics(path)
    opened = []

    def refreshed_elsewhere(dbapi_connection, connection_record):
        """Another thread's refresh, committed as each of the first two connections opens."""
        opened.append(connection_record)
        if len(opened) <= 2:
            with closing(sqlite3.connect(path, isolation_level=None)) as other:
                other.execute("BEGIN")
                other.execute("DROP TABLE IF EXISTS sqlite_stat1")
                other.execute("ANALYZE")
                other.execute("COMMIT")

    with app.app_context():
        event.listen(db.engine, "connect", refreshed_elsewhere)
        try:
            with db.engine.connect() as first:  # opened, then the refresh landed
                before = " ".join(row[3] for row in first.execute(OUTREACH_PLAN))
            with db.engine.connect() as second:  # the same one, opened afresh
                after = " ".join(row[3] for row in second.execute(OUTREACH_PLAN))
        finally:
            event.remove(db.engine, "connect", refreshed_elsewhere)
    dispose(app)
    assert len(opened) == 2  # each checkout answered; the second on a new connection
    assert "ix_outreach_contact_id" not in before, before  # read before the refresh landed
    assert after == "SEARCH outreach USING INDEX ix_outreach_contact_id (contact_id=?)", after
