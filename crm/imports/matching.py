"""Who is who: each person in a file matched to the user's contacts and to earlier rows.

One match cascade (PeopleIndex.find) serves both: a LinkedIn URL first, then the email, then
the name with the company (a nameless card by its phone number). Two different LinkedIn
profiles are never one person, whatever their names or emails say.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeAlias, TypeVar

from sqlalchemy import func, select
from sqlalchemy.engine import Row

from crm.extensions import db
from crm.models import Company, Contact, column_length, contact_tag
from crm.normalize import email_key, name_key, unique_tags
from crm.parsers import ImportedPerson

# A contact as loaded for matching (ExistingContacts.rows): id, names, email, phone, company_id,
# title, linkedin_url, connected_on, has_notes.
ContactRow: TypeAlias = "Row[*tuple[Any, ...]]"


# Longer cells are cut to fit the columns rather than failing the import.
NAME_SIZE = column_length(Contact.first_name)
EMAIL_SIZE = column_length(Contact.email)
PHONE_SIZE = column_length(Contact.phone)
JOB_SIZE = column_length(Contact.title)  # company names have the same size (asserted below)
URL_SIZE = column_length(Contact.linkedin_url)
assert column_length(Contact.last_name) == NAME_SIZE
assert column_length(Company.name) == column_length(Company.name_key) == JOB_SIZE

LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "email": "email",
    "phone": "phone",
    "company": "company",
    "title": "title",
    "linkedin_url": "LinkedIn URL",
    "notes": "notes",
    "connected_on": "connected on",
    "tags": "tags",
}


@dataclass(slots=True)
class Change:
    """One field an import sets on an existing contact: what it held and what it will hold."""

    field: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return LABELS[self.field]


@dataclass(slots=True)
class Entry:
    """A person from the file, the contact they match (None when new) and what would change."""

    person: ImportedPerson
    contact: ContactRow | None = None
    changes: list[Change] = field(default_factory=list)
    # The matched contact's company name before the import.
    company: str | None = None

    def change(self, name: str) -> Change | None:
        return next((change for change in self.changes if change.field == name), None)

    @property
    def job_changed(self) -> bool:
        """A new company or title replacing one the contact had (not filling an empty one)."""
        return any(change.field in ("company", "title") and change.old for change in self.changes)

    @property
    def filled(self) -> list[str]:
        """Labels of the empty fields this import fills, besides company and title."""
        return [change.label for change in self.changes if change.field not in ("company", "title")]


# --- Keys -------------------------------------------------------------------------------------


def company_key(name: str) -> str:
    """Company.name_key for a name, cut to its column like the name itself."""
    return name_key(name)[:JOB_SIZE]


def match_key(first_name: str, last_name: str, company: str | None) -> str:
    """First name, last name and company as one key, case- and space-insensitive like name_key.

    One split and casefold for the three (NUL never occurs in a decoded file) instead of three.
    """
    return " ".join(f"{first_name} \0 {last_name} \0 {company or ''}".split()).casefold()


def person_key(person: ImportedPerson) -> str:
    return match_key(person.first_name, person.last_name, person.company)


def phone_key(phone: str | None) -> str:
    """A phone number's digits: '+1 (555) 010-0100' and '+1 555 010 0100' are one number."""
    return "".join(character for character in phone or "" if character.isdigit())


def nameless(person: ImportedPerson) -> bool:
    """Only a phone number tells who this is (a contact card with no name, email or profile)."""
    return not (person.first_name or person.last_name or person.email or person.linkedin_url)


def _urls_conflict(first: str | None, second: str | None) -> bool:
    """Two different LinkedIn profiles are two people, whatever their names or emails say."""
    return bool(first and second and first != second)


def fit(person: ImportedPerson, strip_nul: bool) -> None:
    """Cut cells to the column sizes; lower-case emails; drop NULs PostgreSQL cannot store."""
    if strip_nul:
        _strip_nul(person)
    _cut_to_columns(person)
    if person.email:
        person.email = email_key(person.email)[:EMAIL_SIZE]
    if person.tags:
        person.tags = unique_tags(person.tags)


