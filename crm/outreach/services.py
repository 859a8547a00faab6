"""Outreach logic: logging attempts and replies, with the follow-ups they start or close."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from crm import clock
from crm.enums import FollowUpKind, FollowUpState, OutreachStatus
from crm.extensions import db
from crm.followups import rules
from crm.followups.services import (
    add_planned,
    close_company_followups,
    record_interaction,
    settings_for,
)
from crm.models import Contact, FollowUp, Outreach, User
from crm.outreach.reframe import reframe


class OutreachError(ValueError):
    """An outreach action that cannot be done, in words for the user."""


def find_recent_twin(
    contact: Contact, channel: str, sent_on: date, summary: str | None
) -> Outreach | None:
    """The same outreach logged moments ago: a double-submitted form."""
    since = clock.now() - timedelta(minutes=10)
    return db.session.scalars(
        select(Outreach).where(
            Outreach.contact_id == contact.id,
            Outreach.channel == channel,
            Outreach.sent_on == sent_on,
            Outreach.summary.is_(None) if summary is None else Outreach.summary == summary,
            Outreach.created_at >= since,
        )
    ).first()


def log_outreach(
    user: User,
    contact: Contact,
    channel: str,
    sent_on: date,
    status: str,
    summary: str | None,
    today: date,
) -> Outreach:
    """Record an attempt; awaiting a reply plans the 3B and 7B follow-ups."""
    if sent_on > today + timedelta(days=1):
        raise OutreachError("That date is in the future. Log outreach once it is sent.")
    outreach = Outreach(
        user_id=user.id,
        contact_id=contact.id,
        channel=channel,
        sent_on=sent_on,
        status=status,
        summary=summary,
        reply_on=sent_on if status == OutreachStatus.REPLIED else None,
    )
    db.session.add(outreach)
    db.session.flush()
    record_interaction(contact, sent_on)
    if contact.first_outreach_on is None or sent_on < contact.first_outreach_on:
        contact.first_outreach_on = sent_on
    if status == OutreachStatus.REPLIED and contact.replied_on is None:
        contact.replied_on = sent_on
    if contact.company_id is not None:
        # Writing to this person is the "second person" the company's other 3Bs asked for.
        close_company_followups(
            contact,
            f"You reached {contact.full_name} at {contact.company_name}",
            kinds=(FollowUpKind.SECOND_PERSON,),
            others_only=True,
        )
    if status == OutreachStatus.AWAITING:
        planned = rules.outreach_followups(
            sent_on, settings_for(user), contact.full_name, contact.company_name
        )
        add_planned(contact, planned, outreach_id=outreach.id)
    elif status == OutreachStatus.REPLIED:
        close_company_followups(contact, f"{contact.full_name} replied")
    return outreach


def set_status(outreach: Outreach, status: str, today: date) -> int:
    """Mark replied, declined or no response; a reply closes the company's 3B/7B follow-ups."""
    if outreach.status == status:
        raise OutreachError("That is already recorded.")
    outreach.status = status
    closed = 0
    if status == OutreachStatus.REPLIED:
        outreach.reply_on = today
        record_interaction(outreach.contact, today)
        if outreach.contact.replied_on is None:
            outreach.contact.replied_on = today
        closed = close_company_followups(outreach.contact, f"{outreach.contact.full_name} replied")
    elif status == OutreachStatus.DECLINED:
        outreach.reply_on = today
        # A no is a cue to try someone else at the company: only the nudge to this person goes.
        closed = close_company_followups(
            outreach.contact,
            f"{outreach.contact.full_name} declined",
            kinds=(FollowUpKind.NUDGE,),
            whole_company=False,
        )
    return closed


def next_step_words(outreach: Outreach, today: date) -> str:
    """The reframe for a non-reply or a no, naming the nudge's day and a second person to try."""
    contact = outreach.contact
    nudge_on = db.session.scalar(
        select(FollowUp.due_on).where(
            FollowUp.outreach_id == outreach.id,
            FollowUp.kind == FollowUpKind.NUDGE,
            FollowUp.status == FollowUpState.OPEN,
        )
    )
    other = None
    if contact.company_id is not None:
        # Someone at the same company not reached yet: the "second person" of the 3B routine.
        other = db.session.scalars(
            select(Contact)
            .where(
                Contact.user_id == contact.user_id,
                Contact.company_id == contact.company_id,
                Contact.id != contact.id,
                Contact.first_outreach_on.is_(None),
            )
            .order_by(Contact.sort_name, Contact.id)
            .limit(1)
        ).first()
    return reframe(
        outreach.status,
        contact.full_name,
        today,
        company=contact.company_name,
        nudge_on=nudge_on,
        other_person=other.full_name if other else None,
    )
