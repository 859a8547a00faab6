"""Who introduced a contact: the typed name resolved (crm.contacts.lookup), a namesake picked,
or the introducer added. Flushes only."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.contacts.lookup import namesakes, same_name
from crm.extensions import db
from crm.models import Contact, column_length
from crm.normalize import squash

FIRST_NAME_MAX = column_length(Contact.first_name)
LAST_NAME_MAX = column_length(Contact.last_name)


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


def find_introducer(
    user_id: int, name: str | None, exclude_id: int | None, chosen_id: int | None = None
) -> IntroducerLookup:
    """Resolve a typed name to exactly one of the user's other contacts."""
    typed = squash(name)
    if not typed:
        return IntroducerLookup()
    chosen = _chosen(user_id, typed, exclude_id, chosen_id)
    if chosen is not None:
        return IntroducerLookup(contact=chosen)
    found = namesakes(user_id, typed, exclude_id)
    if len(found) == 1:
        return IntroducerLookup(contact=found[0])
    if len(found) > 1:
        return IntroducerLookup(
            error=f"{len(found)} of your contacts are named “{typed}”: pick the one you mean.",
            choices=found[:NAMESAKES_SHOWN],
        )
    if _is_themselves(exclude_id, typed):
        return IntroducerLookup(error="A person cannot introduce themselves.")
    return IntroducerLookup(
        error=f"None of your contacts is named “{typed}”.",
        new_name=typed,
    )


def _chosen(
    user_id: int, typed: str, exclude_id: int | None, chosen_id: int | None
) -> Contact | None:
    """The namesake picked from the list, while it is the user's and still has the typed name."""
    if chosen_id is None or chosen_id == exclude_id:
        return None
    chosen = db.session.get(Contact, chosen_id)
    if chosen is not None and chosen.user_id == user_id and same_name(chosen, typed):
        return chosen
    return None


def _is_themselves(contact_id: int | None, typed: str) -> bool:
    """The typed name is the edited contact's own."""
    themselves = db.session.get(Contact, contact_id) if contact_id is not None else None
    return themselves is not None and same_name(themselves, typed)


def add_introducer(user_id: int, name: str) -> Contact:
    """A new contact with just the typed name, to be the introducer (details can follow)."""
    first, _, last = squash(name).partition(" ")
    contact = Contact(
        user_id=user_id, first_name=first[:FIRST_NAME_MAX], last_name=last[:LAST_NAME_MAX]
    )
    db.session.add(contact)
    db.session.flush()
    return contact
