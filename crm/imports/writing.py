"""Writing an import in bulk: new contacts, the fields it fills, job changes, its batch.

Flushes, never commits: the confirm view and the import command commit once, so an import is
written all or nothing. The write issues a fixed number of statements whatever the file's size:
rows go in with executemany (one COPY on PostgreSQL), a chunk at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from operator import itemgetter
from secrets import token_hex
from typing import Any

from sqlalchemy import JSON, Dialect, Table, insert, select, update

from crm import clock
from crm.contacts.services import refresh_search_text
from crm.enums import Cadence, ImportFormat, Network, Source
from crm.extensions import db
from crm.imports.changes import ImportPlan, Progress
from crm.imports.introductions import link_introducers
from crm.imports.matching import ContactRow, Entry, company_key
from crm.models import (
    Company,
    Contact,
    ImportBatch,
    ImportUpdate,
    JobChange,
    Tag,
    User,
    column_length,
    contact_tag,
)
from crm.normalize import contact_derived, squash, tag_key
from crm.parsers.base import ImportedPerson
from crm.tallies import services as tallies
from crm.transactions import copy_rows, execute_write

CHUNK = 5_000
FILENAME_SIZE = column_length(ImportBatch.filename)
FORMAT_LABEL_SIZE = column_length(ImportBatch.format_label)
HOW_WE_MET_SIZE = column_length(Contact.how_we_met)


def clean_filename(filename: str | None) -> str:
    """The file's own name, without any folder a browser sent along, fit for the history."""
    name = squash((filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    return name[:FILENAME_SIZE] or "upload"


def chunks(rows: Sequence[dict[str, Any]], size: int = CHUNK) -> Iterator[Sequence[dict[str, Any]]]:
    """The rows a chunk at a time: well under the databases' limits on bound parameters."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def company_ids(
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
    wanted = {tag_key(name): name for name in names}
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
        {"contact_id": contact_id, "tag_id": ids[tag_key(tag)]}
        for contact_id, tags in tags_by_contact
        for tag in tags
    ]
    for chunk in chunks(rows):
        db.session.execute(insert(contact_tag), chunk)


def json_value(value: Any) -> Any:
    """A value as the import history keeps it in JSON (dates as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


def write_import(
    user: User,
    plan: ImportPlan,
    filename: str,
    network: str,
    progress: Progress | None = None,
) -> ImportBatch | None:
    """Write the plan: new contacts, updates with their old values, job changes. Flushes only.

    Nothing is written (and None returned) for a file that adds and changes nobody: it
    leaves no entry in the import history.
    """
    counts = plan.counts
    if counts.created == 0 and counts.updated == 0:
        return None
    now = clock.now()
    network = network if network in Network.values() else Network.OTHER
    batch = ImportBatch(
        user_id=user.id,
        filename=clean_filename(filename),
        format=plan.format,
        format_label=plan.format_label[:FORMAT_LABEL_SIZE],
        network=network,
        created_count=counts.created,
        updated_count=counts.updated,
        unchanged_count=counts.unchanged,
        skipped_count=counts.skipped,
        created_at=now,
    )
    db.session.add(batch)
    db.session.flush()

    companies = company_ids(user.id, _company_names(plan), plan.companies, now)
    source = plan.format if plan.format in ImportFormat.values() else Source.MANUAL
    with tallies.bulk_write(user.id, counts.created + counts.updated):
        _insert_contacts(user.id, batch.id, plan.new, companies, network, source, now, progress)
        _update_contacts(user, batch.id, plan.updated, companies, now)
    if progress is not None and (plan.updated or plan.unchanged):
        progress(len(plan.updated) + len(plan.unchanged))
    db.session.flush()
    return batch


def _company_names(plan: ImportPlan) -> list[str]:
    """The companies the import names: of the people it adds, and the new jobs it records."""
    return [entry.person.company for entry in plan.new if entry.person.company] + [
        change.new for entry in plan.updated if (change := entry.change("company"))
    ]


# How each DB-API parameter style marks a value in SQL text.
_MARKS = {
    "qmark": "?",
    "format": "%s",
    "numeric": ":{number}",
    "named": ":{name}",
    "pyformat": "%({name})s",
}


def insert_many(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT many rows through the driver's own executemany (on PostgreSQL, one COPY), each
    value converted once by its column type's public bind_processor.

    Why not `session.execute(insert(table), rows)`: SQLAlchemy's executemany re-processes every
    parameter of every row, which on the 30,000-row benchmark (benchmarks/import_linkedin.py)
    took the first import from 1.89x to 2.47x the csv + sqlite3 floor, against a budget of
    2.5x. Rows must share their keys (all of ours do).
    """
    if not rows:
        return
    dialect = db.session.connection().dialect
    names = list(rows[0])
    for name in names:
        processor = table.c[name].type.bind_processor(dialect)
        if processor is not None:
            _convert_column(rows, name, processor)
    if dialect.name == "postgresql":
        _copy_many(table, names, rows)
        return
    params = _positional(rows, names) if dialect.positional else list(rows)
    execute_write(db.session(), _insert_sql(table, names, dialect), params)


def _positional(rows: Sequence[dict[str, Any]], names: list[str]) -> list[tuple[Any, ...]]:
    """Each row's values in the columns' order, picked in C."""
    pick = itemgetter(*names)
    return [pick(row) for row in rows] if len(names) > 1 else [(pick(row),) for row in rows]


def _copy_many(table: Table, names: list[str], rows: Sequence[dict[str, Any]]) -> None:
    """PostgreSQL: one COPY rather than a statement per row (psycopg takes JSON as text
    there)."""
    for name in names:
        if isinstance(table.c[name].type, JSON):
            _convert_column(rows, name, _json_text)
    copy_rows(db.session(), table.name, names, _positional(rows, names))


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _convert_column(
    rows: Sequence[dict[str, Any]], name: str, processor: Callable[[Any], Any]
) -> None:
    """Put one column's values in the driver's form, in place."""
    # A value repeated row after row (the import's one timestamp) is converted once.
    last: tuple[Any, Any] | None = None
    for row in rows:
        value = row[name]
        if last is None or value is not last[0]:
            last = (value, processor(value))
        row[name] = last[1]


def _insert_sql(table: Table, names: list[str], dialect: Dialect) -> str:
    """INSERT INTO table (names) VALUES (...), in the driver's own parameter style."""
    quote = dialect.identifier_preparer.quote
    mark = _MARKS[dialect.paramstyle]
    marks = ", ".join(mark.format(name=name, number=i) for i, name in enumerate(names, 1))
    columns = ", ".join(quote(name) for name in names)
    return f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"


def _new_contact_row(
    person: ImportedPerson, uid: str, company_id: int | None, common: dict[str, Any]
) -> dict[str, Any]:
    """The contact table's row for one person of the file (common: the batch's values)."""
    return {
        **common,
        "uid": uid,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email or None,
        "phone": person.phone or None,
        "company_id": company_id,
        "title": person.title or None,
        "linkedin_url": person.linkedin_url,
        "notes": person.notes or None,
        "how_we_met": person.how_we_met[:HOW_WE_MET_SIZE] or None,
        **contact_derived(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            title=person.title,
            company=person.company,
            tags=person.tags,
            notes=person.notes,
        ),
        "connected_on": person.connected_on,
    }


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
    common = {
        "user_id": user_id,
        "network": network,
        "source": source,
        "cadence": Cadence.NONE,
        "import_batch_id": batch_id,
        "created_at": now,
        "updated_at": now,
    }
    rows = []
    tags_by_uid = []
    introducers_by_uid = []
    for entry in entries:
        person = entry.person
        uid = f"contact-{token_hex(16)}@networking-crm"  # as unique as a uuid4, 3x cheaper
        company_id = companies[person.company] if person.company else None
        rows.append(_new_contact_row(person, uid, company_id, common))
        if person.tags:
            tags_by_uid.append((uid, person.tags))
        if person.introduced_by:
            introducers_by_uid.append((uid, person.introduced_by))
    for chunk in chunks(rows):
        insert_many(Contact.__table__, chunk)
        if progress is not None:
            progress(len(chunk))
    if tags_by_uid or introducers_by_uid:
        _link_new(user_id, batch_id, tags_by_uid, introducers_by_uid)


def _link_new(
    user_id: int,
    batch_id: int,
    tags_by_uid: list[tuple[str, list[str]]],
    introducers_by_uid: list[tuple[str, str]],
) -> None:
    """The new contacts' tags, and their introducers by name."""
    ids = dict(
        db.session.execute(
            select(Contact.uid, Contact.id).where(
                Contact.user_id == user_id, Contact.import_batch_id == batch_id
            )
        ).all()
    )
    if tags_by_uid:
        _link_tags(user_id, [(ids[uid], tags) for uid, tags in tags_by_uid])
    # After every new contact is in, so an introducer later in the file is found too.
    link_introducers(user_id, [(ids[uid], name) for uid, name in introducers_by_uid])


def _job_change_row(
    entry: Entry, contact: ContactRow, user_id: int, batch_id: int, today: date
) -> dict[str, Any]:
    """The job change an update records: the company and title before and after."""
    company, title = entry.change("company"), entry.change("title")
    return {
        "user_id": user_id,
        "contact_id": contact.id,
        "import_batch_id": batch_id,
        "old_company": company.old if company else entry.company,
        "old_title": title.old if title else contact.title,
        "new_company": company.new if company else entry.company,
        "new_title": title.new if title else contact.title,
        "seen_on": today,
    }


def _job_change_rows(user: User, batch_id: int, entries: list[Entry]) -> list[dict[str, Any]]:
    """The job changes the updates record, seen on the user's today."""
    today = clock.user_today(user)
    return [
        _job_change_row(entry, entry.contact, user.id, batch_id, today)
        for entry in entries
        if entry.job_changed and entry.contact is not None
    ]


def _update_contacts(
    user: User,
    batch_id: int,
    entries: list[Entry],
    companies: dict[str, int],
    now: datetime,
) -> None:
    """Write the changes to existing contacts, what each field held before (for undo), and
    the job changes."""
    if not entries:
        return
    groups, tags = _changed_values(entries, companies, now)
    for rows in groups.values():
        for chunk in chunks(rows):
            db.session.execute(update(Contact), chunk)
    for chunk in chunks(_history_rows(batch_id, entries)):
        db.session.execute(insert(ImportUpdate.__table__), chunk)
    for chunk in chunks(_job_change_rows(user, batch_id, entries)):
        db.session.execute(insert(JobChange.__table__), chunk)
    _link_tags(user.id, tags)
    refresh_search_text(user.id, [entry.contact.id for entry in entries if entry.contact])


def _changed_values(
    entries: list[Entry], companies: dict[str, int], now: datetime
) -> tuple[dict[tuple[str, ...], list[dict[str, Any]]], list[tuple[int, list[str]]]]:
    """The new values of each contact, grouped by the fields they set (one UPDATE per group),
    and the tags to add to each."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    tags: list[tuple[int, list[str]]] = []
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
    return groups, tags


def _history_rows(batch_id: int, entries: list[Entry]) -> list[dict[str, Any]]:
    """The old and the new value of each field, so undo restores only what is still ours."""
    return [
        {
            "batch_id": batch_id,
            "contact_id": entry.contact.id,
            "old_values": {
                change.field: [json_value(change.old), json_value(change.new)]
                for change in entry.changes
            },
        }
        for entry in entries
        if entry.contact is not None
    ]
