"""Two-factor sign-in in Chromium: enrol by reading the key off the Account page, log in with
a code from an authenticator (pyotp here), then with a recovery code once and never again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, SCREENSHOTS, register

pytestmark = pytest.mark.browser
START = datetime(2026, 12, 7, 9, 0, 0, tzinfo=UTC)


def log_in_with_password(page, live_server, check_a11y, email: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Two-factor code")).to_be_visible()
    check_a11y(page)


def type_code(page, code: str) -> None:
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Log in").click()


def test_enrol_then_log_in_with_a_code_and_a_recovery_code_once(
    page, live_server, check_a11y, clock
):
    clock.set(START)
    email = "totp@example.com"
    register(page, live_server, check_a11y, email)
    page.goto(live_server + "/account")
    section = page.locator("#two-factor")
    expect(section.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    check_a11y(page)
    section.get_by_role("button", name="Set up two-factor sign-in").click()

    section = page.locator("#two-factor")
    expect(section.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "two-factor-enrol.png"), full_page=True)
    secret = section.locator("#two-factor-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)

    section.get_by_label("Code", exact=True).fill("000000")
    section.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Two-factor sign-in is not on yet.")).to_be_visible()
    expect(page.get_by_label("Code", exact=True)).to_have_attribute("aria-invalid", "true")
    check_a11y(page)

    section = page.locator("#two-factor")
    section.get_by_label("Code", exact=True).fill(totp.at(START))
    section.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "two-factor-recovery-codes.png"), full_page=True)
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10

    page.get_by_role("link", name="I have saved them: back to Account").click()
    expect(page.get_by_text("10 of 10 recovery codes left")).to_be_visible()
    check_a11y(page)
    page.locator("#two-factor").screenshot(path=str(SCREENSHOTS / "two-factor-on.png"))
    page.get_by_role("button", name="Log out").click()

    # The next 30-second window: the app shows a new code.
    moment = START + timedelta(seconds=40)
    clock.set(moment)
    log_in_with_password(page, live_server, check_a11y, email)
    page.screenshot(path=str(SCREENSHOTS / "two-factor-login.png"), full_page=True)
    type_code(page, totp.at(moment))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Log out").click()

    log_in_with_password(page, live_server, check_a11y, email)
    type_code(page, codes[0])
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(live_server + "/account")
    expect(page.get_by_text("9 of 10 recovery codes left")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in_with_password(page, live_server, check_a11y, email)
    type_code(page, codes[0])
    expect(page.get_by_text("That code is not right, or it was used already.")).to_be_visible()
    expect(page.get_by_role("heading", name="Two-factor code")).to_be_visible()
    check_a11y(page)
    page.goto(live_server + "/dashboard")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
