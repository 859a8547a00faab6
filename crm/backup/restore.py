"""Putting a backup back into an empty account, one table at a time as the file is read.

Every value is checked as the forms check it (crm/backup/checks.py) and rows are written in
batches, their links remapped to the new ids as they arrive: every backup this app writes
puts parents before children and each table's rows in id order. Memory holds one batch and
two whole numbers per row with an id (old and new), whatever the file's size.

One exception: the links between contacts and their tags come before the contacts (backups
written since 7 December 2026). They are held, two whole numbers a link, so that each
contact's search text is written once with its tags, rather than written without them and
then again, which on PostgreSQL took a fifth of a 300,000-contact restore. Older backups
put those links after the contacts; their contacts' search text is then mended at the end.

Flushes, never commits: the view or command commits once, so a refused file writes nothing.
"""

from __future__ import annotations

import itertools
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Column, Table, TextClause, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from crm import clock
from crm.backup.archive import Backup, BackupError, open_backup
from crm.backup.checks import (
    ValueCheck,
    check_rule_settings,
    needs_value,
    parse_value,
    today,
)
from crm.backup.services import (
    SETTINGS,
    TABLE_KEYS,
    RestoreCounts,
    _columns,
    _link_target,
    _table,
    account_is_empty,
)
from crm.contacts.services import refresh_search_text
from crm.extensions import db
from crm.imports.writing import insert_many
from crm.models import Company, Contact, Tag, User, column_length, contact_tag
from crm.normalize import contact_derived, title_key
from crm.plan.models import TargetRole
from crm.referrals.chain import find_loop
from crm.tallies import services as tallies
from crm.words import noun_for

# Rows per INSERT (or COPY, on PostgreSQL): few round trips, and a batch's memory stays small.
BATCH_ROWS = 1_000


# SQLite's page cache while a restore writes, in KiB (SQLite's default is 2 MB). A contact
# goes into 15 indexes, most in an order the file does not follow: with 2 MB, each insert
# read its index pages back from the OS. A fixed size, so memory stays flat in the file's.
RESTORE_CACHE_KIB = 24 * 1024  # 32 MB took the 20,000-contact test to its 150 MB bound
TITLE_KEY_LENGTH = column_length(TargetRole.title_key)
# Where each table may come: after the tables it links to. Contacts' tags come just before
# the contacts (backups since December 2026) or just after them (older ones).
TABLE_ORDER = {key: place for place, key in enumerate(TABLE_KEYS.values())}
TABLE_ORDER[TABLE_KEYS[contact_tag.name]] = TABLE_ORDER[TABLE_KEYS[Contact.__tablename__]]
NAMES = {key: name for name, key in TABLE_KEYS.items()}
T = TypeVar("T")
# Told how many contacts are written so far after each batch of them, and how many the
# backup announces (None when an older backup does not say).
Progress = Callable[[int, int | None], None]


def _batches(items: Iterable[T]) -> Iterator[tuple[T, ...]]:
    """The items in tuples of BATCH_ROWS (itertools.batched arrives with Python 3.12)."""
    iterator = iter(items)
    size = BATCH_ROWS
    while batch := tuple(itertools.islice(iterator, size)):
        yield batch


class IdMap:
    """New ids by old id, for old ids that only ascend: two arrays, 16 bytes a row."""

    def __init__(self) -> None:
        self.old = array("q")
        self.new = array("q")

    def extend(self, old_ids: Iterable[int], new_ids: Iterable[int]) -> None:
        self.old.extend(old_ids)
        self.new.extend(new_ids)

    def get(self, old_id: int) -> int | None:
        place = bisect_left(self.old, old_id)
        if place < len(self.old) and self.old[place] == old_id:
            return self.new[place]
        return None


class HeldTags:
    """Tag links read before the contacts they tag: old contact id and old tag id, in two
    arrays (16 bytes a link), looked up by contact as the contacts arrive."""

    def __init__(self) -> None:
        self.contacts = array("q")
        self.tags = array("q")

    def add(self, old_contact: int, old_tag: int) -> None:
        self.contacts.append(old_contact)
        self.tags.append(old_tag)

    def sort(self) -> None:
        """By contact, as this app writes them; a file in another order is sorted once."""
        if any(a > b for a, b in zip(self.contacts, self.contacts[1:], strict=False)):
            pairs = sorted(zip(self.contacts, self.tags, strict=True))
            self.contacts = array("q", (contact for contact, _ in pairs))
            self.tags = array("q", (tag for _, tag in pairs))

    def of(self, old_contact: int) -> array[int]:
        """The old tag ids of one contact (held links sorted)."""
        start = bisect_left(self.contacts, old_contact)
        end = bisect_right(self.contacts, old_contact, lo=start)
        return self.tags[start:end]


