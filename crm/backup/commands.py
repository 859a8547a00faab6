"""The backup flask commands: backup, restore and backup-db."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from crm import clock
from crm.auth.services import find_user
from crm.backup import services
from crm.backup.archive import BackupError
from crm.backup.restore import progress_words, restore_file
from crm.extensions import db
from crm.files import create_owner_only, owner_only_opener
from crm.models import User
from crm.sqlite import refresh_statistics

# Contacts between two progress lines of `restore` (a 300,000-contact restore shows 12).
PROGRESS_EVERY = 25_000


def _user_or_exit(email: str) -> User:
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account uses the email {email!r}.")
    return user


class _ProgressLines:
    """A line on standard error every PROGRESS_EVERY contacts, so a long restore shows it lives."""

    def __init__(self) -> None:
        self.shown = 0

    def __call__(self, contacts: int, announced: int | None) -> None:
        if contacts - self.shown >= PROGRESS_EVERY:
            self.shown = contacts
            click.echo(f"Restoring: {progress_words(contacts, announced)}", err=True)


def register(app: Flask) -> None:
    """Attach this feature's commands to the app."""
    for command in (backup, restore, backup_db):
        app.cli.add_command(command)


@click.command("backup")
@click.option("--user", "email", required=True, help="The account's email address.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The zip file to write.",
)
@with_appcontext
def backup(email: str, output: Path) -> None:
    """Write one account's whole data as a zip (data.json, CSV, vCard, iCalendar)."""
    user = _user_or_exit(email)
    partial = output.with_name(output.name + ".part")
    try:
        with open(partial, "wb", opener=owner_only_opener) as handle:
            for chunk in services.iter_backup(user, clock.now()):
                handle.write(chunk)
        partial.replace(output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"Cannot write {output}: {error.strerror}.") from error
    click.echo(f"Wrote the backup of {user.email} to {output}.")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--user", "email", required=True, help="The empty account to restore into.")
@with_appcontext
def restore(file: Path, email: str) -> None:
    """Restore a backup zip into an account that has no data yet."""
    user = _user_or_exit(email)
    try:
        counts = restore_file(user, file, _ProgressLines())
    except OSError as error:
        db.session.rollback()
        raise click.ClickException(f"Cannot read {file}: {error.strerror}.") from error
    except BackupError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    refresh_statistics()
    click.echo(f"Restored into {user.email}: {counts.summary()}.")


@click.command("backup-db")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_db(file: Path) -> None:
    """Copy the running SQLite database safely (SQLite's online backup)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        raise click.ClickException(
            f"backup-db copies SQLite databases; this one is {engine.dialect.name}. "
            "Use pg_dump instead (see the README)."
        )
    try:
        if not create_owner_only(file):
            raise click.ClickException(f"{file} already exists; choose a new file name.")
        target = sqlite3.connect(file)
    except (sqlite3.Error, OSError) as error:
        raise click.ClickException(f"Cannot write {file}: {error}.") from error
    source = engine.raw_connection()
    try:
        # Copies a consistent snapshot while other processes keep reading and writing.
        source.driver_connection.backup(target)  # type: ignore[union-attr]
    except sqlite3.Error as error:
        target.close()
        file.unlink(missing_ok=True)
        raise click.ClickException(f"Cannot copy the database: {error}.") from error
    finally:
        source.close()
    target.close()
    click.echo(f"Copied the database to {file}.")
