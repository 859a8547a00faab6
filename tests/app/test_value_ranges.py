"""Values out of range: every date the app keeps lies in 1900-2200 (interviews within a few
years of today), and an id no row can have is a form error or a 404, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, Outreach
from crm.parsers.base import parse_date
from tests.app.networking import add


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("introducer_id", ["99999999999999999999", "2147483648", "-1", "0"])
def test_an_introducer_id_no_row_can_have_is_ignored_not_a_500(client, user, app, introducer_id):
    cy = add(client, "Cy")
    data = {
        "first_name": "Ana",
        "network": "work",
        "introduced_by": "Cy Tester",
        "introducer_id": introducer_id,
    }

    response = client.post("/contacts/new", data=data)

    assert response.status_code == 302
    assert count(app, Contact) == 2
    with app.app_context():
        ana = db.session.scalar(select(Contact).where(Contact.first_name == "Ana"))
        assert ana.introduced_by_id == cy
    edit = client.post(response.headers["Location"] + "/edit", data=data)
    assert edit.status_code in (200, 302)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"])
def test_a_follow_up_outside_the_years_the_app_keeps_is_refused(client, user, app, day):
    jane = add(client, "Jane")

    page = client.post(f"/contacts/{jane}/follow-ups", data={"due_on": day, "reason": "Call"})

    assert "Use a date from 1900 to 2200." in page.get_data(as_text=True)
    assert count(app, FollowUp) == 0
    backup = client.get("/settings/backup")
    assert backup.status_code == 200
    backup.close()


def test_a_follow_up_on_the_last_day_of_the_window_is_kept_and_backed_up(client, user, app):
    jane = add(client, "Jane")

    client.post(f"/contacts/{jane}/follow-ups", data={"due_on": "2200-12-31", "reason": "Call"})

    with app.app_context():
        assert list(db.session.scalars(select(FollowUp.due_on))) == [date(2200, 12, 31)]
    backup = client.get("/settings/backup")
    assert backup.status_code == 200
    backup.close()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_outreach_outside_the_window_is_refused(client, user, app, day):
    jane = add(client, "Jane")

    page = client.post(
        f"/contacts/{jane}/outreach",
        data={"channel": "email", "sent_on": day, "status": "awaiting", "summary": "Hi"},
    )

    assert "Use a date from 1900 to 2200." in page.get_data(as_text=True)
    assert count(app, Outreach) == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1990-06-01", "2040-01-01"])
def test_an_interview_far_from_today_is_refused(client, user, app, fixed_today, day):
    jane = add(client, "Jane")

    page = client.post(
        f"/contacts/{jane}/interviews/new",
        data={"day": day, "start": "23:30", "duration_minutes": "30"},
    )

    assert "within 20 years before today and 5 after" in page.get_data(as_text=True)
    assert count(app, Interview) == 0
    assert client.get("/", follow_redirects=True).status_code == 200


def test_the_snooze_form_refuses_a_date_outside_the_window(client, user, app, fixed_today):
    jane = add(client, "Jane")
    client.post(f"/contacts/{jane}/follow-ups", data={"due_on": "2026-12-01", "reason": "Call"})
    with app.app_context():
        followup_id = db.session.scalar(select(FollowUp.id))

    client.post(f"/follow-ups/{followup_id}/snooze", data={"to": "9999-12-31"})

    with app.app_context():
        assert db.session.get(FollowUp, followup_id).due_on == date(2026, 12, 1)


def test_imported_dates_outside_the_window_read_as_no_date():
    assert parse_date("30 May 2024") == date(2024, 5, 30)
    assert parse_date("01 Jan 0001") is None
    assert parse_date("9999-12-31") is None