@dataclass
class _Link:
    """A row's link to another row of its own table (introduced by), set once both exist."""

    column: str
    number: int
    old_id: int
    old_link: int


@dataclass
class _TableRestore:
    """One table while its rows arrive: its columns, links and the rows not yet written."""

    name: str
    key: str
    columns: list[Column[Any]]
    links: list[tuple[str, str]]
    checks: list[ValueCheck] = field(default_factory=list)
    ids: IdMap = field(default_factory=IdMap)
    last_old_id: int | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    old_ids: list[int] = field(default_factory=list)
    within: list[_Link] = field(default_factory=list)
    count: int = 0

    @classmethod
    def of(cls, name: str, key: str) -> _TableRestore:
        columns = _columns(name)
        links = [(c.name, target) for c in columns if (target := _link_target(c)) is not None]
        return cls(name, key, columns, links, [ValueCheck.of(name, c) for c in columns])


def progress_words(contacts: int, announced: int | None) -> str:
    """How far a restore got, as the command and the page say it."""
    if announced is None:
        return f"{contacts:,} {noun_for('contact', contacts)} written so far"
    return f"{contacts:,} of {announced:,} {noun_for('contact', announced)}"


def _no_progress(contacts: int, announced: int | None) -> None:
    pass


@dataclass
class _Restore:
    user_id: int
    today: date
    progress: Progress = _no_progress
    announced: int | None = None
    tables: dict[str, _TableRestore] = field(default_factory=dict)
    company_names: dict[int, str] = field(default_factory=dict)
    tag_names: dict[int, str] = field(default_factory=dict)
    held: HeldTags | None = None
    tagged: set[int] = field(default_factory=set)
    batch: int = BATCH_ROWS

    def table(self, table: _TableRestore, items: Iterator[Any]) -> None:
        """Check and write every row of one table, then its links within itself."""
        self.tables[table.name] = table
        if table.name == contact_tag.name and Contact.__tablename__ not in self.tables:
            self._hold_tags(table, items)
            return
        for number, item in enumerate(items, start=1):
            self._add(table, self._row(table, item, f"{table.key} row {number}"), number)
            if len(table.rows) >= self.batch:
                self._write(table)
        self._write(table)
        _refuse_loops(table)
        _link_within(table)
        if table.name == Contact.__tablename__:
            self._write_held_tags()

    def _hold_tags(self, table: _TableRestore, items: Iterator[Any]) -> None:
        """Check the tag links that come before the contacts and hold them until then."""
        self.held = HeldTags()
        for number, item in enumerate(items, start=1):
            where = f"{table.key} row {number}"
            row = self._row(table, item, where)
            if row["tag_id"] not in self.tag_names:
                raise BackupError(f"{where}: tag_id points at a row that is not in the backup.")
            self.held.add(row["contact_id"], row["tag_id"])
            table.count += 1
        self.held.sort()

    def _write_held_tags(self) -> None:
        """Write the held tag links, now that their contacts have new ids (refused when the
        contacts never came: then none has one)."""
        if self.held is None:
            return
        table = self.tables[contact_tag.name]
        came = self.tables.get(Contact.__tablename__)
        contacts, tags = came.ids if came else IdMap(), self.tables[Tag.__tablename__].ids
        for old_contact, old_tag in zip(self.held.contacts, self.held.tags, strict=True):
            contact_id = contacts.get(old_contact)
            if contact_id is None:
                raise BackupError(
                    f"{table.key}: contact_id {old_contact} points at a row "
                    "that is not in the backup."
                )
            table.rows.append({"contact_id": contact_id, "tag_id": tags.get(old_tag)})
            if len(table.rows) >= self.batch:
                _write(self.user_id, table)
        _write(self.user_id, table)
        self.held = None

    def finish(self) -> None:
        """After the last table: tag links still held had no contacts table to wait for."""
        self._write_held_tags()

    def _write(self, table: _TableRestore) -> None:
        _write(self.user_id, table)
        if table.name == Contact.__tablename__:
            self.progress(table.count, self.announced)

    def _row(self, table: _TableRestore, item: Any, where: str) -> dict[str, Any]:
        """One row of a table, every value checked against its column and the forms' rules."""
        if not isinstance(item, dict):
            raise BackupError(f"{where} is not an object.")
        row = {}
        for check in table.checks:
            name = check.column.name
            if name in item:
                row[name] = check(item[name], where, self.today)
            elif _required(check.column):
                raise BackupError(f"{where}: {name} is missing.")
        return row

    def _add(self, table: _TableRestore, row: dict[str, Any], number: int) -> None:
        where = f"{table.key} row {number}"
        old_id = _take_id(table, row, where)
        self._derive(table.name, row, old_id)
        for column, target in table.links:
            old_link = row.get(column)
            if old_link is None:
                continue
            if target == table.name:
                table.within.append(_Link(column, number, old_id, old_link))
                # Set once both rows exist; kept as a key so the batch stays one statement.
                row[column] = None
                continue
            known = self.tables.get(target)
            row[column] = known.ids.get(old_link) if known else None
            if row[column] is None:
                raise BackupError(f"{where}: {column} points at a row that is not in the backup.")
        if table.name == contact_tag.name:
            self.tagged.add(row["contact_id"])
        table.rows.append(row)
        table.old_ids.append(old_id)
        table.count += 1

    def _derive(self, name: str, row: dict[str, Any], old_id: int) -> None:
        """Remember company and tag names, give each contact its derived columns, and each
        target role its title key as the app keeps it (an older backup's may differ)."""
        if name == Company.__tablename__:
            self.company_names[old_id] = row["name"]
        if name == Tag.__tablename__:
            self.tag_names[old_id] = row["name"]
        if name == TargetRole.__tablename__:
            row["title_key"] = (title_key(row.get("title")) or "")[:TITLE_KEY_LENGTH]
        if name == Contact.__tablename__:
            row.update(
                contact_derived(
                    first_name=row.get("first_name") or "",
                    last_name=row.get("last_name") or "",
                    email=row.get("email"),
                    title=row.get("title"),
                    company=self.company_names.get(row.get("company_id") or 0),
                    tags=self._held_tag_names(old_id),
                    notes=row.get("notes"),
                )
            )

    def _held_tag_names(self, old_contact: int) -> list[str]:
        """A contact's tag names when the file gave its tags first (none otherwise: an older
        backup's tags come after the contacts, and their search text is mended then)."""
        if self.held is None:
            return []
        return [self.tag_names[old_tag] for old_tag in self.held.of(old_contact)]


