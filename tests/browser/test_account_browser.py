"""The Account page in Chromium: change the password, reset it by email, delete the account."""

from __future__ import annotations

import re
import threading
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.browser.conftest import PASSWORD, SCREENSHOTS, register
from tests.conftest import dispose, make_test_app, whole_responses
from tests.mailbox import Mailbox

pytestmark = pytest.mark.browser
NEW_PASSWORD = "another long passphrase"


@pytest.fixture(scope="module")
def mail_server(database_url):
    """The app with CSRF on and a real SMTP server on loopback, served on a free port."""
    mailbox = Mailbox().start()
    mailbox.config.pop("BASE_URL")
    app = make_test_app(database_url, WTF_CSRF_ENABLED=True, **mailbox.config)
    server = make_server("127.0.0.1", 0, whole_responses(app), threaded=True)
    # Its public address (CRM_BASE_URL) is known once the port is: the reset link uses it.
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app.config["BASE_URL"], mailbox
    server.shutdown()
    thread.join(timeout=5)
    dispose(app)
    mailbox.stop()


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_change_password_logs_out_the_other_browser(browser, page, live_server, check_a11y):
    register(page, live_server, check_a11y, "change@example.com")
    other = browser.new_context()
    other_page = other.new_page()
    log_in(other_page, live_server, "change@example.com", PASSWORD)
    expect(other_page.get_by_role("heading", name="Dashboard")).to_be_visible()

    page.goto(live_server + "/settings")
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
    check_a11y(page)
    expect(page.get_by_role("cell", name=re.compile(r"\(this device\)"))).to_be_visible()
    section = page.locator("form[action='/account/password']")
    section.get_by_label("Current password").fill("not my password")
    section.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    section.get_by_label("Repeat new password").fill(NEW_PASSWORD)
    section.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("That is not your current password.")).to_be_visible()
    check_a11y(page)

    section = page.locator("form[action='/account/password']")
    section.get_by_label("Current password").fill(PASSWORD)
    section.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    section.get_by_label("Repeat new password").fill(NEW_PASSWORD)
    section.get_by_role("button", name="Change password").click()

    expect(
        page.get_by_text("Your password is changed. 1 other session logged out.")
    ).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "account.png"), full_page=True)
    other_page.goto(live_server + "/dashboard")
    expect(other_page.get_by_role("heading", name="Log in")).to_be_visible()
    other.close()


def test_forgot_password_sends_a_link_that_sets_a_new_one(page, mail_server, check_a11y):
    base, mailbox = mail_server
    # With mail set up, registering answers "check your email" and the email says the rest.
    page.goto(base + "/register")
    page.get_by_label("Email").fill("forgot@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Check your email")).to_be_visible()
    check_a11y(page)
    (welcome,) = [m for m in mailbox.messages if m.rcpt_tos == ["forgot@example.com"]]
    assert welcome.message["Subject"] == "Your account is ready"

    page.get_by_role("link", name="Forgot your password?").click()
    check_a11y(page)
    page.get_by_label("Email").fill("forgot@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_text("If an account exists for that address")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "forgot.png"), full_page=True)

    (message,) = [m for m in mailbox.messages if m.message["Subject"] == "Set a new password"]
    link = re.search(r"http://\S+/password/reset/\S+", message.body()).group(0)
    page.goto(base + urlsplit(link).path)
    check_a11y(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat new password").fill(NEW_PASSWORD)
    page.screenshot(path=str(SCREENSHOTS / "reset.png"), full_page=True)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your new password is set. Log in with it.")).to_be_visible()

    log_in(page, base, "forgot@example.com", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(base + urlsplit(link).path)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    check_a11y(page)


def test_delete_my_account_asks_for_the_password_then_removes_it(page, live_server, check_a11y):
    register(page, live_server, check_a11y, "leaving@example.com")
    page.goto(live_server + "/account")
    section = page.locator("form[action='/account/delete']")
    section.get_by_label("Password").fill("wrong password")
    section.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password. Nothing was deleted.")).to_be_visible()
    check_a11y(page)

    section = page.locator("form[action='/account/delete']")
    section.get_by_label("Password").fill(PASSWORD)
    section.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_text("Your account and everything in it are deleted.")).to_be_visible()
    check_a11y(page)
    log_in(page, live_server, "leaving@example.com", PASSWORD)
    expect(page.get_by_text("That email and password do not match an account.")).to_be_visible()
