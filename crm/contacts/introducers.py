"""Who introduced a contact: finding them by a typed name, namesakes, suggestions. Flushes only."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, column_length
from crm.normalize import fold, squash
from crm.search import contains_folded

FIRST_NAME_MAX = column_length(Contact.first_name)
LAST_NAME_MAX = column_length(Contact.last_name)
# What "Introduced by" takes: another contact's first and last name.
FULL_NAME_MAX = FIRST_NAME_MAX + 1 + LAST_NAME_MAX


@dataclass
class IntroducerLookup:
    """Who "Introduced by" names: one contact, nobody yet (offer to add them), or several."""

    contact: Contact | None = None
    error: str | None = None
    # The typed name matches nobody: the form offers to add this person.
    new_name: str | None = None
    # The typed name matches several: the form asks which.
    choices: list[Contact] = field(default_factory=list)


# Namesakes shown when asking which one; more than this and the user types more of the name.
NAMESAKES_SHOWN = 10


def same_name(contact: Contact, typed: str | None) -> bool:
    """The contact's full name is the typed one, ignoring case, accents and spacing."""
    return fold(squash(f"{contact.first_name} {contact.last_name}")) == fold(squash(typed))


def namesakes(user_id: int, name: str | None, exclude_id: int | None = None) -> list[Contact]:
    """The user's contacts whose full name is this one, ignoring case and accents."""
    words = fold(squash(name)).split()
    if not words:
        return []
    stmt = select(Contact).where(Contact.user_id == user_id)
    for word in words[:10]:
        stmt = stmt.where(contains_folded(Contact.search_text, word))
    if exclude_id is not None:
        stmt = stmt.where(Contact.id != exclude_id)
    # Words can also match a company or notes; the exact name check below sorts that out.
    found = db.session.scalars(stmt.order_by(Contact.sort_name, Contact.id).limit(200))
    return [contact for contact in found if same_name(contact, name)]


def find_introducer(
    user_id: int, name: str | None, exclude_id: int | None, chosen_id: int | None = None
) -> IntroducerLookup:
    """Resolve a typed name to exactly one of the user's other contacts."""
    typed = squash(name)
    if not typed:
        return IntroducerLookup()
    if chosen_id is not None and chosen_id != exclude_id:
        chosen = db.session.get(Contact, chosen_id)
        # A picked namesake counts only while it is the user's and still has the typed name.
        if chosen is not None and chosen.user_id == user_id and same_name(chosen, typed):
            return IntroducerLookup(contact=chosen)
    found = namesakes(user_id, typed, exclude_id)
    if len(found) == 1:
        return IntroducerLookup(contact=found[0])
    if len(found) > 1:
        return IntroducerLookup(
            error=f"{len(found)} of your contacts are named “{typed}”: pick the one you mean.",
            choices=found[:NAMESAKES_SHOWN],
        )
    if exclude_id is not None:
        themselves = db.session.get(Contact, exclude_id)
        if themselves is not None and same_name(themselves, typed):
            return IntroducerLookup(error="A person cannot introduce themselves.")
    return IntroducerLookup(
        error=f"None of your contacts is named “{typed}”.",
        new_name=typed,
    )


def name_suggestions(user_id: int, typed: str, limit: int = 10) -> list[tuple[Contact, str]]:
    """Contacts whose name holds every typed word (any case or accent), with what tells
    namesakes apart (title and company)."""
    words = [word for word in fold(squash(typed[:FULL_NAME_MAX])).split() if word][:5]
    if not words:
        return []
    stmt = select(Contact).where(Contact.user_id == user_id)
    for word in words:
        stmt = stmt.where(contains_folded(Contact.sort_name, word))
    found = db.session.scalars(stmt.order_by(Contact.sort_name, Contact.id).limit(limit))
    return [
        (contact, " at ".join(part for part in (contact.title, contact.company_name) if part))
        for contact in found
    ]


def add_introducer(user_id: int, name: str) -> Contact:
    """A new contact with just the typed name, to be the introducer (details can follow)."""
    first, _, last = squash(name).partition(" ")
    contact = Contact(
        user_id=user_id, first_name=first[:FIRST_NAME_MAX], last_name=last[:LAST_NAME_MAX]
    )
    db.session.add(contact)
    db.session.flush()
    return contact
