"""What a device's tasks do to the app: a completed one is Done, a moved due date snoozes it
(to a business day), a deleted one is dismissed, through the follow-ups' services, with the
same consequences as the buttons on the page. A keep-in-touch task done counts as keeping in
touch today (the next reminder is a new task), moved moves the contact's keep-in-touch date,
deleted stops the reminders. Interviews are read-only on devices. Flush only: the DAV storage
commits.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crm import clock
from crm.dav.tasks import TaskChange, read_keep_in_touch_uid, read_task
from crm.enums import FollowUpState
from crm.extensions import db
from crm.followups import services as followups
from crm.followups.done import KeepInTouch, finish, move_keep_in_touch, stop_keeping_in_touch
from crm.models import Contact, FollowUp, Interview, User


def _followup_by_uid(user_id: int, uid: str) -> FollowUp | None:
    return db.session.scalar(
        select(FollowUp).where(FollowUp.user_id == user_id, FollowUp.uid == uid)
    )


def _interview_by_uid(user_id: int, uid: str) -> Interview | None:
    return db.session.scalar(
        select(Interview).where(Interview.user_id == user_id, Interview.uid == uid)
    )


def _keep_in_touch_by_uid(user_id: int, uid: str) -> KeepInTouch | None:
    """The keep-in-touch task a UID names while it is current: the contact's date unchanged."""
    named = read_keep_in_touch_uid(uid)
    if named is None:
        return None
    contact_id, due_on = named
    contact = db.session.scalar(
        select(Contact).where(Contact.user_id == user_id, Contact.id == contact_id)
    )
    if contact is None:
        return None
    task = KeepInTouch(contact)
    return task if task.due_on == due_on else None


def _today(user_id: int, fallback: date) -> date:
    user = db.session.get(User, user_id)
    return clock.user_today(user) if user else fallback


def _save_keep_in_touch(user_id: int, device_name: str, change: TaskChange, uid: str) -> None:
    task = _keep_in_touch_by_uid(user_id, uid)
    if task is None or task.due_on is None:
        return  # done or moved already: the device's copy goes at its next sync
    today = _today(user_id, task.due_on)
    if change.completed:
        finish(task, today, device=device_name)
    elif change.due_on is not None and change.due_on != task.due_on:
        move_keep_in_touch(task, today, change.due_on)


def save_task(user_id: int, device_name: str, href_uid: str, text: str) -> str:
    """A task or event from a device: a completed task is Done, a moved due date snoozes
    (to a business day); interviews are changed in the app only. Returns the item's UID."""
    change = read_task(text)
    uid = change.uid or href_uid
    if read_keep_in_touch_uid(uid) is not None:
        _save_keep_in_touch(user_id, device_name, change, uid)
        return uid
    followup = _followup_by_uid(user_id, uid)
    if followup is None:
        if _interview_by_uid(user_id, uid) is None:
            raise ValueError("New tasks are added in the app, on a contact's page.")
        return uid
    if followup.status != FollowUpState.OPEN:
        return uid
    if change.completed:
        finish(followup, _today(user_id, followup.due_on), device=device_name)
    elif change.due_on is not None and change.due_on != followup.due_on:
        followups.snooze(followup, _today(user_id, change.due_on), to=change.due_on)
    db.session.flush()
    return uid


def dismiss_task(user_id: int, device_name: str, uid: str) -> bool:
    """A task deleted on a device: a follow-up is dismissed, a keep-in-touch task stops the
    reminders (the cadence goes to none); interviews stay (cancel them in the app)."""
    if read_keep_in_touch_uid(uid) is not None:
        task = _keep_in_touch_by_uid(user_id, uid)
        if task is not None:
            stop_keeping_in_touch(task, device_name)
        return True
    followup = _followup_by_uid(user_id, uid)
    if followup is None:
        return False
    if followup.status == FollowUpState.OPEN:
        followups.dismiss(followup)
        db.session.flush()
    return True
