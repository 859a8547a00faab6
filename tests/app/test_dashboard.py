"""The dashboard: what is due, the weekly goal, reply rates and the pipeline."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from crm.extensions import db
from crm.models import Outreach, User
from tests.app.networking import TODAY, add, log
from tests.conftest import counting_statements


def test_dashboard_shows_due_items_goal_rates_and_pipeline(client, user, app, fixed_today, clock):
    jane = add(client, "Jane")
    ravi = add(client, "Ravi", company="Globex", network="alumni")
    # Logged on the day it was sent, so its follow-ups are overdue by now.
    clock.set(datetime(2026, 11, 13, 12, tzinfo=UTC))
    log(client, jane, sent_on=date(2026, 11, 13))
    clock.set(datetime(2026, 11, 25, 12, tzinfo=UTC))
    log(client, ravi, sent_on=TODAY, summary="Hello")
    with app.app_context():
        ravi_outreach = db.session.scalar(select(Outreach.id).where(Outreach.contact_id == ravi))
    client.post(f"/outreach/{ravi_outreach}/status", data={"status": "replied"})
    page = client.get("/dashboard").get_data(as_text=True)
    assert "1 of 5 outreach messages this week" in page
    assert "1 of 2 people you reached out to replied (50%)" in page
    assert re.search(r"Alumni</th><td>1 of 1</td>", page)
    assert re.search(r"Work</th><td>0 of 1</td>", page)
    assert "Reach a second person" in page and "due since" in page
    assert re.search(r"<strong>2</strong>Contacts", page)
    assert re.search(r"<strong>1</strong>Replied", page)


def test_dashboard_asks_about_past_interviews_still_scheduled(client, user, app, fixed_today):
    jane = add(client, "Jane")
    client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-11-02", "start": "10:00", "duration_minutes": "30"},
    )
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Did these happen?" in page and "was Mon 02 Nov" in page


def _set_weekly_goal(app, goal: int) -> None:
    with app.app_context():
        db.session.execute(update(User).values(weekly_goal=goal))
        db.session.commit()


def test_the_weekly_goal_counts_this_week_in_full_and_the_streak_back_from_it(
    client, user, app, fixed_today
):
    _set_weekly_goal(app, 2)
    jane = add(client, "Jane")
    sent = {
        date(2026, 11, 23): 1,  # this week's Monday
        TODAY: 2,
        date(2026, 11, 22): 4,  # last week's Sunday: last week, well over the goal
        date(2026, 11, 9): 2,  # two weeks back, just at it
        date(2026, 11, 2): 1,  # three weeks back: short, so the streak stops here
        date(2026, 10, 26): 5,
    }
    for day, n in sent.items():
        for i in range(n):
            log(client, jane, sent_on=day, summary=f"Hello {day} {i}")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "3 of 2 outreach messages this week: goal reached" in page
    assert "<strong>3 weeks in a row</strong> at your goal of 2." in page
    plan = client.get("/plan/").get_data(as_text=True)
    assert "<strong>3 weeks in a row</strong>" in plan


def test_a_long_streak_is_read_back_up_to_a_year_in_one_read_of_the_sent_tally(
    client, user, app, fixed_today
):
    _set_weekly_goal(app, 1)
    jane = add(client, "Jane")
    for back in range(60):  # this week and the 59 before it
        log(client, jane, sent_on=TODAY - timedelta(weeks=back), summary=f"Hello {back}")
    with counting_statements(app) as statements:
        page = client.get("/dashboard").get_data(as_text=True)
    # This week and the 52 before it, however long the run: the streak looks back a year.
    assert "<strong>53 weeks in a row</strong> at your goal of 1." in page
    # A row a day from the "sent" tally (crm.tallies), never the outreach rows themselves.
    assert not [s for s in statements if "outreach.sent_on >=" in s]
    assert len([s for s in statements if "FROM tally" in s and ">=" in s]) == 1
