"""One contact's history, newest first: outreach, interviews, follow-ups, notes, job changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import InstrumentedAttribute

from crm.enums import TimelineKind
from crm.models import Contact, FollowUp, Interview, JobChange, Note, Outreach
from crm.prebuilt import Prebuilt, prebuilt

PER_KIND_LIMIT = 200

_Kind = TypeVar("_Kind", Outreach, Interview, FollowUp, Note, JobChange)

# What "newest" means for each kind: interviews by when they are, the rest as they were added.
_NEWEST_FIRST: dict[type[Any], InstrumentedAttribute[Any]] = {
    Outreach: Outreach.id,
    Interview: Interview.starts_at,
    FollowUp: FollowUp.id,
    Note: Note.id,
    JobChange: JobChange.id,
}


@dataclass
class TimelineEntry:
    on: date
    kind: TimelineKind
    item: Outreach | Interview | FollowUp | Note | JobChange


@prebuilt
def _latest_statement(model: type[_Kind]) -> Prebuilt[_Kind]:
    """One kind of history for one contact, newest first. A contact's page sends five of
    these, so each is built once."""
    order = _NEWEST_FIRST[model]
    statement = (
        select(model)
        .where(model.user_id == bindparam("user_id"), model.contact_id == bindparam("contact_id"))
        .order_by(order.desc())
        .limit(PER_KIND_LIMIT)
    )
    return Prebuilt(statement, "user_id", "contact_id")


def _latest(model: type[_Kind], contact: Contact) -> Sequence[_Kind]:
    return (
        _latest_statement(model)
        .scalars({"user_id": contact.user_id, "contact_id": contact.id})
        .all()
    )


def contact_timeline(contact: Contact, time_zone: tzinfo) -> list[TimelineEntry]:
    """Everything that happened with this contact, newest first (a fixed number of queries)."""
    entries = [
        TimelineEntry(o.sent_on, TimelineKind.OUTREACH, o) for o in _latest(Outreach, contact)
    ]
    entries += [
        TimelineEntry(i.starts_at.astimezone(time_zone).date(), TimelineKind.INTERVIEW, i)
        for i in _latest(Interview, contact)
    ]
    entries += [
        TimelineEntry(
            f.due_on if f.closed_at is None else f.closed_at.astimezone(time_zone).date(),
            TimelineKind.FOLLOW_UP,
            f,
        )
        for f in _latest(FollowUp, contact)
    ]
    entries += [
        TimelineEntry(n.created_at.astimezone(time_zone).date(), TimelineKind.NOTE, n)
        for n in _latest(Note, contact)
    ]
    entries += [
        TimelineEntry(j.seen_on, TimelineKind.JOB_CHANGE, j) for j in _latest(JobChange, contact)
    ]
    entries.sort(key=lambda entry: (entry.on, getattr(entry.item, "id", 0)), reverse=True)
    return entries
