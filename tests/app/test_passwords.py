"""One rule for every new password: 12 characters or more, not a pattern, not a common one."""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

import crm
from crm.extensions import db
from crm.models import User
from tests.app.test_account import can_log_in, reset_link
from tests.conftest import TEST_PASSWORD

TOO_SHORT = "Use at least 12 characters (and at most 200)."
COMMON = "That password is on a list of common passwords that attackers try first."
REPEATS = "That password repeats a few characters over and over."
REFUSED = [
    ("password", TOO_SHORT),
    ("12345678", TOO_SHORT),
    ("aaaaaaaa", TOO_SHORT),
    ("eleven char", TOO_SHORT),
    ("password1234", COMMON),
    ("Password1234", COMMON),
    ("qwerty123456", COMMON),
    ("123456789012", COMMON),
    ("aaaaaaaaaaaaaaaa", REPEATS),
    ("abababababababab", REPEATS),
]


def test_the_list_ships_inside_the_package():
    shipped = Path(crm.__file__).parent / "auth" / "common_passwords.txt.gz"
    with gzip.open(shipped, "rt", encoding="utf-8") as lines:
        entries = [line.rstrip("\n") for line in lines]
    assert len(entries) > 10_000
    assert "password1234" in entries and "iloveyou1234" in entries
    assert all(len(entry) >= 12 for entry in entries)


@pytest.mark.parametrize(("password", "message"), REFUSED)
def test_registering_with_a_weak_password_says_why_and_writes_nothing(
    client, app, password, message
):
    page = client.post(
        "/register",
        data={"email": "kim@example.com", "password": password, "confirm": password},
    ).get_data(as_text=True)
    assert message in page
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_a_strong_passphrase_is_welcome(client, app):
    response = client.post(
        "/register",
        data={"email": "kim@example.com", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD},
    )
    assert response.status_code == 302


def test_changing_the_password_keeps_the_same_rule(app, client, user):
    for password, message in REFUSED:
        page = client.post(
            "/account/password",
            data={"current_password": TEST_PASSWORD, "password": password, "confirm": password},
        ).get_data(as_text=True)
        assert message in page
    assert can_log_in(app, "jo@example.com", TEST_PASSWORD)


def test_a_reset_by_email_keeps_the_same_rule(app, client, auth, user, mailbox):
    auth.logout()
    client.post("/password/forgot", data={"email": "jo@example.com"})
    path = urlsplit(reset_link(mailbox)).path
    for password, message in REFUSED:
        page = client.post(path, data={"password": password, "confirm": password})
        assert message in page.get_data(as_text=True)
    assert can_log_in(app, "jo@example.com", TEST_PASSWORD)


def test_the_commands_keep_the_same_rule(app, user, runner):
    for password, message in REFUSED:
        reset = runner.invoke(args=["reset-password", "jo@example.com"], input=f"{password}\n")
        assert reset.exit_code == 1 and message in reset.output
        created = runner.invoke(args=["create-user", "new@example.com"], input=f"{password}\n")
        assert created.exit_code == 1 and message in created.output
    assert can_log_in(app, "jo@example.com", TEST_PASSWORD)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1
