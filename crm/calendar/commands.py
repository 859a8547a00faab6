"""The calendar and address-book flask commands: export-ics and export-vcf."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import click
from flask import Flask

from crm import clock
from crm.auth.services import find_user
from crm.calendar import services
from crm.models import User
from crm.words import plural


def _user_or_exit(email: str) -> User:
    """Return the account with this email, or stop with exit status 1 and one line on stderr."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account uses the email {email!r}.")
    return user


@contextmanager
def _writing(output: Path) -> Iterator[BinaryIO]:
    """Open the output file, turning a missing folder or a refusal into one clear line."""
    try:
        handle = output.open("wb")
    except OSError as error:
        raise click.ClickException(f"Cannot write {output}: {error.strerror}.") from error
    with handle:
        yield handle


user_option = click.option("--user", "email", required=True, help="The account's email address.")
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of standard output.",
)


def register(app: Flask) -> None:
    """Attach this feature's commands to the app."""

    @app.cli.command("export-ics")
    @user_option
    @output_option
    def export_ics(email: str, output: Path | None) -> None:
        """Export every open follow-up and upcoming interview as iCalendar."""
        user = _user_or_exit(email)
        now = clock.now()
        chunks = services.iter_feed(user, now)
        if output is None:
            with click.open_file("-", "wb") as stdout:
                for chunk in chunks:
                    stdout.write(chunk)
            return
        with _writing(output) as handle:
            for chunk in chunks:
                handle.write(chunk)
        followups, interviews = services.calendar_counts(user, now)
        click.echo(
            f"Wrote {plural(followups, 'follow-up')} and {plural(interviews, 'interview')} "
            f"to {output}."
        )

    @app.cli.command("export-vcf")
    @user_option
    @output_option
    def export_vcf(email: str, output: Path | None) -> None:
        """Export every contact as vCard 3.0, streamed."""
        user = _user_or_exit(email)
        cards = services.iter_contact_cards(user.id)
        if output is None:
            with click.open_file("-", "wb") as stdout:
                for chunk in cards:
                    stdout.write(chunk)
                stdout.flush()
            return
        with _writing(output) as handle:
            for chunk in cards:
                handle.write(chunk)
        click.echo(f"Wrote {plural(services.contact_count(user.id), 'contact')} to {output}.")
