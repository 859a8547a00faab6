"""Done, wherever it is pressed: on the page or on a synced device, for a follow-up or for a
contact's keep-in-touch reminder. One function does it, so both places have the same
consequences, and it returns what it planned next. Flushes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm.enums import Cadence
from crm.extensions import db
from crm.followups import rules
from crm.followups.services import (
    FollowUpError,
    complete,
    record_interaction,
    refresh_keep_in_touch,
)
from crm.formatting import day_label
from crm.models import Contact, FollowUp, Note


@dataclass(frozen=True)
class KeepInTouch:
    """A contact's keep-in-touch reminder as a task. Nothing is stored for it: its due date is
    the contact's keep-in-touch date, from the last interaction and the cadence."""

    contact: Contact

    @property
    def due_on(self) -> date | None:
        """When to get back in touch; None once there is no cadence (or the contact is gone)."""
        contact = self.contact
        if contact.cadence == Cadence.NONE or contact.archived_at is not None:
            return None
        return contact.keep_in_touch_due

    @property
    def what(self) -> str:
        return f"Keep in touch with {self.contact.full_name}"


@dataclass(frozen=True)
class NextStep:
    """A step that Done planned: what to do and when."""

    what: str
    due_on: date

    def said(self, today: date) -> str:
        """The step in a sentence: "Next: keep in touch with Ana on Mon 04 Jan."."""
        return f"Next: {self.what[:1].lower()}{self.what[1:]} on {day_label(self.due_on, today)}."


Task = FollowUp | KeepInTouch


def finish(task: Task, today: date, device: str | None = None) -> list[NextStep]:
    """Mark a task done (on `device` when a synced device did it) and return the next steps it
    planned: none for a follow-up; for keep in touch, an interaction today, so the next
    reminder comes one cadence later."""
    if isinstance(task, FollowUp):
        complete(task, note=f"Done on {device}" if device else "Done")
        return []
    record_interaction(task.contact, today)
    _on_timeline(task.contact, f"Kept in touch (done on {device})" if device else "Kept in touch")
    following = KeepInTouch(task.contact)
    return [NextStep(following.what, following.due_on)] if following.due_on else []


def _on_timeline(contact: Contact, said: str) -> None:
    # Followups sits below contacts (whose add_note writes the same row), so it adds it here.
    db.session.add(Note(user_id=contact.user_id, contact_id=contact.id, body=said))
    db.session.flush()


def move_keep_in_touch(task: KeepInTouch, today: date, to: date) -> date:
    """Move the keep-in-touch date as snooze moves a follow-up: to today or later, a weekend to
    the Monday. Returns the date it moved to; the next interaction resets it as usual."""
    if task.due_on is None:
        raise FollowUpError("There is no keep-in-touch reminder to move.")
    try:
        moved = rules.validate_snooze_date(to, today)
    except ValueError as error:
        raise FollowUpError(str(error)) from error
    task.contact.keep_in_touch_due = moved
    db.session.flush()
    return moved


def stop_keeping_in_touch(task: KeepInTouch, device: str) -> None:
    """A keep-in-touch task deleted on a device: no more reminders (the cadence goes to none),
    and the timeline says so."""
    task.contact.cadence = Cadence.NONE
    refresh_keep_in_touch(task.contact)
    _on_timeline(task.contact, f"Keep-in-touch reminders stopped (deleted on {device})")
