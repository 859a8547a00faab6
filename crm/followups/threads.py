"""One outreach thread per person: from a first message until a reply, a decline or no response.

What a message inside an open thread closes (the nudge), what a reply, a decline or an
interview closes at the company, and reopening what such an event closed. Every follow-up
closed here says what closed it. Flushes only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, exists, or_, select, update

from crm import clock
from crm.enums import FollowUpKind, FollowUpState, OutreachStatus
from crm.extensions import db
from crm.followups.services import FollowUpError
from crm.formatting import day_label
from crm.models import Company, Contact, FollowUp, Outreach
from crm.workdays import next_business_day

# The follow-ups a thread plans; they live and close with it.
THREAD_KINDS = (FollowUpKind.SECOND_PERSON, FollowUpKind.NUDGE)
NOTE_LENGTH = 200


def thread_is_open(contact: Contact) -> bool:
    """True while a message to the person awaits a reply, or their nudge is still to do."""
    awaiting = select(Outreach.id).where(
        Outreach.user_id == contact.user_id,
        Outreach.contact_id == contact.id,
        Outreach.status == OutreachStatus.AWAITING,
    )
    nudge = select(FollowUp.id).where(
        FollowUp.user_id == contact.user_id,
        FollowUp.contact_id == contact.id,
        FollowUp.kind == FollowUpKind.NUDGE,
        FollowUp.status == FollowUpState.OPEN,
    )
    return db.session.scalar(select(exists(awaiting) | exists(nudge))) or False


def _close(
    user_id: int, where: Sequence[ColumnElement[bool]], status: FollowUpState, note: str
) -> int:
    """Close the user's open follow-ups that match, saying what closed them."""
    now = clock.now()
    result = db.session.execute(
        update(FollowUp)
        .where(FollowUp.user_id == user_id, FollowUp.status == FollowUpState.OPEN, *where)
        .values(
            status=status,
            closed_at=now,
            closed_note=note[:NOTE_LENGTH],
            updated_at=now,
            # Calendar clients update an event only when its SEQUENCE rises.
            sequence=FollowUp.sequence + 1,
        )
        .execution_options(synchronize_session="fetch")
    )
    # An UPDATE's result is a CursorResult; Session.execute is typed as returning any Result.
    return cast("CursorResult[Any]", result).rowcount or 0


def _at(company: Company | None) -> str:
    return f" at {company.name.rstrip('.')}" if company is not None else ""


def close_nudge_as_sent(contact: Contact, sent_on: date, today: date) -> int:
    """A message inside an open thread is the nudge: the open "Nudge once" of a message sent
    before it is done."""
    before = select(Outreach.id).where(
        Outreach.contact_id == contact.id, Outreach.sent_on <= sent_on
    )
    where = [
        FollowUp.contact_id == contact.id,
        FollowUp.kind == FollowUpKind.NUDGE,
        FollowUp.outreach_id.in_(before),
    ]
    note = f"Nudged on {day_label(sent_on, today)}"
    return _close(contact.user_id, where, FollowUpState.DONE, note)


def close_second_persons_at(contact: Contact, company: Company, sent_on: date, today: date) -> int:
    """Writing to someone at a company is the second person its open 3Bs asked for (so a
    company has one open 3B at a time, whatever the order messages are logged in)."""
    reached_there = select(Outreach.id).where(
        Outreach.user_id == contact.user_id, Outreach.company_id == company.id
    )
    where = [
        FollowUp.kind == FollowUpKind.SECOND_PERSON,
        FollowUp.outreach_id.in_(reached_there),
    ]
    note = f"Closed: you reached {contact.full_name}{_at(company)} on {day_label(sent_on, today)}"
    return _close(contact.user_id, where, FollowUpState.CLOSED, note)


def close_on_reply(contact: Contact, company: Company | None, replied_on: date, today: date) -> int:
    """A reply closes the thread follow-ups of the person and of everyone reached at the
    company (the method's rule), for messages sent up to the reply."""
    reached: ColumnElement[bool] = Outreach.contact_id == contact.id
    if company is not None:
        reached = or_(reached, Outreach.company_id == company.id)
    answered = select(Outreach.id).where(
        Outreach.user_id == contact.user_id, Outreach.sent_on <= replied_on, reached
    )
    where = [FollowUp.kind.in_(THREAD_KINDS), FollowUp.outreach_id.in_(answered)]
    note = f"Closed: {contact.full_name}{_at(company)} replied on {day_label(replied_on, today)}"
    return _close(contact.user_id, where, FollowUpState.CLOSED, note)


def close_on_decline(contact: Contact, declined_on: date, today: date) -> int:
    """A no closes the nudge to this person only: someone else at the company may say yes."""
    answered = select(Outreach.id).where(
        Outreach.contact_id == contact.id, Outreach.sent_on <= declined_on
    )
    where = [FollowUp.kind == FollowUpKind.NUDGE, FollowUp.outreach_id.in_(answered)]
    note = f"Closed: {contact.full_name} declined on {day_label(declined_on, today)}"
    return _close(contact.user_id, where, FollowUpState.CLOSED, note)


def close_on_interview(contact: Contact, held_on: date, today: date) -> int:
    """An interview held ends the person's thread follow-ups."""
    where = [FollowUp.contact_id == contact.id, FollowUp.kind.in_(THREAD_KINDS)]
    note = f"Closed: you interviewed {contact.full_name} on {day_label(held_on, today)}"
    return _close(contact.user_id, where, FollowUpState.CLOSED, note)


def end_thread(contact: Contact, status: str, on: date) -> int:
    """A reply, a decline or no response answers every message of the thread sent up to it."""
    answered = status in (OutreachStatus.REPLIED, OutreachStatus.DECLINED)
    result = db.session.execute(
        update(Outreach)
        .where(
            Outreach.user_id == contact.user_id,
            Outreach.contact_id == contact.id,
            Outreach.status == OutreachStatus.AWAITING,
            Outreach.sent_on <= on,
        )
        .values(status=status, reply_on=on if answered else None)
        .execution_options(synchronize_session="fetch")
    )
    return cast("CursorResult[Any]", result).rowcount or 0


def _twin_is_open(row: FollowUp) -> bool:
    """Another open follow-up that reopening this one would double."""
    twins = select(FollowUp.id).where(
        FollowUp.user_id == row.user_id,
        FollowUp.status == FollowUpState.OPEN,
        FollowUp.kind == row.kind,
        FollowUp.id != row.id,
    )
    if row.kind == FollowUpKind.NUDGE:
        twins = twins.where(FollowUp.contact_id == row.contact_id)
    elif row.kind == FollowUpKind.SECOND_PERSON and row.outreach_id is not None:
        company_id = select(Outreach.company_id).where(Outreach.id == row.outreach_id)
        same_company = select(Outreach.id).where(
            Outreach.user_id == row.user_id, Outreach.company_id == company_id.scalar_subquery()
        )
        twins = twins.where(FollowUp.outreach_id.in_(same_company))
    else:
        return False
    return db.session.scalar(twins.limit(1)) is not None


def reopen(row: FollowUp, today: date) -> None:
    """Bring back a follow-up an event closed, due no earlier than today's business day."""
    if row.status != FollowUpState.CLOSED:
        raise FollowUpError("Only a follow-up closed by a reply or a message can be reopened.")
    if _twin_is_open(row):
        raise FollowUpError("The same follow-up is already open: nothing to reopen.")
    row.status, row.closed_at, row.closed_note = FollowUpState.OPEN, None, None
    row.due_on = next_business_day(max(row.due_on, today))
    row.sequence += 1
