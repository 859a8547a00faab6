"""In Chromium: two branches of introductions set up through the app, seen on the Network
page as a picture and a table, accessible and without sideways scrolling at 390 px."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, register
from tests.browser.test_phone_width_browser import PHONE, assert_no_sideways_scroll

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def add(page: Page, live_server: str, first: str, last: str, introduced_by: str = "") -> str:
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    if introduced_by:
        page.get_by_label("Introduced by").fill(introduced_by)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"{first} {last}")).to_be_visible()
    return page.url


def test_two_branches_set_up_in_the_app_show_on_the_network_page(
    page, live_server, check_a11y, visit
):
    register(page, live_server, check_a11y, "network@example.com")
    visit("/network")
    expect(
        page.get_by_role("heading", name="Nobody has introduced you to anyone yet")
    ).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "network-empty.png"), full_page=True)

    # An interview with Ana, held yesterday; she suggests Tom and Sam, and Tom suggests Léa.
    ana = add(page, live_server, "Ana", "García")
    today = date.fromisoformat(page.evaluate("() => new Date().toLocaleDateString('en-CA')"))
    page.get_by_role("button", name="Schedule interview").click()
    page.get_by_label("Date").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Time").fill("10:00")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Well done!")).to_be_visible()
    add(page, live_server, "Tom", "Becker", introduced_by="Ana García")
    sam = add(page, live_server, "Sam", "Lee", introduced_by="Ana García")
    add(page, live_server, "Léa", "Dubois", introduced_by="Tom Becker")
    # Sam is reached and replies.
    page.goto(sam)
    page.locator("summary", has_text="Log outreach").click()
    page.get_by_label("Date", exact=True).fill(today.isoformat())
    page.get_by_label("Status").select_option("replied")
    page.get_by_role("button", name="Log outreach").click()
    expect(page.get_by_text("by Email · Replied")).to_be_visible()

    # From the dashboard to the Network page.
    page.goto(live_server + "/dashboard")
    page.get_by_role("link", name="Your network").click()
    expect(page.get_by_role("heading", name="Your network")).to_be_visible()
    check_a11y(page)
    tree = page.locator("svg.network-svg")
    for words in ("Ana García · referred on", "Tom Becker · referred on", "Sam Lee · replied"):
        expect(tree).to_contain_text(words)
    expect(tree).to_contain_text("Léa Dubois · suggested")
    table = page.get_by_role("table", name="Who introduced whom, and how far each got")
    expect(table.get_by_role("row")).to_have_count(5)
    expect(
        table.get_by_role("row", name="Tom Becker Ana García Referred on 1 person")
    ).to_be_visible()
    expect(
        table.get_by_role("row", name="Léa Dubois Tom Becker Suggested nobody yet")
    ).to_be_visible()
    expect(table.get_by_role("row", name="Sam Lee Ana García Replied nobody yet")).to_be_visible()
    figures = page.locator(".network-figures")
    expect(figures).to_contain_text("2.0names suggested per interview")
    expect(figures).to_contain_text("100%suggested · 1 of 1")
    expect(figures).to_contain_text("Ana García → Tom Becker → Léa Dubois")
    # Both branches sit under Ana in the picture: Tom's and Sam's lines lead from her mark.
    ana_x = float(tree.locator("text", has_text="Ana García").get_attribute("x") or 0)
    for name in ("Tom Becker", "Sam Lee"):
        x = float(tree.locator("text", has_text=name).get_attribute("x") or 0)
        assert x > ana_x, name
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SCREENSHOTS / "network-desktop.png"), full_page=True)
    # Side by side at desktop width: the table beside the picture, not under it.
    picture, listing = tree.bounding_box(), table.bounding_box()
    assert picture and listing and listing["x"] > picture["x"] + picture["width"] - 1

    page.set_viewport_size(PHONE)
    check_a11y(page)
    assert_no_sideways_scroll(page, "network")
    box = tree.bounding_box()
    assert box and box["width"] <= PHONE["width"]
    # The links in the table lead to each person's page.
    table.get_by_role("link", name="Ana García").click()
    assert page.url == ana
