"""Outreach, follow-ups, interviews, keep in touch and the dashboard, through the pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, Note, Outreach, User

FRIDAY = date(2026, 11, 20)  # a Friday before "today" (Wed 25 Nov 2026 in these tests)
TODAY = date(2026, 11, 25)


@pytest.fixture
def fixed_today(clock):
    """Pin the user's 'today' so business-day arithmetic is checkable."""
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    return TODAY


def add(client, first, company="Acme", **extra):
    data = {"first_name": first, "last_name": "Tester", "company": company, "network": "work"}
    data.update(extra)
    response = client.post("/contacts/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def log(client, contact_id, sent_on=FRIDAY, status="awaiting", channel="email", summary="Hi"):
    return client.post(
        f"/contacts/{contact_id}/outreach",
        data={
            "channel": channel,
            "sent_on": sent_on.isoformat(),
            "status": status,
            "summary": summary,
        },
    )


def followups(app, **where):
    with app.app_context():
        stmt = select(FollowUp).order_by(FollowUp.due_on, FollowUp.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(FollowUp, key) == value)
        return [(f.contact_id, f.kind, f.due_on, f.status) for f in db.session.scalars(stmt)]


def test_outreach_on_friday_plans_3b_and_7b_in_business_days(client, user, app, fixed_today):
    jane = add(client, "Jane")
    response = log(client, jane)
    assert response.status_code == 302
    assert followups(app) == [
        (jane, "3b", date(2026, 11, 25), "open"),  # Fri + 3 business days = Wed
        (jane, "7b", date(2026, 12, 1), "open"),  # Fri + 7 business days = Tue
    ]
    page = client.get(f"/contacts/{jane}").get_data(as_text=True)
    assert "No reply yet. That is normal." in page
    assert "try a second person at Acme" in page
    with app.app_context():
        contact = db.session.get(Contact, jane)
        assert contact.last_interaction_on == FRIDAY


def test_double_submitted_outreach_is_logged_once(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane)
    response = log(client, jane)
    assert response.status_code == 302
    client.get(response.headers["Location"])
    with app.app_context():
        assert len(db.session.scalars(select(Outreach)).all()) == 1
    assert len(followups(app)) == 2


def test_outreach_bad_input(client, user, app, fixed_today):
    jane = add(client, "Jane")
    for data, message in [
        ({"sent_on": "2026-02-30"}, "Enter a real date"),
        ({"sent_on": ""}, "Enter a real date"),
        ({"sent_on": "2027-05-01"}, "in the future"),
        ({"channel": "pigeon"}, "Not a valid choice"),
        ({"status": "maybe"}, "Not a valid choice"),
        ({"summary": "x" * 10_001}, "10000"),
    ]:
        form = {"channel": "email", "sent_on": "2026-11-20", "status": "awaiting", **data}
        response = client.post(f"/contacts/{jane}/outreach", data=form)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    with app.app_context():
        assert db.session.scalars(select(Outreach)).all() == []


def test_reply_closes_the_companys_3b_7b_and_offers_an_interview(client, user, app, fixed_today):
    jane = add(client, "Jane")
    ravi = add(client, "Ravi", company=" ACME ")
    other = add(client, "Olga", company="Globex")
    for contact_id in (jane, ravi, other):
        log(client, contact_id)
    with app.app_context():
        outreach_id = db.session.scalar(select(Outreach.id).where(Outreach.contact_id == ravi))
    response = client.post(f"/outreach/{outreach_id}/status", data={"status": "replied"})
    assert response.headers["Location"] == f"/contacts/{ravi}/interviews/new"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # Writing to Ravi already closed Jane's "second person" follow-up; the reply closes the rest.
    assert "Ravi Tester replied! 3 follow-ups closed." in page
    assert "Trends:" in page  # the TIARA prompts start the prep questions
    assert {c for c, *_ in followups(app, status="closed")} == {jane, ravi}
    assert {c for c, *_ in followups(app, status="open")} == {other}
    # Marking the same reply twice changes nothing and says so.
    response = client.post(f"/outreach/{outreach_id}/status", data={"status": "replied"})
    assert "already recorded" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_decline_keeps_the_second_person_follow_up(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane)
    with app.app_context():
        outreach_id = db.session.scalar(select(Outreach.id))
    client.post(f"/outreach/{outreach_id}/status", data={"status": "declined"})
    assert followups(app, status="open") == [(jane, "3b", date(2026, 11, 25), "open")]


def test_followups_page_groups_and_actions(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane, sent_on=date(2026, 11, 13))  # 3B due Wed 18 (overdue), 7B Tue 24 (overdue)
    ravi = add(client, "Ravi", company="Globex")
    log(client, ravi, sent_on=date(2026, 11, 20))  # 3B due Wed 25 (today), 7B Tue 1 Dec (later)
    page = client.get("/follow-ups").get_data(as_text=True)
    sections = {
        name: page.split(f'id="group-{name}"')[1].split("</section>")[0]
        for name in ("overdue", "today", "this_week", "later")
    }
    assert sections["overdue"].count('class="followup"') == 2
    assert "due since Wed 18 Nov (7 days ago)" in sections["overdue"]
    assert "Ravi Tester" in sections["today"] and "due today" in sections["today"]
    assert "Nothing here" in sections["this_week"]
    assert "Tue 01 Dec" in sections["later"]

    ids = {kind_contact: fid for fid, kind_contact in _ids(app)}
    client.post(f"/follow-ups/{ids[('3b', jane)]}/done")
    client.post(f"/follow-ups/{ids[('7b', jane)]}/dismiss")
    # +1 business day from Wednesday is Thursday; +3 is Monday (over the weekend).
    client.post(f"/follow-ups/{ids[('3b', ravi)]}/snooze", data={"days": "3"})
    states = {(c, k): (d, s) for c, k, d, s in followups(app)}
    assert states[(jane, "3b")][1] == "done" and states[(jane, "7b")][1] == "dismissed"
    assert states[(ravi, "3b")] == (date(2026, 11, 30), "open")
    with app.app_context():
        row = db.session.get(FollowUp, ids[("3b", ravi)])
        assert row.snoozed_from == date(2026, 11, 25) and row.sequence == 1
    # Done ones stay in the contact's history.
    history = client.get(f"/contacts/{jane}").get_data(as_text=True)
    assert "Reach a second person</strong> · Done" in history
    assert "Nudge once</strong> · Dismissed" in history


def _ids(app):
    with app.app_context():
        return [
            ((f.kind, f.contact_id)) and (f.id, (f.kind, f.contact_id))
            for f in db.session.scalars(select(FollowUp))
        ]


def test_snooze_to_a_date_and_into_the_past(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane)
    fid = _ids(app)[0][0]
    response = client.post(
        f"/follow-ups/{fid}/snooze", data={"to": "2026-11-24", "next": "/follow-ups"}
    )
    assert "Pick today or a later date." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    response = client.post(f"/follow-ups/{fid}/snooze", data={"to": "2026-02-31"})
    assert "Enter a real date" in client.get(response.headers["Location"]).get_data(as_text=True)
    client.post(f"/follow-ups/{fid}/snooze", data={"to": "2026-12-24"})
    with app.app_context():
        assert db.session.get(FollowUp, fid).due_on == date(2026, 12, 24)
    # Done twice: the second says so and changes nothing.
    client.post(f"/follow-ups/{fid}/done")
    response = client.post(f"/follow-ups/{fid}/done", data={"next": "/follow-ups"})
    assert "already done" in client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post(f"/follow-ups/{fid}/snooze", data={"days": "1", "next": "/follow-ups"})
    assert "already done" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_manual_follow_up_and_bad_dates(client, user, app, fixed_today):
    jane = add(client, "Jane")
    response = client.post(
        f"/contacts/{jane}/follow-ups", data={"due_on": "2026-12-02", "reason": "Send the article"}
    )
    assert response.status_code == 302
    assert followups(app) == [(jane, "manual", date(2026, 12, 2), "open")]
    # A double-submitted form adds it once.
    client.post(
        f"/contacts/{jane}/follow-ups", data={"due_on": "2026-12-02", "reason": "Send the article"}
    )
    assert len(followups(app)) == 1
    for data, message in [
        ({"due_on": "2026-11-24", "reason": "x"}, "Pick today or a later date."),
        ({"due_on": "2026-13-01", "reason": "x"}, "Enter a real date"),
        ({"due_on": "2026-12-02", "reason": ""}, "This field is required"),
    ]:
        response = client.post(f"/contacts/{jane}/follow-ups", data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert len(followups(app)) == 1


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


def test_cadence_and_losing_touch(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane, sent_on=date(2026, 10, 1), status="replied")
    client.post(f"/contacts/{jane}/cadence", data={"cadence": "1m"})
    with app.app_context():
        assert db.session.get(Contact, jane).keep_in_touch_due == date(2026, 11, 1)
    page = client.get("/follow-ups").get_data(as_text=True)
    losing = page.split('id="losing"')[1]
    assert "Jane Tester" in losing and "due since Sun 01 Nov 2026" in losing
    # Any new outreach resets it.
    log(client, jane, sent_on=TODAY, status="replied", summary="Coffee?")
    with app.app_context():
        assert db.session.get(Contact, jane).keep_in_touch_due == date(2026, 12, 25)
    assert "Nothing to follow up right now" in client.get("/follow-ups").get_data(as_text=True)
    response = client.post(f"/contacts/{jane}/cadence", data={"cadence": "weekly-ish"})
    assert response.status_code == 400


def test_timeline_shows_everything_newest_first(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane, sent_on=date(2026, 11, 2), summary="First message")
    client.post(f"/contacts/{jane}/notes", data={"body": "Met at the <b>meetup</b>"})
    page = client.get(f"/contacts/{jane}").get_data(as_text=True)
    timeline = page.split("<h2>Timeline</h2>")[1]
    assert timeline.index("Met at the &lt;b&gt;meetup&lt;/b&gt;") < timeline.index("First message")
    assert "Last interaction" in page and "Mon 02 Nov 2026" in page
    with app.app_context():
        assert db.session.scalar(select(Note.body)) == "Met at the <b>meetup</b>"


def test_dashboard_shows_due_items_goal_rates_and_pipeline(client, user, app, fixed_today):
    jane = add(client, "Jane")
    ravi = add(client, "Ravi", company="Globex", network="alumni")
    log(client, jane, sent_on=date(2026, 11, 13))
    log(client, ravi, sent_on=TODAY, summary="Hello")
    with app.app_context():
        ravi_outreach = db.session.scalar(select(Outreach.id).where(Outreach.contact_id == ravi))
    client.post(f"/outreach/{ravi_outreach}/status", data={"status": "replied"})
    page = client.get("/dashboard").get_data(as_text=True)
    assert "1 of 5 outreaches this week" in page
    assert "1 of 2 people you reached out to replied (50%)" in page
    assert re.search(r"Alumni</th><td>1 of 1</td>", page)
    assert re.search(r"Work</th><td>0 of 1</td>", page)
    assert "Reach a second person" in page and "due since" in page
    assert re.search(r"<strong>2</strong>Contacts", page)
    assert re.search(r"<strong>1</strong>Replied", page)


def test_settings_change_the_rules(client, user, app, fixed_today):
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
        "after_interview_cadence": "3m",
    }
    assert client.post("/settings", data=data).status_code == 302
    for bad, message in [
        ({"nudge_days": "61"}, "from 0 to 60"),
        ({"weekly_goal": "-1"}, "from 0 to 200"),
        ({"time_zone": "Mars/Base"}, "Not a valid choice"),
        ({"nudge_days": ""}, "whole number"),
    ]:
        response = client.post("/settings", data={**data, **bad})
        assert response.status_code == 200 and message in response.get_data(as_text=True), bad
    with app.app_context():
        saved = db.session.scalar(select(User))
        assert (saved.time_zone, saved.weekly_goal, saved.nudge_days) == ("Asia/Tokyo", 8, 5)
    jane = add(client, "Jane")
    log(client, jane)
    assert [d for _, _, d, _ in followups(app)] == [date(2026, 11, 24), date(2026, 11, 27)]


def test_other_users_ids_answer_404_on_every_new_url(client, auth, app, fixed_today):
    auth.register(email="owner@example.com")
    jane = add(client, "Jane")
    log(client, jane)
    interview = (
        client.post(
            f"/contacts/{jane}/interviews/new",
            data={"day": "2026-12-01", "start": "10:00", "duration_minutes": "30"},
        )
        .headers["Location"]
        .rsplit("/", 1)[1]
    )
    with app.app_context():
        outreach_id = db.session.scalar(select(Outreach.id))
        followup_id = db.session.scalar(select(FollowUp.id))
    auth.logout()
    auth.register(email="other@example.com")
    gets = [
        f"/interviews/{interview}",
        f"/interviews/{interview}/edit",
        f"/contacts/{jane}/interviews/new",
    ]
    posts = [
        f"/contacts/{jane}/outreach",
        f"/outreach/{outreach_id}/status",
        f"/follow-ups/{followup_id}/done",
        f"/follow-ups/{followup_id}/dismiss",
        f"/follow-ups/{followup_id}/snooze",
        f"/contacts/{jane}/follow-ups",
        f"/contacts/{jane}/cadence",
        f"/contacts/{jane}/notes",
        f"/interviews/{interview}/done",
        f"/interviews/{interview}/notes",
        f"/interviews/{interview}/cancel",
        f"/interviews/{interview}/thank-you",
        f"/interviews/{interview}/edit",
        f"/contacts/{jane}/interviews/new",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, data={"status": "replied", "days": "1"}).status_code == 404, url
    with app.app_context():
        assert db.session.get(FollowUp, followup_id).status == "open"
        assert db.session.get(Outreach, outreach_id).status == "awaiting"


def test_dates_in_another_year_show_the_year(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane)
    fid = _ids(app)[0][0]
    response = client.post(f"/follow-ups/{fid}/snooze", data={"to": "2099-01-01"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Snoozed to Thu 01 Jan 2099." in page
    assert "due Thu 01 Jan 2099" in page and "snoozed from Wed 25 Nov" in page


def test_reloading_a_form_address_returns_to_the_page(client, user, app, fixed_today):
    jane = add(client, "Jane")
    for path in ("outreach", "follow-ups", "cadence", "notes"):
        response = client.get(f"/contacts/{jane}/{path}")
        assert response.status_code == 302 and response.headers["Location"] == f"/contacts/{jane}"
    page = client.get("/follow-ups/1/done")
    assert page.status_code == 405 and "only takes a form" in page.get_data(as_text=True)


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


def test_company_names_ending_in_a_period_read_well(client, user, app, fixed_today):
    jane = add(client, "Jane", company="Acme, Inc.")
    log(client, jane)
    page = client.get(f"/contacts/{jane}").get_data(as_text=True)
    assert "try a second person at Acme, Inc." in page and "Inc.." not in page


def test_dashboard_asks_about_past_interviews_still_scheduled(client, user, app, fixed_today):
    jane = add(client, "Jane")
    client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-11-02", "start": "10:00", "duration_minutes": "30"},
    )
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Did these happen?" in page and "was Mon 02 Nov" in page


def test_writing_to_a_second_person_closes_the_first_ones_3b(client, user, app, fixed_today):
    jane = add(client, "Jane")
    ravi = add(client, "Ravi")
    log(client, jane)
    log(client, ravi, sent_on=TODAY, summary="Hello Ravi")
    with app.app_context():
        closed = db.session.scalars(select(FollowUp).where(FollowUp.status == "closed")).all()
        assert [(f.contact_id, f.kind, f.closed_note) for f in closed] == [
            (jane, "3b", "You reached Ravi Tester at Acme")
        ]
    assert (ravi, "3b", date(2026, 11, 30), "open") in followups(app)


def test_snoozing_never_moves_a_follow_up_earlier(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane, sent_on=TODAY)  # 3B due Mon 30 Nov
    fid = _ids(app)[0][0]
    client.post(f"/follow-ups/{fid}/snooze", data={"days": "1"})
    with app.app_context():
        assert db.session.get(FollowUp, fid).due_on == date(2026, 12, 1)


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
        (jane, "thank_you", date(2026, 11, 21), "open"),  # overdue, honestly
        (jane, "referral_ask", date(2026, 11, 23), "open"),  # Monday after the interview's week
        (jane, "update", date(2026, 11, 27), "open"),
    ]
