"""Contact logic: companies, tags, duplicates, notes. Flushes, never commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, func, select, union_all, update

from crm.companies import get_or_create_company, insert_unless_present
from crm.enums import FollowUpState, Network
from crm.extensions import db
from crm.followups.services import refresh_keep_in_touch
from crm.models import (
    Company,
    Contact,
    FollowUp,
    Interview,
    JobChange,
    Note,
    Outreach,
    Tag,
    contact_tag,
)
from crm.normalize import (
    contact_derived,
    email_key,
    name_key,
    split_tags,
    squash,
    tag_key,
)


def set_tags(contact: Contact, text: str | None) -> None:
    """Replace the contact's tags with the comma-separated names, creating new tags."""
    names = split_tags(text)
    keys = [tag_key(name) for name in names]
    existing = {
        tag.name_key: tag
        for tag in db.session.scalars(
            select(Tag).where(Tag.user_id == contact.user_id, Tag.name_key.in_(keys))
        )
    }
    tags = []
    for name, key in zip(names, keys, strict=True):
        tag = existing.get(key)
        if tag is None:
            insert_unless_present(Tag, {"user_id": contact.user_id, "name": name, "name_key": key})
            tag = db.session.scalars(
                select(Tag).where(Tag.user_id == contact.user_id, Tag.name_key == key)
            ).one()
            existing[key] = tag
        tags.append(tag)
    contact.tags = tags


def find_duplicate(
    user_id: int, email: str | None, linkedin_url: str | None, exclude_id: int | None = None
) -> Contact | None:
    """Another contact of this user with the same LinkedIn URL or email, if any."""
    # One indexed lookup per field, united: SQLite walks every contact of the user for
    # "linkedin_url = ? OR email = ?" rather than use the two indexes.
    twins = [
        select(Contact.id).where(Contact.user_id == user_id, field == value)
        for field, value in (
            (Contact.linkedin_url, linkedin_url or None),
            (Contact.email, email_key(email) if email else None),
        )
        if value is not None
    ]
    if not twins:
        return None
    stmt = select(Contact).where(Contact.id.in_(union_all(*twins)))
    if exclude_id is not None:
        stmt = stmt.where(Contact.id != exclude_id)
    return db.session.scalars(stmt.order_by(Contact.id).limit(1)).first()


def apply_form(
    contact: Contact, data: dict[str, Any], introducer: Contact | None, today: date | None = None
) -> None:
    """Copy validated form values onto the contact; a new company or title on an existing
    contact is a job change on their timeline, as a re-import records it."""
    before = (contact.company_name, contact.title) if contact.id is not None else None
    _copy_text_fields(contact, data)
    contact.company = get_or_create_company(contact.user_id, data["company"])
    contact.network = data["network"] if data["network"] in Network.values() else Network.OTHER
    contact.introduced_by = introducer
    set_tags(contact, data["tags"])
    if before is not None and today is not None:
        record_job_change(contact, *before, today)


def _copy_text_fields(contact: Contact, data: dict[str, Any]) -> None:
    """The form's free-text fields, trimmed; a blank optional one is stored as none."""
    contact.first_name = squash(data["first_name"])
    contact.last_name = squash(data["last_name"])
    contact.email = email_key(data["email"]) or None
    contact.phone = squash(data["phone"]) or None
    contact.title = squash(data["title"]) or None
    contact.how_we_met = squash(data["how_we_met"]) or None
    contact.linkedin_url = data["linkedin_url"] or None
    contact.notes = (data["notes"] or "").strip() or None


def record_job_change(
    contact: Contact, old_company: str | None, old_title: str | None, today: date
) -> JobChange | None:
    """A JobChange when the company or title really changed (not spacing or case), and
    there was a job before and is one now: filling in an empty title is no change of job."""
    new_company, new_title = contact.company_name, contact.title
    if not (old_company or old_title) or not (new_company or new_title):
        return None
    if (name_key(old_company), name_key(old_title)) == (name_key(new_company), name_key(new_title)):
        return None
    change = JobChange(
        user_id=contact.user_id,
        contact_id=contact.id,
        old_company=old_company,
        old_title=old_title,
        new_company=new_company,
        new_title=new_title,
        seen_on=today,
    )
    db.session.add(change)
    return change


# Ids per round trip: well under SQLite's and PostgreSQL's limits on bound parameters.
REFRESH_CHUNK = 5_000


def refresh_search_text(
    user_id: int, contact_ids: Iterable[int], keep_updated_at: bool = False
) -> None:
    """Recompute the derived columns (search text, sort name, title key) of many contacts
    after bulk changes (imports, undo, a restore, which keeps each contact's last change)."""
    ids = sorted(set(contact_ids))
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        tags: dict[int, list[str]] = {}
        for contact_id, name in db.session.execute(
            select(contact_tag.c.contact_id, Tag.name)
            .join(Tag, Tag.id == contact_tag.c.tag_id)
            .where(contact_tag.c.contact_id.in_(chunk))
        ):
            tags.setdefault(contact_id, []).append(name)
        rows = db.session.execute(
            select(
                Contact.id,
                Contact.first_name,
                Contact.last_name,
                Contact.email,
                Contact.title,
                Company.name.label("company"),
                Contact.notes,
                Contact.updated_at,
            )
            .outerjoin(Company, Company.id == Contact.company_id)
            .where(Contact.user_id == user_id, Contact.id.in_(chunk))
        ).all()
        values = [
            {
                "id": row[0],
                **({"updated_at": row.updated_at} if keep_updated_at else {}),
                **contact_derived(
                    first_name=row.first_name,
                    last_name=row.last_name,
                    email=row.email,
                    title=row.title,
                    company=row.company,
                    tags=tags.get(row.id, []),
                    notes=row.notes,
                ),
            }
            for row in rows
        ]
        if values:
            db.session.execute(update(Contact), values)


@dataclass
class WhatGoes:
    """What deleting a contact removes with them, and whom it leaves without an introducer."""

    outreach: int
    interviews: int
    open_followups: int
    notes: int
    introduced: int

    @property
    def anything(self) -> bool:
        return bool(self.outreach or self.interviews or self.open_followups or self.notes)


def what_goes_with(contact: Contact) -> WhatGoes:
    """Counts for the delete question, in one round trip."""

    def count(
        model: type[Outreach | Interview | FollowUp | Note | Contact], *where: ColumnElement[bool]
    ) -> ScalarSelect[int]:
        return (
            select(func.count())
            .select_from(model)
            .where(model.user_id == contact.user_id, *where)
            .scalar_subquery()
        )

    row = db.session.execute(
        select(
            count(Outreach, Outreach.contact_id == contact.id),
            count(Interview, Interview.contact_id == contact.id),
            count(
                FollowUp, FollowUp.contact_id == contact.id, FollowUp.status == FollowUpState.OPEN
            ),
            count(Note, Note.contact_id == contact.id),
            count(Contact, Contact.introduced_by_id == contact.id),
        )
    ).one()
    return WhatGoes(*row)


def user_tags(user_id: int) -> list[str]:
    """The names of the user's tags, for the filter's suggestions."""
    return list(
        db.session.scalars(select(Tag.name).where(Tag.user_id == user_id).order_by(Tag.name_key))
    )


def add_note(contact: Contact, body: str) -> Note:
    """A dated note on the contact's timeline."""
    note = Note(user_id=contact.user_id, contact_id=contact.id, body=body)
    db.session.add(note)
    db.session.flush()
    return note


def set_cadence(contact: Contact, cadence: str) -> None:
    """How often to keep in touch; the next reminder moves with it."""
    contact.cadence = cadence
    refresh_keep_in_touch(contact)
