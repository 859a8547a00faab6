"""One thread per person: the nudge inside it, replies at the company, reopening, history that
never floods, and the second person at the company where someone was reached."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import unquote

from sqlalchemy import select, update

from crm.extensions import db
from crm.messages.services import thank_you_is_late
from crm.models import FollowUp, Outreach, User
from tests.app.networking import add, followups, log
from tests.conftest import counting_statements, csrf_token_from


def at(clock, day: date) -> None:
    """Stop the clock at noon UTC on a day (the test user's zone is UTC)."""
    clock.set(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))


def flashes(client, response) -> str:
    return client.get(response.headers["Location"]).get_data(as_text=True)


def outreach_ids(app, contact_id: int) -> list[int]:
    with app.app_context():
        stmt = select(Outreach.id).where(Outreach.contact_id == contact_id).order_by(Outreach.id)
        return list(db.session.scalars(stmt))


def notes(app, **where) -> list[tuple[int, str, str, str | None]]:
    with app.app_context():
        stmt = select(FollowUp).order_by(FollowUp.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(FollowUp, key) == value)
        return [(f.contact_id, f.kind, f.status, f.closed_note) for f in db.session.scalars(stmt)]


# One thread per person.


def test_a_second_message_in_an_open_thread_is_the_nudge_and_plans_nothing(
    client, user, app, clock
):
    at(clock, date(2026, 12, 4))  # a Friday
    jane = add(client, "Jane")
    first = flashes(client, log(client, jane, sent_on=date(2026, 12, 4)))
    assert "Most first messages get no reply" in first
    at(clock, date(2026, 12, 15))  # Tuesday: the nudge is due
    nudge = flashes(client, log(client, jane, sent_on=date(2026, 12, 15), summary="Following up"))
    assert "Logged as your nudge to Jane" in nudge
    assert "Most first messages get no reply" not in nudge
    assert notes(app, kind="7b") == [(jane, "7b", "done", "Nudged on Tue 15 Dec")]
    # Logging again (the Nudge template, say) adds nothing: still the one 3B and one 7B.
    again = flashes(client, log(client, jane, sent_on=date(2026, 12, 16), summary="One more"))
    assert "part of your open thread with Jane: nothing new is planned" in again
    assert [(kind, status) for _, kind, _, status in followups(app)] == [
        ("3b", "open"),
        ("7b", "done"),
    ]


def test_a_second_message_the_same_week_keeps_one_open_nudge(client, user, app, clock):
    at(clock, date(2026, 12, 7))
    jane = add(client, "Jane")
    log(client, jane, sent_on=date(2026, 12, 7))
    log(client, jane, sent_on=date(2026, 12, 8), summary="Forgot the link")
    log(client, jane, sent_on=date(2026, 12, 8), channel="linkedin", summary="On LinkedIn too")
    assert [f for f in followups(app, status="open") if f[1] == "7b"] == []
    assert len(followups(app, kind="7b")) == 1
    assert len(followups(app, kind="3b")) == 1


def test_a_reply_ends_the_thread_so_the_next_message_starts_a_new_one(client, user, app, clock):
    at(clock, date(2026, 12, 7))
    jane = add(client, "Jane")
    log(client, jane, sent_on=date(2026, 12, 7))
    log(client, jane, sent_on=date(2026, 12, 8), summary="And the link")
    first, second = outreach_ids(app, jane)
    client.post(f"/outreach/{second}/status", data={"status": "replied"})
    with app.app_context():
        statuses = [db.session.get(Outreach, i).status for i in (first, second)]
    assert statuses == ["replied", "replied"]  # one thread, answered as a whole
    at(clock, date(2026, 12, 21))
    log(client, jane, sent_on=date(2026, 12, 21), summary="A new question")
    assert len(followups(app, kind="7b", status="open")) == 1


