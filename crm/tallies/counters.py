"""What the tally table counts, and the database triggers that keep it right.

Contacts and outreach are written by many paths: forms, imports and their undo (Core
executemany and bulk deletes), the restore, the device sync, cascades from a deleted company,
contact or user. Triggers in the database see every one of them, so no path can forget a
count: each counter is kept by triggers made from COUNTERS (migrations 0034 and 0036): row
triggers on SQLite, statement triggers over the transition tables on PostgreSQL (see
postgresql_triggers), and a write of many rows in one transaction on PostgreSQL counts its
user once at the end (crm.tallies.services.bulk_write). What the counts rely on:

- every write to contact and outreach goes through the database (no raw file copy), and a
  migration that rebuilds either table (SQLite batch mode) makes the triggers again with
  create_triggers;
- a counter's key and condition read only the row's own columns;
- a decrement only ever UPDATEs, so a cascade from a deleted user never inserts a row for
  them; rows left at 0 are harmless.

`flask rebuild-tallies` counts everything from scratch (rebuild_statements), for repair; a
change to COUNTERS needs a migration that calls create_triggers and the rebuild again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from crm.enums import FollowUpState, OutreachStatus

REPLIED = OutreachStatus.REPLIED.value
OPEN = FollowUpState.OPEN.value


class TallyKind(StrEnum):
    """What a tally counts: each kind's rows and condition are its Counter in COUNTERS."""

    CONTACTS = "contacts"
    LISTED = "listed"
    REACHED = "reached"
    REACHED_REPLIED = "reached_replied"
    REPLIED = "replied"
    INTRODUCED = "introduced"
    # The Network page's shares: people introduced (not by themselves) who were reached, and
    # who were reached and replied.
    SUGGESTED_REACHED = "suggested_reached"
    SUGGESTED_REPLIED = "suggested_replied"
    TITLE = "title"
    TITLE_REACHED = "title_reached"
    KEEP_IN_TOUCH = "keep_in_touch"
    SENT = "sent"
    REPLIES = "replies"
    REPLIED_ON = "replied_on"
    OPEN_FOLLOWUPS = "open_followups"


@dataclass(frozen=True)
class Counter:
    """A count of the rows of `table` meeting `when`, per user and key.

    key: a column of the row, or None for one total per user; day: the key is a date,
    kept as ISO text ("2026-12-07") so ranges of days compare as text."""

    kind: TallyKind
    table: str
    key: str | None = None
    when: str = ""
    day: bool = False

    def slot(self, row: str, dialect: str) -> str:
        """SQL for the key this row counts under, NULL when it counts under none."""
        if self.key is None:
            key = "''"
        elif self.day and dialect == "postgresql":
            key = f"to_char({row}.{self.key}, 'YYYY-MM-DD')"
        else:
            key = f"{row}.{self.key}"
        if not self.when:
            return key
        when = self.when.replace("{row}", row)
        return f"CASE WHEN {when} THEN {key} END"


