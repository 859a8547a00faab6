"""Importing contacts: match a parsed file to the user's contacts, write it in bulk, undo it.

Flushes, never commits: the confirm view and the import command commit once, so an import is
written all or nothing. The write issues a fixed number of statements whatever the file's size
(the user's contacts are loaded once for matching, then rows go in with executemany).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from secrets import token_hex
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy.engine import CursorResult, Row
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import ColumnElement

from crm import clock
from crm.contacts.services import refresh_search_text
from crm.enums import Cadence, ImportFormat, Network, Source
from crm.extensions import db
from crm.importers import ImportedPerson, ParseResult, SkippedRow, parse_file
from crm.models import (
    Company,
    Contact,
    FollowUp,
    ImportBatch,
    ImportUpdate,
    Interview,
    JobChange,
    Note,
    Outreach,
    Tag,
    User,
    contact_tag,
)
from crm.normalize import email_key, name_key, search_text, sort_name, squash

Progress = Callable[[int], None]

# The column sizes in crm/models.py: longer cells are cut to fit rather than failing the import.
NAME_SIZE = 100
EMAIL_SIZE = 254
PHONE_SIZE = 50
JOB_SIZE = 200  # company and title
URL_SIZE = 300
TAG_SIZE = 50
FILENAME_SIZE = 255
CHUNK = 5_000
PROGRESS_STEP = 1_000

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
# Fields an import fills only while they are empty: what the user typed always stays.
FILLED_WHEN_EMPTY = ("first_name", "last_name", "email", "phone", "linkedin_url", "notes")


def same_person_reason(line: int) -> str:
    """Why a row is skipped when an earlier row (or the same contact) already holds the person."""
    return f"the same person as on line {line}"


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
    contact: Row | None = None
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


@dataclass(frozen=True)
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    @property
    def people(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportPlan:
    """What an import would do, worked out without writing anything."""

    format: str
    format_label: str
    encoding: str
    new: list[Entry]
    updated: list[Entry]
    unchanged: list[Entry]
    skipped: list[SkippedRow]
    # The user's companies by name key, as loaded for matching.
    companies: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> ImportCounts:
        return ImportCounts(
            len(self.new), len(self.updated), len(self.unchanged), len(self.skipped)
        )

    @property
    def job_changes(self) -> int:
        return sum(1 for entry in self.updated if entry.job_changed)


@dataclass
class ImportOutcome:
    plan: ImportPlan
    batch: ImportBatch | None

    @property
    def counts(self) -> ImportCounts:
        return self.plan.counts


def summary_line(counts: ImportCounts) -> str:
    """The line the import command ends with."""
    return (
        f"created: {counts.created}, updated: {counts.updated}, "
        f"unchanged: {counts.unchanged}, skipped: {counts.skipped}"
    )


def clean_filename(filename: str | None) -> str:
    """The file's own name, without any folder a browser sent along, fit for the history."""
    name = squash((filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    return name[:FILENAME_SIZE] or "upload"


# --- Matching ---------------------------------------------------------------------------------


def company_key(name: str) -> str:
    """Company.name_key for a name, cut to its column like the name itself."""
    return name_key(name)[:JOB_SIZE]


def _fit(person: ImportedPerson, strip_nul: bool) -> None:
    """Cut cells to the column sizes; lower-case emails; drop NULs PostgreSQL cannot store."""
    if strip_nul:
        for name in ("first_name", "last_name", "email", "phone", "company", "title", "notes"):
            setattr(person, name, getattr(person, name).replace("\x00", ""))
        person.tags = [tag.replace("\x00", "") for tag in person.tags]
    if len(person.first_name) > NAME_SIZE:
        person.first_name = person.first_name[:NAME_SIZE].rstrip()
    if len(person.last_name) > NAME_SIZE:
        person.last_name = person.last_name[:NAME_SIZE].rstrip()
    if person.email:
        person.email = email_key(person.email)[:EMAIL_SIZE]
    if len(person.phone) > PHONE_SIZE:
        person.phone = person.phone[:PHONE_SIZE].rstrip()
    if len(person.company) > JOB_SIZE:
        person.company = person.company[:JOB_SIZE].rstrip()
    if len(person.title) > JOB_SIZE:
        person.title = person.title[:JOB_SIZE].rstrip()
    if person.linkedin_url and len(person.linkedin_url) > URL_SIZE:
        person.linkedin_url = None  # a cut URL would point at someone else
    if person.tags:
        person.tags = _unique_tags(person.tags)


def _unique_tags(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    tags = []
    for name in names:
        tag = squash(name)[:TAG_SIZE]
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def match_key(first_name: str, last_name: str, company: str | None) -> str:
    """First name, last name and company as one key, case- and space-insensitive like name_key.

    One split and casefold for the three (NUL never occurs in a decoded file) instead of three.
    """
    return " ".join(f"{first_name} \0 {last_name} \0 {company or ''}".split()).casefold()


def _person_key(person: ImportedPerson) -> str:
    return match_key(person.first_name, person.last_name, person.company)


def phone_key(phone: str | None) -> str:
    """A phone number's digits: '+1 (555) 010-0100' and '+1 555 010 0100' are one number."""
    return "".join(character for character in phone or "" if character.isdigit())


def _nameless(person: ImportedPerson) -> bool:
    """Only a phone number tells who this is (a contact card with no name, email or profile)."""
    return not (person.first_name or person.last_name or person.email or person.linkedin_url)


def _urls_conflict(first: str | None, second: str | None) -> bool:
    """Two different LinkedIn profiles are two people, whatever their names or emails say."""
    return bool(first and second and first != second)


def _merge(into: ImportedPerson, other: ImportedPerson) -> None:
    """Fill the first row's empty cells from a later row about the same person."""
    for name in ("first_name", "last_name", "email", "phone", "company", "title", "notes"):
        if not getattr(into, name) and getattr(other, name):
            setattr(into, name, getattr(other, name))
    if not into.linkedin_url and other.linkedin_url:
        into.linkedin_url = other.linkedin_url
    if into.connected_on is None:
        into.connected_on = other.connected_on
    if other.tags:
        into.tags = _unique_tags([*into.tags, *other.tags])


class ExistingContacts:
    """The user's contacts as match keys, loaded in a few queries (never one per row)."""

    def __init__(self, user_id: int, need_tags: bool) -> None:
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
        self.by_url: dict[str, Row] = {}
        self.by_email: dict[str, Row] = {}
        for row in self.rows:
            if row.linkedin_url:
                self.by_url.setdefault(row.linkedin_url, row)
            if row.email:
                self.by_email.setdefault(email_key(row.email), row)
        # Name keys cost the most to build; most re-imports match every row by URL first.
        self._by_name: dict[str, Row] | None = None
        self._without_url_by_name: dict[str, Row] | None = None
        self._by_phone: dict[str, Row] | None = None

    def company_name(self, row: Row) -> str | None:
        return self.company_names.get(row.company_id) if row.company_id else None

    def _names(self, with_url: bool) -> dict[str, Row]:
        """Contacts by name and company: all of them, or those with no LinkedIn URL."""
        if with_url:
            if self._without_url_by_name is None:
                self._without_url_by_name = self._index(r for r in self.rows if not r.linkedin_url)
            return self._without_url_by_name
        if self._by_name is None:
            self._by_name = self._index(self.rows)
        return self._by_name

    def _phones(self) -> dict[str, Row]:
        """Contacts by phone number: how a nameless card is recognised on a re-import."""
        if self._by_phone is None:
            self._by_phone = {}
            for row in self.rows:
                if row.phone and phone_key(row.phone):
                    self._by_phone.setdefault(phone_key(row.phone), row)
        return self._by_phone

    def _index(self, rows: Iterable[Row]) -> dict[str, Row]:
        index: dict[str, Row] = {}
        for row in rows:
            if row.first_name or row.last_name:
                key = match_key(row.first_name, row.last_name, self.company_name(row))
                index.setdefault(key, row)
        return index

    def match(self, person: ImportedPerson) -> Row | None:
        """The contact this person is: by LinkedIn URL, then email, then name and company."""
        url = person.linkedin_url
        if url:
            row = self.by_url.get(url)
            if row is not None:
                return row
        if person.email:
            row = self.by_email.get(person.email)
            if row is not None and not _urls_conflict(row.linkedin_url, url):
                return row
        if _nameless(person):
            return self._phones().get(phone_key(person.phone)) if person.phone else None
        if not (person.first_name or person.last_name):
            return None
        # A contact with another LinkedIn URL is someone else, so a person with a URL
        # can only be a contact without one.
        names = self._names(with_url=bool(url))
        if not names:
            return None
        row = names.get(_person_key(person))
        if row is not None and not _urls_conflict(row.linkedin_url, url):
            return row
        return None


class _FileIndex:
    """The people seen so far in this file, so the same person twice becomes one contact."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.by_url: dict[str, Entry] = {}
        self.by_email: dict[str, Entry] = {}
        self.without_url_by_name: dict[str, Entry] = {}
        self.by_phone: dict[str, Entry] = {}
        # Built when the first row without a URL comes: until then URLs tell people apart.
        self.by_name: dict[str, Entry] | None = None

    def find(self, person: ImportedPerson) -> Entry | None:
        url = person.linkedin_url
        if url:
            entry = self.by_url.get(url)
            if entry is not None:
                return entry
        if person.email:
            entry = self.by_email.get(person.email)
            if entry is not None and not _urls_conflict(entry.person.linkedin_url, url):
                return entry
        if _nameless(person):
            return self.by_phone.get(phone_key(person.phone)) if person.phone else None
        if not (person.first_name or person.last_name):
            return None
        if url:
            names = self.without_url_by_name
        else:
            if self.by_name is None:
                self.by_name = {}
                for entry in self.entries:
                    self._add_name(self.by_name, entry.person, entry)
            names = self.by_name
        if not names:
            return None
        entry = names.get(_person_key(person))
        if entry is not None and not _urls_conflict(entry.person.linkedin_url, url):
            return entry
        return None

    @staticmethod
    def _add_name(index: dict[str, Entry], person: ImportedPerson, entry: Entry) -> None:
        if person.first_name or person.last_name:
            index.setdefault(_person_key(person), entry)

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
        if person.phone and _nameless(person):
            self.by_phone.setdefault(phone_key(person.phone), entry)
        if self.by_name is not None:
            self._add_name(self.by_name, person, entry)


def plan_import(user_id: int, parsed: ParseResult, progress: Progress | None = None) -> ImportPlan:
    """Match every person in the file to the user's contacts; write nothing."""
    people = parsed.people
    existing = ExistingContacts(user_id, need_tags=any(person.tags for person in people))
    strip_nul = parsed.encoding.startswith("utf-16")
    index = _FileIndex()
    claimed: dict[int, Entry] = {}
    skipped = list(parsed.skipped)
    for count, person in enumerate(people, 1):
        _fit(person, strip_nul)
        entry = index.find(person)
        contact = None
        if entry is None:
            contact = existing.match(person)
            if contact is not None:
                entry = claimed.get(contact.id)
        if entry is not None:
            _merge(entry.person, person)
            skipped.append(SkippedRow(person.line, same_person_reason(entry.person.line)))
            index.add(entry, new=False)
        else:
            entry = Entry(person, contact)
            if contact is not None:
                claimed[contact.id] = entry
            index.add(entry, new=True)
        if progress is not None and count % PROGRESS_STEP == 0:
            progress(PROGRESS_STEP)
    if progress is not None and len(people) % PROGRESS_STEP:
        progress(len(people) % PROGRESS_STEP)

    new: list[Entry] = []
    updated: list[Entry] = []
    unchanged: list[Entry] = []
    for entry in index.entries:
        if entry.contact is None:
            new.append(entry)
            continue
        entry.company = existing.company_name(entry.contact)
        entry.changes = _changes(entry.person, entry.contact, entry.company, existing.with_tags)
        (updated if entry.changes else unchanged).append(entry)
    skipped.sort(key=lambda row: row.line)
    return ImportPlan(
        parsed.format,
        parsed.format_label,
        parsed.encoding,
        new,
        updated,
        unchanged,
        skipped,
        existing.companies,
    )


def _changes(
    person: ImportedPerson, contact: Row, old_company: str | None, with_tags: set[int]
) -> list[Change]:
    """What the file changes on a contact: company and title, and the fields left empty."""
    changes = []
    company = person.company
    if company and company != old_company and name_key(company) != name_key(old_company):
        changes.append(Change("company", old_company, company))
    old_title = contact.title
    title = person.title
    if title and title != old_title and name_key(title) != name_key(old_title):
        changes.append(Change("title", old_title, title))
    for name in FILLED_WHEN_EMPTY:
        new = getattr(person, name)
        if new and not (contact.has_notes if name == "notes" else getattr(contact, name)):
            changes.append(Change(name, None, new))
    if person.connected_on and contact.connected_on is None:
        changes.append(Change("connected_on", None, person.connected_on))
    if person.tags and contact.id not in with_tags:
        changes.append(Change("tags", [], list(person.tags)))
    return changes


# --- Writing ----------------------------------------------------------------------------------


def _chunks(rows: Sequence[dict], size: int = CHUNK) -> Iterator[Sequence[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _company_ids(
    user_id: int, names: Iterable[str], known: dict[str, int], now: datetime
) -> dict[str, int]:
    """Company ids by name as written, adding in one statement the companies the user lacks."""
    ids: dict[str, int] = {}
    missing: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        key = company_key(name)
        if key in known:
            ids[name] = known[key]
        else:
            missing.setdefault(key, []).append(name)
    if missing:
        # "ACME inc" and "Acme Inc" in one file are one company, spelled as first seen.
        inserted = db.session.execute(
            insert(Company.__table__).returning(Company.id, Company.name_key),
            [
                {
                    "user_id": user_id,
                    "name": spellings[0],
                    "name_key": key,
                    "is_target": False,
                    "created_at": now,
                }
                for key, spellings in missing.items()
            ],
        )
        for company_id, key in inserted:
            for name in missing[key]:
                ids[name] = company_id
    return ids


def _tag_ids(user_id: int, names: Iterable[str]) -> dict[str, int]:
    """Tag ids by name key, adding the tags the user lacks in one statement."""
    wanted = {name.casefold(): name for name in names}
    known = dict(
        db.session.execute(
            select(Tag.name_key, Tag.id).where(Tag.user_id == user_id, Tag.name_key.in_(wanted))
        ).all()
    )
    missing = [
        {"user_id": user_id, "name": name, "name_key": key}
        for key, name in wanted.items()
        if key not in known
    ]
    if missing:
        inserted = db.session.execute(
            insert(Tag.__table__).returning(Tag.name_key, Tag.id), missing
        )
        known.update(inserted.all())
    return known


def _link_tags(user_id: int, tags_by_contact: list[tuple[int, list[str]]]) -> None:
    if not tags_by_contact:
        return
    ids = _tag_ids(user_id, (tag for _, tags in tags_by_contact for tag in tags))
    rows = [
        {"contact_id": contact_id, "tag_id": ids[tag.casefold()]}
        for contact_id, tags in tags_by_contact
        for tag in tags
    ]
    for chunk in _chunks(rows):
        db.session.execute(insert(contact_tag), chunk)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def write_import(
    user: User,
    plan: ImportPlan,
    filename: str,
    network: str,
    progress: Progress | None = None,
) -> ImportBatch | None:
    """Write the plan: new contacts, updates with their old values, job changes. Flushes only.

    Nothing is written (and None returned) for a file that holds nobody.
    """
    counts = plan.counts
    if counts.people == 0:
        return None
    now = clock.now()
    network = network if network in Network.values() else Network.OTHER
    source = plan.format if plan.format in ImportFormat.values() else Source.MANUAL
    batch = ImportBatch(
        user_id=user.id,
        filename=clean_filename(filename),
        format=plan.format,
        format_label=plan.format_label[:100],
        network=network,
        created_count=counts.created,
        updated_count=counts.updated,
        unchanged_count=counts.unchanged,
        skipped_count=counts.skipped,
        created_at=now,
    )
    db.session.add(batch)
    db.session.flush()

    companies = _company_ids(
        user.id,
        [entry.person.company for entry in plan.new if entry.person.company]
        + [change.new for entry in plan.updated if (change := entry.change("company"))],
        plan.companies,
        now,
    )
    _insert_contacts(user.id, batch.id, plan.new, companies, network, source, now, progress)
    _update_contacts(user, batch.id, plan.updated, companies, now)
    if progress is not None and (plan.updated or plan.unchanged):
        progress(len(plan.updated) + len(plan.unchanged))
    db.session.flush()
    return batch


def _insert_many(table: Table, rows: Sequence[dict]) -> None:
    """INSERT many rows through the driver's executemany, converting each value once with
    its column type. SQLAlchemy's own executemany re-processes every parameter of every
    row, which made a 30,000-contact insert 60% slower than the driver alone."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    convert = {
        name: processor
        for name in names
        if (processor := table.c[name].type._cached_bind_processor(dialect)) is not None
    }
    for name, processor in convert.items():
        for row in rows:
            row[name] = processor(row[name])
    if compiled.positional:
        order = [compiled.binds[key].key for key in compiled.positiontup or ()]
        params: list = [tuple(row[name] for name in order) for row in rows]
    else:
        params = list(rows)
    connection.exec_driver_sql(compiled.string, params)


def _insert_contacts(
    user_id: int,
    batch_id: int,
    entries: list[Entry],
    companies: dict[str, int],
    network: str,
    source: str,
    now: datetime,
    progress: Progress | None,
) -> None:
    rows = []
    tags_by_uid = []
    for entry in entries:
        person = entry.person
        company = person.company
        uid = f"contact-{token_hex(16)}@networking-crm"  # as unique as a uuid4, 3x cheaper
        rows.append(
            {
                "user_id": user_id,
                "uid": uid,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email or None,
                "phone": person.phone or None,
                "company_id": companies[company] if company else None,
                "title": person.title or None,
                "network": network,
                "linkedin_url": person.linkedin_url,
                "notes": person.notes or None,
                "search_text": search_text(
                    person.first_name,
                    person.last_name,
                    person.email,
                    person.title,
                    company,
                    " ".join(person.tags),
                    person.notes,
                ),
                "sort_name": sort_name(person.last_name, person.first_name),
                "connected_on": person.connected_on,
                "source": source,
                "cadence": Cadence.NONE,
                "import_batch_id": batch_id,
                "created_at": now,
                "updated_at": now,
            }
        )
        if person.tags:
            tags_by_uid.append((uid, person.tags))
    for chunk in _chunks(rows):
        _insert_many(Contact.__table__, chunk)
        if progress is not None:
            progress(len(chunk))
    if tags_by_uid:
        ids = dict(
            db.session.execute(
                select(Contact.uid, Contact.id).where(
                    Contact.user_id == user_id, Contact.import_batch_id == batch_id
                )
            ).all()
        )
        _link_tags(user_id, [(ids[uid], tags) for uid, tags in tags_by_uid])


def _update_contacts(
    user: User,
    batch_id: int,
    entries: list[Entry],
    companies: dict[str, int],
    now: datetime,
) -> None:
    if not entries:
        return
    groups: dict[tuple[str, ...], list[dict]] = {}
    history = []
    job_changes = []
    tags = []
    today = clock.user_today(user)
    for entry in entries:
        contact = entry.contact
        assert contact is not None
        values: dict[str, Any] = {}
        for change in entry.changes:
            if change.field == "company":
                values["company_id"] = companies[change.new]
            elif change.field == "tags":
                tags.append((contact.id, change.new))
            else:
                values[change.field] = change.new
        if values:
            values["updated_at"] = now
            groups.setdefault(tuple(sorted(values)), []).append({"id": contact.id, **values})
        # The old and the new value of each field, so undo restores only what is still ours.
        history.append(
            {
                "batch_id": batch_id,
                "contact_id": contact.id,
                "old_values": {
                    change.field: [_json_value(change.old), _json_value(change.new)]
                    for change in entry.changes
                },
            }
        )
        if entry.job_changed:
            company, title = entry.change("company"), entry.change("title")
            job_changes.append(
                {
                    "user_id": user.id,
                    "contact_id": contact.id,
                    "import_batch_id": batch_id,
                    "old_company": company.old if company else entry.company,
                    "old_title": title.old if title else contact.title,
                    "new_company": company.new if company else entry.company,
                    "new_title": title.new if title else contact.title,
                    "seen_on": today,
                }
            )
    for rows in groups.values():
        for chunk in _chunks(rows):
            db.session.execute(update(Contact), chunk)
    for chunk in _chunks(history):
        db.session.execute(insert(ImportUpdate.__table__), chunk)
    for chunk in _chunks(job_changes):
        db.session.execute(insert(JobChange.__table__), chunk)
    _link_tags(user.id, tags)
    refresh_search_text(user.id, [entry.contact.id for entry in entries if entry.contact])


def parse_upload(data: bytes, filename: str) -> ParseResult:
    """Read the file; raises UnsupportedFormat with a message for the user."""
    return parse_file(data, filename)


def import_file(
    user: User,
    data: bytes,
    filename: str,
    network: str = Network.OTHER,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Parse, match and (unless a dry run) write a file for the user. Flushes only."""
    plan = plan_import(user.id, parse_upload(data, filename), progress)
    batch = None if dry_run else write_import(user, plan, filename, network, progress)
    return ImportOutcome(plan, batch)


# --- History and undo -------------------------------------------------------------------------


class AlreadyUndone(Exception):
    """The import was undone before."""


@dataclass
class UndoResult:
    removed: int
    reverted: int


def recent_batches(user_id: int, limit: int = 50) -> list[ImportBatch]:
    """The user's imports, newest first."""
    return list(
        db.session.scalars(
            select(ImportBatch)
            .where(ImportBatch.user_id == user_id)
            .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
            .limit(limit)
        )
    )


def created_contacts(batch: ImportBatch, limit: int = 200) -> tuple[list[Contact], int]:
    """The contacts this import created that still exist (the first `limit`), and how many."""
    where = (Contact.user_id == batch.user_id, Contact.import_batch_id == batch.id)
    total = db.session.scalar(select(func.count(Contact.id)).where(*where)) or 0
    contacts = db.session.scalars(
        select(Contact).where(*where).order_by(Contact.sort_name, Contact.id).limit(limit)
    ).all()
    return list(contacts), total


def batch_job_changes(batch: ImportBatch, limit: int = 200) -> list[JobChange]:
    """The job changes this import recorded."""
    return list(
        db.session.scalars(
            select(JobChange)
            .options(joinedload(JobChange.contact))
            .where(JobChange.user_id == batch.user_id, JobChange.import_batch_id == batch.id)
            .order_by(JobChange.id)
            .limit(limit)
        )
    )


def _has_history() -> ColumnElement[bool]:
    return or_(
        *(
            exists().where(model.contact_id == Contact.id, model.user_id == Contact.user_id)
            for model in (Outreach, Interview, FollowUp, Note)
        )
    )


def contacts_with_history(batch: ImportBatch, limit: int = 200) -> tuple[list[Contact], int]:
    """Contacts this import created on which the user has since logged something."""
    where = (
        Contact.user_id == batch.user_id,
        Contact.import_batch_id == batch.id,
        _has_history(),
    )
    total = db.session.scalar(select(func.count(Contact.id)).where(*where)) or 0
    contacts = db.session.scalars(
        select(Contact).where(*where).order_by(Contact.sort_name, Contact.id).limit(limit)
    ).all()
    return list(contacts), total


def contacts_updated_later(batch: ImportBatch) -> int:
    """How many contacts this import created were updated by a later import still in place."""
    later = (
        select(ImportUpdate.contact_id)
        .join(ImportBatch, ImportBatch.id == ImportUpdate.batch_id)
        .where(
            ImportBatch.user_id == batch.user_id,
            ImportBatch.id > batch.id,
            ImportBatch.undone_at.is_(None),
        )
    )
    return (
        db.session.scalar(
            select(func.count(Contact.id)).where(
                Contact.user_id == batch.user_id,
                Contact.import_batch_id == batch.id,
                Contact.id.in_(later),
            )
        )
        or 0
    )


def undo_import(batch: ImportBatch, now: datetime | None = None) -> UndoResult:
    """Remove the contacts the import created, restore what it changed. Flushes only.

    Raises AlreadyUndone when another request (or an earlier click) got there first.
    """
    now = now or clock.now()
    # A conditional UPDATE claims the undo: of two requests at once, one changes the row.
    claimed = cast(
        CursorResult[Any],
        db.session.execute(
            update(ImportBatch)
            .where(ImportBatch.id == batch.id, ImportBatch.undone_at.is_(None))
            .values(undone_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if claimed.rowcount == 0:
        raise AlreadyUndone
    reverted = _revert_updates(batch, now)
    db.session.execute(
        delete(JobChange)
        .where(JobChange.user_id == batch.user_id, JobChange.import_batch_id == batch.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(ImportUpdate)
        .where(ImportUpdate.batch_id == batch.id)
        .execution_options(synchronize_session=False)
    )
    deleted = cast(
        CursorResult[Any],
        db.session.execute(
            delete(Contact)
            .where(Contact.user_id == batch.user_id, Contact.import_batch_id == batch.id)
            .execution_options(synchronize_session=False)
        ),
    )
    db.session.flush()
    db.session.expire_all()
    return UndoResult(removed=deleted.rowcount or 0, reverted=reverted)


def _revert_updates(batch: ImportBatch, now: datetime) -> int:  # noqa: C901
    """Put back each value the import replaced, unless the user has changed it since.

    Too complex (19): it compares every kind of field in one loop; issue 9 splits it up."""
    rows = db.session.execute(
        select(
            ImportUpdate.old_values,
            Contact.id,
            Contact.first_name,
            Contact.last_name,
            Contact.email,
            Contact.phone,
            Contact.title,
            Contact.linkedin_url,
            Contact.notes,
            Contact.connected_on,
            Company.name.label("company"),
        )
        .join(Contact, Contact.id == ImportUpdate.contact_id)
        .outerjoin(Company, Company.id == Contact.company_id)
        .where(ImportUpdate.batch_id == batch.id, Contact.user_id == batch.user_id)
    ).all()
    if not rows:
        return 0
    companies = dict(
        db.session.execute(
            select(Company.name_key, Company.id).where(Company.user_id == batch.user_id)
        ).all()
    )
    groups: dict[tuple[str, ...], list[dict]] = {}
    untag: list[dict] = []
    old_companies = []
    reverted = 0
    for row in rows:
        values: dict[str, Any] = {}
        for name, (old, new) in row.old_values.items():
            if name == "tags":
                untag.append({"contact_id": row.id, "keys": [tag.casefold() for tag in new]})
                continue
            current = getattr(row, name)
            if name == "connected_on":
                current = _json_value(current)
                old = date.fromisoformat(old) if old else None
            if name == "company":
                if name_key(current) == name_key(new):
                    values["company"] = old
                    if old:
                        old_companies.append(old)
            elif current == new:
                values[name] = old
        # A job is company and title together: when the user has since edited one of them,
        # putting back only the other would pair their edit with the old job.
        job = {"company", "title"}
        if job <= row.old_values.keys() and len(job & values.keys()) == 1:
            for name in job:
                values.pop(name, None)
        if values:
            reverted += 1
            values["updated_at"] = now
            groups.setdefault(tuple(sorted(values)), []).append({"id": row.id, **values})
    companies = _company_ids(batch.user_id, old_companies, companies, now)
    for rows_of_group in groups.values():
        for values in rows_of_group:
            if "company" in values:
                old = values.pop("company")
                values["company_id"] = companies[old] if old else None
        for chunk in _chunks(rows_of_group):
            db.session.execute(update(Contact), chunk)
    if untag:
        keys = {key for item in untag for key in item["keys"]}
        tag_ids = dict(
            db.session.execute(
                select(Tag.name_key, Tag.id).where(
                    Tag.user_id == batch.user_id, Tag.name_key.in_(keys)
                )
            ).all()
        )
        pairs = [
            {"cid": item["contact_id"], "tid": tag_ids[key]}
            for item in untag
            for key in item["keys"]
            if key in tag_ids
        ]
        if pairs:
            db.session.execute(
                delete(contact_tag).where(
                    contact_tag.c.contact_id == bindparam("cid"),
                    contact_tag.c.tag_id == bindparam("tid"),
                ),
                pairs,
            )
    refresh_search_text(batch.user_id, [row.id for row in rows])
    return reverted
