"""The follow-up story in Chromium: outreach on a Friday, 3B/7B dates, a reply, an interview."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from crm.workdays import business_days_after
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def last_friday(today: date) -> date:
    return today - timedelta(days=(today.weekday() - 4) % 7)


def due_text(due: date, today: date) -> str:
    """What the follow-up list says about a due date."""
    days = (today - due).days
    if days > 0:
        return f"due since {due:%a %d %b} ({days} day{'' if days == 1 else 's'} ago)"
    return "due today" if days == 0 else f"due {due:%a %d %b}"


def add_contact(page, live_server, first: str, company: str) -> None:
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("Company").fill(company)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"{first} Example")).to_be_visible()


def log_outreach(page, friday: date, summary: str) -> None:
    page.locator("summary", has_text="Log outreach").click()
    page.get_by_label("Channel").select_option("linkedin")
    page.get_by_label("Date", exact=True).fill(friday.isoformat())
    page.get_by_label("Status").select_option("awaiting")
    page.get_by_label("Summary or message").fill(summary)
    page.get_by_role("button", name="Log outreach").click()
    expect(page.get_by_text("Most first messages get no reply")).to_be_visible()


def test_followup_story(page, live_server, check_a11y, app):
    page.goto(live_server + "/register")
    page.get_by_label("Email").fill("story@example.com")
    page.get_by_label("Password", exact=True).fill("a long password")
    page.get_by_label("Repeat password").fill("a long password")
    page.get_by_role("button", name="Register").click()
    today = date.fromisoformat(page.evaluate("() => new Date().toLocaleDateString('en-CA')"))
    friday = last_friday(today)
    if business_days_after(friday, 3) < today:
        # On a Thursday last Friday's 3B has passed (history plans only what is ahead):
        # tomorrow's Friday, which the form accepts, keeps the story's dates.
        friday += timedelta(days=7)

    add_contact(page, live_server, "Jane", "Acme")
    log_outreach(page, friday, "Could I ask you about your path into data?")
    check_a11y(page)
    second = business_days_after(friday, 3)
    nudge = business_days_after(friday, 7)
    steps = page.locator("ul.followups").first
    expect(steps).to_contain_text("Reach a second person")
    expect(steps).to_contain_text(due_text(second, today))
    expect(steps).to_contain_text("Nudge once")
    expect(steps).to_contain_text(due_text(nudge, today))

    add_contact(page, live_server, "Ravi", "acme")
    log_outreach(page, friday, "Hello Ravi")
    page.get_by_role("link", name="Follow-ups").click()
    expect(page.get_by_role("heading", name="Follow-ups")).to_be_visible()
    check_a11y(page)
    # Writing to Ravi was the "second person at Acme": Jane's 3B closed, three remain.
    expect(page.locator("li.followup")).to_have_count(3)
    page.screenshot(path=str(SCREENSHOTS / "followups.png"), full_page=True)

    # Ravi replies: every 3B/7B at Acme closes and the app offers to schedule.
    page.get_by_role("link", name="Ravi Example").first.click()
    page.get_by_role("button", name="Mark replied").click()
    expect(page.get_by_text("Ravi Example replied! 3 follow-ups closed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Schedule an informational interview")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Time").fill("00:00")  # already begun, so "Mark as done" is offered
    page.get_by_label("Place or video link").fill("https://meet.example/ravi")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Interview with Ravi Example scheduled.")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Career path").fill("Teacher, then a data bootcamp, then analyst.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_text("Notes saved.")).to_be_visible()
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Send Ravi Example a thank-you by")).to_be_visible()

    page.get_by_role("link", name="Follow-ups").click()
    expect(page.get_by_text("Nothing overdue")).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    check_a11y(page)
    expect(page.get_by_text("Send a thank-you", exact=True)).to_be_visible()
    expect(page.get_by_text("Thank Ravi Example for their time")).to_be_visible()
    expect(page.get_by_text("1 of 2 people you reached out to replied (50%)")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)

    page.get_by_role("link", name="Settings").click()
    check_a11y(page)
