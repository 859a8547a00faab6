"""The calendar's keep-in-touch tasks as text, and the UIDs that name a contact and a due date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from crm.dav.tasks import (
    KeepInTouchEntry,
    keep_in_touch_task,
    keep_in_touch_uid,
    read_keep_in_touch_uid,
    read_task,
)


def test_a_keep_in_touch_uid_names_the_contact_and_the_due_date():
    uid = keep_in_touch_uid(42, date(2027, 1, 7))
    assert uid == "keep-in-touch-42-20270107@networking-crm"
    assert read_keep_in_touch_uid(uid) == (42, date(2027, 1, 7))
    # The next reminder of the same contact is another task.
    assert keep_in_touch_uid(42, date(2027, 2, 8)) != uid


@pytest.mark.parametrize(
    "uid",
    [
        "follow-up-3f2a@networking-crm",
        "keep-in-touch-42-20270231@networking-crm",  # no 31 February
        "keep-in-touch-42-20270107@example.org",
        "keep-in-touch--20270107@networking-crm",
        "keep-in-touch-42-20270107@networking-crm.ics",
        "",
    ],
)
def test_other_uids_name_no_keep_in_touch_task(uid):
    assert read_keep_in_touch_uid(uid) is None


def test_the_task_says_who_when_and_how_often_and_reads_back_as_due_that_day():
    entry = KeepInTouchEntry(
        contact_id=42,
        contact_name="Ana\nLima",
        due_on=date(2027, 1, 7),
        cadence_label="Every month",
        last_interaction_on=date(2026, 12, 7),
        updated_at=datetime(2026, 12, 7, 12, tzinfo=UTC),
    )
    text = keep_in_touch_task(entry)

    (todo,) = Calendar.from_ical(text).walk("VTODO")
    assert str(todo["SUMMARY"]) == "Keep in touch with Ana Lima"
    assert str(todo["UID"]) == "keep-in-touch-42-20270107@networking-crm"
    assert todo.decoded("DUE") == date(2027, 1, 7)
    assert str(todo["DESCRIPTION"]) == (
        "Every month. Last in touch on Mon 07 Dec 2026. Done counts as keeping in touch today."
    )
    change = read_task(text)
    assert (change.uid, change.completed, change.due_on) == (entry.uid, False, date(2027, 1, 7))
    done = read_task(text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"))
    assert done.completed
