"""In Chromium: "Introduced by" suggests contacts, offers to add a new one, asks which namesake;
delete says what goes; a new job typed by hand shows on the timeline; the search box fits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser

# True when the search box's placeholder fits inside it, padding (and Pico's icon) aside.
PLACEHOLDER_FITS = """input => {
    const style = getComputedStyle(input);
    const canvas = document.createElement('canvas').getContext('2d');
    canvas.font = style.font;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return canvas.measureText(input.placeholder).width <= room;
}"""


def add(page, live_server, first: str, last: str, company: str = "", **fields: str) -> str:
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Company").fill(company)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"{first} {last}")).to_be_visible()
    return page.url


def test_introduced_by_suggests_offers_and_asks(page, live_server, check_a11y, app):
    register(page, live_server, check_a11y, "intro@example.com")
    jose = add(page, live_server, "José", "García", "Acme")
    add(page, live_server, "Sam", "Lee", "Acme")
    add(page, live_server, "Sam", "Lee", "Globex")

    # Suggestions as they type, from the user's own contacts.
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill("Ana")
    box = page.get_by_label("Introduced by")
    box.press_sequentially("gar")
    expect(page.locator("#introducer-names option")).to_have_count(1)
    expect(page.locator("#introducer-names option")).to_have_attribute("value", "José García")
    check_a11y(page)

    # Typed without accents or capitals, it is still José.
    box.fill("jose garcia")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Ana", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="José García")).to_have_attribute(
        "href", jose[len(live_server) :]
    )

    # A name matching nobody: a clear offer, and nothing typed is lost.
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill("Kim")
    page.get_by_label("Notes").fill("Met at the alumni dinner")
    page.get_by_label("Introduced by").fill("Ravi Shah")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("None of your contacts is named “Ravi Shah”.")).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Met at the alumni dinner")
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "contact-introducer-offer.png"), full_page=True)
    page.get_by_label("Add Ravi Shah as a new contact when I save").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Ravi Shah is in your contacts too")).to_be_visible()
    expect(page.get_by_role("link", name="Ravi Shah")).to_be_visible()

    # Two Sam Lees: it asks which.
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill("Lou")
    page.get_by_label("Introduced by").fill("sam lee")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("2 of your contacts are named")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "contact-introducer-which.png"), full_page=True)
    page.get_by_label("Sam Lee · Globex").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Lou", exact=True)).to_be_visible()
    page.get_by_role("link", name="Sam Lee").click()
    expect(page.get_by_text("Globex")).to_be_visible()


def test_delete_says_what_goes_and_a_new_job_is_on_the_timeline(page, live_server, check_a11y, app):
    register(page, live_server, check_a11y, "jobs@example.com")
    jane = add(page, live_server, "Jane", "Doe", "Acme", Title="Analyst")
    add(page, live_server, "Ravi", "Shah", **{"Introduced by": "Jane Doe"})

    page.goto(jane)
    page.get_by_role("button", name="Edit").click()
    page.get_by_label("Company").fill("Globex")
    page.get_by_label("Title").fill("Lead Analyst")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Changed jobs")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Analyst at Acme → Lead Analyst at Globex")

    page.locator("summary", has_text="Add a note").click()
    page.get_by_label("Note", exact=True).fill("Likes tea")
    page.get_by_role("button", name="Add note").click()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete Jane Doe?")).to_be_visible()
    expect(page.get_by_text("1 note on the timeline")).to_be_visible()
    expect(
        page.get_by_text("1 person Jane introduced you to stays in your contacts")
    ).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "contact-delete.png"), full_page=True)
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Jane Doe was deleted.")).to_be_visible()

    # The search box shows its whole placeholder.
    box = page.get_by_label("Search", exact=True)
    fits = box.evaluate(PLACEHOLDER_FITS)
    assert fits
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "contacts-search.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert box.evaluate(PLACEHOLDER_FITS)
