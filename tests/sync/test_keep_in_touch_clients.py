"""Keep in touch on a device, with real clients: the reminder is a task in "Networking"; done,
it counts as keeping in touch and the next reminder arrives as a new task; moved, it lands on
a business day; deleted, the reminders stop."""

from __future__ import annotations

from datetime import UTC, date, datetime

import caldav
import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, Note
from tests.app.test_calendar_downloads import add_contact, add_followup
from tests.sync.test_vdirsyncer import Vdirsyncer

# Monday 7 December 2026. Ana last talked to on Mon 2 Nov, monthly: due Wed 2 Dec, overdue.
MONDAY = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
WAS_DUE = date(2026, 12, 2)
# Done today: one month on, Thu 7 Jan 2027.
NEXT_DUE = date(2027, 1, 7)


def add_ana(app, owner: int) -> int:
    return add_contact(
        app,
        owner,
        first_name="Ana",
        last_name="Lima",
        cadence="1m",
        last_interaction_on=date(2026, 11, 2),
        keep_in_touch_due=WAS_DUE,
    )


def contact_and_notes(app, contact_id: int) -> tuple[Contact, list[str]]:
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        db.session.expunge(contact)
        notes = db.session.scalars(select(Note.body).where(Note.contact_id == contact_id)).all()
        return contact, list(notes)


def uid_line(contact_id: int, due: date) -> str:
    return f"UID:keep-in-touch-{contact_id}-{due:%Y%m%d}@networking-crm"


def test_a_keep_in_touch_task_done_on_the_device_brings_the_next_one(
    app, clock, tmp_path, served, device
):
    clock.set(MONDAY)
    ana = add_ana(app, device.user_id)
    add_followup(app, ana, reason="Send the article", due_on=date(2026, 12, 9))
    vdirsyncer = Vdirsyncer(tmp_path, served, device.email, device.password)
    vdirsyncer.sync()
    folder = vdirsyncer.root / "calendar" / "networking"
    (path,) = [path for path in folder.glob("*.ics") if "Keep in touch" in path.read_text()]
    text = path.read_text()
    assert "SUMMARY:Keep in touch with Ana Lima" in text
    assert "DUE;VALUE=DATE:20261202" in text and uid_line(ana, WAS_DUE) in text
    assert len(vdirsyncer.items()) == 2  # and the follow-up

    path.write_text(
        text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:20261207T110000Z")
    )
    vdirsyncer.sync()

    contact, notes = contact_and_notes(app, ana)
    assert contact.last_interaction_on == MONDAY.date()
    assert contact.keep_in_touch_due == NEXT_DUE
    assert "Kept in touch (done on Laptop)" in notes
    # The next sync: the done task is gone, the next reminder is a new task.
    vdirsyncer.sync()
    reminders = [text for text in vdirsyncer.items().values() if "Keep in touch" in text]
    assert len(reminders) == 1
    assert uid_line(ana, NEXT_DUE) in reminders[0]
    assert "DUE;VALUE=DATE:20270107" in reminders[0]
    assert "STATUS:NEEDS-ACTION" in reminders[0]
    assert len(vdirsyncer.items()) == 2


@pytest.fixture
def ana_on_caldav(app, clock, served, device):
    """Ana's reminder and one follow-up, and the "Networking" calendar as caldav finds it."""
    clock.set(MONDAY)
    ana = add_ana(app, device.user_id)
    add_followup(app, ana, reason="Send the article", due_on=date(2026, 12, 9))
    with caldav.DAVClient(url=served, username=device.email, password=device.password) as client:
        (calendar,) = client.principal().calendars()
        yield ana, calendar


def reminders(calendar) -> list:
    return [todo for todo in calendar.todos() if "Keep in touch" in todo.data]


def test_caldav_lists_the_keep_in_touch_task_among_the_tasks(ana_on_caldav):
    _, calendar = ana_on_caldav
    summaries = sorted(str(todo.icalendar_component["SUMMARY"]) for todo in calendar.todos())
    assert summaries == ["Follow up: Ana Lima — Send the article", "Keep in touch with Ana Lima"]
    (todo,) = reminders(calendar)
    assert todo.icalendar_component["DUE"].dt == WAS_DUE


def test_completing_it_with_caldav_moves_the_date_and_lists_the_next_one(app, ana_on_caldav):
    ana, calendar = ana_on_caldav
    reminders(calendar)[0].complete()

    contact, _ = contact_and_notes(app, ana)
    assert contact.keep_in_touch_due == NEXT_DUE
    (todo,) = reminders(calendar)
    assert todo.icalendar_component["DUE"].dt == NEXT_DUE
    assert str(todo.icalendar_component["UID"]) == uid_line(ana, NEXT_DUE).removeprefix("UID:")


def test_a_moved_due_date_lands_on_a_business_day(app, ana_on_caldav):
    ana, calendar = ana_on_caldav
    (todo,) = reminders(calendar)
    # Saturday 19 December: as snooze does it, the reminder moves to Monday 21.
    todo.icalendar_component["DUE"].dt = date(2026, 12, 19)
    todo.save()

    contact, notes = contact_and_notes(app, ana)
    assert contact.keep_in_touch_due == date(2026, 12, 21)
    assert contact.last_interaction_on == date(2026, 11, 2)  # moved, not kept in touch
    assert not any("Kept in touch" in note for note in notes)
    (moved,) = reminders(calendar)
    assert moved.icalendar_component["DUE"].dt == date(2026, 12, 21)


def test_a_due_date_in_the_past_is_refused_and_nothing_moves(app, ana_on_caldav):
    ana, calendar = ana_on_caldav
    (todo,) = reminders(calendar)
    todo.icalendar_component["DUE"].dt = date(2026, 11, 30)
    with pytest.raises(caldav.lib.error.PutError):
        todo.save()

    contact, _ = contact_and_notes(app, ana)
    assert contact.keep_in_touch_due == WAS_DUE


def test_deleting_it_on_the_device_stops_the_reminders(app, ana_on_caldav):
    ana, calendar = ana_on_caldav
    reminders(calendar)[0].delete()

    contact, notes = contact_and_notes(app, ana)
    assert contact.cadence == "none" and contact.keep_in_touch_due is None
    assert "Keep-in-touch reminders stopped (deleted on Laptop)" in notes
    assert reminders(calendar) == []
    assert len(calendar.todos()) == 1  # the follow-up stays
