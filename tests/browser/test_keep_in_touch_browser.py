"""Keep in touch in Chromium: a person past their cadence, "Kept in touch" on the Follow-ups
page, the next reminder said in the flash; the Calendar and sync page explains the tasks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from crm.followups.rules import keep_in_touch_due
from crm.formatting import day_label
from tests.browser.conftest import SCREENSHOTS, register
from tests.browser.test_followups_browser import add_contact

pytestmark = pytest.mark.browser


def test_kept_in_touch_on_the_follow_ups_page(page, live_server, check_a11y):
    register(page, live_server, check_a11y, "touch@example.com")
    today = date.fromisoformat(page.evaluate("() => new Date().toLocaleDateString('en-CA')"))
    add_contact(page, live_server, "Ana", "Acme")
    # Last talked to two months ago, monthly since: she is losing touch.
    page.locator("summary", has_text="Log outreach").click()
    page.get_by_label("Channel").select_option("email")
    page.get_by_label("Date", exact=True).fill((today - timedelta(days=61)).isoformat())
    page.get_by_label("Status").select_option("replied")
    page.get_by_label("Summary or message").fill("Coffee and a chat about data teams")
    page.get_by_role("button", name="Log outreach").click()
    page.locator("summary", has_text="Keep in touch").click()
    page.get_by_label("Keep in touch").select_option("1m")
    page.get_by_role("button", name="Save cadence").click()

    page.get_by_role("link", name="Follow-ups").first.click()
    losing = page.locator("section", has=page.get_by_role("heading", name="Losing touch"))
    expect(losing.get_by_role("link", name="Ana Example")).to_be_visible()
    check_a11y(page)
    losing.screenshot(path=str(SCREENSHOTS / "losing-touch.png"))
    losing.get_by_role("button", name="Kept in touch with Ana Example").click()

    following = day_label(keep_in_touch_due(today, "1m", today), today)
    expect(
        page.get_by_text(
            f"Kept in touch with Ana Example. Next: keep in touch with Ana Example on {following}."
        )
    ).to_be_visible()
    expect(losing.get_by_role("link", name="Ana Example")).to_have_count(0)
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "kept-in-touch.png"), full_page=True)

    page.get_by_role("link", name="Calendar and sync").click()
    expect(page.get_by_text("Each person you keep in touch with shows as a task")).to_be_visible()
    check_a11y(page)
