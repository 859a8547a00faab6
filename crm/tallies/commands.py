"""`flask rebuild-tallies`: count every tally again from the rows, for repair."""

from __future__ import annotations

import click
from flask import Flask

from crm.extensions import db
from crm.tallies.services import rebuild


def register(app: Flask) -> None:
    @app.cli.command("rebuild-tallies")
    def rebuild_tallies_command() -> None:
        """Count the dashboard's and the Plan page's tallies again from scratch."""
        rebuild()
        db.session.commit()
        click.echo("Tallies counted again from the contacts and outreach.")
