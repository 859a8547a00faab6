"""A new user logs, finds, edits and deletes a contact in Chromium; another user never sees it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, SCREENSHOTS, register

pytestmark = pytest.mark.browser


def register_from_home(page, live_server, check_a11y, email: str) -> None:
    """A newcomer's way in: the start page, its Register button, the form."""
    page.goto(live_server + "/")
    check_a11y(page)
    page.get_by_role("button", name="Register").first.click()
    check_a11y(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    check_a11y(page)


def test_contact_story(page, live_server, check_a11y, app, browser):
    register_from_home(page, live_server, check_a11y, "first@example.com")
    page.get_by_role("link", name="Contacts").click()
    expect(page.get_by_text("No contacts yet")).to_be_visible()
    check_a11y(page)

    page.get_by_role("button", name="Add your first contact").click()
    check_a11y(page)
    page.get_by_label("First name").fill("Jane")
    page.get_by_label("Last name").fill("Doe, MSc")
    page.get_by_label("Email").fill("jane@example.com")
    page.get_by_label("Phone").fill("+44 20 7946 0000")
    page.get_by_label("Company").fill("Acme, Inc.")
    page.get_by_label("Title").fill("Principal, Data and AI")
    page.get_by_label("Network").select_option("alumni")
    page.get_by_label("How we met").fill("Alumni dinner")
    page.get_by_label("Tags").fill("mentor, data")
    page.get_by_label("LinkedIn URL").fill("linkedin.com/in/Jane-Doe/")
    page.get_by_label("Notes").fill("Switched from teaching to analytics via a bootcamp.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Jane Doe, MSc")).to_be_visible()
    expect(page.get_by_text("https://www.linkedin.com/in/jane-doe")).to_be_visible()
    check_a11y(page)

    # A bad LinkedIn URL gets a message beside its field.
    page.get_by_role("button", name="Edit").click()
    page.get_by_label("LinkedIn URL").fill("https://example.com/jane")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Use a LinkedIn profile address")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Contacts").click()
    page.get_by_label("Search", exact=True).fill("bootcamp")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Jane Doe, MSc")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "contacts.png"), full_page=True)

    page.get_by_role("link", name="Jane Doe, MSc").click()
    page.get_by_role("button", name="Edit").click()
    page.get_by_label("Title").fill("Head of Analytics")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Head of Analytics at Acme, Inc.", exact=True)).to_be_visible()
    # A new title typed by hand is a job change on the timeline, as a re-import records it.
    expect(page.locator(".timeline")).to_contain_text("Changed jobs")

    # The second user, in a separate browser context, never sees Jane.
    other = browser.new_context()
    other_page = other.new_page()
    register_from_home(other_page, live_server, check_a11y, "second@example.com")
    other_page.goto(live_server + "/contacts/?q=Jane")
    expect(other_page.get_by_role("link", name="Jane Doe, MSc")).to_have_count(0)
    jane_url = page.url
    response = other_page.goto(jane_url)
    assert response.status == 404
    check_a11y(other_page)
    other.close()

    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete Jane Doe, MSc?")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Jane Doe, MSc was deleted.")).to_be_visible()
    expect(page.get_by_text("No contacts yet")).to_be_visible()
    assert re.search(r"/contacts/$", page.url)


def test_focus_goes_to_the_first_field_with_an_error(page, live_server, check_a11y, app):
    register(page, live_server, check_a11y, "focus@example.com")
    page.goto(live_server + "/contacts/new")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Save").click()
    # First name is empty and comes first: focus lands there, not at the top of the page.
    expect(page.get_by_label("First name")).to_be_focused()
    check_a11y(page)