# Introduced by someone other than themselves: the Network page's suggested people.
SUGGESTED = "{row}.introduced_by_id IS NOT NULL AND {row}.introduced_by_id <> {row}.id"
COUNTERS = (
    Counter(TallyKind.CONTACTS, "contact", "network"),
    # The contact list's count: archived contacts (deleted on a device) leave the list.
    Counter(TallyKind.LISTED, "contact", "network", "{row}.archived_at IS NULL"),
    Counter(TallyKind.REACHED, "contact", "network", "{row}.first_outreach_on IS NOT NULL"),
    Counter(
        TallyKind.REACHED_REPLIED,
        "contact",
        "network",
        "{row}.first_outreach_on IS NOT NULL AND {row}.replied_on IS NOT NULL",
    ),
    Counter(TallyKind.REPLIED, "contact", "network", "{row}.replied_on IS NOT NULL"),
    Counter(TallyKind.INTRODUCED, "contact", None, "{row}.introduced_by_id IS NOT NULL"),
    Counter(
        TallyKind.SUGGESTED_REACHED,
        "contact",
        None,
        f"{SUGGESTED} AND {{row}}.first_outreach_on IS NOT NULL",
    ),
    Counter(
        TallyKind.SUGGESTED_REPLIED,
        "contact",
        None,
        f"{SUGGESTED} AND {{row}}.first_outreach_on IS NOT NULL AND {{row}}.replied_on IS NOT NULL",
    ),
    Counter(TallyKind.TITLE, "contact", "title_key", "{row}.title_key IS NOT NULL"),
    Counter(
        TallyKind.TITLE_REACHED,
        "contact",
        "title_key",
        "{row}.title_key IS NOT NULL AND {row}.first_outreach_on IS NOT NULL",
    ),
    Counter(
        TallyKind.KEEP_IN_TOUCH,
        "contact",
        "keep_in_touch_due",
        "{row}.keep_in_touch_due IS NOT NULL",
        True,
    ),
    Counter(TallyKind.SENT, "outreach", "sent_on", day=True),
    Counter(TallyKind.REPLIES, "outreach", None, f"{{row}}.status = '{REPLIED}'"),
    Counter(
        TallyKind.REPLIED_ON,
        "outreach",
        "reply_on",
        f"{{row}}.status = '{REPLIED}' AND {{row}}.reply_on IS NOT NULL",
        True,
    ),
    # The Calendar page's count of the feed's follow-ups.
    Counter(TallyKind.OPEN_FOLLOWUPS, "follow_up", None, f"{{row}}.status = '{OPEN}'"),
)
TABLES = ("contact", "outreach", "follow_up")
# A transaction that sets this (SET LOCAL, PostgreSQL) writes without the row triggers and
# counts its user's tallies once at the end (crm.tallies.services.paused).
PAUSED_SETTING = "crm.tallies_paused"
# The columns each table's counters read: an update of others leaves the counts alone.
COLUMNS = {
    "contact": (
        "user_id",
        "network",
        "first_outreach_on",
        "replied_on",
        "introduced_by_id",
        "title_key",
        "keep_in_touch_due",
        "archived_at",
    ),
    "outreach": ("user_id", "sent_on", "status", "reply_on"),
    "follow_up": ("user_id", "status"),
}


def _counters(table: str) -> list[Counter]:
    return [counter for counter in COUNTERS if counter.table == table]


def _add(counter: Counter, dialect: str, also: str = "") -> str:
    """Count the new row (an upsert, so the first row of a key makes its tally)."""
    slot = counter.slot("new", dialect)
    where = f"{slot} IS NOT NULL" + (f" AND {also}" if also else "")
    return (
        f"INSERT INTO tally (user_id, kind, \"key\", n) SELECT new.user_id, '{counter.kind}', "
        f'{slot}, 1 WHERE {where} ON CONFLICT (user_id, kind, "key") '
        "DO UPDATE SET n = tally.n + 1;"
    )


def _take(counter: Counter, dialect: str, also: str = "") -> str:
    """Uncount the old row (an update only: see the module's docstring)."""
    return (
        f"UPDATE tally SET n = n - 1 WHERE user_id = old.user_id AND kind = '{counter.kind}' "
        f'AND "key" = {counter.slot("old", dialect)}' + (f" AND {also}" if also else "") + ";"
    )


def _moved(counter: Counter, dialect: str) -> str:
    """Whether an update moved the row to another user or key (or in or out of the count)."""
    differs = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return (
        f"(old.user_id <> new.user_id OR "
        f"{counter.slot('old', dialect)} {differs} {counter.slot('new', dialect)})"
    )


def sqlite_triggers(table: str) -> list[str]:
    """The three SQLite triggers that keep the table's counters."""
    counters = _counters(table)
    adds = " ".join(_add(c, "sqlite") for c in counters)
    takes = " ".join(_take(c, "sqlite") for c in counters)
    moves = " ".join(
        _take(c, "sqlite", _moved(c, "sqlite")) + " " + _add(c, "sqlite", _moved(c, "sqlite"))
        for c in counters
    )
    columns = ", ".join(COLUMNS[table])
    return [
        f"CREATE TRIGGER tally_{table}_insert AFTER INSERT ON {table} BEGIN {adds} END",
        f"CREATE TRIGGER tally_{table}_delete AFTER DELETE ON {table} BEGIN {takes} END",
        f"CREATE TRIGGER tally_{table}_update AFTER UPDATE OF {columns} ON {table} "
        f"BEGIN {moves} END",
    ]


def _per_statement(table: str, rows: str, where: str = "") -> str:
    """Each counter's (user_id, kind, key, n) summed over a transition table's rows (alias r:
    in PL/pgSQL, new and old name the row-level trigger's records)."""
    branches = " UNION ALL ".join(
        f"SELECT r.user_id, '{c.kind}' AS kind, {c.slot('r', 'postgresql')} AS \"key\" "
        f"FROM {rows} AS r{where}"
        for c in _counters(table)
    )
    return (
        f'SELECT user_id, kind, "key", count(*) AS n FROM ({branches}) AS counted '
        'WHERE "key" IS NOT NULL GROUP BY user_id, kind, "key"'
    )