def _required(column: Column[Any]) -> bool:
    """Whether a row that leaves the column out is refused: nothing fills it in."""
    return needs_value(column) and column.default is None and column.server_default is None


def _take_id(table: _TableRestore, row: dict[str, Any], where: str) -> int:
    """The row's id in the file (0 for link tables, which have none)."""
    if "id" not in _table(table.name).c:
        return 0
    old_id = row.pop("id", None)
    if old_id is None:
        raise BackupError(f"{where}: id is missing.")
    if table.last_old_id is not None and old_id <= table.last_old_id:
        raise BackupError(f"This backup's {table.key} repeat an id or are out of order.")
    table.last_old_id = old_id
    return int(old_id)


def _write(user_id: int, table: _TableRestore) -> None:
    """Insert the rows waiting in the table, and remember their new ids."""
    sql_table = _table(table.name)
    rows = [{**row, "user_id": user_id} for row in table.rows] if "user_id" in sql_table.c else []
    rows = rows or table.rows
    # Rows that leave out different optional columns go in separate statements, in order.
    runs = [list(run) for _, run in itertools.groupby(rows, key=lambda row: sorted(row))]
    if "id" in sql_table.c:
        new_ids = [new_id for run in runs for new_id in _inserted_ids(sql_table, run)]
        table.ids.extend(table.old_ids, new_ids)
    else:
        for run in runs:
            db.session.execute(insert(sql_table), run)
    table.rows, table.old_ids = [], []


