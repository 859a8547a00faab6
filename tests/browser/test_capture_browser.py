"""The "Add to Networking CRM" bookmarklet, run in Chromium on pages shaped like LinkedIn
profiles and on an ordinary page with text selected; and the Calendar and sync page.

The bookmarklet is the link on the Contacts page, taken as it is and run in the page as a
bookmark would run it. Chromium loads the LinkedIn-shaped pages from this test (Playwright
answers their addresses; nothing leaves the machine), so the script reads a real
`location.href` and `document.title`.
"""

from __future__ import annotations

import html
import plistlib
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register
from tests.browser.test_calendar_browser import download

pytestmark = pytest.mark.browser

# The longest request line gunicorn reads; the bookmarklet's address must stay under it.
REQUEST_LINE_LIMIT = 4094


def serve_pages(context, pages: dict[str, str]) -> None:
    """Answer each address with a small page of that title (address without the query)."""

    def answer(route) -> None:
        address = route.request.url.split("?", 1)[0]
        title = pages.get(address)
        if title is None:
            route.fulfill(status=404, body="not here")
            return
        body = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head><body><main><h1>Profile</h1>"
            '<p>Speakers: <span id="speaker">Amélie Roux</span>, data lead at Acme.</p>'
            "</main></body></html>"
        )
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)

    context.route("https://**.linkedin.com/**", answer)
    context.route("https://blog.example.org/**", answer)


def bookmarklet_code(page) -> str:
    """The script in the Contacts page's bookmarklet link, as the browser would run it."""
    href = page.get_by_role("link", name="Add to Networking CRM").get_attribute("href")
    assert href and href.startswith("javascript:")
    return unquote(href.removeprefix("javascript:"))


def run_bookmarklet(page, code: str, check_a11y):
    """Click the bookmark on `page`: return the tab it opens, loaded and checked."""
    with page.context.expect_page() as opened:
        page.evaluate(code)
    tab = opened.value
    tab.wait_for_load_state()
    assert len(tab.url) < REQUEST_LINE_LIMIT
    check_a11y(tab)
    return tab


def expect_form(tab, **values: str) -> None:
    expect(tab.get_by_role("heading", name="Add a contact")).to_be_visible()
    for label, value in values.items():
        expect(tab.get_by_label(label, exact=True)).to_have_value(value)


PROFILES = [
    (
        "https://www.linkedin.com/in/jane-doe/",
        "Jane Doe - Product Manager - Acme | LinkedIn",
        {"First name": "Jane", "Last name": "Doe", "Title": "Product Manager", "Company": "Acme"},
        "https://www.linkedin.com/in/jane-doe",
    ),
    (
        "https://www.linkedin.com/in/sam-lee-12ab/?miniProfileUrn=urn%3Ali%3Afs",
        "(3) Sam Lee | LinkedIn",
        {"First name": "Sam", "Last name": "Lee", "Title": "", "Company": ""},
        "https://www.linkedin.com/in/sam-lee-12ab",
    ),
    (
        "https://fr.linkedin.com/in/Amelie-Roux",
        "Amélie Roux – Cheffe de produit – Acme | LinkedIn",
        {"First name": "Amélie", "Last name": "Roux", "Title": "Cheffe de produit"},
        "https://www.linkedin.com/in/amelie-roux",
    ),
    (
        "https://de.linkedin.com/in/joerg-mueller",
        "(12) Jörg Müller · Leiter Vertrieb · Acme GmbH | LinkedIn",
        {"First name": "Jörg", "Last name": "Müller", "Company": "Acme GmbH"},
        "https://www.linkedin.com/in/joerg-mueller",
    ),
    (
        "https://cn.linkedin.com/in/wang-xiaoming",
        "王小明 — 产品经理 — 阿里巴巴 | 领英",
        {"First name": "王小明", "Title": "产品经理", "Company": "阿里巴巴"},
        "https://www.linkedin.com/in/wang-xiaoming",
    ),
]


