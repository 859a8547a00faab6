"""Importing contacts, as the upload pages and the `flask import` command use it.

The work is split by job: crm.imports.matching (who is who), crm.imports.changes (what an import
would do), crm.imports.writing (the bulk write) and crm.imports.history (batches and undo).
Flushes, never commits: the views and the command commit once, so an import is all or nothing.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from crm.enums import Network
from crm.extensions import db
from crm.imports.changes import (
    ImportCounts,
    ImportOutcome,
    ImportPlan,
    Progress,
    plan_import,
    summary_line,
)
from crm.imports.history import (
    AlreadyUndone,
    UndoResult,
    batch_job_changes,
    contacts_updated_later,
    contacts_with_history,
    created_contacts,
    recent_batches,
    undo_import,
)
from crm.imports.writing import clean_filename, write_import
from crm.models import Contact, User
from crm.parsers import ParseResult, parse_file

__all__ = [
    "AlreadyUndone",
    "ImportCounts",
    "ImportOutcome",
    "ImportPlan",
    "Progress",
    "UndoResult",
    "batch_job_changes",
    "clean_filename",
    "contacts_updated_later",
    "contacts_with_history",
    "created_contacts",
    "has_contacts",
    "import_file",
    "parse_upload",
    "plan_import",
    "recent_batches",
    "summary_line",
    "undo_import",
    "write_import",
]


def has_contacts(user_id: int) -> bool:
    """Whether the user has anyone yet (a new account is offered a restore instead)."""
    return bool(db.session.scalar(select(exists().where(Contact.user_id == user_id))))


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
