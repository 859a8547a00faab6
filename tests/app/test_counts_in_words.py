"""Counts read right in the singular on the dashboard: one outreach, one person, one contact."""

from __future__ import annotations

from sqlalchemy import update

from crm.extensions import db
from crm.models import Contact, User
from tests.app.networking import add, log


def test_the_dashboard_counts_one_of_each_in_the_singular(client, user, app, fixed_today):
    with app.app_context():
        db.session.execute(update(User).values(weekly_goal=1))
        db.session.commit()
    jane = add(client, "Jane")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "0 of 1 outreach this week" in page
    log(client, jane, sent_on=fixed_today, status="replied")
    with app.app_context():
        db.session.execute(update(Contact).values(keep_in_touch_due=fixed_today.replace(day=1)))
        db.session.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    assert "1 of 1 outreach this week: goal reached" in page
    assert "1 of 1 person you reached out to replied (100%)" in page
    assert "1 contact is past the keep-in-touch cadence." in page
    assert "outreaches" not in page and "1 people" not in page
