"""Finding a contact by a typed name, the one rule set for every name field.

A typed name matches a contact whatever its case, accents, spacing and word order ("garcia
jose" is José García), as the Contacts search matches. The Plan's name fields and "Introduced
by" both resolve names here, and both suggest names from `name_suggestions`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from crm.contacts.fulltext import holding_words
from crm.extensions import db
from crm.models import Company, Contact, column_length
from crm.normalize import fold, squash
from crm.prebuilt import Prebuilt, prebuilt
from crm.search import LIKE_ESCAPE, like_pattern

# What a name field takes: a contact's first and last name.
FULL_NAME_MAX = column_length(Contact.first_name) + 1 + column_length(Contact.last_name)
# Words of a typed name looked at; a name longer than this is typed enough to be found.
WORDS_READ = 10
SUGGESTION_WORDS = 5


def name_orders(first: str | None, last: str | None) -> set[str]:
    """A full name, squashed, first name first and last name first."""
    first, last = squash(first), squash(last)
    return {f"{first} {last}".strip(), f"{last} {first}".strip()}


def same_name(contact: Contact, typed: str | None) -> bool:
    """The contact's full name is the typed one, ignoring case, accents, spacing and order."""
    key = fold(squash(typed))
    return bool(key) and key in name_orders(fold(contact.first_name), fold(contact.last_name))


def written_as_typed(contact: Contact, typed: str | None) -> bool:
    """The contact's full name is exactly the typed one (spacing and order aside)."""
    return squash(typed) in name_orders(contact.first_name, contact.last_name)


def namesakes(user_id: int, typed: str | None, exclude_id: int | None = None) -> list[Contact]:
    """The user's contacts named as typed, in the list's name order."""
    words = fold(squash(typed)).split()
    if not words:
        return []
    stmt = select(Contact).where(Contact.user_id == user_id)
    stmt = stmt.where(*holding_words(words[:WORDS_READ]))
    if exclude_id is not None:
        stmt = stmt.where(Contact.id != exclude_id)
    # Words can also match a company or notes; same_name keeps the people so named.
    found = db.session.scalars(stmt.order_by(Contact.sort_name, Contact.id).limit(200))
    return [contact for contact in found if same_name(contact, typed)]


@dataclass
class NameLookup:
    """One contact for a typed name, or why there is none."""

    contact: Contact | None = None
    error: str | None = None


def find_contact_by_name(user_id: int, typed: str | None) -> NameLookup:
    """The one contact with the typed name, or, among namesakes, the one written exactly as
    typed ("Jose Ramirez" and "José Ramírez"); a clear message when there is none or several."""
    shown = squash(typed)
    if not fold(shown).split():
        return NameLookup(error="Type the person's name, as it is in your contacts.")
    found = namesakes(user_id, shown)
    if len(found) > 1:
        found = [c for c in found if written_as_typed(c, shown)] or found
    if not found:
        return NameLookup(
            error=f"No contact is named “{shown[:100]}”. Pick a name from the list, "
            "or add them as a contact first."
        )
    if len(found) > 1:
        return NameLookup(
            error=f"Several contacts are named “{shown[:100]}”. Link the right one from "
            "their contact page, or tell them apart by name first."
        )
    return NameLookup(contact=found[0])


@dataclass(frozen=True)
class NameSuggestion:
    """A name to offer as the user types, with what tells namesakes apart."""

    name: str
    detail: str


def suggestion_words(typed: str | None) -> list[str]:
    """The folded words of what is typed that suggestions must each hold."""
    return fold(squash((typed or "")[:FULL_NAME_MAX])).split()[:SUGGESTION_WORDS]


@prebuilt
def _suggestions_statement(words: int, limit: int) -> Prebuilt[str, str, str | None, str | None]:
    """The first `limit` contacts, in the list's order, whose name holds each of `words`
    words (word0, word1 .. their LIKE patterns): built once each."""
    stmt = (
        select(Contact.first_name, Contact.last_name, Contact.title, Company.name)
        .outerjoin(Company, Company.id == Contact.company_id)
        .where(Contact.user_id == bindparam("user_id"))
    )
    names = [f"word{n}" for n in range(words)]
    for name in names:
        stmt = stmt.where(Contact.sort_name.like(bindparam(name), escape=LIKE_ESCAPE))
    return Prebuilt(stmt.order_by(Contact.sort_name, Contact.id).limit(limit), "user_id", *names)


def name_suggestions(user_id: int, typed: str | None, limit: int) -> list[NameSuggestion]:
    """Contacts whose name holds every typed word (any case, accent or order), in the list's
    name order, one statement; nothing typed suggests the first names of the list."""
    words = suggestion_words(typed)
    params: dict[str, object] = {"user_id": user_id}
    params.update({f"word{n}": like_pattern(word) for n, word in enumerate(words)})
    rows = _suggestions_statement(len(words), limit).execute(params)
    return [
        NameSuggestion(
            f"{first} {last}".strip(), " at ".join(part for part in (title, company) if part)
        )
        for first, last, title, company in rows
    ]
