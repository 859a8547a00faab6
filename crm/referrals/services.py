"""Referral logic: suggested people recorded and reached, and the person who suggested them
told how it went. Flushes only; the paths that log a reply or hold an interview call in here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select, union
from sqlalchemy.orm import contains_eager

from crm.enums import (
    FollowUpKind,
    FollowUpState,
    InterviewStatus,
    OutreachStatus,
    Permission,
    ReferralStage,
)
from crm.extensions import db
from crm.followups.rules import PlannedFollowUp
from crm.followups.services import add_planned, close_company_followups
from crm.models import Contact, FollowUp, Interview, Outreach
from crm.referrals.models import Suggestion
from crm.workdays import next_business_day_after


def suggestions_of(interview: Interview) -> list[Suggestion]:
    """The people suggested in this interview, in the order they were added."""
    return list(
        db.session.scalars(
            select(Suggestion)
            .join(Suggestion.contact)
            .options(contains_eager(Suggestion.contact))
            .where(Suggestion.user_id == interview.user_id, Suggestion.interview_id == interview.id)
            .order_by(Suggestion.id)
        )
    )


def record_suggestion(interview: Interview, contact: Contact, permission: str) -> Suggestion:
    """Keep that this interview suggested the contact (once; the latest permission wins)."""
    row = db.session.scalars(
        select(Suggestion).where(
            Suggestion.interview_id == interview.id, Suggestion.contact_id == contact.id
        )
    ).first()
    if row is None:
        row = Suggestion(
            user_id=interview.user_id, interview_id=interview.id, contact_id=contact.id
        )
        db.session.add(row)
    row.permission = permission if permission in Permission.values() else Permission.NOT_ASKED
    db.session.flush()
    return row


def plan_reach(contact: Contact, suggested_by: Contact, today: date) -> FollowUp | None:
    """ "Reach <name> (suggested by <interviewee>)" on the next business day, unless they are
    reached already or such a follow-up is open."""
    if contact.first_outreach_on is not None or _open(contact, FollowUpKind.REACH) is not None:
        return None
    planned = PlannedFollowUp(
        kind=FollowUpKind.REACH,
        due=next_business_day_after(today),
        reason=f"Reach {contact.full_name} (suggested by {suggested_by.full_name})",
    )
    return add_planned(contact, [planned])[0]


def _open(contact: Contact, kind: str) -> FollowUp | None:
    return db.session.scalars(
        select(FollowUp).where(
            FollowUp.user_id == contact.user_id,
            FollowUp.contact_id == contact.id,
            FollowUp.kind == kind,
            FollowUp.status == FollowUpState.OPEN,
        )
    ).first()


@dataclass(frozen=True)
class Mention:
    """Who may be named as the introducer in a first message, and who must not be."""

    named: str | None
    withheld: str | None


def mention_for(contact: Contact) -> Mention:
    """The introducer's name when the user may use it: always for an introduction typed on
    the contact form; for a suggested person, only when the suggester said yes."""
    introducer = contact.introduced_by
    if introducer is None:
        return Mention(None, None)
    permission = db.session.scalars(
        select(Suggestion.permission)
        .join(Interview, Interview.id == Suggestion.interview_id)
        .where(
            Suggestion.user_id == contact.user_id,
            Suggestion.contact_id == contact.id,
            Interview.contact_id == introducer.id,
        )
        .order_by(Suggestion.id.desc())
        .limit(1)
    ).first()
    if permission is None or permission == Permission.YES:
        return Mention(introducer.full_name, None)
    return Mention(None, introducer.full_name)


# --- Closing the loop -------------------------------------------------------------------------


def after_outreach(outreach: Outreach, today: date) -> FollowUp | None:
    """A message to a suggested person closes their "Reach" follow-up; a reply logged with it
    plans telling the person who suggested them."""
    contact = outreach.contact
    close_company_followups(
        contact,
        f"You reached {contact.full_name}",
        kinds=(FollowUpKind.REACH,),
        whole_company=False,
    )
    if outreach.status == OutreachStatus.REPLIED:
        return after_reply(outreach, today)
    return None


def after_reply(outreach: Outreach, today: date) -> FollowUp | None:
    """A referred person replied: plan "Tell <referrer> how it went" (once per person)."""
    contact = outreach.contact
    referrer = contact.introduced_by
    if referrer is None:
        return None
    told = exists().where(
        FollowUp.user_id == contact.user_id,
        FollowUp.kind == FollowUpKind.TELL_REFERRER,
        FollowUp.outreach_id == Outreach.id,
        Outreach.contact_id == contact.id,
    )
    if db.session.scalar(select(told)):
        return None
    reason = f"Tell {referrer.full_name} how it went: {contact.full_name} replied."
    planned = PlannedFollowUp(FollowUpKind.TELL_REFERRER, next_business_day_after(today), reason)
    return add_planned(referrer, [planned], outreach_id=outreach.id)[0]


def after_interview_held(interview: Interview, today: date) -> FollowUp | None:
    """An interview with a referred person held: tell the referrer (an open "how it went"
    about their reply becomes this one, so they get one message, not two)."""
    contact = interview.contact
    close_company_followups(
        contact,
        f"You talked with {contact.full_name}",
        kinds=(FollowUpKind.REACH,),
        whole_company=False,
    )
    referrer = contact.introduced_by
    if referrer is None:
        return None
    about_them = (
        FollowUp.user_id == contact.user_id,
        FollowUp.contact_id == referrer.id,
        FollowUp.kind == FollowUpKind.TELL_REFERRER,
    )
    held_before = select(Interview.id).where(Interview.contact_id == contact.id)
    if db.session.scalar(
        select(exists().where(*about_them, FollowUp.interview_id.in_(held_before)))
    ):
        return None
    replied = select(Outreach.id).where(Outreach.contact_id == contact.id)
    row = db.session.scalars(
        select(FollowUp).where(
            *about_them,
            FollowUp.status == FollowUpState.OPEN,
            FollowUp.outreach_id.in_(replied),
        )
    ).first()
    reason = f"Tell {referrer.full_name} how it went: you talked with {contact.full_name}."
    due = next_business_day_after(today)
    if row is None:
        planned = PlannedFollowUp(FollowUpKind.TELL_REFERRER, due, reason)
        return add_planned(referrer, [planned], interview_id=interview.id)[0]
    row.reason, row.due_on, row.interview_id = reason, due, interview.id
    row.sequence += 1
    return row


# --- What a referrer's page shows ---------------------------------------------------------------


@dataclass(frozen=True)
class SuggestedPerson:
    """Someone a contact suggested or introduced, and how far they got."""

    contact: Contact
    stage: ReferralStage


def suggested_by(referrer: Contact) -> list[SuggestedPerson]:
    """Everyone this contact introduced or suggested, with the furthest stage each reached:
    one statement."""
    suggested_in_their_interviews = (
        select(Suggestion.contact_id)
        .join(Interview, Interview.id == Suggestion.interview_id)
        .where(Suggestion.user_id == referrer.user_id, Interview.contact_id == referrer.id)
    )
    introducer = Contact.__table__.alias("introduced")
    # Two lookups over their own indexes, joined as one list of ids: an OR of the two as the
    # WHERE made PostgreSQL scan every contact (0.5 s at 300,000).
    led = Contact.__table__.alias("led")
    introduced_by_them = select(led.c.id).where(
        led.c.user_id == referrer.user_id, led.c.introduced_by_id == referrer.id
    )
    interviewed = exists().where(
        Interview.contact_id == Contact.id, Interview.status == InterviewStatus.DONE
    )
    referred_on = exists().where(introducer.c.introduced_by_id == Contact.id)
    rows = db.session.execute(
        select(Contact, interviewed.label("interviewed"), referred_on.label("referred_on"))
        .where(
            Contact.user_id == referrer.user_id,
            Contact.id != referrer.id,
            Contact.id.in_(union(introduced_by_them, suggested_in_their_interviews)),
        )
        .order_by(Contact.sort_name, Contact.id)
    ).all()
    return [SuggestedPerson(row[0], _stage(row[0], row[1], row[2])) for row in rows]


def _stage(contact: Contact, interviewed: bool, referred_on: bool) -> ReferralStage:
    if referred_on:
        return ReferralStage.REFERRED_ON
    if interviewed:
        return ReferralStage.INTERVIEWED
    if contact.replied_on is not None:
        return ReferralStage.REPLIED
    if contact.first_outreach_on is not None:
        return ReferralStage.REACHED
    return ReferralStage.SUGGESTED
