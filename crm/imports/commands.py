"""The import command: `flask --app crm import FILE --user EMAIL [--network N] [--dry-run]`."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from crm.auth.services import find_user
from crm.enums import Network
from crm.extensions import db
from crm.imports import services
from crm.imports.changes import ImportPlan
from crm.parsers import ParseResult, UnsupportedFormat
from crm.sqlite import refresh_statistics
from crm.words import plural

# Files with at least this many people get a progress bar.
LARGE_FILE = 1_000


@contextlib.contextmanager
def _progress(steps: int, show: bool) -> Iterator[services.Progress | None]:
    """A progress bar on standard error for large files; nothing for small ones."""
    if not show:
        yield None
        return
    with click.progressbar(length=steps, label="Importing", file=sys.stderr) as bar:
        yield bar.update


def _read(file: Path) -> ParseResult:
    """The file's people, or a message saying why it cannot be read."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise click.ClickException(f"Cannot read {file}: {error.strerror}.") from error
    try:
        return services.parse_upload(data, file.name)
    except UnsupportedFormat as error:
        raise click.ClickException(f"{file.name}: {error}") from error


def _report(plan: ImportPlan, dry_run: bool) -> None:
    """What the import skipped, found and did (or, in a dry run, would do)."""
    for row in plan.skipped:
        click.echo(f"Skipped line {row.line}: {row.reason}.")
    if plan.job_changes:
        changed = plan.job_changes
        click.echo(f"{plural(changed, 'person')} changed jobs.")
    if dry_run:
        click.echo("Dry run: nothing was written.")
    click.echo(services.summary_line(plan.counts))


def register(app: Flask) -> None:
    """Attach this feature's commands to the app."""

    @app.cli.command("import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--user", "email", required=True, help="The account's email address.")
    @click.option(
        "--network",
        type=click.Choice(Network.values(), case_sensitive=False),
        default=Network.OTHER.value,
        show_default=True,
        help="The network of the contacts it adds (existing contacts keep theirs).",
    )
    @click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
    def import_command(file: Path, email: str, network: str, dry_run: bool) -> None:
        """Import contacts from LinkedIn Connections.csv, a Google or Outlook CSV, or a vCard."""
        user = find_user(email)
        if user is None:
            raise click.ClickException(f"No account uses the email {email!r}.")
        parsed = _read(file)
        click.echo(f"Reading {file.name} as {parsed.format_label}.")

        people = len(parsed.people)
        steps = people if dry_run else 2 * people
        try:
            with _progress(steps, show=people >= LARGE_FILE) as progress:
                plan = services.plan_import(user.id, parsed, progress)
                if not dry_run:
                    services.write_import(user, plan, file.name, network.lower(), progress)
            if dry_run:
                db.session.rollback()
            else:
                db.session.commit()
                refresh_statistics()
        except SQLAlchemyError as error:
            db.session.rollback()
            raise click.ClickException(
                "Nothing was imported: the database refused the write. Please try again."
            ) from error

        _report(plan, dry_run)
