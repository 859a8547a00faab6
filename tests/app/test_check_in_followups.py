"""The four-weekly rut check-in as a follow-up of its own: about no contact, planned by saving a
check-in, shown with the other follow-ups, on the dashboard and in the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import ics
import pytest
import vobject
from sqlalchemy import select

from crm.enums import FollowUpKind, FollowUpState
from crm.extensions import db
from crm.models import FollowUp, User
from tests.app.networking import add
from tests.conftest import TEST_PASSWORD

WEDNESDAY = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FOUR_WEEKS_ON = datetime(2026, 12, 23, 9, 0, tzinfo=UTC)
CHECK_IN_LINK = '<a role="button" class="small" href="/plan/#rut">Check in</a>'


def reminders(app) -> list[tuple]:
    """Every check-in reminder: (contact_id, due_on, status, sequence, uid), oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(FollowUp).where(FollowUp.kind == FollowUpKind.CHECK_IN).order_by(FollowUp.id)
        )
        return [(f.contact_id, f.due_on, f.status, f.sequence, f.uid) for f in rows]


def reminder_id(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(FollowUp.id)
            .where(FollowUp.kind == FollowUpKind.CHECK_IN)
            .order_by(FollowUp.id.desc())
        )


def check_in(client, *signs: str) -> None:
    assert client.post("/plan/check-in", data={"signs": list(signs)}).status_code == 302


def card(client) -> str:
    html = client.get("/dashboard").get_data(as_text=True)
    return html.split('id="next-step-h"')[1].split("</article>")[0]


def rut_section(client) -> str:
    html = client.get("/plan/").get_data(as_text=True)
    return html.split('id="rut-h"')[1].split("</section>")[0]


@pytest.fixture
def checked_in(client, user, app, clock):
    """Jo checked in on Wednesday 25 November 2026 (two signs)."""
    clock.set(WEDNESDAY)
    check_in(client, "underpaid", "no_room")
    return clock


def test_a_check_in_plans_the_next_one_four_weeks_on_with_no_contact(client, app, checked_in):
    [(contact_id, due_on, status, sequence, _)] = reminders(app)
    assert (contact_id, due_on, status, sequence) == (None, date(2026, 12, 23), "open", 0)
    page = client.get("/follow-ups").get_data(as_text=True)
    later = page.split('id="group-later"')[1].split("</section>")[0]
    assert "<strong>Check in on your rut</strong>" in later
    assert "due Wed 23 Dec" in later
    assert "Four weeks since your last check-in" in later
    # Its action is the check-in itself, on the Plan page; there is nothing to mark done.
    assert CHECK_IN_LINK in later
    assert "/done" not in later
    assert "The next check-in is on your" in rut_section(client)
    assert "for Wed 23 Dec." in rut_section(client)


def test_four_weeks_after_a_saturday_check_in_is_the_monday(client, user, app, clock):
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    check_in(client, "underpaid")
    assert [r[1] for r in reminders(app)] == [date(2026, 12, 28)]


def test_checking_in_again_moves_the_one_reminder(client, app, checked_in):
    [(_, _, _, _, uid)] = reminders(app)
    check_in(client, "underpaid")  # the same day again: nothing moves
    assert [r[1:4] for r in reminders(app)] == [(date(2026, 12, 23), "open", 0)]
    checked_in.set(FOUR_WEEKS_ON)
    check_in(client)
    # One event that moves in the calendar: the same UID, a higher SEQUENCE.
    assert reminders(app) == [(None, date(2027, 1, 20), "open", 1, uid)]


def test_a_due_check_in_is_on_the_dashboard_and_leads_to_the_plan(client, app, checked_in):
    # (With no contacts at all the dashboard is its welcome, and the plan card says it.)
    assert "Time for your four-weekly check-in" not in card(client)
    add(client, "Ana")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Check in on your rut" in html.split("Coming up")[1].split('id="upcoming"')[0]
    checked_in.set(FOUR_WEEKS_ON)
    html = client.get("/dashboard").get_data(as_text=True)
    due_now = html.split('id="due"')[1].split("Coming up")[0]
    assert "<strong>Check in on your rut</strong>" in due_now
    assert "due today" in due_now
    assert CHECK_IN_LINK in due_now
    assert "Time for your four-weekly check-in" in card(client)
    assert "A new check-in is due." in rut_section(client)


