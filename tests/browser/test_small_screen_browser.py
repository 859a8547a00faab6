"""On a 390 px phone, on a Sunday: the week ahead, compact follow-up rows, contacts first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def on_sunday(clock):
    """The server's clock reads Sunday 29 November 2026, 18:00 UTC."""
    clock.set(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))


def add_contact(page, live_server, first: str, company: str) -> None:
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("Company").fill(company)
    page.get_by_label("Network").select_option("work")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"{first} Example")).to_be_visible()


def log_outreach(page, day: str) -> None:
    page.locator("summary", has_text="Log outreach").click()
    page.get_by_label("Channel").select_option("email")
    page.get_by_label("Date", exact=True).fill(day)
    page.get_by_label("Status").select_option("awaiting")
    page.get_by_label("Summary or message").fill("Could I ask about your path?")
    page.get_by_role("button", name="Log outreach").click()
    expect(page.get_by_text("Most first messages get no reply")).to_be_visible()


def add_followup(page, day: str, reason: str) -> None:
    page.locator("summary", has_text="Add a follow-up").click()
    page.get_by_label("Due date").fill(day)
    page.get_by_label("What to do").fill(reason)
    page.get_by_role("button", name="Add follow-up").click()
    expect(page.get_by_text("Follow-up added")).to_be_visible()


def test_phone_on_a_sunday(page, live_server, visit, check_a11y, app, on_sunday):
    page.set_viewport_size(PHONE)
    register(page, live_server, check_a11y, "phone@example.com")
    add_contact(page, live_server, "Ravi", "Acme")
    add_contact(page, live_server, "Olga", "Globex")
    add_contact(page, live_server, "Jane", "Acme")
    # Friday's outreach: reach a second person on Wed 2 Dec, nudge on Tue 8 Dec.
    log_outreach(page, "2026-11-27")
    add_followup(page, "2026-11-30", "Send the article about analytics teams")
    add_followup(page, "2026-12-04", "Ask about the meetup")
    add_followup(page, "2026-12-07", "Check in after the hiring freeze")
    page.goto(live_server + "/contacts/")
    page.get_by_role("link", name="Olga Example").click()
    log_outreach(page, "2026-11-27")

    visit("/follow-ups")
    this_week = page.locator("section", has=page.locator("#group-this_week"))
    later = page.locator("section", has=page.locator("#group-later"))
    # On Sunday, "This week" is Monday to Friday ahead, not the week that ends today.
    expect(this_week.locator("li.followup")).to_have_count(4)
    for text in ("Send the article", "Ask about the meetup", "due Wed 02 Dec", "due Mon 30 Nov"):
        expect(this_week).to_contain_text(text)
    expect(later.locator("li.followup")).to_have_count(3)
    expect(later).to_contain_text("Check in after the hiring freeze")
    expect(later).to_contain_text("due Tue 08 Dec")

    # The second-person step names the others at Acme, or offers to add one at Globex.
    jane_3b = this_week.locator("li.followup", has_text="Jane Example").filter(
        has_text="Reach a second person"
    )
    expect(jane_3b.get_by_role("link", name="Ravi Example")).to_be_visible()
    olga_3b = this_week.locator("li.followup", has_text="Olga Example").filter(
        has_text="Reach a second person"
    )
    expect(olga_3b).to_contain_text("Nobody else at Globex yet.")

    page.screenshot(path=str(SCREENSHOTS / "followups-390-sunday.png"), full_page=True)
    # About two lines each: Done beside the text, the rest folded in one menu.
    rows = page.locator("li.followup")
    line = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.followup-head')).lineHeight)"
    )
    for index in range(rows.count()):
        row = rows.nth(index)
        expect(row.get_by_role("button", name="Done")).to_be_visible()
        expect(row.get_by_role("button", name="Dismiss")).to_be_hidden()
        # One line for what and who; when and why beside the buttons, wrapped in full.
        assert row.locator(".followup-head").bounding_box()["height"] <= line * 1.2, index
        reason = row.locator(".followup-reason")
        assert not reason.evaluate("node => node.scrollWidth > node.clientWidth"), index
        extra = reason.bounding_box()["height"]
        for part in (".followup-people", ".followup-message"):  # lines of their own, by design
            found = row.locator(part)
            extra += found.bounding_box()["height"] if found.count() else 0
        assert row.bounding_box()["height"] - extra <= line + 40, (index, line)

    first = rows.first
    first.locator("summary", has_text="More").click()
    expect(first.get_by_role("button", name="Dismiss")).to_be_visible()
    expect(first.get_by_role("button", name="+3 business days")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "followups-390-menu.png"))
    first.get_by_role("button", name="+1 business day").click()
    expect(page.get_by_text("Snoozed to Tue 01 Dec.")).to_be_visible()

    # A snooze to a Saturday lands on the Monday after.
    first = page.locator("li.followup").first
    first.locator("summary", has_text="More").click()
    first.get_by_label("Snooze to").fill("2026-12-05")
    first.get_by_role("button", name="Snooze to date").click()
    expect(
        page.get_by_text("Saturday is not a working day, so snoozed to Mon 07 Dec.")
    ).to_be_visible()

    # Nobody else at Globex: the link opens a new contact with the company filled in.
    page.get_by_role("link", name="Add someone at Globex").click()
    expect(page.get_by_label("Company")).to_have_value("Globex")
    check_a11y(page)

    # The contact list shows people on the first screen; filters fold behind "Filter".
    visit("/contacts/")
    first_contact = page.get_by_role("link", name="Jane Example")
    expect(first_contact).to_be_in_viewport()
    expect(page.get_by_label("Network")).to_be_hidden()
    page.screenshot(path=str(SCREENSHOTS / "contacts-390.png"))
    page.locator("summary", has_text="Filter").click()
    page.get_by_label("Network").select_option("work")
    page.get_by_role("button", name="Apply").click()
    check_a11y(page)
    # A filter in use keeps the panel open, so the person sees why the list is shorter.
    expect(page.get_by_label("Network")).to_be_visible()
    expect(page.get_by_label("Network")).to_have_value("work")
