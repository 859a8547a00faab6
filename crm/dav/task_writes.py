"""What a device's tasks do to the app's follow-ups: a completed one is Done, a moved due
date snoozes it (to a business day), a deleted one is dismissed, through the follow-ups
service, with the same consequences as the buttons on the page. Interviews are read-only on
devices. Flush only: the DAV storage commits.
"""

from __future__ import annotations

from sqlalchemy import select

from crm import clock
from crm.dav.tasks import read_task
from crm.enums import FollowUpState
from crm.extensions import db
from crm.followups import services as followups
from crm.models import FollowUp, Interview, User


def _followup_by_uid(user_id: int, uid: str) -> FollowUp | None:
    return db.session.scalar(
        select(FollowUp).where(FollowUp.user_id == user_id, FollowUp.uid == uid)
    )


def _interview_by_uid(user_id: int, uid: str) -> Interview | None:
    return db.session.scalar(
        select(Interview).where(Interview.user_id == user_id, Interview.uid == uid)
    )


def save_task(user_id: int, device_name: str, href_uid: str, text: str) -> FollowUp | Interview:
    """A task or event from a device: a completed task is Done, a moved due date snoozes
    (to a business day); interviews are changed in the app only."""
    change = read_task(text)
    uid = change.uid or href_uid
    followup = _followup_by_uid(user_id, uid)
    if followup is None:
        interview = _interview_by_uid(user_id, uid)
        if interview is None:
            raise ValueError("New tasks are added in the app, on a contact's page.")
        return interview
    if followup.status != FollowUpState.OPEN:
        return followup
    if change.completed:
        followups.complete(followup, note=f"Done on {device_name}")
    elif change.due_on is not None and change.due_on != followup.due_on:
        user = db.session.get(User, user_id)
        followups.snooze(
            followup, clock.user_today(user) if user else change.due_on, to=change.due_on
        )
    db.session.flush()
    return followup


def dismiss_task(user_id: int, uid: str) -> bool:
    """A task deleted on a device is dismissed; interviews stay (cancel them in the app)."""
    followup = _followup_by_uid(user_id, uid)
    if followup is None:
        return False
    if followup.status == FollowUpState.OPEN:
        followups.dismiss(followup)
        db.session.flush()
    return True