def test_the_bookmarklet_fills_the_form_on_linkedin_profiles_and_opens_known_people(
    page, live_server, check_a11y
):
    serve_pages(page.context, {address.split("?")[0]: title for address, title, *_ in PROFILES})
    register(page, live_server, check_a11y, "capture@example.com")
    page.get_by_role("link", name="Contacts").click()
    check_a11y(page)
    link = page.get_by_role("link", name="Add to Networking CRM")
    expect(link).to_be_visible()
    # A click on the Contacts page explains the drag instead of running the script here.
    link.click()
    expect(page.get_by_text("Drag this button to your bookmarks bar")).to_be_visible()
    code = bookmarklet_code(page)

    for address, _title, fields, profile in PROFILES:
        page.goto(address)
        check_a11y(page)
        tab = run_bookmarklet(page, code, check_a11y)
        expect_form(tab, **fields, **{"LinkedIn URL": profile})
        expect(tab.get_by_text("Filled in from LinkedIn.")).to_be_visible()
        tab.close()

    # Saving is the person's click; then the same profile opens the contact instead.
    page.goto(PROFILES[0][0])
    tab = run_bookmarklet(page, code, check_a11y)
    tab.screenshot(path=str(SCREENSHOTS / "capture-form.png"), full_page=True)
    tab.get_by_role("button", name="Save").click()
    expect(tab.get_by_role("heading", name="Jane Doe")).to_be_visible()
    tab.close()

    page.goto("https://www.linkedin.com/in/jane-doe/?trk=people-also-viewed")
    tab = run_bookmarklet(page, code, check_a11y)
    expect(tab.get_by_role("heading", name="Jane Doe")).to_be_visible()
    expect(
        tab.get_by_text("Jane Doe is already in your contacts, so here they are.")
    ).to_be_visible()
    tab.close()
    page.goto(live_server + "/contacts/")
    expect(page.get_by_role("link", name="Jane Doe")).to_have_count(1)


def test_the_bookmarklet_on_any_page_takes_the_selected_name(page, live_server, check_a11y):
    speakers = "https://blog.example.org/2026/speakers"
    long_title = "数据" * 3000
    serve_pages(
        page.context,
        {speakers: "Data Days 2026: speakers", "https://blog.example.org/long": long_title},
    )
    register(page, live_server, check_a11y, "selection@example.com")
    page.goto(live_server + "/contacts/")
    code = bookmarklet_code(page)

    page.goto(speakers + "?day=2")
    check_a11y(page)
    page.evaluate(
        """() => {
            const range = document.createRange();
            range.selectNodeContents(document.getElementById("speaker"));
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }"""
    )
    tab = run_bookmarklet(page, code, check_a11y)
    expect_form(tab, **{"First name": "Amélie", "Last name": "Roux", "LinkedIn URL": ""})
    expect(tab.get_by_label("Notes")).to_have_value(
        f"Found on “Data Days 2026: speakers”: {speakers}?day=2"
    )
    expect(tab.get_by_text("Filled in from the page you were on.")).to_be_visible()
    tab.close()

    # A title far longer than a request line: the bookmarklet sends what fits.
    page.goto("https://blog.example.org/long")
    tab = run_bookmarklet(page, code, check_a11y)
    expect(tab.get_by_label("Notes")).to_have_value(
        "Found on “" + "数据" * 33 + "”: https://blog.example.org/long"
    )


def test_the_calendar_and_sync_page_gives_the_apple_profile(page, live_server, check_a11y):
    register(page, live_server, check_a11y, "sync@example.com")
    page.get_by_role("link", name="Calendar and sync").click()
    expect(page.get_by_role("heading", name="Calendar and sync", exact=True)).to_be_visible()
    check_a11y(page)
    expect(page.locator("#dav-url")).to_have_text(live_server + "/dav/")
    page.screenshot(path=str(SCREENSHOTS / "calendar-and-sync.png"), full_page=True)

    link = page.get_by_role("link", name="Download the set-up profile (.mobileconfig)")
    name, data = download(page, link.click)
    assert name == "networking-crm.mobileconfig"
    payloads = {p["PayloadType"]: p for p in plistlib.loads(data)["PayloadContent"]}
    assert payloads["com.apple.carddav.account"]["CardDAVUsername"] == "sync@example.com"
    assert payloads["com.apple.caldav.account"]["CalDAVHostName"] == "127.0.0.1"
