"""What goes into an account's backup, and putting a backup back into an empty account.

Flushes, never commits. Rows are read and written per table through SQLAlchemy Core, so a
backup streams and a restore is one transaction: every row or none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    Column,
    Select,
    Table,
    exists,
    func,
    select,
)

from crm.backup.archive import (
    DATA_NAME,
    FORMAT,
    README,
    VERSION,
    iter_data_json,
    iter_zip,
)
from crm.backup.contacts import iter_contacts_csv, iter_contacts_vcf
from crm.calendar import services as calendar_services
from crm.extensions import db
from crm.followups.rules import RULE_NAMES
from crm.models import User
from crm.normalize import CONTACT_DERIVED
from crm.words import plural

# Each table in the backup, parents before children, under its key in data.json. A new
# table is one line here (and one in PARENT_OWNER when its rows have no user_id of their
# own): data.json writes it and the restore reads it back, links remapped, in this order.
TABLE_KEYS = {
    "company": "companies",
    "tag": "tags",
    "import_batch": "imports",
    # Before the contacts they link, so a restore writes each contact's search text once,
    # tags and all (crm/backup/restore.py); older backups have them after.
    "contact_tag": "contact_tags",
    "contact": "contacts",
    "outreach": "outreach",
    "interview": "interviews",
    "suggestion": "suggestions",
    "follow_up": "follow_ups",
    "note": "notes",
    "import_update": "import_updates",
    "job_change": "job_changes",
    "message_template": "message_templates",
    "rut_check_in": "rut_check_ins",
    "obstacle": "obstacles",
    "obstacle_proof": "obstacle_proofs",
    "strategic_answer": "strategic_answers",
    "person_to_reach": "people_to_reach",
    "target_role": "target_roles",
    "role_contact": "role_contacts",
    # New tables go here (or in NOT_BACKED_UP below), each after the tables it links to.
}
# Tables that hold a user's rows but are not data to carry over: a new test fails when a
# table joins the schema without being put in TABLE_KEYS or here.
NOT_BACKED_UP: set[str] = {
    "user",
    "pending_upload",
    "login_session",
    "login_attempt",
    "form_submission",
}
# A second factor belongs to the account it guards: a restore never carries one along.
NOT_BACKED_UP |= {"two_factor", "recovery_code"}
# So do device passwords; sync tombstones are what devices saw, not data.
NOT_BACKED_UP |= {"device_password", "sync_tombstone"}
# Tallies are counts the database keeps from the rows a restore writes (crm.tallies).
NOT_BACKED_UP |= {"tally"}
# The network's stamp is drawn by the database as introductions change (crm.network.stamp).
NOT_BACKED_UP.add("network_stamp")
# A restore's own record of how it went.
NOT_BACKED_UP.add("restore_job")
# Rows reached through a parent rather than their own user_id.
PARENT_OWNER = {"contact_tag": "contact", "import_update": "import_batch"}
# Derived columns: recomputed on restore, so they do not clutter the file.
DERIVED = {"contact": set(CONTACT_DERIVED), "company": {"sort_name"}}
# The account's own settings carried over; email, password and feed token stay the account's.
SETTINGS = (
    "name",
    "time_zone",
    "weekly_goal",
    *RULE_NAMES,
    "reminder_time",
    "morning_email",
    "morning_email_hour",
)
NOT_SETTINGS = {
    "id",
    "email",
    "password_hash",
    "created_at",
    "feed_token_hash",
    "feed_token_salt",
    "morning_email_last_on",
    "morning_email_token_version",
}
# Rows per fetch of one table for data.json: one statement per table, read as it is written.
ROWS_PER_FETCH = 1000


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def _columns(name: str) -> list[Column[Any]]:
    """The columns a table's rows carry in the file (its id included, its user_id not)."""
    skip = {"user_id", *DERIVED.get(name, ())}
    return [column for column in _table(name).columns if column.name not in skip]


def _owned(name: str, user_id: int) -> Select[Any]:
    """Select the user's rows of one table, in id order (or key order for link tables)."""
    table = _table(name)
    if name in PARENT_OWNER:
        parent = _table(PARENT_OWNER[name])
        link = next(c for c in table.columns if c.references(parent.c.id))
        stmt = select(table).join(parent, link == parent.c.id).where(parent.c.user_id == user_id)
    else:
        stmt = select(table).where(table.c.user_id == user_id)
    return stmt.order_by(*table.primary_key.columns)


def _plain(value: Any) -> Any:
    """A column value as JSON writes it: dates and times in ISO 8601."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _rows(name: str, user_id: int) -> Iterator[dict[str, Any]]:
    names = [column.name for column in _columns(name)]
    stmt = _owned(name, user_id).execution_options(yield_per=ROWS_PER_FETCH)
    for row in db.session.execute(stmt).mappings():
        yield {key: _plain(row[key]) for key in names}


def _contact_count(user_id: int) -> int:
    table = _table("contact")
    return db.session.scalar(select(func.count()).where(table.c.user_id == user_id)) or 0


def settings_of(user: User) -> dict[str, Any]:
    return {name: _plain(getattr(user, name)) for name in SETTINGS}


def _data_json(user: User, now: datetime) -> Iterator[bytes]:
    """data.json, read from the database only once the zip reaches it."""
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "account": {"email": user.email, "settings": settings_of(user)},
        "counts": {"contacts": _contact_count(user.id)},
    }
    tables = ((key, _rows(name, user.id)) for name, key in TABLE_KEYS.items())
    yield from iter_data_json(header, tables)


def iter_backup(user: User, now: datetime) -> Iterator[bytes]:
    """Yield the user's whole backup zip as it is written, each part streamed from the
    database: the first bytes at once, memory flat in the account's size."""
    return iter_zip(
        [
            ("README.txt", [README.encode("utf-8")]),
            (DATA_NAME, _data_json(user, now)),
            ("contacts.csv", iter_contacts_csv(user.id)),
            ("contacts.vcf", iter_contacts_vcf(user.id)),
            ("calendar.ics", calendar_services.iter_feed(user, now)),
        ]
    )


def backup_file_name(now: datetime) -> str:
    return f"networking-crm-backup-{now:%Y-%m-%d}.zip"


# Restore.


@dataclass(frozen=True)
class RestoreCounts:
    """How many rows of each kind a restore brought back, by data.json key."""

    rows: dict[str, int]

    def summary(self) -> str:
        def count(key: str, noun: str) -> str:
            return plural(self.rows.get(key, 0), noun)

        return ", ".join(
            [
                count("contacts", "contact"),
                count("companies", "company"),
                count("outreach", "outreach"),
                count("interviews", "interview"),
                count("suggestions", "suggested person"),
                count("follow_ups", "follow-up"),
                count("notes", "note"),
                count("imports", "import"),
            ]
        )


def account_is_empty(user_id: int) -> bool:
    """Whether the user owns no rows a restore would write into."""
    for name in TABLE_KEYS:
        if name in PARENT_OWNER:
            continue
        table = _table(name)
        if db.session.scalar(select(exists().where(table.c.user_id == user_id))):
            return False
    return True


def _link_target(column: Column[Any]) -> str | None:
    """The table a column links to (None for plain columns and the user link)."""
    for key in column.foreign_keys:
        name = key.column.table.name
        return None if name == "user" else name
    return None
