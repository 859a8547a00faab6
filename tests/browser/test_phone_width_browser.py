"""At 390 px nothing scrolls sideways: Follow-ups, Import (preview and history) and the Plan."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
LONG_REASON = (
    "Send Rosalind the long article about analytics teams in regional hospitals, "
    "and ask whether her manager still hires people who come from operations"
)


def assert_no_sideways_scroll(page: Page, name: str) -> None:
    """The page is no wider than the phone, and a screenshot of it is kept to look at."""
    page.screenshot(path=str(SCREENSHOTS / f"{name}-390.png"), full_page=True)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{name} scrolls sideways: {widths[0]} px in {widths[1]}"


def test_phone_pages_fit_without_sideways_scrolling(page, live_server, visit, check_a11y, clock):
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    page.set_viewport_size(PHONE)
    register(page, live_server, check_a11y, "narrow@example.com")

    # A contact with a follow-up whose explanation takes several lines.
    page.goto(live_server + "/contacts/new")
    page.get_by_label("First name").fill("Rosalind")
    page.get_by_label("Last name").fill("Okonkwo-Whitfield")
    page.get_by_label("Company").fill("Regional Hospitals Analytics Group")
    page.get_by_role("button", name="Save").click()
    page.locator("summary", has_text="Add a follow-up").click()
    page.get_by_label("Due date").fill("2026-12-08")
    page.get_by_label("What to do").fill(LONG_REASON)
    page.get_by_role("button", name="Add follow-up").click()
    expect(page.get_by_text("Follow-up added")).to_be_visible()

    visit("/follow-ups")
    reason = page.locator("li.followup .followup-reason").first
    expect(reason).to_contain_text("come from operations")
    # The whole explanation shows, wrapped: nothing is cut off with an ellipsis.
    cut = reason.evaluate("node => node.scrollWidth > node.clientWidth")
    assert not cut
    assert reason.bounding_box()["height"] > 30
    assert_no_sideways_scroll(page, "followups")

    # The Import page: its preview and its history fit.
    visit("/import")
    page.get_by_label("Contacts file").set_input_files(str(FIXTURES / "linkedin_current.csv"))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview of linkedin_current.csv")).to_be_visible()
    check_a11y(page)
    assert_no_sideways_scroll(page, "import-preview")
    page.get_by_role("button", name="Import").first.click()
    visit("/import")
    history = page.locator("#import-history")
    expect(history).to_contain_text("linkedin_current.csv")
    expect(history.get_by_role("button", name="Undo")).to_be_visible()
    assert_no_sideways_scroll(page, "import")

    # The Plan: its weekly chart has a labelled y-scale and week labels that do not overlap.
    page.goto(live_server + "/contacts/")
    page.get_by_role("link", name="Rosalind Okonkwo-Whitfield").click()
    page.locator("summary", has_text="Log outreach").click()
    page.get_by_label("Date", exact=True).fill("2026-12-01")
    page.get_by_role("button", name="Log outreach").click()
    visit("/plan")
    chart = page.locator("figure.week-chart svg")
    expect(chart.locator(".y-label").first).to_be_visible()
    expect(chart.locator(".y-tick")).not_to_have_count(0)
    labels = chart.locator("text.tick")
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    assert len(boxes) >= 3
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"], "week labels overlap"
    # Readable: at least 10 px high on the phone.
    assert min(box["height"] for box in boxes) >= 10
    page.locator("figure.week-chart").screenshot(path=str(SCREENSHOTS / "plan-chart-390.png"))
    assert_no_sideways_scroll(page, "plan")
