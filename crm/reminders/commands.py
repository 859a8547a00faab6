"""send-reminders: the morning email to each user who asked for it, once per local day."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import click
from flask import Flask, current_app, render_template
from flask.cli import with_appcontext

from crm import clock
from crm.extensions import db
from crm.mail import MailError, mail_configured, send_mail
from crm.models import User
from crm.reminders import services
from crm.words import plural


def register(app: Flask) -> None:
    """Attach this feature's commands to the app."""
    app.cli.add_command(send_reminders)


def base_url(config: Mapping[str, Any]) -> str:
    """The public address links in mail point at (CRM_BASE_URL)."""
    url = str(config.get("BASE_URL") or os.environ.get("CRM_BASE_URL") or "")
    return (url or "http://127.0.0.1:5000").rstrip("/")


def compose(user: User, digest: services.MorningDigest) -> tuple[str, str, str, dict[str, str]]:
    """Subject, plain text, HTML and the List-Unsubscribe headers of one morning email."""
    root = base_url(current_app.config)
    token = services.unsubscribe_token(user, current_app.config["SECRET_KEY"])
    unsubscribe = f"{root}/morning-email/unsubscribe/{token}"
    context = {
        "digest": digest,
        "followups_url": f"{root}/follow-ups",
        "settings_url": f"{root}/settings",
        "unsubscribe_url": unsubscribe,
    }
    count = len(digest.overdue) + len(digest.due_today)
    parts = []
    if count:
        parts.append(plural(count, "follow-up"))
    if digest.interviews:
        parts.append(plural(len(digest.interviews), "interview"))
    subject = f"Today: {' and '.join(parts)}"
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    text = render_template("reminders/email.txt", **context)
    html = render_template("reminders/email.html", **context)
    return subject, text, html, headers


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Send the morning email to each user whose hour has come; run it every hour."""
    config = current_app.config
    if not mail_configured(config):
        raise click.ClickException("No mail server is set up: set CRM_SMTP_URL (see the README).")
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
