"""Reading the tallies (crm.tallies.counters keeps them), and counting them again for repair."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ScalarSelect,
    Select,
    String,
    bindparam,
    func,
    literal,
    select,
    text,
)

from crm.extensions import db
from crm.tallies.counters import (
    PAUSED_SETTING,
    TallyKind,
    counted_from_scratch,
    create_triggers,
    drop_triggers,
    rebuild_statements,
)
from crm.tallies.models import Tally


def total(user_id: BindParameter[int], kind: TallyKind) -> ScalarSelect[int]:
    """One kind's count for the user, as a column a statement can select (0 when none)."""
    return (
        select(func.coalesce(func.sum(Tally.n), 0))
        .where(Tally.user_id == user_id, Tally.kind == kind)
        .scalar_subquery()
    )


def keyed(
    user_id: BindParameter[int], kind: TallyKind, *where: ColumnElement[bool]
) -> Select[str, str, int]:
    """One kind's counts by key (a network, a title key, an ISO day): kind, key, n."""
    return select(Tally.kind, Tally.key, Tally.n).where(
        Tally.user_id == user_id, Tally.kind == kind, Tally.n != 0, *where
    )


def listed(user_id: int, network: str | None = None) -> int:
    """The contacts the list shows (archived ones left out), of one network or all."""
    where = [] if network is None else [Tally.key == network]
    return _sum(user_id, TallyKind.LISTED, *where)


def _sum(user_id: int, kind: TallyKind, *where: ColumnElement[bool]) -> int:
    statement = select(func.coalesce(func.sum(Tally.n), 0)).where(
        Tally.user_id == user_id, Tally.kind == kind, *where
    )
    return db.session.scalar(statement) or 0


def losing_touch_row(
    user_id: BindParameter[int], today: BindParameter[str]
) -> Select[str, str, int]:
    """The contacts whose keep-in-touch date is before today (ISO text, as the tally keys
    days), a row per day summed, as one row shaped like keyed's: kind, "", n."""
    kind = TallyKind.KEEP_IN_TOUCH
    return select(
        literal(kind.value, String), literal("", String), func.coalesce(func.sum(Tally.n), 0)
    ).where(Tally.user_id == user_id, Tally.kind == kind, Tally.key < today)


def losing_touch(user_id: int, today: date) -> int:
    """The contacts whose keep-in-touch date is before today."""
    statement = losing_touch_row(bindparam("user_id"), bindparam("today", type_=String))
    row = db.session.execute(statement, {"user_id": user_id, "today": today.isoformat()}).one()
    return int(row[2])


def open_followups(user_id: int) -> int:
    """The user's open follow-ups (the Calendar page's feed holds each)."""
    return _sum(user_id, TallyKind.OPEN_FOLLOWUPS)


def kept(user_id: int | None = None) -> set[tuple[int, str, str, int]]:
    """The tallies as kept, rows at 0 left out (for tests and the repair command)."""
    rows = select(Tally.user_id, Tally.kind, Tally.key, Tally.n).where(Tally.n != 0)
    if user_id is not None:
        rows = rows.where(Tally.user_id == user_id)
    return {(u, kind, key, n) for u, kind, key, n in db.session.execute(rows)}


def counted(user_id: int | None = None) -> set[tuple[int, str, str, int]]:
    """The same, counted from the contacts and outreach themselves."""
    statement = text(counted_from_scratch(db.engine.dialect.name, user_id is not None))
    values = {"user_id": user_id} if user_id is not None else {}
    return {(u, kind, key, n) for u, kind, key, n in db.session.execute(statement, values)}


def rebuild(user_id: int | None = None) -> None:
    """Count every tally (of one user, or everyone's) again from scratch; flushes only."""
    values = {"user_id": user_id} if user_id is not None else {}
    for statement in rebuild_statements(db.engine.dialect.name, user_id is not None):
        db.session.execute(text(statement), values)


@contextmanager
def paused(user_id: int) -> Iterator[None]:
    """Bulk writes into one user's account (the restore) without the row triggers, that
    user's tallies counted once at the end: a count per table instead of a tally upsert per
    row and counter (about 20 us a row). What it relies on: SQLite drops and makes the
    triggers again inside the writer's transaction, which holds the database's one write
    lock, so no other writer can miss them, and a rollback brings them back; PostgreSQL's
    trigger functions skip their work while the transaction has PAUSED_SETTING on (SET
    LOCAL: other transactions keep counting)."""
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite:
        for statement in drop_triggers("sqlite"):
            db.session.execute(text(statement))
    else:
        db.session.execute(text(f"SET LOCAL {PAUSED_SETTING} = 'on'"))
    try:
        yield
    except BaseException:
        # A failed write is rolled back, triggers and all; SQLite's transaction may still be
        # open, so it gets its triggers back at once (PostgreSQL's, aborted, takes nothing).
        if sqlite:
            _make_triggers()
        raise
    if sqlite:
        _make_triggers()
    else:
        db.session.execute(text(f"SET LOCAL {PAUSED_SETTING} = 'off'"))
    rebuild(user_id)


# Past this many rows in one transaction, a bulk write on PostgreSQL counts its user's
# tallies once at the end (bulk_write).
BULK_ROWS = 2_000


@contextmanager
def bulk_write(user_id: int, rows: int) -> Iterator[None]:
    """Write about `rows` rows into one user's account in one transaction (an import, a
    seed). PostgreSQL keeps every version a transaction made of a row until it ends, and
    each update of the row walks past the earlier ones, so the triggers' update of the same
    tally once per statement is quadratic in a write sent row by row (the driver's
    executemany): 20,000 contacts in one transaction took 8.5 s, against 0.9 s without the
    triggers. Past BULK_ROWS it writes paused and counts the user's tallies once at the end
    (a count over the whole account). SQLite keeps no such versions: its triggers stay."""
    if rows < BULK_ROWS or db.session.get_bind().dialect.name != "postgresql":
        yield
        return
    with paused(user_id):
        yield


def _make_triggers() -> None:
    for statement in create_triggers("sqlite"):
        db.session.execute(text(statement))
