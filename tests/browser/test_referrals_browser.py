"""Referrals in Chromium: an interview gives two names, one is reached with the template that
opens with the introduction, they reply, and the dashboard says to tell the referrer."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def browser_today(page) -> date:
    return date.fromisoformat(page.evaluate("() => new Date().toLocaleDateString('en-CA')"))


def test_an_interview_grows_the_network_and_the_referrer_hears_how_it_went(
    page, live_server, check_a11y
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    register(page, live_server, check_a11y, "referrals@example.com")
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("García")
    page.get_by_label("Company").fill("Acme")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Ana García")).to_be_visible()

    # Hold the interview (yesterday) and mark it done.
    page.get_by_role("button", name="Schedule interview").click()
    page.get_by_label("Date").fill((browser_today(page) - timedelta(days=1)).isoformat())
    page.get_by_label("Time").fill("10:00")
    page.get_by_role("button", name="Save").click()
    page.get_by_label("Career path").fill("Teacher, then analyst")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Well done!")).to_be_visible()
    expect(page.get_by_role("heading", name="Who else should I talk to?")).to_be_visible()
    check_a11y(page)

    # Two names: Tom, whom Ana may be named to; Léa, not asked yet (Enter adds her).
    page.get_by_label("Advice").fill("Say yes to small projects")
    page.get_by_label("Name", exact=True).fill("Tom Becker")
    page.get_by_label("Company").fill("Globex")
    page.get_by_label("Email or LinkedIn URL").fill("tom@example.com")
    page.get_by_role("group", name="I may mention Ana's name").get_by_label("Yes").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(
        page.get_by_text("Tom Becker is in your contacts, introduced by Ana García.")
    ).to_be_visible()
    expect(page.get_by_label("Advice")).to_have_value("Say yes to small projects")
    page.get_by_label("Name", exact=True).fill("Léa Dubois")
    page.get_by_label("Company").fill("Initech")
    page.get_by_label("Name", exact=True).press("Enter")
    expect(
        page.get_by_text("Léa Dubois is in your contacts, introduced by Ana García.")
    ).to_be_visible()
    expect(page.get_by_text("Mark as done")).to_have_count(0)  # Enter added; nothing else ran
    suggested = page.locator(".suggested-people")
    expect(suggested.get_by_role("link", name="Tom Becker")).to_be_visible()
    expect(suggested.get_by_role("link", name="Léa Dubois")).to_be_visible()
    check_a11y(page)
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SCREENSHOTS / "referrals-interview-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Reach Tom with the first-outreach template: it opens with the introduction.
    suggested.get_by_role("link", name="Tom Becker").click()
    expect(page.get_by_role("link", name="Ana García").first).to_be_visible()
    page.locator("summary", has_text="Log outreach").click()
    page.get_by_label("Template").select_option(label="First outreach")
    message = page.get_by_label("Summary or message")
    expect(message).to_have_value(re.compile("Ana García suggested I get in touch with you."))
    check_a11y(page)
    page.get_by_role("button", name="Log outreach").last.click()
    expect(page.get_by_text("Logged.")).to_be_visible()
    page.get_by_role("button", name="Mark replied").click()
    expect(
        page.get_by_text(
            "Tell Ana García how it went: Tom Becker replied. It is on your follow-ups."
        )
    ).to_be_visible()

    # Léa's first message leaves Ana out, and says why.
    page.goto(live_server + "/contacts/")
    page.get_by_role("link", name="Léa Dubois").click()
    expect(page.get_by_role("link", name="Ana García")).to_have_count(1)  # Introduced by
    page.locator("summary", has_text="Log outreach").click()
    page.get_by_label("Template").select_option(label="First outreach")
    expect(page.get_by_text("has not said you may mention them")).to_be_visible()
    expect(page.get_by_label("Summary or message")).to_have_value(re.compile("^Hi Léa,"))
    expect(page.get_by_label("Summary or message")).not_to_have_value(re.compile("Ana"))
    check_a11y(page)

    # The dashboard shows the loop to close.
    page.goto(live_server + "/dashboard")
    expect(page.get_by_text("Tell Ana García how it went").first).to_be_visible()
    check_a11y(page)
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SCREENSHOTS / "referrals-dashboard-390.png"), full_page=True)
