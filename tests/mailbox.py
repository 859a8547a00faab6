"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests.

The `mailbox` fixture in conftest.py starts one per test; an app built in that test
(`app`, or `app_factory(**mailbox.config)`) sends its mail there.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from crm.outbox import wait_until_sent


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """One message as the server took it: envelope and parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes = b""

    def body(self, subtype: str = "plain") -> str:
        """The text/plain (or text/html) part's decoded text."""
        part = self.message.get_body(preferencelist=(subtype,))
        assert part is not None, f"the message has no text/{subtype} part"
        return part.get_content().replace("\r\n", "\n")


@dataclass
class _Collector:
    """aiosmtpd handler: parse each DATA into a Received."""

    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay_seconds: float = 0.0

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)  # a slow server, as real ones often are
        content = envelope.original_content
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), parsed, raw=content)
            )
        return "250 Message accepted for delivery"


class Mailbox:
    """A running SMTP server and the messages it has received."""

    def __init__(
        self,
        *,
        login: tuple[str, str] | None = None,
        starttls: ssl.SSLContext | None = None,
        implicit_tls: ssl.SSLContext | None = None,
        delay_seconds: float = 0.0,
    ) -> None:
        self.port = free_port()
        self._collector = _Collector(delay_seconds=delay_seconds)
        self.logins: list[str] = []
        kwargs: dict[str, Any] = {}
        if login is not None:
            # A STARTTLS server insists on TLS before AUTH, as real servers do.
            kwargs.update(
                authenticator=self._authenticator(login),
                auth_required=starttls is not None,
                auth_require_tls=starttls is not None,
            )
        if starttls is not None:
            kwargs.update(tls_context=starttls, require_starttls=True)
        self._controller = Controller(
            self._collector,
            hostname="127.0.0.1",
            port=self.port,
            ssl_context=implicit_tls,
            server_hostname="127.0.0.1",
            **kwargs,
        )
        scheme = "smtps" if implicit_tls is not None else "smtp"
        credentials = f"{login[0]}:{login[1]}@" if login else ""
        self.url = f"{scheme}://{credentials}127.0.0.1:{self.port}"
        # The app sends mail only with a public address for its links (the test client's host).
        self.config = {
            "SMTP_URL": self.url,
            "MAIL_FROM": "CRM <crm@example.org>",
            "BASE_URL": "http://localhost",
        }

    def _authenticator(self, expected: tuple[str, str]):
        def check(server, session, envelope, mechanism, auth_data) -> AuthResult:
            if not isinstance(auth_data, LoginPassword):
                return AuthResult(success=False, handled=False)
            given = (auth_data.login.decode(), auth_data.password.decode())
            self.logins.append(given[0])
            return AuthResult(success=given == expected, handled=False)

        return check

    @property
    def messages(self) -> list[Received]:
        """What arrived, once the app has sent all it queued (crm.outbox sends after the
        response)."""
        wait_until_sent()
        with self._collector.lock:
            return list(self._collector.received)

    def clear(self) -> None:
        """Forget what arrived so far (once the app has sent all it queued)."""
        wait_until_sent()
        with self._collector.lock:
            self._collector.received.clear()

    def only_message(self) -> Received:
        """The one message received; fails when there are none or several."""
        received = self.messages
        assert len(received) == 1, f"expected one message, got {len(received)}"
        return received[0]

    def start(self) -> Mailbox:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made by openssl for TLS tests."""
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def server_tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
