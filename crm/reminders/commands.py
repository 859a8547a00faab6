"""send-reminders: the morning email to each user who asked for it, once per local day."""

from __future__ import annotations

import click
from flask import Flask, current_app, render_template
from flask.cli import with_appcontext

from crm import clock
from crm.deployment import absolute_url, mail_problem
from crm.extensions import db
from crm.mail import MailError, send_mail
from crm.models import User
from crm.reminders import services


def register(app: Flask) -> None:
    """Attach this feature's commands to the app."""
    app.cli.add_command(send_reminders)


def compose(user: User, digest: services.MorningDigest) -> tuple[str, str, str, dict[str, str]]:
    """Subject, plain text, HTML and the one-click unsubscribe headers (RFC 8058)."""
    token = services.unsubscribe_token(user, current_app.config["SECRET_KEY"])
    unsubscribe = absolute_url("reminders.unsubscribe", token=token)
    context = {
        "digest": digest,
        "followups_url": absolute_url("followups.index"),
        "settings_url": absolute_url("settings.index"),
        "unsubscribe_url": unsubscribe,
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    text = render_template("reminders/email.txt", **context)
    html = render_template("reminders/email.html", **context)
    return digest.subject, text, html, headers


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Send the morning email to each user whose hour has come; run it every hour."""
    config = current_app.config
    problem = mail_problem(config)
    if problem:
        raise click.ClickException(f"{problem} (see the README).")
    now = clock.now()
    sent = skipped = 0
    for user in services.users_asking():
        if not services.wants_email_now(user, now):
            skipped += 1
            continue
        digest = services.digest_for(user, now)
        if digest.empty:
            # Nothing due: no email, and no second look until tomorrow.
            services.mark_handled(user, digest.today)
            db.session.commit()
            skipped += 1
            continue
        subject, text, html, headers = compose(user, digest)
        try:
            send_mail(config, user.email, subject, text, html, headers)
        except MailError as error:
            # Left unmarked, so the next hourly run tries this user again.
            current_app.logger.warning("morning email to %s failed: %s", user.email, error)
            click.echo(f"Could not send to {user.email}: {error} (will retry)", err=True)
            skipped += 1
            continue
        # One commit per message that went out: a later failure must not send it twice.
        services.mark_handled(user, digest.today)
        db.session.commit()
        sent += 1
    click.echo(f"sent: {sent}, skipped: {skipped}")
