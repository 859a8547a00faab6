"""A follow-up added by hand on a weekend moves to the Monday with the words snooze uses, unless
the person keeps the weekend date; every example date in a message is still to come."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import FollowUp
from tests.app.networking import add, followups, log


def flashed(client, response) -> str:
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_saturday_follow_up_moves_to_monday_and_says_why(client, user, app, fixed_today):
    jane = add(client, "Jane")
    response = client.post(
        f"/contacts/{jane}/follow-ups", data={"due_on": "2026-11-28", "reason": "Send the article"}
    )
    assert response.status_code == 302
    assert "Saturday is not a working day, so the follow-up is for Mon 30 Nov." in flashed(
        client, response
    )
    assert followups(app) == [(jane, "manual", date(2026, 11, 30), "open")]


def test_snooze_and_adding_by_hand_say_the_same_about_a_sunday(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane)
    added = client.post(
        f"/contacts/{jane}/follow-ups", data={"due_on": "2026-11-29", "reason": "Call"}
    )
    (row,) = [f for f in followups(app) if f[1] == "manual"]
    assert row[2] == date(2026, 11, 30)
    assert "Sunday is not a working day, so the follow-up is for Mon 30 Nov." in flashed(
        client, added
    )
    with app.app_context():
        other = db.session.scalar(
            select(FollowUp.id).where(FollowUp.kind != "manual").order_by(FollowUp.id)
        )
    snoozed = client.post(f"/follow-ups/{other}/snooze", data={"to": "2026-11-29"})
    assert "Sunday is not a working day, so snoozed to Mon 30 Nov." in flashed(client, snoozed)


def test_the_person_can_keep_the_weekend_date(client, user, app, fixed_today):
    jane = add(client, "Jane")
    page = client.get(f"/contacts/{jane}").get_data(as_text=True)
    assert 'type="checkbox"' in page and "Keep a weekend date</label>" in page
    response = client.post(
        f"/contacts/{jane}/follow-ups",
        data={"due_on": "2026-11-28", "reason": "Market stall chat", "keep_weekend": "y"},
    )
    assert "Follow-up added for Sat 28 Nov." in flashed(client, response)
    assert followups(app) == [(jane, "manual", date(2026, 11, 28), "open")]


def test_a_weekday_follow_up_stays_where_it_was_put(client, user, app, fixed_today):
    jane = add(client, "Jane")
    response = client.post(
        f"/contacts/{jane}/follow-ups", data={"due_on": "2026-11-27", "reason": "Call"}
    )
    assert "Follow-up added for Fri 27 Nov." in flashed(client, response)
    assert followups(app) == [(jane, "manual", date(2026, 11, 27), "open")]


def _example(text: str) -> date:
    found = re.search(r"Enter a real date(?: to snooze to)?, like (\d{4}-\d{2}-\d{2})\.", text)
    assert found, text
    return date.fromisoformat(found.group(1))


@pytest.mark.parametrize(
    "moment", [datetime(2026, 11, 25, 12, tzinfo=UTC), datetime(2026, 12, 12, 23, tzinfo=UTC)]
)
def test_every_example_date_in_a_message_is_in_the_future(client, user, app, clock, moment):
    clock.set(moment)
    today = moment.date()
    jane = add(client, "Jane")
    answers = [
        client.post(f"/contacts/{jane}/follow-ups", data={"due_on": "2026-13-01", "reason": "x"}),
        client.post(f"/contacts/{jane}/outreach", data={"sent_on": "", "channel": "email"}),
        client.post(
            f"/contacts/{jane}/interviews/new",
            data={"day": "2026-02-30", "start": "10:00", "duration_minutes": "30"},
        ),
    ]
    texts = [answer.get_data(as_text=True) for answer in answers]
    log(client, jane, sent_on=today)
    with app.app_context():
        fid = db.session.scalar(select(FollowUp.id))
    texts.append(flashed(client, client.post(f"/follow-ups/{fid}/snooze", data={"to": "soon"})))
    for text in texts:
        assert _example(text) > today
