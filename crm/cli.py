"""The flask commands: `flask --app crm COMMAND`."""

from __future__ import annotations

import sys

import click
from flask import Flask

from crm.auth.services import AccountError, create_user, find_user, set_password
from crm.auth.sessions import end_all_sessions
from crm.auth.two_factor import commands as two_factor_commands
from crm.backup import commands as backup_commands
from crm.calendar import commands as calendar_commands
from crm.extensions import db
from crm.imports import commands as import_commands
from crm.reminders import commands as reminder_commands
from crm.tallies import commands as tally_commands


def _read_password() -> str:
    """Ask twice on a terminal; read one line when standard input is piped."""
    if not sys.stdin.isatty():
        first = sys.stdin.readline().rstrip("\r\n")
        second = sys.stdin.readline().rstrip("\r\n")
        if second and second != first:
            raise click.ClickException("The two passwords differ.")
        return first
    first = click.prompt("Password", hide_input=True)
    second = click.prompt("Repeat password", hide_input=True)
    if first != second:
        raise click.ClickException("The two passwords differ.")
    return first


def register_commands(app: Flask) -> None:
    """Attach the commands to the app: accounts here, the rest from their features."""
    backup_commands.register(app)
    import_commands.register(app)
    reminder_commands.register(app)
    calendar_commands.register(app)
    two_factor_commands.register(app)
    tally_commands.register(app)

    @app.cli.command("create-user")
    @click.argument("email")
    def create_user_command(email: str) -> None:
        """Create an account (works also when registration is closed)."""
        if "@" not in email or len(email) > 254:
            raise click.ClickException(f"{email!r} is not an email address.")
        password = _read_password()
        try:
            user = create_user(email, password)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
        db.session.commit()
        click.echo(f"Created {user.email}.")

    @app.cli.command("reset-password")
    @click.argument("email")
    def reset_password_command(email: str) -> None:
        """Set a new password for an account (for the server's owner, when no mail is set up)."""
        user = find_user(email)
        if user is None:
            raise click.ClickException(f"No account has the email {email!r}.")
        password = _read_password()
        try:
            set_password(user, password)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
        end_all_sessions(user)
        db.session.commit()
        click.echo(f"New password set for {user.email}; every session of the account ended.")