def test_a_reply_at_the_company_closes_the_others_nudge_and_their_page_says_why(
    client, user, app, clock
):
    at(clock, date(2026, 12, 7))
    kenji = add(client, "Kenji", company="Globex")
    tom = add(client, "Tom", company="Globex")
    other = add(client, "Olga", company="Initech")
    for person in (kenji, tom, other):
        log(client, person, sent_on=date(2026, 12, 7))
    at(clock, date(2026, 12, 10))
    (tom_outreach,) = outreach_ids(app, tom)
    client.post(f"/outreach/{tom_outreach}/status", data={"status": "replied"})
    said = "Closed: Tom Tester at Globex replied on Thu 10 Dec"
    assert (kenji, "7b", "closed", said) in notes(app)
    assert all(status == "open" for c, _, status, _ in notes(app) if c == other)
    page = client.get(f"/contacts/{kenji}").get_data(as_text=True)
    assert f"<strong>Nudge once</strong> · {said}." in page
    assert "Nudge once: closed when Tom Tester at Globex replied on Thu 10 Dec." in page
    assert page.count(">Reopen</button>") >= 1


def test_reopen_brings_back_a_closed_nudge_once(client, user, app, clock, auth):
    at(clock, date(2026, 12, 7))
    kenji = add(client, "Kenji", company="Globex")
    tom = add(client, "Tom", company="Globex")
    log(client, kenji, sent_on=date(2026, 12, 7))
    log(client, tom, sent_on=date(2026, 12, 7))
    at(clock, date(2026, 12, 19))  # a Saturday, after the nudge's own day
    (tom_outreach,) = outreach_ids(app, tom)
    client.post(f"/outreach/{tom_outreach}/status", data={"status": "replied"})
    with app.app_context():
        nudge_id = db.session.scalar(
            select(FollowUp.id).where(FollowUp.contact_id == kenji, FollowUp.kind == "7b")
        )
    response = client.post(f"/follow-ups/{nudge_id}/reopen", data={"next": f"/contacts/{kenji}"})
    assert "Reopened the follow-up for Kenji Tester." in flashes(client, response)
    with app.app_context():
        row = db.session.get(FollowUp, nudge_id)
        assert (row.status, row.closed_note, row.due_on) == ("open", None, date(2026, 12, 21))
    # Twice: nothing changes, and it says so.
    again = client.post(f"/follow-ups/{nudge_id}/reopen", data={"next": f"/contacts/{kenji}"})
    assert "Only a follow-up closed by a reply or a message can be reopened." in flashes(
        client, again
    )
    # Another user's follow-up is not found.
    auth.logout()
    auth.register(email="other@example.com")
    assert client.post(f"/follow-ups/{nudge_id}/reopen").status_code == 404


def test_reopen_needs_the_forms_token(client, user, app, clock):
    at(clock, date(2026, 12, 7))
    jane = add(client, "Jane")
    log(client, jane, sent_on=date(2026, 12, 7))
    (outreach_id,) = outreach_ids(app, jane)
    client.post(f"/outreach/{outreach_id}/status", data={"status": "replied"})
    (closed_id,) = [i for i, *_ in _closed(app)][:1]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client.post(f"/follow-ups/{closed_id}/reopen")
        assert notes(app, id=closed_id)[0][2] == "closed"
        token = csrf_token_from(client.get(f"/contacts/{jane}").get_data(as_text=True))
        client.post(f"/follow-ups/{closed_id}/reopen", data={"csrf_token": token})
        assert notes(app, id=closed_id)[0][2] == "open"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _closed(app) -> list[tuple[int, str]]:
    with app.app_context():
        stmt = select(FollowUp.id, FollowUp.kind).where(FollowUp.status == "closed")
        return [tuple(row) for row in db.session.execute(stmt.order_by(FollowUp.id))]


def test_reopening_a_nudge_when_another_is_open_is_refused(client, user, app, clock):
    at(clock, date(2026, 12, 7))
    jane = add(client, "Jane")
    log(client, jane, sent_on=date(2026, 12, 7))
    (first,) = outreach_ids(app, jane)
    client.post(f"/outreach/{first}/status", data={"status": "declined"})
    at(clock, date(2026, 12, 21))
    log(client, jane, sent_on=date(2026, 12, 21), summary="Another try")
    old_nudge = [i for i, kind in _closed(app) if kind == "7b"][0]
    response = client.post(f"/follow-ups/{old_nudge}/reopen")
    assert "already open" in flashes(client, response)
    assert len(followups(app, kind="7b", status="open")) == 1


# History never floods.