def _cut_to_columns(person: ImportedPerson) -> None:
    """Cut text cells to their column's size, without the space a cut can leave at the end."""
    if len(person.first_name) > NAME_SIZE:
        person.first_name = person.first_name[:NAME_SIZE].rstrip()
    if len(person.last_name) > NAME_SIZE:
        person.last_name = person.last_name[:NAME_SIZE].rstrip()
    if len(person.phone) > PHONE_SIZE:
        person.phone = person.phone[:PHONE_SIZE].rstrip()
    if len(person.company) > JOB_SIZE:
        person.company = person.company[:JOB_SIZE].rstrip()
    if len(person.title) > JOB_SIZE:
        person.title = person.title[:JOB_SIZE].rstrip()
    if person.linkedin_url and len(person.linkedin_url) > URL_SIZE:
        person.linkedin_url = None  # a cut URL would point at someone else


def _strip_nul(person: ImportedPerson) -> None:
    """Drop the NUL characters a UTF-16 file can hold and PostgreSQL cannot store."""
    for name in ("first_name", "last_name", "email", "phone", "company", "title", "notes"):
        setattr(person, name, getattr(person, name).replace("\x00", ""))
    person.tags = [tag.replace("\x00", "") for tag in person.tags]


def merge(into: ImportedPerson, other: ImportedPerson) -> None:
    """Fill the first row's empty cells from a later row about the same person."""
    for name in ("first_name", "last_name", "email", "phone", "company", "title", "notes"):
        if not getattr(into, name) and getattr(other, name):
            setattr(into, name, getattr(other, name))
    if not into.linkedin_url and other.linkedin_url:
        into.linkedin_url = other.linkedin_url
    if into.connected_on is None:
        into.connected_on = other.connected_on
    if other.tags:
        into.tags = unique_tags([*into.tags, *other.tags])


# --- The cascade ------------------------------------------------------------------------------

Found = TypeVar("Found")


class PeopleIndex(ABC, Generic[Found]):
    """People by LinkedIn URL, email, phone and name, and the one order they are matched in."""

    def __init__(self) -> None:
        self.by_url: dict[str, Found] = {}
        self.by_email: dict[str, Found] = {}

    @abstractmethod
    def url_of(self, found: Found) -> str | None:
        """The LinkedIn URL of someone in the index."""

    @abstractmethod
    def phones(self) -> dict[str, Found]:
        """People by phone_key, for a nameless card."""

    @abstractmethod
    def names(self, with_url: bool) -> dict[str, Found]:
        """People by match_key; for a person with a URL only those without one (a contact
        with another LinkedIn URL is someone else)."""

    def find(self, person: ImportedPerson) -> Found | None:
        """Who this person is: by LinkedIn URL, then email, then name and company."""
        url = person.linkedin_url
        if url:
            found = self.by_url.get(url)
            if found is not None:
                return found
        if person.email:
            found = self._unless_another_url(self.by_email.get(person.email), url)
            if found is not None:
                return found
        if nameless(person):
            return self._find_by_phone(person)
        if not (person.first_name or person.last_name):
            return None
        names = self.names(with_url=bool(url))
        # An empty index spares building the person's key.
        return self._unless_another_url(names.get(person_key(person)), url) if names else None

    def _unless_another_url(self, found: Found | None, url: str | None) -> Found | None:
        """Someone found by email or name, unless their LinkedIn URL says it is someone else."""
        if found is not None and _urls_conflict(self.url_of(found), url):
            return None
        return found

    def _find_by_phone(self, person: ImportedPerson) -> Found | None:
        """A nameless card is recognised by its phone number alone."""
        return self.phones().get(phone_key(person.phone)) if person.phone else None


