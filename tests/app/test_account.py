"""The Account page: name, email, password change and reset, deleting the account."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import vobject
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from crm import clock
from crm.auth.models import LoginSession
from crm.extensions import db
from crm.imports.models import PendingUpload
from crm.imports.pending import PendingUploads
from crm.models import (
    Contact,
    FollowUp,
    Interview,
    Outreach,
    User,
)
from tests.app.test_calendar_downloads import add_contact, add_followup, add_interview, user_id
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def reset_link(mailbox) -> str:
    """The reset link in the one message received, as a path for the test client."""
    body = mailbox.only_message().body()
    match = re.search(r"https?://\S+/password/reset/\S+", body)
    assert match, body
    return match.group(0)


def can_log_in(app, email: str, password: str) -> bool:
    response = app.test_client().post("/login", data={"email": email, "password": password})
    return response.status_code == 302


# ---- Forgot your password? -----------------------------------------------------------------


def test_a_forgotten_password_is_reset_through_an_emailed_link(app, client, auth, user, mailbox):
    app.config["BASE_URL"] = "https://crm.example.org"
    auth.logout()
    login_page = client.get("/login").get_data(as_text=True)
    assert "Forgot your password?" in login_page
    page = client.get("/password/forgot").get_data(as_text=True)
    assert "Send me a link" in page

    response = client.post("/password/forgot", data={"email": "JO@example.com"})
    shown = client.get(response.headers["Location"]).get_data(as_text=True)

    assert "If an account exists for that address, we have sent it a link" in shown
    received = mailbox.only_message()
    assert received.rcpt_tos == ["jo@example.com"]
    assert received.message["Subject"] == "Set a new password"
    link = reset_link(mailbox)
    assert link.startswith("https://crm.example.org/password/reset/")
    path = urlsplit(link).path
    form = client.get(path).get_data(as_text=True)
    assert "New password" in form and "Repeat new password" in form and "Set password" in form

    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert "Your new password is set" in client.get("/login").get_data(as_text=True)
    assert can_log_in(app, "jo@example.com", NEW_PASSWORD)
    assert not can_log_in(app, "jo@example.com", TEST_PASSWORD)
    # Used once: the same link no longer works.
    again = client.get(path)
    assert again.status_code == 404
    assert "This link no longer works" in again.get_data(as_text=True)
    second = client.post(path, data={"password": "yet another one!", "confirm": "yet another one!"})
    assert second.status_code == 404
    assert can_log_in(app, "jo@example.com", NEW_PASSWORD)


def test_an_unknown_address_sees_the_same_page_and_gets_no_email(client, auth, user, mailbox):
    auth.logout()
    client.get("/login")  # shows (and so clears) the earlier messages
    known = client.post("/password/forgot", data={"email": "jo@example.com"}, follow_redirects=True)
    unknown = client.post(
        "/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True
    )
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert [m.rcpt_tos for m in mailbox.messages] == [["jo@example.com"]]


def test_a_reset_link_dies_after_an_hour(client, auth, user, mailbox, monkeypatch):
    auth.logout()
    client.post("/password/forgot", data={"email": "jo@example.com"})
    path = urlsplit(reset_link(mailbox)).path
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) + 3601)
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 404
    assert "This link no longer works" in response.get_data(as_text=True)


def test_a_reset_link_dies_when_the_password_changes(app, client, auth, user, mailbox):
    client.post("/password/forgot", data={"email": "jo@example.com"})
    path = urlsplit(reset_link(mailbox)).path
    client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert client.get(path).status_code == 404
    assert can_log_in(app, "jo@example.com", NEW_PASSWORD)


def test_a_reset_ends_every_session(app, client, auth, user, mailbox):
    client.post("/password/forgot", data={"email": "jo@example.com"})
    path = urlsplit(reset_link(mailbox)).path
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert client.get("/dashboard").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginSession.id))) == 0


def test_a_forged_or_mangled_link_does_not_work(client, user, mailbox):
    for token in ["nonsense", "eyJ1IjoxLCJwIjoiYSJ9.Zz.x", "a" * 500]:
        response = client.get(f"/password/reset/{token}")
        assert response.status_code == 404
        assert "This link no longer works" in response.get_data(as_text=True)


def test_a_short_new_password_is_refused_on_the_reset_page(app, client, auth, user, mailbox):
    auth.logout()
    client.post("/password/forgot", data={"email": "jo@example.com"})
    path = urlsplit(reset_link(mailbox)).path
    response = client.post(path, data={"password": "short", "confirm": "short"})
    assert "Use at least 12 characters" in response.get_data(as_text=True)
    assert can_log_in(app, "jo@example.com", TEST_PASSWORD)


def test_reset_requests_are_limited(client, auth, user, mailbox):
    auth.logout()
    for _ in range(3):
        client.post("/password/forgot", data={"email": "jo@example.com"})
    response = client.post("/password/forgot", data={"email": "jo@example.com"})
    assert response.status_code == 429
    assert re.search(r"Too many attempts\. Try again in \d+ minutes\.", response.get_data(True))
    assert len(mailbox.messages) == 3


def test_without_a_mail_server_the_login_page_offers_no_reset(client, auth, user):
    auth.logout()
    assert "Forgot your password?" not in client.get("/login").get_data(as_text=True)
    assert client.get("/password/forgot").status_code == 404


# ---- Change password -----------------------------------------------------------------------


def test_changing_the_password_ends_every_other_session(app, client, auth, user):
    other = app.test_client()
    other.post("/login", data={"email": "jo@example.com", "password": TEST_PASSWORD})
    assert other.get("/dashboard").status_code == 200

    response = client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    )

    assert "Your password is changed. 1 other session logged out." in response.get_data(True)
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").headers["Location"].startswith("/login")
    assert can_log_in(app, "jo@example.com", NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(app, client, user):
    response = client.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    assert can_log_in(app, "jo@example.com", TEST_PASSWORD)


def test_the_new_password_follows_the_rules_and_matches_its_repeat(app, client, user):
    cases = [
        ("short", "short", "Use at least 12 characters"),
        ("x" * 201, "x" * 201, "and at most 200"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords differ."),
    ]
    for password, confirm, message in cases:
        response = client.post(
            "/account/password",
            data={"current_password": TEST_PASSWORD, "password": password, "confirm": confirm},
        )
        assert message in response.get_data(as_text=True)
    assert can_log_in(app, "jo@example.com", TEST_PASSWORD)


# ---- Name and email ------------------------------------------------------------------------


def test_the_name_signs_interview_invitations(app, client, user):
    page = client.get("/account").get_data(as_text=True)
    for label in ["Name", "Email", "Current password", "New password", "Delete my account"]:
        assert f">{label}</label>" in page or f">{label}</button>" in page or label in page
    client.post("/account/profile", data={"name": "Jo Sánchez", "email": "jo@example.com"})
    owner = user_id(app)
    contact = add_contact(app, owner, first_name="Max", email="max@example.org")
    interview = add_interview(app, contact)

    data = client.get(f"/interviews/{interview}/invite.ics").get_data(as_text=True)

    event = vobject.readOne(data).vevent
    assert event.organizer.params["CN"] == ["Jo Sánchez"]
    assert event.organizer.value == "mailto:jo@example.com"
    assert 'value="Jo Sánchez"' in client.get("/account").get_data(as_text=True)


def test_changing_the_email_needs_the_current_password(app, client, user, auth):
    refused = client.post("/account/profile", data={"name": "", "email": "new@example.com"})
    assert "Type your current password to change your email." in refused.get_data(as_text=True)
    wrong = client.post(
        "/account/profile",
        data={"name": "", "email": "new@example.com", "current_password": "guess guess"},
    )
    assert "That is not your current password." in wrong.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.email)) == "jo@example.com"

    client.post(
        "/account/profile",
        data={"name": "", "email": "New@Example.com", "current_password": TEST_PASSWORD},
    )

    assert can_log_in(app, "new@example.com", TEST_PASSWORD)
    assert not can_log_in(app, "jo@example.com", TEST_PASSWORD)


def test_an_email_another_account_has_is_refused(app, client, auth):
    auth.register(email="taken@example.com")
    auth.logout()
    auth.register()
    response = client.post(
        "/account/profile",
        data={"name": "", "email": "taken@example.com", "current_password": TEST_PASSWORD},
    )
    assert "An account with this email already exists." in response.get_data(as_text=True)
    assert can_log_in(app, "jo@example.com", TEST_PASSWORD)


def test_a_name_too_long_is_refused(app, client, user):
    response = client.post("/account/profile", data={"name": "x" * 101, "email": "jo@example.com"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User.name)) == ""


# ---- Delete my account ---------------------------------------------------------------------


def _owned_counts(app, owner: int) -> list[int]:
    with app.app_context():
        return [
            db.session.scalar(select(func.count()).select_from(model).where(model.user_id == owner))
            for model in (Contact, Outreach, Interview, FollowUp, LoginSession, PendingUpload)
        ]


def test_deleting_the_account_removes_everything_it_owns(app, client, auth):
    auth.register(email="stays@example.com")
    stays = user_id(app, "stays@example.com")
    add_followup(app, add_contact(app, stays, company="Acme", first_name="Kept"))
    auth.logout()
    auth.register()
    owner = user_id(app)
    contact = add_contact(app, owner, company="Acme", tags="mentor", first_name="Gone")
    add_followup(app, contact)
    add_interview(app, contact)
    with app.app_context():
        PendingUploads(owner, clock.now()).save(b"First Name,Last Name\n", "waiting.csv")
        db.session.commit()
    before_stays = _owned_counts(app, stays)

    wrong = client.post("/account/delete", data={"password": "not it at all"})
    assert "That is not your password. Nothing was deleted." in wrong.get_data(as_text=True)
    assert _owned_counts(app, owner)[0] == 1 and _owned_counts(app, owner)[5] == 1

    response = client.post("/account/delete", data={"password": TEST_PASSWORD})

    assert response.headers["Location"] == "/login"
    assert client.get("/dashboard").status_code == 302
    with app.app_context():
        assert db.session.get(User, owner) is None
    assert _owned_counts(app, owner) == [0, 0, 0, 0, 0, 0]
    assert _owned_counts(app, stays) == before_stays
    assert not can_log_in(app, "jo@example.com", TEST_PASSWORD)
    assert can_log_in(app, "stays@example.com", TEST_PASSWORD)


# ---- The command line ----------------------------------------------------------------------


def test_the_owner_resets_a_password_from_the_command_line(app, client, user, runner):
    result = runner.invoke(
        args=["reset-password", "JO@example.com"], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "New password set for jo@example.com" in result.output
    assert client.get("/dashboard").status_code == 302  # the old session ended
    assert can_log_in(app, "jo@example.com", NEW_PASSWORD)


def test_the_command_line_keeps_the_web_forms_password_rules(app, user, runner):
    for password in ["short", "x" * 201]:
        result = runner.invoke(args=["reset-password", "jo@example.com"], input=f"{password}\n")
        assert result.exit_code == 1
        assert "Use at least 12 characters (and at most 200)." in result.output
    differ = runner.invoke(
        args=["reset-password", "jo@example.com"], input=f"{NEW_PASSWORD}\nsomething else\n"
    )
    assert differ.exit_code == 1 and "The two passwords differ." in differ.output
    unknown = runner.invoke(args=["reset-password", "who@example.com"], input="x\n")
    assert unknown.exit_code == 1 and "No account has the email" in unknown.output
    created = runner.invoke(args=["create-user", "new@example.com"], input="x" * 201 + "\n")
    assert created.exit_code == 1 and "at most 200" in created.output
    assert can_log_in(app, "jo@example.com", TEST_PASSWORD)
