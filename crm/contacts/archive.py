"""Archived contacts: deleted on a synced device, hidden from the list and sync, restorable."""

from __future__ import annotations

from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact


def archived_contacts(user_id: int) -> list[Contact]:
    """The user's archived contacts, most recently archived first."""
    return list(
        db.session.scalars(
            select(Contact)
            .where(Contact.user_id == user_id, Contact.archived_at.is_not(None))
            .order_by(Contact.archived_at.desc(), Contact.id.desc())
        )
    )


def restore(contact: Contact) -> None:
    """Back in the list, and on every synced device at its next sync."""
    contact.archived_at = None
    db.session.flush()
