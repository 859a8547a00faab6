"""The "Networking" calendar's items: open follow-ups and keep-in-touch reminders as tasks
(VTODO with DUE), interviews as timed events; and what a device's edited task asks for (done,
a new due date).

Pure: entries in, iCalendar text out; text in, a TaskChange out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from icalendar import Calendar, Todo

from crm.exports import clean_text, one_line
from crm.exports.ics import (
    FollowUpEntry,
    InterviewEntry,
    calendar_bytes,
    interview_event,
)


def task_summary(entry: FollowUpEntry) -> str:
    """The task's title: who and what, as the feed's events say it."""
    who = one_line(entry.contact_name)
    label = one_line(entry.kind_label)
    if not who:
        return label or "Follow up"
    return f"Follow up: {who} — {label}" if label else f"Follow up: {who}"


def followup_task(entry: FollowUpEntry) -> str:
    """One open follow-up as a VCALENDAR holding its VTODO, due on its day."""
    todo = Todo.new(
        uid=entry.uid,
        sequence=entry.sequence,
        stamp=entry.updated_at,
        summary=task_summary(entry),
        description=clean_text(entry.reason) or None,
    )
    todo.add("due", entry.due_date)
    todo.add("status", "NEEDS-ACTION")
    return calendar_bytes([todo]).decode()  # type: ignore[list-item]


# A keep-in-touch task's UID names the contact (its id: a device's card UID may fill the
# 100 characters UIDs are kept in) and the due date, so the next reminder is a new task.
_KEEP_IN_TOUCH_UID = re.compile(r"keep-in-touch-(\d{1,18})-(\d{4})(\d{2})(\d{2})@networking-crm")


def keep_in_touch_uid(contact_id: int, due_on: date) -> str:
    """The UID of a contact's keep-in-touch task due on a day."""
    return f"keep-in-touch-{contact_id}-{due_on:%Y%m%d}@networking-crm"


def read_keep_in_touch_uid(uid: str) -> tuple[int, date] | None:
    """The contact id and due date a keep-in-touch task's UID names; None for any other UID."""
    match = _KEEP_IN_TOUCH_UID.fullmatch(uid)
    if match is None:
        return None
    contact_id, year, month, day = (int(part) for part in match.groups())
    try:
        return contact_id, date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class KeepInTouchEntry:
    """A contact's keep-in-touch reminder as the task writer reads it."""

    contact_id: int
    contact_name: str
    due_on: date
    cadence_label: str
    last_interaction_on: date | None
    updated_at: datetime

    @property
    def uid(self) -> str:
        return keep_in_touch_uid(self.contact_id, self.due_on)


def keep_in_touch_task(entry: KeepInTouchEntry) -> str:
    """A keep-in-touch reminder as a VCALENDAR holding its VTODO, due on the contact's date."""
    last = entry.last_interaction_on
    since = f" Last in touch on {last:%a %d %b %Y}." if last else ""
    todo = Todo.new(
        uid=entry.uid,
        stamp=entry.updated_at,
        summary=f"Keep in touch with {one_line(entry.contact_name)}",
        description=f"{entry.cadence_label}.{since} Done counts as keeping in touch today.",
    )
    todo.add("due", entry.due_on)
    todo.add("status", "NEEDS-ACTION")
    return calendar_bytes([todo]).decode()  # type: ignore[list-item]


def interview_item(entry: InterviewEntry) -> str:
    """One interview as a VCALENDAR holding its timed VEVENT."""
    return calendar_bytes([interview_event(entry)]).decode()


@dataclass(frozen=True)
class TaskChange:
    """What a device's version of a task asks the app to do."""

    uid: str
    component: str
    completed: bool
    due_on: date | None


def read_task(text: str) -> TaskChange:
    """The first VTODO or VEVENT of a device's item: its UID, whether it is done, its due day."""
    calendar = Calendar.from_ical(text)
    for component in calendar.walk():
        if component.name not in ("VTODO", "VEVENT"):
            continue
        status = str(component.get("STATUS", "")).upper()
        completed = status == "COMPLETED" or "COMPLETED" in component
        due = component.decoded("DUE") if "DUE" in component else None
        if isinstance(due, datetime):
            due = due.date()
        return TaskChange(str(component.get("UID", "")), component.name, completed, due)
    raise ValueError("The item holds no task or event.")