class ExistingContacts(PeopleIndex[ContactRow]):
    """The user's contacts as match keys, loaded in a few queries (never one per row)."""

    def __init__(self, user_id: int, need_tags: bool) -> None:
        super().__init__()
        has_notes = func.coalesce(func.length(Contact.notes), 0) > 0
        self.rows = db.session.execute(
            select(
                Contact.id,
                Contact.first_name,
                Contact.last_name,
                Contact.email,
                Contact.phone,
                Contact.company_id,
                Contact.title,
                Contact.linkedin_url,
                Contact.connected_on,
                has_notes.label("has_notes"),
            )
            .where(Contact.user_id == user_id)
            .order_by(Contact.id)
        ).all()
        self.companies: dict[str, int] = {}
        self.company_names: dict[int, str] = {}
        for company_id, name, key in db.session.execute(
            select(Company.id, Company.name, Company.name_key).where(Company.user_id == user_id)
        ):
            self.companies[key] = company_id
            self.company_names[company_id] = name
        self.with_tags: set[int] = set()
        if need_tags and self.rows:
            self.with_tags = set(
                db.session.scalars(
                    select(contact_tag.c.contact_id)
                    .join(Contact, Contact.id == contact_tag.c.contact_id)
                    .where(Contact.user_id == user_id)
                    .distinct()
                )
            )
        for row in self.rows:
            if row.linkedin_url:
                self.by_url.setdefault(row.linkedin_url, row)
            if row.email:
                self.by_email.setdefault(email_key(row.email), row)
        # Name keys cost the most to build; most re-imports match every row by URL first.
        self._by_name: dict[str, ContactRow] | None = None
        self._without_url_by_name: dict[str, ContactRow] | None = None
        self._by_phone: dict[str, ContactRow] | None = None

    def company_name(self, row: ContactRow) -> str | None:
        return self.company_names.get(row.company_id) if row.company_id else None

    def url_of(self, found: ContactRow) -> str | None:
        url: str | None = found.linkedin_url
        return url

    def names(self, with_url: bool) -> dict[str, ContactRow]:
        if with_url:
            if self._without_url_by_name is None:
                self._without_url_by_name = self._index(r for r in self.rows if not r.linkedin_url)
            return self._without_url_by_name
        if self._by_name is None:
            self._by_name = self._index(self.rows)
        return self._by_name

    def phones(self) -> dict[str, ContactRow]:
        """Contacts by phone number: how a nameless card is recognised on a re-import."""
        if self._by_phone is None:
            self._by_phone = {}
            for row in self.rows:
                if row.phone and phone_key(row.phone):
                    self._by_phone.setdefault(phone_key(row.phone), row)
        return self._by_phone

    def _index(self, rows: Iterable[ContactRow]) -> dict[str, ContactRow]:
        index: dict[str, ContactRow] = {}
        for row in rows:
            if row.first_name or row.last_name:
                key = match_key(row.first_name, row.last_name, self.company_name(row))
                index.setdefault(key, row)
        return index


class FileIndex(PeopleIndex[Entry]):
    """The people seen so far in this file, so the same person twice becomes one contact."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.without_url_by_name: dict[str, Entry] = {}
        self.by_phone: dict[str, Entry] = {}
        # Built when the first row without a URL comes: until then URLs tell people apart.
        self.by_name: dict[str, Entry] | None = None

    def url_of(self, found: Entry) -> str | None:
        return found.person.linkedin_url

    def phones(self) -> dict[str, Entry]:
        return self.by_phone

    def names(self, with_url: bool) -> dict[str, Entry]:
        if with_url:
            return self.without_url_by_name
        if self.by_name is None:
            self.by_name = {}
            for entry in self.entries:
                self._add_name(self.by_name, entry.person, entry)
        return self.by_name

    @staticmethod
    def _add_name(index: dict[str, Entry], person: ImportedPerson, entry: Entry) -> None:
        if person.first_name or person.last_name:
            index.setdefault(person_key(person), entry)

    def add(self, entry: Entry, new: bool) -> None:
        if new:
            self.entries.append(entry)
        person = entry.person
        if person.linkedin_url:
            self.by_url.setdefault(person.linkedin_url, entry)
        else:
            self._add_name(self.without_url_by_name, person, entry)
        if person.email:
            self.by_email.setdefault(person.email, entry)
        if person.phone and nameless(person):
            self.by_phone.setdefault(phone_key(person.phone), entry)
        if self.by_name is not None:
            self._add_name(self.by_name, person, entry)
