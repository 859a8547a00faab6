"""The plan story in Chromium: a rut check-in, an obstacle with its proof, an answer, a role,
an outreach written from a template with its mailto link, the check-in reminder among the
follow-ups, a target employer starred from a contact's page, a contact counted in the role
and put on the list to reach from their page, and the page on a phone."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser


PHONE = {"width": 390, "height": 844}


def add_contact(page, live_server, first: str, last: str, title: str, **fields: str) -> None:
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Title").fill(title)
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"{first} {last}")).to_be_visible()


def test_plan_story(page, live_server, check_a11y, visit):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    register(page, live_server, check_a11y, "plan@example.com")
    expect(page.get_by_role("heading", name="Next step in your plan")).to_be_visible()
    expect(page.get_by_text("Check in: are you in a rut?")).to_be_visible()
    add_contact(
        page, live_server, "Ana", "García", "Senior Manager, Product",
        Company="Acme", Email="ana@example.org",
    )  # fmt: skip
    add_contact(page, live_server, "Ben", "Okafor", "Data Analyst", Company="Acme")

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

    # 5. An outreach to her, written from a template: {role} is the role her title names.
    page.locator("summary", has_text="Log outreach").click()
    page.get_by_label("Template").select_option(label="First outreach")
    message = page.get_by_label("Summary or message")
    expect(message).to_have_value(re.compile(r"I am working toward the role of Product Manager\."))
    # Nobody introduced her: the app says so, for the person to write how they are connected.
    expect(page.get_by_text("Nobody introduced you to Ana")).to_be_visible()
    link = page.get_by_role("button", name="Open in my email")
    expect(link).to_be_visible()
    parts = urlsplit(link.get_attribute("href") or "")
    assert parts.scheme == "mailto" and parts.path == "ana@example.org"
    assert "working toward the role of Product Manager." in parse_qs(parts.query)["body"][0]
    check_a11y(page)
    page.get_by_role("button", name="Log outreach").click()
    # Her nudge offers the same, and the second-person row names Ben at Acme.
    nudge = page.locator("li.followup", has_text="Nudge once")
    expect(nudge.get_by_role("link", name="Open in my email")).to_be_visible()
    second = page.locator("li.followup", has_text="Reach a second person")
    expect(second.get_by_role("link", name="Ben Okafor")).to_be_visible()

    # Acme starred from her page, beside the company; the plan names who works there.
    page.get_by_role("button", name="Star as a target employer").click()
    expect(page.get_by_text("Acme is a target employer")).to_be_visible()
    expect(page.get_by_role("button", name="Unstar")).to_be_visible()
    check_a11y(page)
    visit("/plan/")
    employers = page.locator("ul.employers li", has_text="Acme")
    expect(employers.get_by_role("link", name="Ben Okafor")).to_be_visible()

    # Ben joins the plan from his own page: counted in the role by hand, and to be reached.
    employers.get_by_role("link", name="Ben Okafor").click()
    page.get_by_label("Count them in a target role").select_option(label="Product Manager")
    page.get_by_role("button", name="Count them in", exact=True).click()
    expect(page.get_by_text("Ben Okafor is now counted as a Product Manager.")).to_be_visible()
    in_plan = page.locator("section.in-plan")
    expect(in_plan.get_by_role("link", name="Product Manager")).to_be_visible()
    expect(in_plan.get_by_text("You counted them in")).to_be_visible()
    in_plan.get_by_role("button", name="Add to people to reach").click()
    expect(in_plan.get_by_text("On your People to reach list.")).to_be_visible()
    check_a11y(page)
    page.screenshot(path=str(SCREENSHOTS / "contact-in-plan.png"), full_page=True)
    visit("/plan/")
    role = page.locator("article.role", has_text="Product Manager")
    expect(role.get_by_role("link", name="Ben Okafor")).to_be_visible()
    expect(page.locator("#reach").get_by_role("link", name="Ben Okafor")).to_be_visible()

    # The next check-in is a follow-up of its own; its action is the check-in on the Plan page.
    visit("/follow-ups")
    reminder = page.locator("li.followup", has_text="Check in on your rut")
    expect(reminder).to_contain_text("Four weeks since your last check-in")
    page.screenshot(path=str(SCREENSHOTS / "followups-check-in.png"), full_page=True)
    reminder.get_by_role("button", name="Check in", exact=True).click()
    expect(page).to_have_url(live_server + "/plan/#rut")
    expect(page.get_by_role("button", name="Save check-in")).to_be_visible()

    visit("/dashboard")
    expect(page.get_by_role("heading", name="Next step in your plan")).to_be_visible()
    expect(page.locator("li.followup", has_text="Check in on your rut")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "dashboard-plan.png"), full_page=True)

    # On a phone the whole page fits its width.
    page.set_viewport_size(PHONE)
    visit("/plan/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SCREENSHOTS / "plan-390.png"), full_page=True)
