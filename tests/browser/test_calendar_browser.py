"""In Chromium: download a vCard, the follow-ups and an invitation; subscribe to the feed."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import ics
import pytest
import vobject
from playwright.sync_api import expect
from sqlalchemy import select

from crm.contacts.services import get_or_create_company
from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, User
from tests.browser.conftest import SCREENSHOTS, register

pytestmark = pytest.mark.browser
SOON = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=4)


def seed(app, email: str) -> dict[str, int | str]:
    """Jane (with an email) and Max (an emoji and Chinese), a follow-up each, one interview."""
    with app.app_context():
        owner = db.session.scalar(select(User.id).where(User.email == email))
        jane = Contact(
            user_id=owner,
            first_name="Jane",
            last_name="Doe, MSc",
            email="jane@example.org",
            title="Principal; Data and AI",
            network="alumni",
        )
        jane.company = get_or_create_company(owner, "Acme, Inc.")
        max_parker = Contact(
            user_id=owner, first_name="🟢 Max", last_name="中國銀行", network="work"
        )
        db.session.add_all([jane, max_parker])
        db.session.flush()
        nudge = FollowUp(
            user_id=owner, contact_id=jane.id, kind="7b", reason="Nudge once.", due_on=SOON.date()
        )
        thanks = FollowUp(
            user_id=owner,
            contact_id=max_parker.id,
            kind="thank_you",
            reason="Thank Max; mention the article, kindly.",
            due_on=SOON.date() + timedelta(days=1),
        )
        coffee = Interview(
            user_id=owner,
            contact_id=jane.id,
            starts_at=SOON,
            duration_minutes=45,
            location="https://meet.example.com/abc-defg-hij",
            prep_questions="How did you move into data?",
        )
        db.session.add_all([nudge, thanks, coffee])
        db.session.commit()
        return {
            "jane": jane.id,
            "interview": coffee.id,
            "jane_uid": jane.uid,
            "followup_uids": f"{nudge.uid} {thanks.uid}",
            "interview_uid": coffee.uid,
        }


def download(page, click) -> tuple[str, bytes]:
    """Run the click that starts a download; return the suggested file name and the bytes."""
    with page.expect_download() as started:
        click()
    done = started.value
    return done.suggested_filename, Path(done.path()).read_bytes()


def assert_wire_format(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line


def fetch_without_cookies(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET the URL the way a calendar app would: no cookie, no session."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own server)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_take_it_everywhere(page, live_server, check_a11y, app):
    register(page, live_server, check_a11y, "sync@example.com")
    ids = seed(app, "sync@example.com")

    # A contact's vCard, from the contact's page.
    page.goto(f"{live_server}/contacts/{ids['jane']}")
    check_a11y(page)
    name, data = download(page, page.get_by_role("button", name="Download vCard").click)
    assert name == "Jane Doe, MSc.vcf"
    assert_wire_format(data)
    (card,) = vobject.readComponents(data.decode("utf-8"))
    assert card.uid.value == ids["jane_uid"]
    assert card.fn.value == "Jane Doe, MSc"
    assert card.org.value == ["Acme, Inc."]
    assert card.title.value == "Principal; Data and AI"

    # An invitation, from the interview's page.
    page.goto(f"{live_server}/interviews/{ids['interview']}")
    check_a11y(page)
    name, data = download(page, page.get_by_role("link", name="Invite to send to Jane").click)
    assert name.startswith("Invitation Jane Doe, MSc ") and name.endswith(".ics")
    assert_wire_format(data)
    invite = ics.Calendar(data.decode("utf-8"))
    assert invite.method == "REQUEST"
    (event,) = invite.events
    assert event.uid == ids["interview_uid"]
    assert event.begin == SOON
    assert event.organizer.email == "sync@example.com"
    assert [(a.email, a.common_name) for a in event.attendees] == [
        ("jane@example.org", "Jane Doe, MSc")
    ]
    assert vobject.readOne(data.decode("utf-8")).vevent.attendee.params["RSVP"] == ["TRUE"]

    # The Calendar page: before a link exists it offers to make one.
    name, data = download(page, page.get_by_role("link", name="Add to my calendar (.ics)").click)
    own = ics.Calendar(data.decode("utf-8"))
    assert own.method == "PUBLISH"
    assert [(e.uid, e.begin, e.attendees) for e in own.events] == [
        (ids["interview_uid"], SOON, set())
    ]
    page.get_by_role("link", name="Calendar and sync", exact=True).click()
    expect(page.get_by_role("heading", name="Calendar and sync", exact=True)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Reminder time").fill("08:30")
    page.get_by_role("button", name="Save reminder time").click()
    expect(page.get_by_text("Reminders pop up at 08:30")).to_be_visible()
    check_a11y(page)

    # All open follow-ups as one file.
    link = page.get_by_role("link", name="Download all open follow-ups (.ics)")
    name, data = download(page, link.click)
    assert name == "follow-ups.ics"
    assert_wire_format(data)
    calendar = vobject.readOne(data.decode("utf-8"))
    assert {e.uid.value for e in calendar.vevent_list} == set(ids["followup_uids"].split())
    assert {e.valarm.trigger.value for e in calendar.vevent_list} == {
        timedelta(hours=8, minutes=30)
    }
    names = {e.name for e in ics.Calendar(data.decode("utf-8")).events}
    assert "Follow up: 🟢 Max 中國銀行 — Send a thank-you" in names

    # Make the secret link, copy it, and fetch it without a cookie.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.get_by_role("button", name="Create my calendar link").click()
    expect(page.get_by_text("Your calendar link is ready")).to_be_visible()
    check_a11y(page)
    feed_url = page.locator("#feed-url").inner_text().strip()
    assert feed_url.startswith(f"{live_server}/feed/") and feed_url.endswith(".ics")
    webcal = page.get_by_role("button", name="Open in my calendar app").get_attribute("href")
    assert webcal == "webcal://" + feed_url.removeprefix("http://")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Copied. Paste it into your calendar app.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == feed_url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "calendar.png"), full_page=True)

    status, headers, body = fetch_without_cookies(feed_url)
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert_wire_format(body)
    feed = ics.Calendar(body.decode("utf-8"))
    expected = set(ids["followup_uids"].split()) | {ids["interview_uid"]}
    assert {event.uid for event in feed.events} == expected
    assert not [event for event in feed.events if event.attendees]
    assert {e.uid.value for e in vobject.readOne(body.decode()).vevent_list} == expected
    assert fetch_without_cookies(feed_url.replace("/feed/", "/feed/x"))[0] == 404

    # Regenerate: the old link answers 404, the new one works.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Regenerate the link").click()
    expect(page.get_by_text("The old one no longer works")).to_be_visible()
    check_a11y(page)
    new_url = page.locator("#feed-url").inner_text().strip()
    assert new_url != feed_url
    assert fetch_without_cookies(feed_url)[0] == 404
    assert fetch_without_cookies(new_url)[0] == 200

    # Dismissing the confirmation keeps the link as it is.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Regenerate the link").click()
    expect(page.locator("#feed-url")).to_have_text(new_url)
    assert fetch_without_cookies(new_url)[0] == 200
