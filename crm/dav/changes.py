"""What changed since a client's last sync: rows by updated_at, deletions by tombstone.

A sync token is the moment of the sync. The next sync reports what was updated (updated_at)
or deleted (sync_tombstone) since that moment less OVERLAP, so a write whose transaction
committed just after a sync read the table is still reported; items reported twice cost the
client an ETag comparison, nothing more. Tombstones are written here, for every way a contact,
follow-up or interview leaves the database (ORM deletes, and bulk deletes such as an import's
undo), and for a keep-in-touch task whose contact's date moves (its UID names the date), so no
feature has to remember sync.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Delete, TableClause, delete, event, func, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from crm import clock
from crm.dav.models import SyncTombstone
from crm.dav.tasks import keep_in_touch_uid
from crm.enums import Cadence
from crm.extensions import db
from crm.models import Contact, FollowUp, Interview

ADDRESS_BOOK = "contacts"
CALENDAR = "networking"
TOKEN_PREFIX = "http://networking-crm.invalid/ns/sync/"
OVERLAP = timedelta(seconds=5)
# Tombstones older than this are pruned; a token older than them answers "sync again in full".
KEEP_TOMBSTONES = timedelta(days=60)


def new_token(now: datetime) -> str:
    """The token a client keeps: this sync's moment in microseconds."""
    return f"{TOKEN_PREFIX}{int(now.timestamp() * 1_000_000)}"


def token_moment(token: str, now: datetime) -> datetime:
    """The moment a token names, less OVERLAP; ValueError for a token this server did not give
    or one older than the tombstones kept (the client then syncs in full)."""
    if not token.startswith(TOKEN_PREFIX):
        raise ValueError(f"Not a sync token of this server: {token!r}")
    moment = datetime.fromtimestamp(int(token.removeprefix(TOKEN_PREFIX)) / 1_000_000, UTC)
    # A minute's grace for servers whose clocks differ a little.
    if moment > now + timedelta(minutes=1) or moment < now - KEEP_TOMBSTONES:
        raise ValueError(f"Sync token out of range: {token!r}")
    return moment - OVERLAP


def deleted_since(user_id: int, collection: str, since: datetime) -> list[str]:
    """The UIDs gone from a collection since a moment."""
    return list(
        db.session.scalars(
            select(SyncTombstone.uid).where(
                SyncTombstone.user_id == user_id,
                SyncTombstone.collection == collection,
                SyncTombstone.deleted_at > since,
            )
        )
    )


def tombstone_count(user_id: int, collection: str) -> int:
    """How many deletions a collection has seen (part of its ETag)."""
    return (
        db.session.scalar(
            select(func.count(SyncTombstone.id)).where(
                SyncTombstone.user_id == user_id, SyncTombstone.collection == collection
            )
        )
        or 0
    )


def _bury(session: Session, cards: list[tuple[int, str]], items: list[tuple[int, str]]) -> None:
    """Tombstones for these (user id, UID) pairs; the same users' ones too old for any token
    a client may still hold go."""
    if not cards and not items:
        return
    now = clock.now()
    session.add_all(
        SyncTombstone(user_id=user_id, collection=collection, uid=uid, deleted_at=now)
        for rows, collection in ((cards, ADDRESS_BOOK), (items, CALENDAR))
        for user_id, uid in rows
    )
    users = {user_id for user_id, _ in (*cards, *items)}
    with session.no_autoflush:
        session.execute(
            delete(SyncTombstone).where(
                SyncTombstone.user_id.in_(users), SyncTombstone.deleted_at < now - KEEP_TOMBSTONES
            )
        )


def _calendar_items_of(session: Session, contact_ids: list[int]) -> list[tuple[int, str]]:
    """The follow-ups, interviews and keep-in-touch tasks that go with contacts being deleted
    (a database cascade)."""
    rows: list[tuple[int, str]] = []
    for model in (FollowUp, Interview):
        found = session.execute(
            select(model.user_id, model.uid).where(model.contact_id.in_(contact_ids))
        )
        rows.extend((user_id, uid) for user_id, uid in found)
    reminders = session.execute(
        select(Contact.user_id, Contact.id, Contact.keep_in_touch_due).where(
            Contact.id.in_(contact_ids), Contact.keep_in_touch_due.is_not(None)
        )
    )
    rows.extend(
        (user_id, keep_in_touch_uid(contact_id, due))
        for user_id, contact_id, due in reminders
        if due
    )
    return rows


# What a contact's keep-in-touch task is read from: a change to any may end the task's UID.
_REMINDER_FIELDS = ("keep_in_touch_due", "cadence", "archived_at")


def _reminder_uid(contact_id: int, due: Any, cadence: Any, archived_at: Any) -> str | None:
    """The UID of a contact's keep-in-touch task with these values; None when it has none."""
    if due is None or cadence == Cadence.NONE or archived_at is not None:
        return None
    return keep_in_touch_uid(contact_id, due)


def _ended_reminder(contact: Contact) -> str | None:
    """The UID of the keep-in-touch task this flush ends (its date moved, or it stopped)."""
    state = inspect(contact)
    before, after = [], []
    for name in _REMINDER_FIELDS:
        history = state.attrs[name].history
        unchanged = list(history.unchanged)
        before.append((list(history.deleted) or unchanged or [None])[0])
        after.append((list(history.added) or unchanged or [None])[0])
    ended = _reminder_uid(contact.id, *before)
    return ended if ended is not None and ended != _reminder_uid(contact.id, *after) else None


def _ended_reminders(session: Session) -> list[tuple[int, str]]:
    """(user id, UID) of each keep-in-touch task that the contacts changed in this flush end."""
    ended = [
        (row.user_id, _ended_reminder(row)) for row in session.dirty if isinstance(row, Contact)
    ]
    return [(user_id, uid) for user_id, uid in ended if uid is not None]


@event.listens_for(Session, "before_flush")
def _tombstones_for_deleted_rows(session: Session, flush_context: Any, instances: Any) -> None:
    """A contact, follow-up or interview deleted through the ORM leaves a tombstone, and so
    does a keep-in-touch task whose contact's date moved."""
    contacts = [row for row in session.deleted if isinstance(row, Contact)]
    items = [
        (row.user_id, row.uid) for row in session.deleted if isinstance(row, FollowUp | Interview)
    ]
    items.extend(_ended_reminders(session))
    if contacts:
        with session.no_autoflush:
            items.extend(_calendar_items_of(session, [row.id for row in contacts]))
    _bury(session, [(row.user_id, row.uid) for row in contacts], items)


# Loaded before they change, so a flush knows which keep-in-touch task a change ends.
for _name in _REMINDER_FIELDS:
    event.listen(getattr(Contact, _name), "set", lambda *args: None, active_history=True)


@event.listens_for(Session, "do_orm_execute")
def _tombstones_for_bulk_deletes(state: ORMExecuteState) -> None:
    """A bulk DELETE of contacts (an import's undo) leaves a tombstone for each."""
    statement = state.statement
    # An ORM delete(Contact) names an annotated copy of the table: compare by name.
    if not isinstance(statement, Delete) or not isinstance(statement.table, TableClause):
        return
    if statement.table.name != Contact.__tablename__:
        return
    where = statement.whereclause
    if where is None:
        return
    session = state.session
    doomed = session.execute(select(Contact.id, Contact.user_id, Contact.uid).where(where)).all()
    if not doomed:
        return
    contacts = [(user_id, uid) for _, user_id, uid in doomed]
    _bury(
        session, contacts, _calendar_items_of(session, [contact_id for contact_id, _, _ in doomed])
    )