def _inserted_ids(sql_table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the rows and return their new ids, in the rows' order."""
    if db.session.get_bind().dialect.name != "sqlite":
        # The ids are drawn from the table's sequence first and sent with the rows in one
        # COPY (insert_many): a many-row INSERT ... RETURNING is too long a statement for
        # psycopg to keep its parsing, which then took a third of the restore's time.
        ids = list(db.session.scalars(_next_ids(sql_table.name), {"n": len(rows)}))
        numbered = [{**row, "id": new_id} for row, new_id in zip(rows, ids, strict=True)]
        insert_many(sql_table, numbered)
        return ids
    # SQLAlchemy keeps RETURNING's order on SQLite only by sending one row per statement.
    # Instead: SQLite gives each inserted row the largest id + 1, in order, and no one else
    # inserts while this transaction holds the database's one write lock.
    db.session.execute(insert(sql_table), rows)
    last = db.session.scalar(select(func.max(sql_table.c.id))) or 0
    return list(range(last - len(rows) + 1, last + 1))


def _next_ids(table_name: str) -> TextClause:
    """n new ids from the table's own sequence (PostgreSQL)."""
    return text(
        f"SELECT nextval(pg_get_serial_sequence('{table_name}', 'id')) FROM generate_series(1, :n)"
    )


def _link_within(table: _TableRestore) -> None:
    """Set the links between rows of one table now that every row has its new id."""
    sql_table = _table(table.name)
    for column, links in itertools.groupby(table.within, key=lambda link: link.column):
        values: dict[str, Any] = {column: bindparam("link")}
        if "updated_at" in sql_table.c:
            # Keep the backed-up time rather than stamping the restore's.
            values["updated_at"] = sql_table.c.updated_at
        stmt = update(sql_table).where(sql_table.c.id == bindparam("row_id")).values(values)
        for batch in _batches(links):
            db.session.execute(stmt, [_remapped(table, link) for link in batch])
    table.within = []


def _refuse_loops(table: _TableRestore) -> None:
    """Nobody is their own introducer: a backup whose introductions go round is refused."""
    introducers = {link.old_id: link.old_link for link in table.within}
    loop = find_loop(introducers) if table.name == Contact.__tablename__ else None
    if loop:
        ids = ", ".join(str(old_id) for old_id in loop)
        raise BackupError(
            f"This backup's contacts {ids} introduced each other in a circle; "
            "nobody can be their own introducer, so it cannot be restored."
        )


def _remapped(table: _TableRestore, link: _Link) -> dict[str, int | None]:
    new_link = table.ids.get(link.old_link)
    if new_link is None:
        raise BackupError(
            f"{table.key} row {link.number}: {link.column} points at a row "
            "that is not in the backup."
        )
    return {"row_id": table.ids.get(link.old_id), "link": new_link}


def _settings(account: Any, today: date) -> dict[str, Any]:
    """The account's settings in the file, each checked as the Settings page checks it."""
    settings = account.get("settings") if isinstance(account, dict) else None
    if not isinstance(settings, dict):
        return {}
    columns = User.__table__.columns
    values = {}
    for name in SETTINGS:
        if name in settings:
            value = parse_value("user", columns[name], settings[name], "account settings", today)
            if value is not None or columns[name].nullable:
                values[name] = value
    if "time_zone" in values and not clock.is_known_zone(values["time_zone"]):
        raise BackupError("account settings: time_zone is not a time zone this app knows.")
    return values


def _restore_settings(user: User, account: Any, today: date) -> None:
    values = _settings(account, today)
    check_rule_settings({name: values.get(name, getattr(user, name)) for name in SETTINGS})
    for name, value in values.items():
        setattr(user, name, value)


def _tables_in_order(backup: Backup) -> Iterator[tuple[_TableRestore, Iterator[Any]]]:
    """Each table of the file this app knows, refused when one comes before its parents."""
    last, seen = -1, set()
    for key, items in backup.tables:
        if key not in TABLE_ORDER:
            continue  # a key a later version may add: read past
        if TABLE_ORDER[key] < last or key in seen:
            raise BackupError(f"This backup's {key} come out of order or twice.")
        last = TABLE_ORDER[key]
        seen.add(key)
        yield _TableRestore.of(NAMES[key], key), items


@contextmanager
def _larger_sqlite_cache() -> Iterator[None]:
    """SQLite's page cache at RESTORE_CACHE_KIB while the restore writes, then as it was."""
    if db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    before = db.session.execute(text("PRAGMA cache_size")).scalar_one()
    db.session.execute(text(f"PRAGMA cache_size=-{RESTORE_CACHE_KIB}"))
    try:
        yield
    finally:
        db.session.execute(text(f"PRAGMA cache_size={int(before)}"))


def restore_file(user: User, path: Path, progress: Progress = _no_progress) -> RestoreCounts:
    """Restore the backup zip at `path`: the command's restore and the Import page's job.
    BackupError when it cannot be restored, OSError when it cannot be read."""
    with path.open("rb") as handle, open_backup(handle) as backup:
        return restore_backup(user, backup, progress)


def restore_backup(user: User, backup: Backup, progress: Progress = _no_progress) -> RestoreCounts:
    """Write every row of a backup into the user's empty account, links remapped to new ids."""
    if not account_is_empty(user.id):
        raise BackupError(
            f"{user.email} already has contacts or other data; "
            "a backup can only be restored into an empty account."
        )
    restore = _Restore(user.id, today(), progress, backup.contacts)
    _restore_settings(user, backup.account, restore.today)
    try:
        with tallies.paused(user.id), _larger_sqlite_cache():
            for table, items in _tables_in_order(backup):
                restore.table(table, items)
            restore.finish()
            # An older backup's tags, added to their contacts' search text, each contact's
            # backed-up time of last change kept.
            refresh_search_text(user.id, restore.tagged, keep_updated_at=True)
            db.session.flush()
    except IntegrityError:
        raise BackupError(
            "This backup holds two rows where one must be unique "
            "(two companies of one name, say); it cannot be restored."
        ) from None
    return RestoreCounts({table.key: table.count for table in restore.tables.values()})
