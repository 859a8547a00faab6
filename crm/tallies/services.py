"""Reading the tallies (crm.tallies.counters keeps them), and counting them again for repair."""

from __future__ import annotations

from sqlalchemy import BindParameter, ColumnElement, ScalarSelect, Select, func, select, text

from crm.extensions import db
from crm.tallies.counters import counted_from_scratch, rebuild_statements
from crm.tallies.models import Tally


def total(user_id: BindParameter[int], kind: str) -> ScalarSelect[int]:
    """One kind's count for the user, as a column a statement can select (0 when none)."""
    return (
        select(func.coalesce(func.sum(Tally.n), 0))
        .where(Tally.user_id == user_id, Tally.kind == kind)
        .scalar_subquery()
    )


def keyed(
    user_id: BindParameter[int], kind: str, *where: ColumnElement[bool]
) -> Select[str, str, int]:
    """One kind's counts by key (a network, a title key, an ISO day): kind, key, n."""
    return select(Tally.kind, Tally.key, Tally.n).where(
        Tally.user_id == user_id, Tally.kind == kind, Tally.n != 0, *where
    )


def listed(user_id: int, network: str | None = None) -> int:
    """The contacts the list shows (archived ones left out), of one network or all."""
    statement = select(func.coalesce(func.sum(Tally.n), 0)).where(
        Tally.user_id == user_id, Tally.kind == "listed"
    )
    if network is not None:
        statement = statement.where(Tally.key == network)
    return db.session.scalar(statement) or 0


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
