"""Typed words are never lost in Chromium: every button leaving the interview page keeps the
notes, and leaving a page with unsaved long text asks first."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser


def browser_today(page) -> date:
    return date.fromisoformat(page.evaluate("() => new Date().toLocaleDateString('en-CA')"))


def add_jane(page, live_server) -> str:
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill("Jane")
    page.get_by_label("Last name").fill("Doe")
    page.get_by_label("Company").fill("Acme")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Jane Doe")).to_be_visible()
    return page.url


def schedule(page, contact_url: str, day: date, time: str, check_a11y) -> str:
    page.goto(contact_url)
    page.get_by_role("button", name="Schedule interview").click()
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Time").fill(time)
    page.get_by_label("Place or video link").fill("https://meet.example/jane")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Interview with Jane Doe scheduled.")).to_be_visible()
    check_a11y(page)
    return page.url


def type_into(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.click()
    box.press_sequentially(text)


def test_every_button_leaving_the_interview_page_keeps_the_notes(
    page, live_server, check_a11y, app
):
    register(page, live_server, check_a11y, "notes@example.com")
    today = browser_today(page)
    jane = add_jane(page, live_server)
    held = schedule(page, jane, today - timedelta(days=1), "10:00", check_a11y)
    expect(page.get_by_role("link", name="https://meet.example/jane")).to_have_attribute(
        "href", "https://meet.example/jane"
    )
    page.screenshot(path=str(SCREENSHOTS / "interview-held.png"), full_page=True)

    # Edit: the notes are saved, then the edit form opens.
    type_into(page, "Career path", "Teacher, then a bootcamp")
    page.get_by_role("button", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit the interview with Jane Doe")).to_be_visible()
    expect(page.get_by_text("Notes saved.")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_label("Career path")).to_have_value("Teacher, then a bootcamp")

    # Add a person she offered to introduce: saved, then a new contact introduced by Jane.
    type_into(page, "Advice", "Build a portfolio")
    page.get_by_role("button", name="Add a person Jane offered to introduce").click()
    expect(page.get_by_role("heading", name="Add a contact")).to_be_visible()
    expect(page.get_by_label("Introduced by")).to_have_value("Jane Doe")
    check_a11y(page)
    page.goto(held)
    expect(page.get_by_label("Advice")).to_have_value("Build a portfolio")

    # Mark as done, the main action once it has started: the notes go with it.
    type_into(page, "Resources", "The Data Club")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Well done!")).to_be_visible()
    expect(page.get_by_label("Resources")).to_have_value("The Data Club")
    check_a11y(page)

    # Thank-you sent: the notes typed since go with it too.
    type_into(page, "Assignments", "Sketch a dashboard")
    page.get_by_role("button", name="Thank-you sent").click()
    expect(page.get_by_text("Thank-you to Jane Doe recorded.")).to_be_visible()
    expect(page.get_by_label("Assignments")).to_have_value("Sketch a dashboard")
    expect(page.get_by_label("Career path")).to_have_value("Teacher, then a bootcamp")
    page.screenshot(path=str(SCREENSHOTS / "interview-done.png"), full_page=True)

    # Before it starts: the page says when, offers Edit, and Cancel keeps the notes.
    coming = schedule(page, jane, today + timedelta(days=4), "15:00", check_a11y)
    expect(page.get_by_text("in 4 days")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as done")).to_have_count(0)
    expect(page.get_by_role("button", name="Edit")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "interview-coming.png"), full_page=True)
    type_into(page, "Career path", "Ask about the move to Berlin")
    page.get_by_role("button", name="Cancel interview").click()
    expect(page.get_by_text("The interview with Jane Doe is cancelled.")).to_be_visible()
    assert page.url == coming
    expect(page.get_by_label("Career path")).to_have_value("Ask about the move to Berlin")
    check_a11y(page)


def test_leaving_with_unsaved_long_text_asks_first(page, live_server, check_a11y, app):
    register(page, live_server, check_a11y, "leave@example.com")
    jane = add_jane(page, live_server)
    interview = schedule(page, jane, browser_today(page) - timedelta(days=1), "09:00", check_a11y)
    dialogs: list[str] = []

    def stay(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)

    # Nothing typed: leaving asks nothing.
    page.get_by_role("link", name="Jane Doe").first.click()
    expect(page.get_by_role("heading", name="Jane Doe")).to_be_visible()
    assert dialogs == []

    # Interview notes typed, then a link: the browser asks, and staying keeps the words.
    page.goto(interview)
    type_into(page, "Referrals offered", "Ravi at Globex")
    page.get_by_role("link", name="Jane Doe").first.click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == interview
    expect(page.get_by_label("Referrals offered")).to_have_value("Ravi at Globex")
    # Saving is not leaving: no question.
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_text("Notes saved.")).to_be_visible()
    assert dialogs == ["beforeunload"]

    # An outreach message typed on the contact page.
    page.goto(jane)
    page.locator("summary", has_text="Log outreach").click()
    type_into(page, "Summary or message", "Could I ask you about your path?")
    page.get_by_role("link", name="Contacts").click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"] * 2
    assert page.url == jane
    check_a11y(page)

    # Contact notes on the edit form: Save sends them, so it asks nothing.
    page.get_by_role("button", name="Edit").click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"] * 3  # the outreach message is still unsent
    page.get_by_label("Summary or message").fill("")
    page.get_by_role("button", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit Jane Doe")).to_be_visible()
    type_into(page, "Notes", "Met at the Data Club")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Met at the Data Club")).to_be_visible()
    assert dialogs == ["beforeunload"] * 3


def test_interviews_page_from_the_dashboard_and_a_contact(page, live_server, check_a11y, app):
    register(page, live_server, check_a11y, "list@example.com")
    page.goto(live_server + "/interviews")
    expect(page.get_by_role("heading", name="No interviews yet")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "interviews-empty.png"), full_page=True)

    today = browser_today(page)
    jane = add_jane(page, live_server)
    schedule(page, jane, today + timedelta(days=2), "11:00", check_a11y)
    schedule(page, jane, today - timedelta(days=2), "16:00", check_a11y)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="All interviews, coming and past").click()
    expect(page.get_by_role("heading", name="Interviews", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Jane Doe")).to_have_count(2)
    expect(page.get_by_role("link", name="did it happen?")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "interviews.png"), full_page=True)

    page.goto(jane)
    page.get_by_role("link", name="Interviews with Jane").click()
    expect(page.get_by_role("heading", name="Interviews with Jane Doe")).to_be_visible()
    check_a11y(page)
