"""A reply at the company closes a colleague's nudge: their page says why and brings it back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register
from tests.browser.test_followups_browser import add_contact

pytestmark = pytest.mark.browser


def log_today(page, summary: str) -> None:
    today = page.evaluate("() => new Date().toLocaleDateString('en-CA')")
    page.locator("summary", has_text="Log outreach").click()
    page.get_by_label("Date", exact=True).fill(today)
    page.get_by_label("Summary or message").fill(summary)
    page.get_by_role("button", name="Log outreach").click()


def test_a_reply_at_the_company_explains_and_reopens_a_closed_nudge(page, live_server, check_a11y):
    register(page, live_server, check_a11y, "threads@example.com")
    add_contact(page, live_server, "Kenji", "Globex")
    kenji = page.url
    log_today(page, "Could I ask about your path?")
    expect(page.get_by_text("Most first messages get no reply")).to_be_visible()
    # A second message to Kenji is the nudge: no second pair of follow-ups.
    log_today(page, "Just following up")
    expect(page.get_by_text("Logged as your nudge to Kenji")).to_be_visible()
    expect(page.get_by_text("Most first messages get no reply")).to_have_count(0)

    add_contact(page, live_server, "Tom", "Globex")
    log_today(page, "Hello Tom")
    page.get_by_role("button", name="Mark replied").click()
    expect(page.get_by_text("Tom Example replied!")).to_be_visible()

    page.goto(kenji)
    # Writing to Tom was the second person; Kenji's nudge was done (sent), not closed by Tom.
    closed = page.locator("div.followup-closed")
    expect(closed).to_have_count(1)
    expect(closed).to_contain_text("Reach a second person · Closed: you reached Tom Example")
    expect(page.get_by_text("Nudged on")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "thread-nudged.png"), full_page=True)


def test_a_colleagues_reply_closes_the_nudge_and_reopen_brings_it_back(
    page, live_server, check_a11y
):
    register(page, live_server, check_a11y, "threads2@example.com")
    add_contact(page, live_server, "Kenji", "Globex")
    kenji = page.url
    log_today(page, "Could I ask about your path?")
    add_contact(page, live_server, "Tom", "Globex")
    log_today(page, "Hello Tom")
    page.get_by_role("button", name="Mark replied").click()
    expect(page.get_by_text("Tom Example replied!")).to_be_visible()

    page.goto(kenji)
    closed = page.locator("div.followup-closed", has_text="Nudge once")
    expect(closed).to_contain_text("Closed: Tom Example at Globex replied on")
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "thread-closed-by-reply.png"), full_page=True)
    closed.get_by_role("button", name="Reopen").click()
    expect(page.get_by_text("Reopened the follow-up for Kenji Example.")).to_be_visible()
    expect(page.locator("ul.followups")).to_contain_text("Nudge once")
    expect(page.locator("div.followup-closed", has_text="Nudge once")).to_have_count(0)
