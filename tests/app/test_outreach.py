"""Logging outreach, replies and declines, and the 3B7 follow-ups they plan or close."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, FollowUp, Outreach
from tests.app.networking import FRIDAY, TODAY, add, followups, log


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


def test_company_names_ending_in_a_period_read_well(client, user, app, fixed_today):
    jane = add(client, "Jane", company="Acme, Inc.")
    log(client, jane)
    page = client.get(f"/contacts/{jane}").get_data(as_text=True)
    assert "try a second person at Acme, Inc." in page and "Inc.." not in page


def test_writing_to_a_second_person_closes_the_first_ones_3b(client, user, app, fixed_today):
    jane = add(client, "Jane")
    ravi = add(client, "Ravi")
    log(client, jane)
    log(client, ravi, sent_on=TODAY, summary="Hello Ravi")
    with app.app_context():
        closed = db.session.scalars(select(FollowUp).where(FollowUp.status == "closed")).all()
        assert [(f.contact_id, f.kind, f.closed_note) for f in closed] == [
            (jane, "3b", "Closed: you reached Ravi Tester at Acme on Wed 25 Nov")
        ]
    assert (ravi, "3b", date(2026, 11, 30), "open") in followups(app)
