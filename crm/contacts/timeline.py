"""One contact's history, newest first: outreach, interviews, follow-ups, notes, job changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from crm.enums import TimelineKind
from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, JobChange, Note, Outreach

PER_KIND_LIMIT = 200

_Kind = TypeVar("_Kind", Outreach, Interview, FollowUp, Note, JobChange)


@dataclass
class TimelineEntry:
    on: date
    kind: TimelineKind
    item: Outreach | Interview | FollowUp | Note | JobChange


def _latest(
    model: type[_Kind], order: InstrumentedAttribute[Any], contact: Contact
) -> Sequence[_Kind]:
    return db.session.scalars(
        select(model)
        .where(model.user_id == contact.user_id, model.contact_id == contact.id)
        .order_by(order.desc())
        .limit(PER_KIND_LIMIT)
    ).all()


def contact_timeline(contact: Contact, time_zone: tzinfo) -> list[TimelineEntry]:
    """Everything that happened with this contact, newest first (a fixed number of queries)."""
    entries = [
        TimelineEntry(o.sent_on, TimelineKind.OUTREACH, o)
        for o in _latest(Outreach, Outreach.id, contact)
    ]
    entries += [
        TimelineEntry(i.starts_at.astimezone(time_zone).date(), TimelineKind.INTERVIEW, i)
        for i in _latest(Interview, Interview.starts_at, contact)
    ]
    entries += [
        TimelineEntry(
            f.due_on if f.closed_at is None else f.closed_at.astimezone(time_zone).date(),
            TimelineKind.FOLLOW_UP,
            f,
        )
        for f in _latest(FollowUp, FollowUp.id, contact)
    ]
    entries += [
        TimelineEntry(n.created_at.astimezone(time_zone).date(), TimelineKind.NOTE, n)
        for n in _latest(Note, Note.id, contact)
    ]
    entries += [
        TimelineEntry(j.seen_on, TimelineKind.JOB_CHANGE, j)
        for j in _latest(JobChange, JobChange.id, contact)
    ]
    entries.sort(key=lambda entry: (entry.on, getattr(entry.item, "id", 0)), reverse=True)
    return entries
