"""In Chromium: two branches of introductions set up through the app, seen on the Network
page as a picture and a table, accessible and without sideways scrolling at 390 px."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from crm.extensions import db
from crm.models import User
from tests.browser.conftest import SCREENSHOTS, register
from tests.browser.test_phone_width_browser import PHONE, assert_no_sideways_scroll
from tests.seed import seed, seed_introductions

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
    page.locator("section", has=tree).screenshot(path=str(SCREENSHOTS / "network-tree-390.png"))
    box = tree.bounding_box()
    assert box and box["width"] <= PHONE["width"]
    # The links in the table lead to each person's page.
    table.get_by_role("link", name="Ana García").click()
    assert page.url == ana


def test_a_large_network_folds_and_still_fits_a_phone(page, live_server, check_a11y, app):
    register(page, live_server, check_a11y, "large-network@example.com")
    with app.app_context():
        user_id = db.session.scalar(
            select(User.id).where(User.email == "large-network@example.com")
        )
        seed(user_id, 600, outreach=900, interviews_and_notes=True)
        seed_introductions(user_id, 450)
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/network")
    check_a11y(page)
    tree = page.locator("svg.network-svg")
    expect(tree.locator("text.more").first).to_be_visible()
    expect(page.get_by_role("navigation", name="Pages of the tree")).to_contain_text("Page 1 of")
    assert_no_sideways_scroll(page, "network-large")
    box = tree.bounding_box()
    assert box and box["width"] <= PHONE["width"]
    # "and N more" in the table leads to the introducer's list of the people they introduced.
    more = page.locator("table.network-table tr.more a").first
    more.click()
    expect(page.locator("#introduced")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    page.goto(live_server + "/network")
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "network-large-desktop.png"), full_page=True)
