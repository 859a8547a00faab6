"""What goes into an account's backup, and putting a backup back into an empty account.

Flushes, never commits. Rows are read and written per table through SQLAlchemy Core, so a
backup streams and a restore is one transaction: every row or none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    Table,
    Time,
    bindparam,
    exists,
    insert,
    select,
    update,
)

from crm.backup.archive import (
    DATA_NAME,
    FORMAT,
    README,
    VERSION,
    BackupError,
    iter_data_json,
    write_zip,
)
from crm.calendar import services as calendar_services
from crm.exports.contacts_csv import iter_csv
from crm.extensions import db
from crm.models import Contact, User
from crm.normalize import CONTACT_DERIVED, contact_derived

# Each table in the backup, parents before children, under its key in data.json.
TABLE_KEYS = {
    "company": "companies",
    "tag": "tags",
    "import_batch": "imports",
    "contact": "contacts",
    "contact_tag": "contact_tags",
    "outreach": "outreach",
    "interview": "interviews",
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
}
# Tables that hold a user's rows but are not data to carry over: a new test fails when a
# table joins the schema without being put in TABLE_KEYS or here.
NOT_BACKED_UP: set[str] = {"user", "pending_upload", "login_session", "login_attempt"}
# A second factor belongs to the account it guards: a restore never carries one along.
NOT_BACKED_UP |= {"two_factor", "recovery_code"}
# Rows reached through a parent rather than their own user_id.
PARENT_OWNER = {"contact_tag": "contact", "import_update": "import_batch"}
# Derived columns: recomputed on restore, so they do not clutter the file.
DERIVED = {"contact": set(CONTACT_DERIVED), "company": {"sort_name"}}
# The account's own settings carried over; email, password and feed token stay the account's.
SETTINGS = (
    "name",
    "time_zone",
    "weekly_goal",
    "second_person_days",
    "nudge_days",
    "thank_you_days",
    "update_days",
    "referral_ask_weeks",
    "after_interview_cadence",
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
}
ROWS_PER_FETCH = 1000
CONTACTS_CSV_HEADER = (
    "First name",
    "Last name",
    "Email",
    "Phone",
    "Company",
    "Title",
    "Network",
    "How we met",
    "Introduced by",
    "LinkedIn URL",
    "Tags",
    "Notes",
    "Connected on",
    "Keep in touch",
    "Last interaction",
    "Source",
)


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def _columns(name: str) -> list[Column]:
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


def settings_of(user: User) -> dict[str, Any]:
    return {name: _plain(getattr(user, name)) for name in SETTINGS}


def _data_json(user: User, now: datetime) -> Iterator[bytes]:
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "account": {"email": user.email, "settings": settings_of(user)},
    }
    tables = ((key, _rows(name, user.id)) for name, key in TABLE_KEYS.items())
    return iter_data_json(header, tables)


def _csv_rows(user_id: int) -> Iterator[list[object]]:
    introducer = db.aliased(Contact)
    stmt = (
        select(Contact, introducer.first_name, introducer.last_name)
        .outerjoin(introducer, introducer.id == Contact.introduced_by_id)
        .where(Contact.user_id == user_id)
        .order_by(Contact.sort_name, Contact.id)
        .execution_options(yield_per=ROWS_PER_FETCH)
    )
    for contact, intro_first, intro_last in db.session.execute(stmt):
        yield [
            contact.first_name,
            contact.last_name,
            contact.email,
            contact.phone,
            contact.company_name,
            contact.title,
            contact.network,
            contact.how_we_met,
            f"{intro_first or ''} {intro_last or ''}".strip(),
            contact.linkedin_url,
            ", ".join(contact.tag_names),
            contact.notes,
            contact.connected_on,
            "" if contact.cadence == "none" else contact.cadence,
            contact.last_interaction_on,
            contact.source,
        ]
        db.session.expunge(contact)


def write_backup(user: User, now: datetime, target: IO[bytes]) -> None:
    """Write the user's whole backup zip to the target, streaming each part."""
    write_zip(
        target,
        [
            ("README.txt", [README.encode("utf-8")]),
            (DATA_NAME, _data_json(user, now)),
            ("contacts.csv", iter_csv(CONTACTS_CSV_HEADER, _csv_rows(user.id))),
            ("contacts.vcf", calendar_services.iter_contact_cards(user.id)),
            ("calendar.ics", [calendar_services.feed_file(user, now)]),
        ],
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
            number = self.rows.get(key, 0)
            return f"{number} {noun}{'' if number == 1 else 's'}"

        return ", ".join(
            [
                count("contacts", "contact"),
                count("companies", "company").replace("companys", "companies"),
                count("outreach", "outreach"),
                count("interviews", "interview"),
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


def _parse_value(column: Column, value: Any, where: str) -> Any:
    """Turn one JSON value into what the column stores; BackupError when it does not fit."""
    if value is None:
        if not column.nullable and not column.primary_key:
            raise BackupError(f"{where}: {column.name} is missing.")
        return None
    kind = column.type
    wrong = BackupError(f"{where}: {column.name} has a value of the wrong kind.")
    if isinstance(kind, DateTime | Date | Time) or isinstance(
        getattr(kind, "impl", None), DateTime
    ):
        return _parse_moment(kind, value, wrong)
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise wrong
        return value
    if isinstance(kind, Integer):
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) >= 2**63:
            raise wrong
        return value
    if isinstance(kind, String):
        if not isinstance(value, str):
            raise wrong
        if kind.length is not None and len(value) > kind.length:
            raise BackupError(f"{where}: {column.name} is longer than {kind.length} characters.")
        return value
    if isinstance(kind, JSON):
        return value
    raise wrong


def _parse_moment(kind: Any, value: Any, wrong: BackupError) -> date | datetime | time:
    """An ISO 8601 date, time, or aware date and time."""
    try:
        if isinstance(kind, Date):
            return date.fromisoformat(value)
        if isinstance(kind, Time):
            return time.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise wrong from None
    if moment.tzinfo is None:
        raise wrong
    return moment


@dataclass
class _Table:
    name: str
    key: str
    rows: list[dict[str, Any]]
    old_ids: list[int]


def _parse_row(name: str, item: Any, where: str) -> dict[str, Any]:
    """One row of a table, every value checked against its column."""
    if not isinstance(item, dict):
        raise BackupError(f"{where} is not an object.")
    row = {}
    for column in _columns(name):
        if column.name in item:
            row[column.name] = _parse_value(column, item[column.name], where)
            continue
        required = not column.nullable and column.name != "id"
        if required and column.default is None and column.server_default is None:
            raise BackupError(f"{where}: {column.name} is missing.")
    return row


def _parse_table(name: str, key: str, raw: Any) -> _Table:
    if not isinstance(raw, list):
        raise BackupError(f"This backup's {key} is not a list.")
    has_id = "id" in _table(name).c
    rows: list[dict[str, Any]] = []
    old_ids: list[int] = []
    for number, item in enumerate(raw, start=1):
        row = _parse_row(name, item, f"{key} row {number}")
        if has_id:
            old_id = row.pop("id", None)
            if old_id is None:
                raise BackupError(f"{key} row {number}: id is missing.")
            old_ids.append(old_id)
        rows.append(row)
    if len(set(old_ids)) != len(old_ids):
        raise BackupError(f"This backup's {key} repeat an id.")
    return _Table(name, key, rows, old_ids)


def _parse_tables(data: dict[str, Any]) -> list[_Table]:
    """Check every row of every table, and that every link points at a row in the file,
    before anything is written."""
    tables = [_parse_table(name, key, data.get(key, [])) for name, key in TABLE_KEYS.items()]
    known_ids = {table.name: set(table.old_ids) for table in tables}
    for table in tables:
        for column in _columns(table.name):
            target = _link_target(column)
            if target is None:
                continue
            for number, row in enumerate(table.rows, start=1):
                value = row.get(column.name)
                if value is not None and value not in known_ids[target]:
                    raise BackupError(
                        f"{table.key} row {number}: {column.name} points at a row "
                        "that is not in the backup."
                    )
    return tables


def _link_target(column: Column) -> str | None:
    """The table a column links to (None for plain columns and the user link)."""
    for key in column.foreign_keys:
        name = key.column.table.name
        return None if name == "user" else name
    return None


def restore_backup(user: User, data: dict[str, Any]) -> RestoreCounts:
    """Write every row of a backup into the user's empty account, links remapped to new ids."""
    if not account_is_empty(user.id):
        raise BackupError(
            f"{user.email} already has contacts or other data; "
            "a backup can only be restored into an empty account."
        )
    tables = _parse_tables(data)
    _restore_settings(user, data.get("account"))
    _fold_search_text({table.name: table for table in tables})
    new_ids: dict[str, dict[int, int]] = {}
    for table in tables:
        new_ids[table.name] = _insert(user.id, table, new_ids)
    db.session.flush()
    return RestoreCounts({table.key: len(table.rows) for table in tables})


def _fold_search_text(tables: dict[str, _Table]) -> None:
    """Give each contact row its derived columns (search text, sort name, title key), as the
    app keeps them."""
    companies = dict(zip(tables["company"].old_ids, tables["company"].rows, strict=True))
    tags = dict(zip(tables["tag"].old_ids, tables["tag"].rows, strict=True))
    tag_names: dict[int, list[str]] = {}
    for link in tables["contact_tag"].rows:
        tag_names.setdefault(link["contact_id"], []).append(tags[link["tag_id"]]["name"])
    for old_id, row in zip(tables["contact"].old_ids, tables["contact"].rows, strict=True):
        company = companies.get(row.get("company_id"))  # type: ignore[arg-type]
        first, last = row.get("first_name") or "", row.get("last_name") or ""
        row.update(
            contact_derived(
                first_name=first,
                last_name=last,
                email=row.get("email"),
                title=row.get("title"),
                company=company["name"] if company else None,
                tags=sorted(tag_names.get(old_id, []), key=str.lower),
                notes=row.get("notes"),
            )
        )


def _insert(user_id: int, table: _Table, new_ids: dict[str, dict[int, int]]) -> dict[int, int]:
    """Insert one table's rows; return their new ids by old id."""
    sql_table = _table(table.name)
    has_user = "user_id" in sql_table.c
    later: list[tuple[str, list[int | None]]] = []
    rows = []
    for column in _columns(table.name):
        target = _link_target(column)
        if target is None:
            continue
        if target == table.name:
            # A link within the table (introduced by): set once every row has its new id.
            later.append((column.name, [row.pop(column.name, None) for row in table.rows]))
            continue
        for row in table.rows:
            if row.get(column.name) is not None:
                row[column.name] = new_ids[target][row[column.name]]
    for row in table.rows:
        rows.append({**row, "user_id": user_id} if has_user else row)
    if not rows:
        return {}
    if "id" not in sql_table.c:
        db.session.execute(insert(sql_table), rows)
        return {}
    stmt = insert(sql_table).returning(sql_table.c.id, sort_by_parameter_order=True)
    ids = list(db.session.scalars(stmt, rows))
    mapping = dict(zip(table.old_ids, ids, strict=True))
    for name, old_links in later:
        links = [
            {"row_id": mapping[old], "link": mapping[link], "kept": row.get("updated_at")}
            for old, link, row in zip(table.old_ids, old_links, table.rows, strict=True)
            if link is not None
        ]
        if links:
            values: dict[str, Any] = {name: bindparam("link")}
            if "updated_at" in sql_table.c:
                # Keep the backed-up time rather than stamping the restore's.
                values["updated_at"] = bindparam("kept")
            db.session.execute(
                update(sql_table).where(sql_table.c.id == bindparam("row_id")).values(values),
                links,
            )
    return mapping


def _restore_settings(user: User, account: Any) -> None:
    settings = account.get("settings") if isinstance(account, dict) else None
    if not isinstance(settings, dict):
        return
    columns = User.__table__.columns
    for name in SETTINGS:
        if name in settings:
            value = _parse_value(columns[name], settings[name], "account settings")
            if value is not None or columns[name].nullable:
                setattr(user, name, value)
