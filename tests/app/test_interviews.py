"""Informational interviews: scheduling in the user's time zone, done, thank-you."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, Interview
from tests.app.networking import TODAY, add, followups


def test_interview_story_plans_thank_you_update_referral_and_monthly_cadence(
    client, user, app, fixed_today
):
    jane = add(client, "Jane")
    response = client.post(
        f"/contacts/{jane}/interviews/new",
        data={
            "day": "2026-11-25",
            "start": "09:30",
            "duration_minutes": "30",
            "location": "https://meet.example/abc",
            "prep_questions": "Trends: what changes?",
        },
    )
    assert response.status_code == 302
    interview_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/interviews/{interview_id}").get_data(as_text=True)
    assert "Wednesday 25 November 2026, 09:30" in page and "Trends: what changes?" in page
    client.post(
        f"/interviews/{interview_id}/notes",
        data={
            "career_path": "Teacher, then a bootcamp, then analyst",
            "advice": "Build a portfolio",
            "resources": "",
            "assignments": "",
            "referrals": "Ravi at Globex",
        },
    )
    client.post(f"/interviews/{interview_id}/done")
    assert followups(app, status="open") == [
        (jane, "thank_you", date(2026, 11, 26), "open"),
        (jane, "referral_ask", date(2026, 11, 30), "open"),  # Monday of the next week
        (jane, "update", date(2026, 12, 2), "open"),
    ]
    done_page = client.get(f"/interviews/{interview_id}").get_data(as_text=True)
    assert (
        "Send Jane Tester a thank-you by Thursday 26 November. Then ask for a referral on "
        "Monday 30 November, and send a progress update on Wednesday 2 December." in done_page
    )
    with app.app_context():
        contact = db.session.get(Contact, jane)
        assert contact.cadence == "1m"
        assert contact.last_interaction_on == TODAY
        assert contact.keep_in_touch_due == date(2026, 12, 25)
        interview = db.session.get(Interview, interview_id)
        assert interview.career_path == "Teacher, then a bootcamp, then analyst"
        assert interview.status == "done"
    client.post(f"/interviews/{interview_id}/thank-you")
    assert ("thank_you", "done") in {(k, s) for _, k, _, s in followups(app)}
    # Done twice is refused politely.
    response = client.post(f"/interviews/{interview_id}/done")
    assert "already done" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_interview_times_are_the_users_wall_clock(client, auth, app):
    auth.register(email="ny@example.com", time_zone="America/New_York")
    jane = add(client, "Jane")
    client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-07-14", "start": "15:30", "duration_minutes": "45"},
    )
    with app.app_context():
        interview = db.session.scalar(select(Interview))
        assert interview.starts_at == datetime(2026, 7, 14, 19, 30, tzinfo=UTC)
    # 01:30 on the fall-back night happens twice: the first is used, and the page says so.
    response = client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-11-01", "start": "01:30", "duration_minutes": "30"},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "01:30 happens twice that night in America/New_York" in page
    with app.app_context():
        first = db.session.scalars(select(Interview).order_by(Interview.id.desc())).first()
        assert first.starts_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
        db.session.delete(first)
        db.session.commit()
    # 02:30 on the spring-forward night does not exist in New York.
    response = client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-03-08", "start": "02:30", "duration_minutes": "30"},
    )
    assert "does not exist" in response.get_data(as_text=True)
    response = client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-02-30", "start": "25:00", "duration_minutes": "0"},
    )
    page = response.get_data(as_text=True)
    assert "Enter a real date" in page and "Enter a time" in page
    with app.app_context():
        assert len(db.session.scalars(select(Interview)).all()) == 1


def test_thank_you_waits_for_the_interview(client, user, app, fixed_today):
    jane = add(client, "Jane")
    location = client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-12-01", "start": "10:00", "duration_minutes": "30"},
    ).headers["Location"]
    response = client.post(f"{location}/thank-you")
    assert "Mark the interview as done first" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(select(Interview.thank_you_sent_on)) is None


def test_a_future_interview_cannot_be_marked_done_and_past_ones_time_from_their_day(
    client, user, app, fixed_today
):
    jane = add(client, "Jane")
    future = client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-12-02", "start": "15:30", "duration_minutes": "30"},
    ).headers["Location"]
    response = client.post(f"{future}/done")
    assert "Mark it done once it has happened" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    past = client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-11-20", "start": "10:00", "duration_minutes": "30"},
    ).headers["Location"]
    client.post(f"{past}/done")
    assert followups(app, status="open") == [
        # Held on Friday 20, marked done on Wednesday 25: the thank-you (due Monday 23) is
        # due the next business day, Thursday 26; the referral ask (Monday 23) and the update
        # (Friday 27) follow on days of their own after it, none before today.
        (jane, "thank_you", date(2026, 11, 26), "open"),
        (jane, "referral_ask", date(2026, 11, 27), "open"),
        (jane, "update", date(2026, 11, 30), "open"),
    ]
