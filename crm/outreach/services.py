"""Outreach logic: logging attempts and replies, with the follow-ups they start or close."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from crm import clock
from crm.enums import FollowUpKind, FollowUpState, OutreachStatus, ThreadStep
from crm.extensions import db
from crm.followups import rules, threads
from crm.followups.services import add_planned, record_interaction, settings_for
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


@dataclass
class Logged:
    """An outreach just logged, what it did to the person's thread, and what it planned."""

    outreach: Outreach
    step: ThreadStep
    planned: list[rules.PlannedFollowUp] = field(default_factory=list)


def log_message(
    user: User,
    contact: Contact,
    channel: str,
    sent_on: date,
    status: str,
    summary: str | None,
    today: date,
) -> Logged:
    """Record an attempt as part of the person's thread: a first message plans the follow-ups
    still ahead of today, one inside an open thread is its nudge, a reply or a no ends it."""
    if sent_on > today + timedelta(days=1):
        raise OutreachError("That date is in the future. Log outreach once it is sent.")
    in_thread = threads.thread_is_open(contact)
    outreach = Outreach(
        user_id=user.id,
        contact_id=contact.id,
        company_id=contact.company_id,
        channel=channel,
        sent_on=sent_on,
        status=status,
        summary=summary,
        reply_on=sent_on if status in ANSWERED else None,
    )
    db.session.add(outreach)
    db.session.flush()
    record_interaction(contact, sent_on)
    if contact.first_outreach_on is None or sent_on < contact.first_outreach_on:
        contact.first_outreach_on = sent_on
    if status == OutreachStatus.REPLIED and contact.replied_on is None:
        contact.replied_on = sent_on
    if status != OutreachStatus.AWAITING:
        _answered(contact, outreach, status, sent_on, today)
        return Logged(outreach, ThreadStep.ENDED)
    if threads.close_nudge_as_sent(contact, sent_on, today):
        return Logged(outreach, ThreadStep.NUDGED)
    if in_thread:
        return Logged(outreach, ThreadStep.IN_THREAD)
    return _start_thread(user, contact, outreach, today)


ANSWERED = (OutreachStatus.REPLIED, OutreachStatus.DECLINED)


def _start_thread(user: User, contact: Contact, outreach: Outreach, today: date) -> Logged:
    """A first message: the company's other 3Bs are done, and the steps still ahead planned."""
    if contact.company is not None:
        threads.close_second_persons_at(contact, contact.company, outreach.sent_on, today)
    settings = settings_for(user)
    name, company = contact.full_name, contact.company_name
    every = rules.outreach_followups(outreach.sent_on, settings, name, company)
    planned = rules.outreach_followups_from(outreach.sent_on, today, settings, name, company)
    add_planned(contact, planned, outreach_id=outreach.id)
    return Logged(outreach, _history_step(len(every), planned), planned)


def _history_step(every: int, planned: list[rules.PlannedFollowUp]) -> ThreadStep:
    """How much of the routine was still ahead of today."""
    if not planned:
        return ThreadStep.HISTORY_ONLY
    if any(plan.late for plan in planned):
        return ThreadStep.HISTORY_NUDGE
    return ThreadStep.STARTED if len(planned) == every else ThreadStep.FROM_HISTORY


def _answered(contact: Contact, outreach: Outreach, status: str, on: date, today: date) -> int:
    """A reply, a no or no response ends the thread; a reply closes the company's follow-ups."""
    threads.end_thread(contact, status, on)
    if status == OutreachStatus.REPLIED:
        return threads.close_on_reply(contact, outreach.company, on, today)
    if status == OutreachStatus.DECLINED:
        return threads.close_on_decline(contact, on, today)
    return 0


def set_status(outreach: Outreach, status: str, today: date) -> int:
    """Mark replied, declined or no response; a reply closes the company's 3B/7B follow-ups."""
    if outreach.status == status:
        raise OutreachError("That is already recorded.")
    outreach.status = status
    contact = outreach.contact
    if status in ANSWERED:
        outreach.reply_on = today
    if status == OutreachStatus.REPLIED:
        record_interaction(contact, today)
        if contact.replied_on is None:
            contact.replied_on = today
    if status == OutreachStatus.AWAITING:
        return 0
    return _answered(contact, outreach, status, today, today)


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
    company = outreach.company
    if company is not None:
        # Someone at the company where they were reached, not reached yet: the 3B's person.
        other = db.session.scalars(
            select(Contact)
            .where(
                Contact.user_id == contact.user_id,
                Contact.company_id == company.id,
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
        company=company.name if company is not None else None,
        nudge_on=nudge_on,
        other_person=other.full_name if other else None,
    )
