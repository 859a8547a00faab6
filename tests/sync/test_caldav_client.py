"""The caldav library as a second, independent client: discovery, tasks, done, a new due date."""

from __future__ import annotations

from datetime import date

import caldav
import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import FollowUp
from tests.app.test_calendar_downloads import add_contact, add_followup


@pytest.fixture
def calendar(app, served, device):
    ada = add_contact(app, device.user_id, first_name="Ada", last_name="Lovelace")
    add_followup(app, ada, reason="Nudge once, kindly.", due_on=date(2031, 6, 3))
    add_followup(app, ada, reason="Ask about the data team", due_on=date(2031, 6, 10))
    with caldav.DAVClient(url=served, username=device.email, password=device.password) as client:
        (found,) = client.principal().calendars()
        yield found


def followup_about(app, reason: str) -> FollowUp:
    return db.session.scalars(select(FollowUp).where(FollowUp.reason == reason)).one()


def _task(calendar, words: str):
    (todo,) = [todo for todo in calendar.todos() if words in todo.data]
    return todo


def test_discovery_from_the_bare_server_address_finds_the_networking_calendar(calendar):
    assert calendar.get_display_name() == "Networking"
    summaries = sorted(str(todo.icalendar_component["SUMMARY"]) for todo in calendar.todos())
    assert summaries == [
        "Follow up: Ada Lovelace — Ask about the data team",
        "Follow up: Ada Lovelace — Nudge once, kindly.",
    ]


def test_completing_a_task_marks_the_follow_up_done(app, calendar):
    _task(calendar, "Nudge once").complete()

    with app.app_context():
        done = followup_about(app, "Nudge once, kindly.")
        assert done.status == "done"
    assert [todo for todo in calendar.todos() if "Nudge once" in todo.data] == []


def test_a_new_due_date_snoozes_to_a_business_day(app, calendar):
    todo = _task(calendar, "data team")
    # Saturday 14 June 2031: snooze moves it to the Monday.
    todo.icalendar_component["DUE"].dt = date(2031, 6, 14)
    todo.save()

    with app.app_context():
        moved = followup_about(app, "Ask about the data team")
        assert moved.due_on == date(2031, 6, 16)
        assert moved.snoozed_from == date(2031, 6, 10)
    assert "DUE;VALUE=DATE:20310616" in _task(calendar, "data team").data
