"""The "Networking" calendar's items: open follow-ups as tasks (VTODO with DUE), interviews as
timed events; and what a device's edited task asks for (done, a new due date).

Pure: entries in, iCalendar text out; text in, a TaskChange out.
"""

from __future__ import annotations

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
