"""Who introduced whom, as a vCard names it: each new contact linked to the one contact with
that name, found as every name field finds people (crm.contacts.lookup). Flushes only."""

from __future__ import annotations

from sqlalchemy import update

from crm.contacts.lookup import find_contact_by_name
from crm.extensions import db
from crm.models import Contact

# Introductions deeper than this are not followed when looking for a loop.
LONGEST_CHAIN = 100


def _introduces_itself(contact_id: int, introducer_id: int, introducers: dict[int, int]) -> bool:
    """Linking would make the contact their own introducer, directly or through others."""
    step: int | None = introducer_id
    for _ in range(LONGEST_CHAIN):
        if step is None:
            return False
        if step == contact_id:
            return True
        step = introducers.get(step)
    return True


def link_introducers(user_id: int, named: list[tuple[int, str]]) -> int:
    """Set each (contact id, introducer's name) when exactly one contact has that name and
    the link makes no loop; a name nobody has, or several have, is left for the person to
    link by hand. Returns how many were linked (one lookup per distinct name)."""
    found: dict[str, int | None] = {}
    introducers: dict[int, int] = {}
    linked = 0
    for contact_id, name in named:
        if name not in found:
            match = find_contact_by_name(user_id, name).contact
            found[name] = match.id if match is not None else None
        introducer_id = found[name]
        if introducer_id is None or _introduces_itself(contact_id, introducer_id, introducers):
            continue
        introducers[contact_id] = introducer_id
        db.session.execute(
            update(Contact)
            .where(Contact.user_id == user_id, Contact.id == contact_id)
            .values(introduced_by_id=introducer_id)
        )
        linked += 1
    db.session.flush()
    return linked
