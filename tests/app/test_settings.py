"""Settings: the time zone, the weekly goal, the follow-up rule numbers and the morning email."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from crm.extensions import db
from crm.models import User
from tests.app.networking import add, followups, log


def test_settings_change_the_rules(client, user, app, fixed_today, clock):
    page = client.get("/settings").get_data(as_text=True)
    assert "Europe/Paris" in page
    data = {
        "time_zone": "Asia/Tokyo",
        "weekly_goal": "8",
        "second_person_days": "2",
        "nudge_days": "5",
        "thank_you_days": "1",
        "update_days": "7",
        "referral_ask_weeks": "1",
        "history_days": "30",
        "after_interview_cadence": "3m",
    }
    assert client.post("/settings", data=data).status_code == 302
    for bad, message in [
        ({"nudge_days": "61"}, "from 0 to 60"),
        ({"weekly_goal": "-1"}, "from 0 to 200"),
        ({"time_zone": "Mars/Base"}, "Pick a time zone from the list."),
        ({"nudge_days": ""}, "whole number"),
    ]:
        response = client.post("/settings", data={**data, **bad})
        assert response.status_code == 200 and message in response.get_data(as_text=True), bad
    with app.app_context():
        saved = db.session.scalar(select(User))
        assert (saved.time_zone, saved.weekly_goal, saved.nudge_days) == ("Asia/Tokyo", 8, 5)
    jane = add(client, "Jane")
    clock.set(datetime(2026, 11, 20, 12, tzinfo=UTC))  # logged the day it was sent
    log(client, jane)
    assert [d for _, _, d, _ in followups(app)] == [date(2026, 11, 24), date(2026, 11, 27)]


def test_settings_turn_the_morning_email_on_at_an_hour(app, client, auth):
    auth.register()
    page = client.get("/settings").get_data(as_text=True)
    form = {
        "time_zone": "Europe/Berlin", "weekly_goal": 5, "second_person_days": 3,
        "nudge_days": 7, "thank_you_days": 1, "update_days": 7, "referral_ask_weeks": 1,
        "history_days": 30, "after_interview_cadence": "1m", "morning_email": "y",
        "morning_email_hour": "6",
    }  # fmt: skip

    response = client.post("/settings", data=form, follow_redirects=True)

    assert "Email me what is due each morning" in page
    assert response.status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.morning_email, user.morning_email_hour) == (True, 6)
    del form["morning_email"]
    client.post("/settings", data=form)
    with app.app_context():
        assert db.session.scalar(select(User)).morning_email is False
