"""Everything SQLite needs told: the pragmas each connection sets, the planner's
statistics, and reopening pooled connections when those statistics change. PostgreSQL
needs none of it, so each function does nothing there.

- Each connection: foreign keys on; for a file, WAL (readers never wait for a writer) and a
  busy timeout (writers queue instead of failing at once).
- Statistics: SQLite keeps none unless asked (ANALYZE), and plans by guesses without them;
  they are refreshed after an upgrade, at start when out of date, and after a bulk load.
- SQLite reads statistics when a connection opens: refreshing them changes the schema
  version, and a pooled connection that sees it changed is opened afresh.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError

from crm.extensions import db
from crm.files import create_owner_only

# How long a SQLite writer waits for another one to finish before "database is locked".
BUSY_TIMEOUT_MS = 30_000

# Statistics are refreshed at start when the contacts they counted are this far off.
STALE_FACTOR = 2

# The statement that gathers the statistics (a test swaps in one that fails).
ANALYZE = "ANALYZE"


def tune(app: Flask) -> None:
    """Each new SQLite connection: foreign keys on; for a file, WAL, a busy timeout, and
    its schema version noted so a changed schema reopens it."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        event.listen(db.engine, "connect", _foreign_keys)
        database = db.engine.url.database
        if database not in (None, "", ":memory:") and not database.startswith("file:"):
            # Before SQLite makes it with the umask's -rw-r--r--: a new database is private.
            create_owner_only(Path(database))
        if database not in (None, "", ":memory:"):
            # Noted before _wal's pragmas load the schema (and the statistics with it).
            event.listen(db.engine, "connect", _note_schema)
            event.listen(db.engine, "connect", _wal)
            event.listen(db.engine, "checkout", _same_schema)


def _foreign_keys(dbapi_connection: Any, connection_record: object) -> None:
    """SQLite ignores foreign keys (and ON DELETE) unless each connection asks for them."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _wal(dbapi_connection: Any, connection_record: object) -> None:
    """Readers never wait for a writer (WAL), and writers queue instead of failing at once."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Safe with WAL (a power cut may lose the last commits, never corrupt the file).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _schema_version(dbapi_connection: Any) -> int:
    return int(dbapi_connection.execute("PRAGMA schema_version").fetchone()[0])


def _note_schema(dbapi_connection: Any, connection_record: Any) -> None:
    connection_record.info["schema_version"] = _schema_version(dbapi_connection)
    connection_record.info["never_checked_out"] = True


def _same_schema(dbapi_connection: Any, connection_record: Any, proxy: object) -> None:
    """A pooled connection whose schema changed since it opened is opened afresh.

    SQLite reads the planner's statistics once, when a connection first reads the schema
    (a PRAGMA of _wal's does), and keeps them when the schema changes; reloading them
    takes a write lock. refresh_statistics changes the schema as it writes new ones, so
    every connection, in every process, picks them up on its next checkout (a PRAGMA,
    about 6 us; the pool retries with a new connection).

    The pool retries once only. A refresh in another thread can land between a new
    connection's opening and its first checkout: refused again, the page failed with
    "This connection is closed". So a connection is never refused at its first checkout.
    It serves that one with the statistics it read (they only guide the planner), and
    its version, still the one noted when it opened, has it opened afresh at its next.
    """
    first = connection_record.info.pop("never_checked_out", False)
    if not first and _schema_version(dbapi_connection) != connection_record.info.get(
        "schema_version"
    ):
        raise DisconnectionError("The schema changed: reopening for its new statistics.")


def statistics_out_of_date() -> bool:
    """Whether SQLite's statistics miss the contacts, or counted half or twice as many as
    there are now (PostgreSQL keeps its own, so they never are)."""
    if db.engine.dialect.name != "sqlite":
        return False
    with db.engine.connect() as connection:
        contacts = connection.exec_driver_sql("SELECT count(*) FROM contact").scalar() or 0
        has_table = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).first()
        stat = (
            has_table
            and connection.exec_driver_sql(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'contact' LIMIT 1"
            ).scalar()
        )
    if not stat:
        return contacts > 0
    counted = int(str(stat).split()[0])
    return contacts > STALE_FACTOR * counted or counted > STALE_FACTOR * contacts


def refresh_statistics() -> None:
    """Tell SQLite's planner how many rows each table has and how selective each index is.

    PostgreSQL's autovacuum keeps its statistics; SQLite keeps none unless asked. Without
    them it guesses, and at 30,000 contacts its guesses made the dashboard's statements
    take 690 ms instead of 16. Run after an upgrade (a new index has no statistics yet),
    at start when they are missing or out of date, and after an import or a restore adds
    many rows. Call it after committing: it writes, on a connection of its own.

    It reads every index: 75 ms at 30,000 contacts. A sampled ANALYZE (analysis_limit) is
    faster but wrong here: it sees only the first user's rows, judges user_id nearly
    unique, and the plans it led to were as slow as having no statistics at all.

    Dropping the table first changes the schema version, so pooled connections reopen
    (_same_schema) and read the new statistics.
    """
    if db.engine.dialect.name != "sqlite":
        return
    try:
        with db.engine.begin() as connection:
            # pysqlite runs DDL outside any transaction unless one is begun by hand: without
            # it a failed ANALYZE would leave the table dropped and the planner with nothing.
            connection.exec_driver_sql("BEGIN")
            connection.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
            connection.exec_driver_sql(ANALYZE)
    except SQLAlchemyError:
        # What was committed stays so; only the planner goes on with what it had.
        current_app.logger.warning("SQLite's planner statistics were not refreshed", exc_info=True)
