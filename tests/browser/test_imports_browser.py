"""In Chromium: upload LinkedIn connections, read the preview, import, find a person,
re-import to see a job change, and undo the import (asked first: there is outreach since)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
PRIYA = "Priya Nayak, MSc, MBA, PHR"


def preview(page, check_a11y, path: Path) -> None:
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import contacts")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Contacts file").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name=f"Preview of {path.name}")).to_be_visible()
    check_a11y(page)


def test_import_story(page, live_server, check_a11y, tmp_path):
    register(page, live_server, check_a11y, "importer@example.com")

    # A file that is no contacts export gets a message beside the field.
    preview_page = FIXTURES / "page.csv"
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Contacts file").set_input_files(str(preview_page))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("This looks like a web page saved as .csv")).to_be_visible()
    check_a11y(page)

    preview(page, check_a11y, FIXTURES / "linkedin_current.csv")
    expect(page.get_by_text("LinkedIn Connections.csv (current export)")).to_be_visible()
    expect(page.get_by_role("heading", name="New contacts (7)")).to_be_visible()
    expect(page.get_by_role("cell", name=PRIYA)).to_be_visible()
    expect(page.get_by_role("heading", name="Skipped rows (1)")).to_be_visible()
    expect(page.get_by_role("cell", name="No name, email or LinkedIn URL")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "import-preview.png"), full_page=True)

    page.get_by_label("Network for new contacts").select_option("work")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Import done: 7 contacts added")).to_be_visible()
    check_a11y(page)

    # The imported people are in the contact list, each name a link to their page.
    page.get_by_role("link", name="Contacts").click()
    page.get_by_label("Search", exact=True).fill("Priya")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=PRIYA).click()
    expect(page.get_by_role("heading", name=PRIYA)).to_be_visible()
    expect(page.get_by_text("Acme, Inc.").first).to_be_visible()
    check_a11y(page)
    contact_url = page.url

    # She is contacted after the import, so undoing it will ask first.
    page.locator("summary", has_text="Log outreach").click()
    page.get_by_label("Channel").select_option("email")
    # Dated today: an outreach logged as old history would plan nothing.
    today = page.evaluate("() => new Date().toLocaleDateString('en-CA')")
    page.get_by_label("Date", exact=True).fill(today)
    page.get_by_role("button", name="Log outreach").click()
    expect(page.get_by_text("Most first messages get no reply")).to_be_visible()
    check_a11y(page)

    # Months later she has moved: the re-import shows the job change before writing it.
    moved = tmp_path / "Connections.csv"
    moved.write_bytes(
        (FIXTURES / "linkedin_current.csv")
        .read_bytes()
        .replace(b'"Acme, Inc.","Principal, Data and AI"', b"Globex,Head of Data")
    )
    preview(page, check_a11y, moved)
    expect(page.get_by_role("heading", name="Updated (1)")).to_be_visible()
    expect(page.get_by_role("cell", name="Acme, Inc. → Globex")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "import-reimport-preview.png"), full_page=True)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("0 contacts added, 1 updated, 6 already up to date")).to_be_visible()
    page.goto(contact_url)
    expect(page.get_by_text("Changed jobs")).to_be_visible()

    # Undo the first import from the history: it asks, naming Priya, then removes everyone.
    page.get_by_role("link", name="Import", exact=True).click()
    page.screenshot(path=str(SCREENSHOTS / "import-history.png"), full_page=True)
    page.get_by_role("button", name=re.compile(r"Undo the import of linkedin_current\.csv")).click()
    expect(
        page.get_by_role("heading", name="Undo the import of linkedin_current.csv?")
    ).to_be_visible()
    expect(page.get_by_role("link", name=PRIYA)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Undo and remove them").click()
    expect(page.get_by_text("undone: 7 contacts removed")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Undone "))).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Contacts").click()
    expect(page.get_by_text("No contacts yet")).to_be_visible()
