"""Writing an outreach from a template in Chromium: the fill, the live check, the mailto link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser


def add_contact(page, live_server, first, last, **fields):
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"{first} {last}")).to_be_visible()


def test_write_an_outreach_from_a_template(page, live_server, check_a11y, visit):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    register(page, live_server, check_a11y, "templates@example.com")
    add_contact(page, live_server, "Ana", "Ruiz", Company="Acme")
    add_contact(
        page, live_server, "Sam", "Lee", Company="Acme", Email="sam@example.com",
        **{"Introduced by": "Ana Ruiz"},
    )  # fmt: skip

    page.locator("summary", has_text="Log outreach").click()
    # With the script on, "Use template" is not needed: choosing fills the message.
    expect(page.get_by_role("button", name="Use template")).to_be_hidden()
    page.get_by_label("Template").select_option(label="First outreach")
    message = page.get_by_label("Summary or message")
    # No target role and no name of the user's own: those sentences are left out whole.
    expect(message).to_have_value(
        "Hi Sam,\n\nAna Ruiz suggested I get in touch with you. I would love to learn from your "
        "path into your role at Acme.\n\nWould you have 15 to 20 minutes in the next few weeks "
        "to tell me how you got where you are, and what advice you would give someone starting "
        "out?"
    )
    expect(page.get_by_role("link", name="add your name in Account")).to_be_visible()
    expect(page.get_by_label("Subject")).to_have_value("A question about your path at Acme")
    check = page.locator("#message-check")
    expect(check).to_be_visible()
    expect(check.locator("li.check-ok")).to_have_count(5)
    expect(page.get_by_text("You have no target role yet")).to_be_visible()

    link = page.get_by_role("button", name="Open in my email")
    expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "sam@example.com"
    assert parse_qs(parts.query)["body"][0].startswith("Hi Sam,\r\n\r\nAna Ruiz suggested")
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "outreach-template.png"), full_page=True)

    # The check follows the typing, and the link carries the edited message.
    message.fill(message.input_value().replace("starting out?", "starting out? Any jobs?"))
    todo = check.locator("li.check-todo")
    expect(todo).to_have_count(1)
    expect(todo).to_contain_text("“jobs” reads as asking for a job")
    page.wait_for_function(
        "() => document.getElementById('mailto-link').href.includes('Any%20jobs%3F')"
    )
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "outreach-check.png"), full_page=True)

    message.fill(message.input_value().replace(" Any jobs?", ""))
    expect(check.locator("li.check-todo")).to_have_count(0)
    page.get_by_role("button", name="Log outreach").click()
    expect(page.get_by_text("Your message met all 5 marks")).to_be_visible()

    # The reframe, never a failure, when nobody answers.
    page.get_by_role("button", name="No response").click()
    news = page.locator(".flashes")
    expect(news).to_contain_text("No reply yet from Sam Lee. That is normal")
    expect(news).to_contain_text("write to Ana Ruiz at Acme")
    expect(page.locator(".flashes .notice-error, .flashes .notice-warning")).to_have_count(0)
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "outreach-reframe.png"), full_page=True)

    # The Templates page, linked from Settings.
    visit("/settings")
    page.get_by_role("link", name="Message templates").click()
    expect(page.get_by_role("heading", name="Message templates")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "templates.png"), full_page=True)
    page.get_by_role("button", name="Edit the nudge template").click()
    page.get_by_label("Message").fill("Hi {firstname}, any news?")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_text("{firstname} on line 1 is not a placeholder we know")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "template-error.png"), full_page=True)
    page.get_by_label("Message").fill("Hi {first_name}, following up on my note about your path.")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_text("Nudge (your wording)")).to_be_visible()
    page.get_by_role("button", name="Edit the nudge template").click()
    page.get_by_role("button", name="Restore the default").click()
    expect(page.get_by_text("The nudge template is the default again.")).to_be_visible()
