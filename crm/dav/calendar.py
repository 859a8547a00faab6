"""The calendar "Networking": open follow-ups as tasks, interviews (not cancelled) as events."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from radicale import item as radicale_item
from sqlalchemy import func, select, union_all
from sqlalchemy.orm import joinedload

from crm.calendar.services import followup_entry, interview_entry
from crm.dav.changes import CALENDAR
from crm.dav.collection import TableCollection
from crm.dav.task_writes import dismiss_task, save_task
from crm.dav.tasks import followup_task, interview_item
from crm.enums import FollowUpState, InterviewStatus
from crm.extensions import db
from crm.models import FollowUp, Interview


def followup_text(row: FollowUp) -> str:
    return followup_task(followup_entry(row))


def interview_text(row: Interview) -> str:
    return interview_item(interview_entry(row))


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

    def component_of(self, text: str) -> str:
        return "VTODO" if "BEGIN:VTODO" in text else "VEVENT"

    def _live_uids(self) -> Iterable[str]:
        return db.session.scalars(
            union_all(
                self._open_followups().with_only_columns(FollowUp.uid),
                self._interviews().with_only_columns(Interview.uid),
            )
        )

    def _changed_uids(self, since: datetime) -> Iterable[str]:
        user_id = self.owner_login.user_id
        return db.session.scalars(
            union_all(
                select(FollowUp.uid).where(
                    FollowUp.user_id == user_id, FollowUp.updated_at > since
                ),
                select(Interview.uid).where(
                    Interview.user_id == user_id, Interview.updated_at > since
                ),
            )
        )

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
        latest = [moment for _, moment in counts if moment is not None]
        return sum(count for count, _ in counts), max(latest, default=None)

    def upload(
        self, href: str, item: radicale_item.Item
    ) -> tuple[radicale_item.Item, radicale_item.Item | None]:
        row = save_task(
            self.owner_login.user_id,
            self.owner_login.device_name,
            self.uid_of(href) or "",
            item.serialize(),
        )
        text = followup_text(row) if isinstance(row, FollowUp) else interview_text(row)
        return self._item(row.uid, text, row.updated_at), None

    def delete(self, href: str | None = None) -> None:
        uid = self.uid_of(href or "")
        if not uid or not dismiss_task(self.owner_login.user_id, uid):
            raise ValueError("Interviews are cancelled in the app.")