def test_an_outreach_from_years_ago_plans_nothing_and_says_so(client, user, app, clock):
    at(clock, date(2026, 12, 7))
    jane = add(client, "Jane")
    page = flashes(client, log(client, jane, sent_on=date(2019, 1, 15)))
    assert "Logged as history: nothing to follow up." in page
    assert "Most first messages" not in page
    assert followups(app) == []
    assert "due since" not in client.get("/follow-ups").get_data(as_text=True)


def test_a_recent_outreach_past_both_windows_gets_one_nudge_next_business_day(
    client, user, app, clock
):
    at(clock, date(2026, 12, 11))  # a Friday
    jane = add(client, "Jane")
    page = flashes(client, log(client, jane, sent_on=date(2026, 11, 20)))
    assert "Logged as history. With no reply since, nudge Jane once on Mon 14 Dec." in page
    assert followups(app) == [(jane, "7b", date(2026, 12, 14), "open")]


def test_an_outreach_a_few_days_old_plans_only_what_is_ahead(client, user, app, clock):
    at(clock, date(2026, 12, 10))  # Thursday
    jane = add(client, "Jane")
    page = flashes(client, log(client, jane, sent_on=date(2026, 12, 4)))
    # The 3B (Wed 9 Dec) has passed; the nudge (Tue 15 Dec) is still ahead.
    assert "Logged as history. Still ahead: nudge once on Tue 15 Dec." in page
    assert followups(app) == [(jane, "7b", date(2026, 12, 15), "open")]


def test_the_history_window_is_a_setting(client, user, app, clock):
    at(clock, date(2026, 12, 11))
    jane = add(client, "Jane")
    page = client.get("/settings").get_data(as_text=True)
    assert "Nudge about history logged within (days)" in page and 'value="30"' in page
    form = {
        "time_zone": "UTC", "weekly_goal": "5", "second_person_days": "3", "nudge_days": "7",
        "thank_you_days": "1", "update_days": "7", "referral_ask_weeks": "1",
        "after_interview_cadence": "1m", "morning_email_hour": "8",
    }  # fmt: skip
    bad = client.post("/settings", data={**form, "history_days": "400"})
    assert "from 0 to 365" in bad.get_data(as_text=True)
    assert client.post("/settings", data={**form, "history_days": "10"}).status_code == 302
    page = flashes(client, log(client, jane, sent_on=date(2026, 11, 20)))
    assert "Logged as history: nothing to follow up." in page
    with app.app_context():
        assert db.session.scalar(select(User.history_days)) == 10


def test_an_interview_marked_done_days_later_plans_a_late_thank_you_from_today(
    client, user, app, clock
):
    at(clock, date(2026, 12, 9))  # Wednesday
    jane = add(client, "Jane")
    interview = client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-11-30", "start": "10:00", "duration_minutes": "30"},
    ).headers["Location"]
    client.post(f"{interview}/done")
    due = {kind: day for _, kind, day, _ in followups(app, status="open")}
    assert due["thank_you"] == date(2026, 12, 10)
    assert min(due.values()) >= date(2026, 12, 9)
    assert len(set(due.values())) == 3  # each on a day of its own
    with app.app_context():
        reason = db.session.scalar(select(FollowUp.reason).where(FollowUp.kind == "thank_you"))
    assert reason == (
        "Thank Jane Tester for your conversation on Mon 30 Nov: a late thank-you still counts."
    )


# The right people and companies.


def test_the_outreach_keeps_the_company_where_the_person_was_reached(client, user, app, clock):
    at(clock, date(2026, 12, 7))
    bri = add(client, "Bri", company="Roslo Partners GmbH")
    sam = add(client, "Sam", company="Roslo Partners GmbH")
    add(client, "Ada", company="Stripe")
    log(client, bri, sent_on=date(2026, 12, 7))
    # A re-import (or an edit) moves Bri to Stripe.
    client.post(
        f"/contacts/{bri}/edit",
        data={"first_name": "Bri", "last_name": "Tester", "company": "Stripe", "network": "work"},
    )
    at(clock, date(2026, 12, 10))
    page = client.get("/follow-ups").get_data(as_text=True)
    people = page.split('class="followup-people"')[1].split("</p>")[0]
    assert "At Roslo Partners GmbH:" in people and f'href="/contacts/{sam}"' in people
    assert "Stripe" not in people
    assert "try a second person at Roslo Partners GmbH" in page
    with app.app_context():
        company = db.session.scalar(select(Outreach.company_id))
        assert company is not None


