"""Bring the database to the latest migration when the app starts, once however many start.

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

from crm import sqlite
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
                sqlite.refresh_statistics()
    if sqlite.statistics_out_of_date():
        sqlite.refresh_statistics()