def _add_all(table: str, where: str = "") -> str:
    return (
        f'INSERT INTO tally (user_id, kind, "key", n) {_per_statement(table, "new_rows", where)} '
        'ON CONFLICT (user_id, kind, "key") DO UPDATE SET n = tally.n + excluded.n;'
    )


def _take_all(table: str, where: str = "") -> str:
    """An update only, as _take."""
    return (
        f"UPDATE tally SET n = tally.n - c.n FROM ({_per_statement(table, 'old_rows', where)}) "
        'AS c WHERE tally.user_id = c.user_id AND tally.kind = c.kind AND tally."key" = c."key";'
    )


def postgresql_triggers(table: str) -> list[str]:
    """The PostgreSQL function and triggers that keep the table's counters: once per
    statement, over its transition tables. A row trigger moved the same tally row once per
    row, and PostgreSQL keeps every version of a row a transaction updated until it ends,
    each update walking past the earlier ones: a 20,000-contact import took 11 s, four times
    the 10,000's. An update's rows count only when a column the counters read changed (a
    trigger with transition tables cannot name its columns)."""
    columns = ", ".join(f"r.{column}" for column in COLUMNS[table])
    other = ", ".join(f"o.{column}" for column in COLUMNS[table])
    changed = (
        " WHERE EXISTS (SELECT 1 FROM {pair} AS o WHERE o.id = r.id "
        f"AND ({columns}) IS DISTINCT FROM ({other}))"
    )
    body = (
        f"BEGIN IF current_setting('{PAUSED_SETTING}', true) = 'on' THEN RETURN NULL; END IF; "
        f"IF TG_OP = 'INSERT' THEN {_add_all(table)} "
        f"ELSIF TG_OP = 'DELETE' THEN {_take_all(table)} "
        f"ELSE {_take_all(table, changed.format(pair='new_rows'))} "
        f"{_add_all(table, changed.format(pair='old_rows'))} END IF; RETURN NULL; END"
    )
    run = f"FOR EACH STATEMENT EXECUTE FUNCTION tally_{table}()"
    return [
        f"CREATE FUNCTION tally_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$",
        f"CREATE TRIGGER tally_{table}_insert AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS new_rows {run}",
        f"CREATE TRIGGER tally_{table}_delete AFTER DELETE ON {table} "
        f"REFERENCING OLD TABLE AS old_rows {run}",
        f"CREATE TRIGGER tally_{table}_update AFTER UPDATE ON {table} "
        f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {run}",
    ]


def create_triggers(dialect: str) -> list[str]:
    """Every statement that makes the triggers, for this database."""
    build = postgresql_triggers if dialect == "postgresql" else sqlite_triggers
    return [statement for table in TABLES for statement in build(table)]


def drop_triggers(dialect: str) -> list[str]:
    """Every statement that drops them."""
    if dialect == "postgresql":
        return [f"DROP FUNCTION IF EXISTS tally_{table}() CASCADE" for table in TABLES]
    return [
        f"DROP TRIGGER IF EXISTS tally_{table}_{event}"
        for table in TABLES
        for event in ("insert", "delete", "update")
    ]


def counted_from_scratch(dialect: str, one_user: bool) -> str:
    """A SELECT of every tally (user_id, kind, key, n) counted from the rows themselves;
    one_user binds :user_id."""
    parts = []
    for counter in COUNTERS:
        slot = counter.slot("counted", dialect)
        mine = " AND counted.user_id = :user_id" if one_user else ""
        parts.append(
            f"SELECT counted.user_id, '{counter.kind}' AS kind, {slot} AS \"key\", count(*) AS n "
            f"FROM {counter.table} AS counted WHERE {slot} IS NOT NULL{mine} "
            f"GROUP BY counted.user_id, {slot}"
        )
    return " UNION ALL ".join(parts)


def rebuild_statements(dialect: str, one_user: bool) -> list[str]:
    """Empty the tallies (of :user_id, when one_user) and count them again from scratch."""
    mine = " WHERE user_id = :user_id" if one_user else ""
    return [
        f"DELETE FROM tally{mine}",
        f'INSERT INTO tally (user_id, kind, "key", n) {counted_from_scratch(dialect, one_user)}',
    ]
