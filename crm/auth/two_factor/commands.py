"""The server owner's way back in for someone who lost both their phone and their recovery
codes: `flask --app crm two-factor-off EMAIL`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from crm.auth.services import find_user
from crm.auth.sessions import end_all_sessions
from crm.auth.two_factor.services import enrolment, turn_off
from crm.extensions import db


def register(app: Flask) -> None:
    """Attach this feature's commands to the app."""
    app.cli.add_command(two_factor_off)


@click.command("two-factor-off")
@click.argument("email")
@with_appcontext
def two_factor_off(email: str) -> None:
    """Turn two-factor sign-in off for an account; every session of the account ends."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account has the email {email!r}.")
    if enrolment(user) is None:
        click.echo(f"Two-factor sign-in was not on for {user.email}; nothing changed.")
        return
    turn_off(user)
    end_all_sessions(user)
    db.session.commit()
    click.echo(f"Two-factor sign-in is off for {user.email}; every session of the account ended.")
