"""The backup's contacts.csv and contacts.vcf: every contact in name order, read a batch at a
time with the batch's tags in one more statement, so the statements grow with the thousands
of contacts, never with each contact, and memory holds one batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select, tuple_

from crm.exports.contacts_csv import iter_csv
from crm.exports.vcard import iter_vcards
from crm.extensions import db
from crm.models import Company, Contact, Tag, contact_tag

# Contacts per batch: each batch is two statements (its contacts, then their tags).
CONTACTS_PER_BATCH = 2_000
CSV_HEADER = (
    "First name",
    "Last name",
    "Email",
    "Phone",
    "Company",
    "Title",
    "Network",
    "How we met",
    "Introduced by",
    "LinkedIn URL",
    "Tags",
    "Notes",
    "Connected on",
    "Keep in touch",
    "Last interaction",
    "Source",
)


@dataclass(frozen=True)
class BackedUpContact:
    """A contact as both the CSV and the vCard writer read it (crm.exports.vcard.ContactLike)."""

    uid: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    company_name: str | None
    title: str | None
    network: str
    how_we_met: str | None
    introducer: str
    linkedin_url: str | None
    notes: str | None
    tag_names: list[str]
    connected_on: date | None
    cadence: str
    last_interaction_on: date | None
    source: str
    updated_at: datetime

    @property
    def introduced_by_name(self) -> str | None:
        """The vCard's "Introduced by" (the CSV's introducer column, blank when nobody)."""
        return self.introducer or None


def _contacts_statement(user_id: int) -> Any:
    introducer = db.aliased(Contact)
    return (
        select(
            Contact.id,
            Contact.sort_name,
            Contact.uid,
            Contact.first_name,
            Contact.last_name,
            Contact.email,
            Contact.phone,
            Company.name.label("company_name"),
            Contact.title,
            Contact.network,
            Contact.how_we_met,
            introducer.first_name.label("introducer_first"),
            introducer.last_name.label("introducer_last"),
            Contact.linkedin_url,
            Contact.notes,
            Contact.connected_on,
            Contact.cadence,
            Contact.last_interaction_on,
            Contact.source,
            Contact.updated_at,
        )
        .outerjoin(Company, Company.id == Contact.company_id)
        .outerjoin(introducer, introducer.id == Contact.introduced_by_id)
        .where(Contact.user_id == user_id)
        .order_by(Contact.sort_name, Contact.id)
        .limit(CONTACTS_PER_BATCH)
    )


def _contact_rows(user_id: int) -> Iterator[Sequence[Row[Any]]]:
    """The user's contacts in name order, a batch at a time. Each batch starts after the
    (sort_name, id) the last one ended on: it walks ix_contact_user_sort_name from there,
    rather than reading and skipping every earlier row as an OFFSET would."""
    base = _contacts_statement(user_id)
    stmt = base
    while True:
        rows = db.session.execute(stmt).all()
        if rows:
            yield rows
        if len(rows) < CONTACTS_PER_BATCH:
            return
        last = rows[-1]
        stmt = base.where(tuple_(Contact.sort_name, Contact.id) > (last.sort_name, last.id))


def _tag_names(contact_ids: list[int]) -> dict[int, list[str]]:
    """Each contact's tag names, in the order the app shows them, in one statement."""
    names: dict[int, list[str]] = defaultdict(list)
    stmt = (
        select(contact_tag.c.contact_id, Tag.name)
        .join(Tag, Tag.id == contact_tag.c.tag_id)
        .where(contact_tag.c.contact_id.in_(contact_ids))
        .order_by(contact_tag.c.contact_id, Tag.name_key)
    )
    for contact_id, name in db.session.execute(stmt):
        names[contact_id].append(name)
    return names


def contact_batches(user_id: int) -> Iterator[list[BackedUpContact]]:
    """Every contact of the user with their tags, in name order, a batch at a time."""
    for rows in _contact_rows(user_id):
        tags = _tag_names([row.id for row in rows])
        yield [
            BackedUpContact(
                uid=row.uid,
                first_name=row.first_name,
                last_name=row.last_name,
                email=row.email,
                phone=row.phone,
                company_name=row.company_name,
                title=row.title,
                network=row.network,
                how_we_met=row.how_we_met,
                introducer=f"{row.introducer_first or ''} {row.introducer_last or ''}".strip(),
                linkedin_url=row.linkedin_url,
                notes=row.notes,
                tag_names=tags.get(row.id, []),
                connected_on=row.connected_on,
                cadence=row.cadence,
                last_interaction_on=row.last_interaction_on,
                source=row.source,
                updated_at=row.updated_at,
            )
            for row in rows
        ]


def _csv_row(contact: BackedUpContact) -> list[object]:
    return [
        contact.first_name,
        contact.last_name,
        contact.email,
        contact.phone,
        contact.company_name,
        contact.title,
        contact.network,
        contact.how_we_met,
        contact.introducer,
        contact.linkedin_url,
        ", ".join(contact.tag_names),
        contact.notes,
        contact.connected_on,
        "" if contact.cadence == "none" else contact.cadence,
        contact.last_interaction_on,
        contact.source,
    ]


def iter_contacts_csv(user_id: int) -> Iterator[bytes]:
    """contacts.csv for a spreadsheet, streamed."""
    rows = (_csv_row(contact) for batch in contact_batches(user_id) for contact in batch)
    return iter_csv(CSV_HEADER, rows)


def iter_contacts_vcf(user_id: int) -> Iterator[bytes]:
    """contacts.vcf for an address book, streamed a batch of cards at a time."""
    for batch in contact_batches(user_id):
        yield b"".join(iter_vcards(batch))
