"""The plan story in Chromium: a rut check-in, an obstacle with its proof, an answer, a role."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser


def add_contact(page, live_server, first: str, last: str, title: str) -> None:
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"{first} {last}")).to_be_visible()


def test_plan_story(page, live_server, check_a11y, visit):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    register(page, live_server, check_a11y, "plan@example.com")
    expect(page.get_by_role("heading", name="Next step in your plan")).to_be_visible()
    expect(page.get_by_text("Check in: are you in a rut?")).to_be_visible()
    add_contact(page, live_server, "Ana", "García", "Senior Manager, Product")
    add_contact(page, live_server, "Ben", "Okafor", "Data Analyst")

    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_role("heading", name="Your plan")).to_be_visible()
    check_a11y(page)

    # 1. Three of the eight signs are true today.
    page.get_by_label("I'm being underpaid for what I do").check()
    page.get_by_label("I'm not challenged in my role").check()
    page.get_by_label("There's no room to grow in my organisation").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator("#rut").get_by_text("3 of 8 today.", exact=True)).to_be_visible()
    expect(page.get_by_label("I'm being underpaid for what I do")).to_be_checked()

    # 2. An obstacle from the suggestions, and a contact who got there despite it.
    page.get_by_role("button", name="+ I didn't go to the right school").click()
    obstacle = page.locator("li.obstacle", has_text="I didn't go to the right school")
    expect(obstacle).to_contain_text("Nobody linked yet")
    check_a11y(page)
    obstacle.get_by_label("Who got there despite this?").fill("nobody known")
    obstacle.get_by_role("button", name="Link").click()
    expect(page.get_by_text("No contact is named “nobody known”")).to_be_visible()
    check_a11y(page)
    obstacle = page.locator("li.obstacle", has_text="I didn't go to the right school")
    obstacle.get_by_label("Who got there despite this?").fill("ana garcia")
    obstacle.get_by_role("button", name="Link").click()
    expect(page.get_by_text("Ana García is proof")).to_be_visible()
    obstacle = page.locator("li.obstacle", has_text="I didn't go to the right school")
    expect(obstacle.get_by_role("link", name="Ana García")).to_be_visible()

    # 3. One strategic answer.
    page.get_by_label("What experience and skills do I have?").fill(
        "Eight years of customer research."
    )
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Saved 1 answer.")).to_be_visible()
    expect(page.get_by_label("What experience and skills do I have?")).to_have_value(
        "Eight years of customer research."
    )

    # 4. A target role, and the contact whose title matches it in another order.
    page.get_by_label("Role", exact=True).fill("Product Manager")
    page.get_by_role("button", name="Add role").click()
    role = page.locator("article.role", has_text="Product Manager")
    expect(role.get_by_role("link", name="Ana García")).to_be_visible()
    expect(role).not_to_contain_text("Ben Okafor")
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "plan.png"), full_page=True)

    # Ana's page shows the doubt she disproves and the role she holds.
    role.get_by_role("link", name="Ana García").click()
    expect(page.get_by_role("heading", name="In your plan")).to_be_visible()
    expect(page.get_by_role("link", name="“I didn't go to the right school”")).to_be_visible()
    check_a11y(page)

    visit("/dashboard")
    expect(page.get_by_role("heading", name="Next step in your plan")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "dashboard-plan.png"), full_page=True)
