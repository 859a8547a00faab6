"""Registering in Chromium preselects the browser's own zone, even under an old alias."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from crm.extensions import db
from crm.models import User
from tests.browser.conftest import PASSWORD, SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("browser_zone", "listed"),
    [
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
    ],
)
def test_register_preselects_the_browsers_zone(
    browser, live_server, check_a11y, app, browser_zone, listed
):
    context = browser.new_context(timezone_id=browser_zone)
    page = context.new_page()
    try:
        page.goto(live_server + "/register")
        check_a11y(page)
        expect(page.get_by_label("Time zone")).to_have_value(listed)
        page.screenshot(path=str(SCREENSHOTS / "register-time-zone.png"))
        email = f"{listed.split('/')[1].lower()}-{browser_zone.split('/')[1].lower()}@example.com"
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Repeat password").fill(PASSWORD)
        page.get_by_role("button", name="Register").click()
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        page.get_by_role("link", name="Settings").click()
        expect(page.get_by_label("Time zone")).to_have_value(listed)
        check_a11y(page)
        with app.app_context():
            user = db.session.scalar(db.select(User).where(User.email == email))
            assert user is not None and user.time_zone == listed
    finally:
        context.close()
