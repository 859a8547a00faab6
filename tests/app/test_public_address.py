"""Absolute links come from CRM_BASE_URL alone, never from the Host a request names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import crm
from crm.deployment import NoPublicAddress, absolute_url
from tests.conftest import TEST_PASSWORD

REPO = Path(crm.__file__).resolve().parent.parent


def register(client, base_url: str = "http://localhost") -> None:
    client.post(
        "/register",
        data={"email": "jo@example.com", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD},
        base_url=base_url,
    )
    client.post("/logout", base_url=base_url)


def test_a_reset_link_never_follows_a_forged_host(app, client, mailbox):
    register(client)
    mailbox.clear()  # the welcome email
    forgot = {"data": {"email": "jo@example.com"}, "base_url": "http://evil.example"}

    refused = client.post("/password/forgot", **forgot)
    # Even when a Host gets through (no trusted-hosts list), the link stays on CRM_BASE_URL.
    app.config["TRUSTED_HOSTS"] = None
    app.config["BASE_URL"] = "https://crm.example.org"
    client.post("/password/forgot", **forgot)

    assert refused.status_code == 400
    body = mailbox.only_message().body()
    assert "https://crm.example.org/password/reset/" in body
    assert "evil.example" not in body


def test_with_mail_and_no_base_url_no_reset_mail_goes_out_and_the_page_says_why(
    app, app_factory, mailbox
):
    # `app` is asked for only to empty the tables after the test.
    mailbox.config.pop("BASE_URL")
    bare = app_factory(**mailbox.config)
    client = bare.test_client()
    register(client, "http://evil.example")

    answer = client.post(
        "/password/forgot", data={"email": "jo@example.com"}, base_url="http://evil.example"
    )
    page = client.get("/password/forgot").get_data(as_text=True)

    assert mailbox.messages == []
    assert "has no public address set (CRM_BASE_URL)" in answer.get_data(as_text=True)
    assert "has no public address set (CRM_BASE_URL)" in page
    assert "Send me a link" not in page


def test_with_mail_and_no_base_url_settings_say_the_morning_email_cannot_go_out(
    app, app_factory, mailbox
):
    mailbox.config.pop("BASE_URL")
    bare = app_factory(**mailbox.config)
    client = bare.test_client()
    register(client)
    client.post("/login", data={"email": "jo@example.com", "password": TEST_PASSWORD})

    page = client.get("/settings").get_data(as_text=True)

    assert "The morning email cannot go out now." in page
    assert "CRM_BASE_URL" in page


def test_settings_say_nothing_when_mail_can_go_out(app, client, auth, user, mailbox):
    assert "cannot go out" not in client.get("/settings").get_data(as_text=True)


def test_the_app_says_at_start_that_it_sends_no_mail_without_a_base_url(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "CRM_DATABASE_URL": f"sqlite:///{tmp_path / 'crm.sqlite3'}",
        "CRM_SECRET_KEY": "s",
        "CRM_AUTO_MIGRATE": "0",
        "CRM_SMTP_URL": "smtp://127.0.0.1:2525",
    }
    env.pop("CRM_BASE_URL", None)
    code = "from crm import create_app; create_app()"

    started = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    with_address = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**env, "CRM_BASE_URL": "https://crm.example.org"},
        capture_output=True,
        text=True,
    )

    assert started.returncode == 0, started.stderr
    assert "Mail is turned off" in started.stderr
    assert "CRM_BASE_URL" in started.stderr
    assert "Mail is turned off" not in with_address.stderr


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://crm.example.org", "https://crm.example.org/follow-ups"),
        ("https://crm.example.org/", "https://crm.example.org/follow-ups"),
        ("https://example.org:8443/crm", "https://example.org:8443/crm/follow-ups"),
    ],
)
def test_absolute_links_are_built_the_same_inside_and_outside_a_request(app, base, expected):
    app.config["BASE_URL"] = base
    with app.app_context():
        outside = absolute_url("followups.index")
    with app.test_request_context("/", base_url="http://evil.example"):
        inside = absolute_url("followups.index")
    assert outside == inside == expected


def test_an_absolute_link_keeps_its_values_and_anchor(app):
    app.config["BASE_URL"] = "https://crm.example.org"
    with app.app_context():
        assert absolute_url("plan.index", _anchor="rut") == "https://crm.example.org/plan/#rut"
        assert absolute_url("calendar.feed", token="a-b_c") == (
            "https://crm.example.org/feed/a-b_c.ics"
        )


def test_without_a_base_url_no_absolute_link_is_made(app):
    with (
        app.test_request_context("/", base_url="http://evil.example"),
        pytest.raises(NoPublicAddress, match="CRM_BASE_URL"),
    ):
        absolute_url("followups.index")
