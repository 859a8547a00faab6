"""Sending mail over SMTP, configured by CRM_SMTP_URL and CRM_MAIL_FROM.

`smtp://user:pass@host:587` speaks plain SMTP and upgrades with STARTTLS whenever the
server offers it; `smtps://user:pass@host:465` is TLS from the first byte. With a user in the
URL, TLS is required: a server that offers no STARTTLS gets no password and the send fails,
unless CRM_SMTP_PLAIN=1 says a plain login is intended. With no user the app does not log
in. Certificates are checked against the system's CAs (or the file in SSL_CERT_FILE). Knows
nothing of Flask: it takes the app's config as a mapping.
"""

from __future__ import annotations

import email.policy
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import unquote, urlsplit

TIMEOUT_SECONDS = 20
# Headers fold only past SMTP's own line limit: a long List-Unsubscribe URL folded at 78
# went out RFC 2047-encoded, which RFC 2369 forbids and mail providers do not read.
MAIL_POLICY = email.policy.default.clone(max_line_length=998)
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class MailError(RuntimeError):
    """Mail could not be sent; the message says why in words an owner can act on."""


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to send, read from CRM_SMTP_URL."""

    implicit_tls: bool
    host: str
    port: int
    username: str | None
    password: str | None
    # CRM_SMTP_PLAIN=1: the owner chose to log in without TLS (a relay on the same host).
    plain_allowed: bool = False


def parse_smtp_url(url: str, plain_allowed: bool = False) -> SmtpServer:
    """Read `smtp://` or `smtps://` URLs; raise MailError for anything else."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise MailError(f"CRM_SMTP_URL must start with smtp:// or smtps://, not {scheme!r}.")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError as error:
        raise MailError("CRM_SMTP_URL has a port that is not a number.") from error
    if not parts.hostname:
        raise MailError("CRM_SMTP_URL names no server (smtp://user:pass@host:587).")
    return SmtpServer(
        implicit_tls=scheme == "smtps",
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        plain_allowed=plain_allowed,
    )


def mail_configured(config: Mapping[str, Any]) -> bool:
    """True when the app can send mail (CRM_SMTP_URL is set)."""
    return bool(config.get("SMTP_URL"))


def sender_address(config: Mapping[str, Any]) -> str:
    """CRM_MAIL_FROM, else the SMTP login when it is an address, else crm@this host."""
    if config.get("MAIL_FROM"):
        return str(config["MAIL_FROM"])
    server = parse_smtp_url(str(config["SMTP_URL"]))
    if server.username and "@" in server.username:
        return server.username
    return f"crm@{socket.getfqdn()}"


def build_message(
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """A plain-text message, with an HTML alternative when given."""
    message = EmailMessage(policy=MAIL_POLICY)
    try:
        message["From"] = sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False, usegmt=True)
        domain = sender.rpartition("@")[2].strip("> ") or None
        message["Message-ID"] = make_msgid(domain=domain)
        for name, value in (headers or {}).items():
            message[name] = value
    except ValueError as error:  # a newline in a header would let text become headers
        raise MailError(f"This message has a malformed header: {error}") from error
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def _connect(server: SmtpServer) -> smtplib.SMTP:
    """An open, greeted and (when a user is set) logged-in connection."""
    context = ssl.create_default_context()
    connection: smtplib.SMTP
    if server.implicit_tls:
        connection = smtplib.SMTP_SSL(
            server.host, server.port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.ehlo()
        if not server.implicit_tls and connection.has_extn("starttls"):
            connection.starttls(context=context)
            connection.ehlo()
        elif not server.implicit_tls and server.username and not server.plain_allowed:
            raise MailError(
                f"The mail server {server.host}:{server.port} offers no STARTTLS, so the"
                " password in CRM_SMTP_URL was not sent. Use smtps://, a server that offers"
                " STARTTLS, or set CRM_SMTP_PLAIN=1 if a plain login is intended."
            )
        if server.username:
            connection.login(server.username, server.password or "")
    except BaseException:
        connection.close()
        raise
    return connection


def send_mail(
    config: Mapping[str, Any],
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """Send one message through CRM_SMTP_URL; raise MailError when it does not go out."""
    if not mail_configured(config):
        raise MailError("No mail server is set up (CRM_SMTP_URL).")
    server = parse_smtp_url(str(config["SMTP_URL"]), bool(config.get("SMTP_PLAIN")))
    message = build_message(sender_address(config), to, subject, text, html, headers)
    where = f"{server.host}:{server.port}"
    try:
        connection = _connect(server)
        try:
            connection.send_message(message)
        finally:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()
    except smtplib.SMTPAuthenticationError as error:
        raise MailError(f"The mail server {where} refused the login in CRM_SMTP_URL.") from error
    except smtplib.SMTPRecipientsRefused as error:
        raise MailError(f"The mail server {where} refused the address {to}.") from error
    except smtplib.SMTPException as error:
        raise MailError(f"The mail server {where} did not take the message: {error}") from error
    except ssl.SSLError as error:
        raise MailError(f"Could not set up TLS with the mail server {where}: {error}") from error
    except OSError as error:
        raise MailError(f"Could not reach the mail server {where}: {error}") from error
    return message
