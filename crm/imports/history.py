"""An import's history: the batches, what each created and changed, and undoing one.

Flushes, never commits: the undo view commits once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import bindparam, delete, exists, func, or_, select, update
from sqlalchemy.engine import CursorResult, Row
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import ColumnElement

from crm import clock
from crm.contacts.services import refresh_search_text
from crm.extensions import db
from crm.imports.writing import chunks, company_ids, json_value
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
    contact_tag,
)
from crm.normalize import name_key, tag_key


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


def _revert_updates(batch: ImportBatch, now: datetime) -> int:
    """Put back each value the import replaced, unless the user has changed it since."""
    rows = _updated_contacts(batch)
    if not rows:
        return 0
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    untag: list[tuple[int, list[str]]] = []
    for row in rows:
        values, tags = _to_restore(row)
        if tags:
            untag.append((row.id, tags))
        if values:
            values["updated_at"] = now
            groups.setdefault(tuple(sorted(values)), []).append({"id": row.id, **values})
    _restore(batch.user_id, groups, now)
    _untag(batch.user_id, untag)
    refresh_search_text(batch.user_id, [row.id for row in rows])
    return sum(len(group) for group in groups.values())


def _updated_contacts(batch: ImportBatch) -> list[Row[Any]]:
    """The contacts the import updated: what it changed, beside what they hold now."""
    return list(
        db.session.execute(
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
    )


def _to_restore(row: Row[Any]) -> tuple[dict[str, Any], list[str]]:
    """The old values to put back on one contact (company by name), and the tag keys to take
    off: a field goes back only while it still holds what the import wrote."""
    values: dict[str, Any] = {}
    tags: list[str] = []
    for name, (old, new) in row.old_values.items():
        if name == "tags":
            tags = [tag_key(tag) for tag in new]
        elif _still_as_written(name, getattr(row, name), new):
            values[name] = _old_value(name, old)
    _keep_job_whole(values, row.old_values.keys())
    return values, tags


def _still_as_written(name: str, current: Any, written: Any) -> bool:
    """Whether a field still holds what the import wrote (a company's name in any case)."""
    if name == "connected_on":
        return bool(json_value(current) == written)
    if name == "company":
        return name_key(current) == name_key(written)
    return bool(current == written)


def _old_value(name: str, old: Any) -> Any:
    """A value from the import history as the column takes it back (dates from ISO text)."""
    if name == "connected_on":
        return date.fromisoformat(old) if old else None
    return old


def _keep_job_whole(values: dict[str, Any], written: Iterable[str]) -> None:
    """A job is company and title together: when the user has since edited one of them,
    putting back only the other would pair their edit with the old job."""
    job = {"company", "title"}
    if job <= set(written) and len(job & values.keys()) == 1:
        for name in job:
            values.pop(name, None)


def _restore(
    user_id: int, groups: dict[tuple[str, ...], list[dict[str, Any]]], now: datetime
) -> None:
    """Write the old values back, a group of contacts with the same fields at a time; old
    companies the user has since deleted come back."""
    known = dict(
        db.session.execute(
            select(Company.name_key, Company.id).where(Company.user_id == user_id)
        ).all()
    )
    old_companies = [
        values["company"] for group in groups.values() for values in group if values.get("company")
    ]
    companies = company_ids(user_id, old_companies, known, now)
    for group in groups.values():
        for values in group:
            if "company" in values:
                old = values.pop("company")
                values["company_id"] = companies[old] if old else None
        for chunk in chunks(group):
            db.session.execute(update(Contact), chunk)


def _untag(user_id: int, untag: list[tuple[int, list[str]]]) -> None:
    """Take off the tags the import put on (by tag key), in one statement."""
    if not untag:
        return
    keys = {key for _, tag_keys in untag for key in tag_keys}
    tag_ids = dict(
        db.session.execute(
            select(Tag.name_key, Tag.id).where(Tag.user_id == user_id, Tag.name_key.in_(keys))
        ).all()
    )
    pairs = [
        {"cid": contact_id, "tid": tag_ids[key]}
        for contact_id, tag_keys in untag
        for key in tag_keys
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
