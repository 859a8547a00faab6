"""The calendar "Networking": open follow-ups and keep-in-touch reminders as tasks, interviews
(not cancelled) as events.

A keep-in-touch task is read from its contact (the keep-in-touch date, kept there alone), so a
contact's writes (updated_at) are the task's, and a date that moves buries the old UID
(crm.dav.changes)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from radicale import item as radicale_item
from sqlalchemy import func, select, union_all
from sqlalchemy.orm import joinedload, lazyload, load_only

from crm import clock
from crm.calendar.services import followup_entry, interview_entry
from crm.dav.changes import CALENDAR
from crm.dav.collection import TableCollection
from crm.dav.task_writes import dismiss_task, save_task
from crm.dav.tasks import (
    KeepInTouchEntry,
    followup_task,
    interview_item,
    keep_in_touch_task,
    keep_in_touch_uid,
    read_keep_in_touch_uid,
)
from crm.enums import Cadence, FollowUpState, InterviewStatus
from crm.extensions import db
from crm.models import Contact, FollowUp, Interview


def followup_text(row: FollowUp) -> str:
    return followup_task(followup_entry(row))


def interview_text(row: Interview) -> str:
    return interview_item(interview_entry(row))


def keep_in_touch_text(contact: Contact) -> tuple[str, str] | None:
    """The contact's keep-in-touch task: its UID and text (None without a date)."""
    due = contact.keep_in_touch_due
    if due is None:
        return None
    entry = KeepInTouchEntry(
        contact_id=contact.id,
        contact_name=contact.full_name,
        due_on=due,
        cadence_label=Cadence(contact.cadence).label,
        last_interaction_on=contact.last_interaction_on,
        updated_at=contact.updated_at,
    )
    return entry.uid, keep_in_touch_task(entry)


class NetworkingCalendar(TableCollection):
    name = CALENDAR
    extension = ".ics"
    component = ""
    meta = {
        "tag": "VCALENDAR",
        "D:displayname": "Networking",
        "C:calendar-description": "Follow-ups and informational interviews from Networking CRM",
        "C:supported-calendar-component-set": "VEVENT,VTODO",
    }

    def _open_followups(self) -> Any:
        return select(FollowUp).where(
            FollowUp.user_id == self.owner_login.user_id, FollowUp.status == FollowUpState.OPEN
        )

    def _interviews(self) -> Any:
        return select(Interview).where(
            Interview.user_id == self.owner_login.user_id,
            Interview.status != InterviewStatus.CANCELLED,
        )

    def _keeping_in_touch(self) -> Any:
        """The contacts whose keep-in-touch reminder is a task: active, with a cadence."""
        return select(Contact).where(
            Contact.user_id == self.owner_login.user_id,
            Contact.keep_in_touch_due.is_not(None),
            Contact.cadence != Cadence.NONE,
            Contact.archived_at.is_(None),
        )

    def _texts(self, uids: Sequence[str] | None) -> Iterator[tuple[str, str, datetime]]:
        followups = self._open_followups().options(joinedload(FollowUp.contact))
        interviews = self._interviews().options(joinedload(Interview.contact))
        if uids is not None:
            followups = followups.where(FollowUp.uid.in_(uids))
            interviews = interviews.where(Interview.uid.in_(uids))
        for followup in db.session.scalars(followups.order_by(FollowUp.id)):
            yield followup.uid, followup_text(followup), followup.updated_at
        for interview in db.session.scalars(interviews.order_by(Interview.id)):
            yield interview.uid, interview_text(interview), interview.updated_at
        yield from self._keep_in_touch_texts(uids)

    def _keep_in_touch_texts(
        self, uids: Sequence[str] | None
    ) -> Iterator[tuple[str, str, datetime]]:
        """The keep-in-touch tasks: all, or those whose UIDs name a contact's current date (an
        older date names a reminder that is done or moved: gone)."""
        contacts = self._keeping_in_touch().options(
            # The task reads a name and three dates: the rest of each contact stays unread.
            load_only(
                *(Contact.first_name, Contact.last_name, Contact.email, Contact.cadence),
                *(Contact.keep_in_touch_due, Contact.last_interaction_on, Contact.updated_at),
            ),
            lazyload(Contact.company),
        )
        if uids is not None:
            named = {found for found in map(read_keep_in_touch_uid, uids) if found is not None}
            if not named:
                return
            contacts = contacts.where(Contact.id.in_({contact_id for contact_id, _ in named}))
        for contact in db.session.scalars(contacts.order_by(Contact.id)):
            task = keep_in_touch_text(contact)
            if task is not None and (uids is None or task[0] in uids):
                yield *task, contact.updated_at

    def component_of(self, text: str) -> str:
        return "VTODO" if "BEGIN:VTODO" in text else "VEVENT"

    def _keep_in_touch_uids(self, statement: Any) -> Iterator[str]:
        """The keep-in-touch UIDs of the contacts a statement selects."""
        rows = db.session.execute(
            statement.with_only_columns(Contact.id, Contact.keep_in_touch_due)
        )
        return (keep_in_touch_uid(contact_id, due) for contact_id, due in rows if due)

    def _live_uids(self) -> Iterable[str]:
        listed = db.session.scalars(
            union_all(
                self._open_followups().with_only_columns(FollowUp.uid),
                self._interviews().with_only_columns(Interview.uid),
            )
        )
        return itertools.chain(listed, self._keep_in_touch_uids(self._keeping_in_touch()))

    def _changed_uids(self, since: datetime) -> Iterable[str]:
        user_id = self.owner_login.user_id
        written = db.session.scalars(
            union_all(
                select(FollowUp.uid).where(
                    FollowUp.user_id == user_id, FollowUp.updated_at > since
                ),
                select(Interview.uid).where(
                    Interview.user_id == user_id, Interview.updated_at > since
                ),
            )
        )
        # A contact written since: its reminder may have changed (or gone, and answers 404).
        contacts = select(Contact).where(
            Contact.user_id == user_id,
            Contact.updated_at > since,
            Contact.keep_in_touch_due.is_not(None),
            Contact.cadence != Cadence.NONE,
        )
        return itertools.chain(written, self._keep_in_touch_uids(contacts))

    def _summary(self) -> tuple[int, datetime | None]:
        user_id = self.owner_login.user_id
        counts = [
            db.session.execute(
                select(func.count(model.id), func.max(model.updated_at)).where(
                    model.user_id == user_id
                )
            ).one()
            for model in (FollowUp, Interview)
        ]
        counts.append(
            db.session.execute(
                select(func.count(Contact.id), func.max(Contact.updated_at)).where(
                    Contact.user_id == user_id, Contact.keep_in_touch_due.is_not(None)
                )
            ).one()
        )
        latest = [moment for _, moment in counts if moment is not None]
        return sum(count for count, _ in counts), max(latest, default=None)

    def upload(
        self, href: str, item: radicale_item.Item
    ) -> tuple[radicale_item.Item, radicale_item.Item | None]:
        uid = save_task(
            self.owner_login.user_id,
            self.owner_login.device_name,
            self.uid_of(href) or "",
            item.serialize(),
        )
        for found in list(self._texts([uid])):
            return self._item(*found), None
        # Done (or moved to a new UID): the device keeps its copy until the next sync.
        return self._item(uid, item.serialize(), clock.now()), None

    def delete(self, href: str | None = None) -> None:
        uid = self.uid_of(href or "")
        login = self.owner_login
        if not uid or not dismiss_task(login.user_id, login.device_name, uid):
            raise ValueError("Interviews are cancelled in the app.")