def test_the_check_in_is_in_the_calendar_with_a_link_to_the_plan(client, app, checked_in):
    app.config["BASE_URL"] = "http://localhost"
    for url in ("/follow-ups.ics", f"/follow-ups/{reminder_id(app)}.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        calendar = vobject.readOne(text)
        [event] = calendar.vevent_list
        assert event.summary.value == "Check in on your rut"
        assert event.dtstart.value == date(2026, 12, 23)
        assert event.url.value == "http://localhost/plan/#rut"
        assert "http://localhost/plan/#rut" in event.description.value
        [other] = ics.Calendar(text).events
        assert other.name == "Check in on your rut"
    download = client.get(f"/follow-ups/{reminder_id(app)}.ics")
    assert (
        "Follow-up-Check-in-on-your-rut-2026-12-23.ics" in download.headers["Content-Disposition"]
    )


def test_the_feed_and_the_command_line_export_carry_it(app, client, runner, checked_in):
    client.post("/calendar/link")
    with app.app_context():
        assert db.session.scalar(select(User.feed_token_hash))
    page = client.get("/calendar").get_data(as_text=True)
    feed_url = page.split('id="feed-url"')[1].split(">", 1)[1].split("<", 1)[0]
    feed = client.get(feed_url.replace("http://localhost", "")).get_data(as_text=True)
    assert "SUMMARY:Check in on your rut" in feed
    # A command has no request to take the host from: no link without CRM_BASE_URL.
    result = runner.invoke(args=["export-ics", "--user", "jo@example.com"])
    assert result.exit_code == 0, result.output
    assert "SUMMARY:Check in on your rut" in result.output
    assert "URL:" not in result.output
    app.config["BASE_URL"] = "https://crm.example.org"
    result = runner.invoke(args=["export-ics", "--user", "jo@example.com"])
    assert "URL:https://crm.example.org/plan/#rut" in result.output


def test_snoozing_the_check_in_moves_it_on_the_plan_and_the_card(client, app, checked_in):
    checked_in.set(FOUR_WEEKS_ON)
    response = client.post(f"/follow-ups/{reminder_id(app)}/snooze", data={"days": "3"})
    assert response.status_code == 302
    assert [r[1:3] for r in reminders(app)] == [(date(2026, 12, 28), "open")]
    assert "Time for your four-weekly check-in" not in card(client)
    assert "The next one is due Mon 28 Dec." in rut_section(client)


def test_dismissing_the_check_in_stops_the_reminders_until_the_next_check_in(
    client, app, checked_in
):
    checked_in.set(FOUR_WEEKS_ON)
    response = client.post(f"/follow-ups/{reminder_id(app)}/dismiss", follow_redirects=True)
    assert "Dismissed the check-in reminder." in response.get_data(as_text=True)
    assert [r[2] for r in reminders(app)] == ["dismissed"]
    assert "Check in on your rut" not in client.get("/follow-ups").get_data(as_text=True)
    assert "four-weekly check-in" not in card(client)
    assert "Check in again whenever you like." in rut_section(client)
    # The next check-in plans a new reminder.
    check_in(client, "underpaid")
    assert [r[1:3] for r in reminders(app)] == [
        (date(2026, 12, 23), "dismissed"),
        (date(2027, 1, 20), "open"),
    ]


def test_done_on_the_check_in_closes_it_and_says_what_comes_next(client, app, checked_in):
    response = client.post(f"/follow-ups/{reminder_id(app)}/done", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Your next check-in is suggested four weeks after you save one" in html
    assert [r[2] for r in reminders(app)] == [FollowUpState.DONE]
    # Done twice is refused, kindly.
    again = client.post(f"/follow-ups/{reminder_id(app)}/done", follow_redirects=True)
    assert "This follow-up is already done." in again.get_data(as_text=True)


def test_another_users_check_in_reminder_answers_404(client, app, auth, checked_in):
    theirs = reminder_id(app)
    before = reminders(app)
    auth.logout()
    auth.register(email="mallory@example.com")
    for url in (
        f"/follow-ups/{theirs}/done",
        f"/follow-ups/{theirs}/dismiss",
        f"/follow-ups/{theirs}/snooze",
    ):
        assert client.post(url, data={"days": "1"}).status_code == 404, url
    assert client.get(f"/follow-ups/{theirs}.ics").status_code == 404
    assert "Check in on your rut" not in client.get("/follow-ups").get_data(as_text=True)
    assert "Check in on your rut" not in client.get("/follow-ups.ics").get_data(as_text=True)
    assert reminders(app) == before


def test_deleting_the_account_takes_the_check_in_reminder_with_it(client, app, checked_in):
    response = client.post("/account/delete", data={"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert reminders(app) == []
