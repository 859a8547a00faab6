"""Devices and apps in Chromium: name a device, Create, the password shown once, Revoke."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser


def test_a_device_password_is_created_shown_once_and_revoked(page, live_server, check_a11y):
    register(page, live_server, check_a11y, "devices@example.com")
    page.goto(live_server + "/account")
    page.get_by_role("link", name="Devices and apps").click()
    expect(page.get_by_role("heading", name="Devices and apps")).to_be_visible()
    check_a11y(page)

    page.get_by_label("Device or app name").fill("iPhone")
    page.get_by_role("button", name="Create").click()

    shown = page.get_by_role("textbox", name="Device password")
    expect(shown).to_have_value(re.compile(r"^[a-z2-9]{6}(-[a-z2-9]{6}){3}$"))
    expect(page.get_by_text("It is shown only this once.")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "devices.png"), full_page=True)

    page.goto(live_server + "/account/devices")
    expect(page.get_by_role("textbox", name="Device password")).to_have_count(0)
    expect(page.get_by_role("cell", name="Not used yet")).to_be_visible()
    page.get_by_role("button", name="Revoke iPhone").click()
    expect(page.get_by_text("Revoked the password for iPhone.")).to_be_visible()
    expect(page.get_by_text("No device syncs yet.")).to_be_visible()
    check_a11y(page)
