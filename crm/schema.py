"""Bring the database to the latest migration when the app starts."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade

from crm.extensions import db


def ensure_latest_schema() -> None:
    """Create a fresh database, or upgrade an older one, without losing rows."""
    directory = current_app.extensions["migrate"].directory
    config = current_app.extensions["migrate"].migrate.get_config(directory)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current != heads:
        upgrade(directory=directory)