def test_reach_a_second_person_skips_people_in_an_open_thread_and_names_who_was_tried(
    client, user, app, clock
):
    at(clock, date(2026, 12, 7))
    sam = add(client, "Sam", company="Acme Analytics")
    abe = add(client, "Abe", company="Acme Analytics")
    kim = add(client, "Kim", company="Acme Analytics")
    log(client, sam, sent_on=date(2026, 12, 7))
    log(client, abe, sent_on=date(2026, 12, 7))  # closes Sam's 3B: Abe was the second person
    at(clock, date(2026, 12, 10))
    page = client.get("/follow-ups").get_data(as_text=True)
    people = page.split('class="followup-people"')[1].split("</p>")[0]
    assert f'At Acme Analytics:\n    <a href="/contacts/{kim}">Kim Tester</a>' in people
    assert f'href="/contacts/{sam}"' in people.split("Already tried there:")[1]
    assert "Already tried there:" in people and "Abe Tester" in people
    assert people.split("Already tried there:")[0].count("/contacts/") == 1  # only Kim to try
    assert len(followups(app, kind="3b", status="open")) == 1


def test_when_everyone_at_the_company_was_tried_it_says_so_and_offers_to_add_one(
    client, user, app, clock
):
    at(clock, date(2026, 12, 7))
    sam = add(client, "Sam", company="Acme")
    abe = add(client, "Abe", company="Acme")
    log(client, sam, sent_on=date(2026, 12, 7))
    log(client, abe, sent_on=date(2026, 12, 7))
    at(clock, date(2026, 12, 10))
    page = client.get(f"/contacts/{abe}").get_data(as_text=True)
    assert "Everyone you know at Acme has been reached:" in page
    assert '<a href="/contacts/new?company=Acme">add someone at Acme</a>' in page
    assert f'<a href="/contacts/{sam}">Sam Tester</a>' in page.split("Already tried there:")[1]


def test_a_second_person_row_is_one_statement_whatever_the_rows(client, user, app, clock):
    """The Follow-ups page stays as many statements with one 3B row as with several."""
    at(clock, date(2026, 12, 7))
    first = add(client, "Sam", company="Acme")
    log(client, first, sent_on=date(2026, 12, 7))
    with counting_statements(app) as one:
        client.get("/follow-ups")
    for company in ("Globex", "Initech", "Umbrella"):
        person = add(client, "Abe", company=company)
        add(client, "Kim", company=company)
        log(client, person, sent_on=date(2026, 12, 7))
    with counting_statements(app) as many:
        assert "Kim Tester" in client.get("/follow-ups").get_data(as_text=True)
    assert len(one) == len(many)


def test_a_job_change_after_the_migration_keeps_old_outreach_at_the_old_company(
    client, user, app, clock
):
    at(clock, date(2026, 12, 7))
    bri = add(client, "Bri", company="Roslo")
    log(client, bri, sent_on=date(2026, 12, 7))
    with app.app_context():
        db.session.execute(update(Outreach).values(company_id=None))
        db.session.commit()
    # With no company kept (a deleted company), the 3B still shows its reason and no list.
    page = client.get("/follow-ups").get_data(as_text=True)
    assert "try a second person at Roslo" in page and 'class="followup-people"' not in page


def test_a_thank_you_knows_the_day_its_interview_was_held(client, user, app, clock):
    at(clock, date(2026, 12, 9))
    jane = add(client, "Jane", email="jane@example.com")
    interview = client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": "2026-11-30", "start": "10:00", "duration_minutes": "30"},
    ).headers["Location"]
    client.post(f"{interview}/done")
    page = client.get("/follow-ups").get_data(as_text=True)
    # The thank-you's "Open in my email" link: written late, its default drops "today".
    thank_you = unquote(page.split("Send a thank-you")[1].split('href="mailto:')[1].split('"')[0])
    assert "Thank you" in thank_you and "today" not in thank_you
    assert thank_you_is_late(date(2026, 11, 30), date(2026, 12, 9))
    assert not thank_you_is_late(date(2026, 12, 9), date(2026, 12, 9))
