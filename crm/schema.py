"""Bring the database to the latest migration when the app starts, once however many start.

Also here: the SQLite planner's statistics, refreshed after an upgrade and after a bulk load.

Several gunicorn workers (or app servers) may start on a fresh or older database at the
same moment. The upgrade runs under a lock: PostgreSQL's advisory lock, or an exclusive
file lock beside the SQLite file. Whoever gets the lock first upgrades; the others wait,
see the schema is current, and go on.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from crm.extensions import db

# Any fixed number names the lock; this one spells "crm schema" closely enough.
ADVISORY_LOCK_KEY = 0x63726D5F736368


def _current_heads() -> set[str]:
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


@contextmanager
def upgrade_lock() -> Iterator[None]:
    """Hold the database's schema lock for the block."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
                connection.commit()
        return
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        lock_path = Path(database).with_name(Path(database).name + ".upgrade-lock")
        with lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    yield


def ensure_latest_schema() -> None:
    """Create a fresh database, or upgrade an older one, without losing rows."""
    directory = current_app.extensions["migrate"].directory
    config = current_app.extensions["migrate"].migrate.get_config(directory)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    if _current_heads() != heads:
        with upgrade_lock():
            # Another worker may have finished the upgrade while this one waited for the lock.
            if _current_heads() != heads:
                upgrade(directory=directory)
                refresh_statistics()
    if _statistics_out_of_date():
        refresh_statistics()


# Statistics are refreshed at start when the contacts they counted are this far off.
STALE_FACTOR = 2


def _statistics_out_of_date() -> bool:
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

    SQLite reads statistics when a connection opens, so connections already open would go
    on planning with the old ones. Dropping the table first changes the schema version,
    and a pooled connection that sees it changed is opened afresh (crm/__init__.py).
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


# The statement that gathers the statistics (a test swaps in one that fails).
ANALYZE = "ANALYZE"
