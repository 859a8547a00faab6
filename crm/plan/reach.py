"""Step 4, people to reach: the contacts the user picked to reach next, with whether they
have been reached since. Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import BindParameter, and_, bindparam, func, select
from sqlalchemy.orm import contains_eager

from crm.extensions import db
from crm.models import Contact, Outreach
from crm.plan.models import PersonToReach
from crm.prebuilt import Prebuilt, prebuilt


def add_person_to_reach(user_id: int, contact: Contact, today: date) -> bool:
    """Put a contact on the "People to reach" list; False when already on it."""
    if on_reach_list(user_id, contact):
        return False
    db.session.add(PersonToReach(user_id=user_id, contact_id=contact.id, added_on=today))
    db.session.flush()
    return True


def on_reach_list(user_id: int, contact: Contact) -> bool:
    """Whether the contact is on the user's People to reach list."""
    entry = select(PersonToReach.id).where(
        PersonToReach.user_id == user_id, PersonToReach.contact_id == contact.id
    )
    return db.session.scalar(entry) is not None


@dataclass
class ToReach:
    entry: PersonToReach
    reached_on: date | None


@prebuilt
def _to_reach_statement(limit: int) -> Prebuilt[PersonToReach, date | None]:
    """The people picked to reach with their latest outreach. The dashboard
    sends it on every visit, so it is built once."""
    user_id: BindParameter[int] = bindparam("user_id")
    last_outreach = (
        select(func.max(Outreach.sent_on))
        .where(Outreach.contact_id == PersonToReach.contact_id, Outreach.user_id == user_id)
        .correlate(PersonToReach)
        .scalar_subquery()
    )
    reached = and_(last_outreach.is_not(None), last_outreach >= PersonToReach.added_on)
    return Prebuilt(
        select(PersonToReach, last_outreach)
        .join(PersonToReach.contact)
        .options(contains_eager(PersonToReach.contact))
        .where(PersonToReach.user_id == user_id)
        .order_by(reached, PersonToReach.added_on, PersonToReach.id)
        .limit(limit),
        "user_id",
    )


def people_to_reach(user_id: int, limit: int = 20) -> list[ToReach]:
    """The people picked to reach, those not yet reached first, with their latest outreach."""
    rows = []
    for entry, sent_on in _to_reach_statement(limit).execute({"user_id": user_id}):
        rows.append(ToReach(entry, sent_on if sent_on and sent_on >= entry.added_on else None))
    return rows
