"""Sending mail through a real SMTP server on loopback: plain, STARTTLS, TLS, logins, failures."""

from __future__ import annotations

import pytest

from crm.mail import MailError, mail_configured, parse_smtp_url, send_mail
from tests.mailbox import Mailbox, free_port, self_signed_certificate, server_tls_context


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trust(certificate, monkeypatch):
    """Make the test certificate one the client trusts, as an owner would with SSL_CERT_FILE."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    return certificate


@pytest.fixture
def running():
    servers: list[Mailbox] = []

    def start(**kwargs) -> Mailbox:
        servers.append(Mailbox(**kwargs).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def test_plain_text_and_html_reach_the_server(mailbox):
    send_mail(
        mailbox.config,
        "maya@example.com",
        "Your link",
        "Open https://crm.example.org/x\n",
        html="<p>Open <a href='https://crm.example.org/x'>the link</a></p>",
        headers={"Auto-Submitted": "auto-generated"},
    )
    received = mailbox.only_message()
    assert received.rcpt_tos == ["maya@example.com"]
    assert received.mail_from == "crm@example.org"
    assert received.message["Subject"] == "Your link"
    assert received.message["From"] == "CRM <crm@example.org>"
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert received.message["Message-ID"].endswith("@example.org>")
    assert received.body("plain") == "Open https://crm.example.org/x\n"
    assert "the link</a>" in received.body("html")


def test_a_message_without_html_is_plain_text_only(mailbox):
    send_mail(mailbox.config, "maya@example.com", "Hello", "Just text.")
    message = mailbox.only_message().message
    assert message.get_content_type() == "text/plain"
    assert message.get_content().strip() == "Just text."


def test_logs_in_when_the_url_has_a_user(running):
    server = running(login=("crm", "s3cret/pass"))
    # A server with no TLS: the owner says a plain login is intended.
    config = {
        "SMTP_URL": f"smtp://crm:s3cret%2Fpass@127.0.0.1:{server.port}",
        "SMTP_PLAIN": True,
    }
    send_mail(config, "maya@example.com", "Hi", "Text")
    assert server.logins == ["crm"]
    assert len(server.messages) == 1


def test_a_wrong_password_says_the_login_was_refused(running):
    server = running(login=("crm", "right"))
    config = {
        "SMTP_URL": f"smtp://crm:wrong@127.0.0.1:{server.port}",
        "MAIL_FROM": "a@b.org",
        "SMTP_PLAIN": True,
    }
    with pytest.raises(MailError, match="refused the login"):
        send_mail(config, "maya@example.com", "Hi", "Text")
    assert server.messages == []


def test_upgrades_with_starttls_when_the_server_offers_it(running, trust):
    # The server refuses to log in before TLS, so a message arriving proves STARTTLS ran.
    server = running(login=("crm", "pw"), starttls=server_tls_context(*trust))
    config = {"SMTP_URL": f"smtp://crm:pw@127.0.0.1:{server.port}", "MAIL_FROM": "a@b.org"}
    send_mail(config, "maya@example.com", "Over TLS", "Text")
    assert server.logins == ["crm"]
    assert server.only_message().message["Subject"] == "Over TLS"


def test_a_server_without_starttls_never_receives_the_password(running):
    # A stripping server (or a downgraded connection) offers no STARTTLS and takes any login.
    server = running(login=("crm", "pw"))
    config = {"SMTP_URL": f"smtp://crm:pw@127.0.0.1:{server.port}", "MAIL_FROM": "a@b.org"}

    with pytest.raises(MailError, match="offers no STARTTLS, so the password") as refused:
        send_mail(config, "maya@example.com", "Hi", "Text")

    assert "CRM_SMTP_PLAIN=1" in str(refused.value)
    assert server.logins == []
    assert server.messages == []


def test_without_a_login_plain_smtp_still_sends(mailbox):
    # Nothing secret to protect: a local relay with no user gets the message as before.
    send_mail({"SMTP_URL": mailbox.url}, "maya@example.com", "Hi", "Text")
    assert mailbox.only_message().message["Subject"] == "Hi"


def test_the_app_reads_the_plain_login_setting_from_the_environment(monkeypatch, tmp_path):
    from crm import create_app

    monkeypatch.setenv("CRM_SMTP_PLAIN", "1")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "AUTO_MIGRATE": False,
            "TESTING": True,
        }
    )
    assert app.config["SMTP_PLAIN"] is True
    monkeypatch.setenv("CRM_SMTP_PLAIN", "0")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'y.sqlite3'}",
            "AUTO_MIGRATE": False,
            "TESTING": True,
        }
    )
    assert app.config["SMTP_PLAIN"] is False


def test_smtps_speaks_tls_from_the_start(running, trust):
    server = running(implicit_tls=server_tls_context(*trust))
    assert server.url.startswith("smtps://")
    send_mail(server.config, "maya@example.com", "Implicit", "Text")
    assert server.only_message().message["Subject"] == "Implicit"


def test_an_untrusted_certificate_is_refused(running, certificate):
    server = running(implicit_tls=server_tls_context(*certificate))
    with pytest.raises(MailError, match="TLS"):
        send_mail(server.config, "maya@example.com", "Nope", "Text")
    assert server.messages == []


def test_no_server_listening_is_a_clear_error():
    config = {"SMTP_URL": f"smtp://127.0.0.1:{free_port()}"}
    with pytest.raises(MailError, match="Could not reach the mail server 127.0.0.1"):
        send_mail(config, "maya@example.com", "Hi", "Text")


def test_a_newline_in_a_header_sends_nothing(mailbox):
    with pytest.raises(MailError, match="malformed header"):
        send_mail(mailbox.config, "maya@example.com", "Hi\nBcc: x@evil.example", "Text")
    assert mailbox.messages == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://u:p@mail.example.org", (False, "mail.example.org", 587, "u", "p")),
        ("smtps://mail.example.org", (True, "mail.example.org", 465, None, None)),
        ("smtp://a%40b.org:p%3Aw@h:2525", (False, "h", 2525, "a@b.org", "p:w")),
    ],
)
def test_smtp_urls_are_read_with_their_defaults(url, expected):
    server = parse_smtp_url(url)
    assert (server.implicit_tls, server.host, server.port, server.username, server.password) == (
        expected
    )


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "smtp://h:port"])
def test_bad_smtp_urls_are_refused_with_a_reason(url):
    with pytest.raises(MailError, match="CRM_SMTP_URL"):
        parse_smtp_url(url)


def test_mail_is_configured_only_with_an_smtp_url():
    assert not mail_configured({"SMTP_URL": ""})
    assert not mail_configured({})
    assert mail_configured({"SMTP_URL": "smtp://localhost"})
    with pytest.raises(MailError, match="No mail server"):
        send_mail({"SMTP_URL": ""}, "maya@example.com", "Hi", "Text")


def test_the_app_reads_smtp_settings_from_the_environment(monkeypatch, tmp_path):
    from crm import create_app

    monkeypatch.setenv("CRM_SMTP_URL", " smtp://mail.example.org:587 ")
    monkeypatch.setenv("CRM_MAIL_FROM", "CRM <crm@example.org>")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "AUTO_MIGRATE": False,
            "TESTING": True,
        }
    )
    assert app.config["SMTP_URL"] == "smtp://mail.example.org:587"
    assert app.config["MAIL_FROM"] == "CRM <crm@example.org>"
    assert mail_configured(app.config)
