"""Google Contacts CSV, current and legacy."""

from __future__ import annotations

from collections.abc import Sequence

from crm.enums import ImportFormat
from crm.normalize import split_tags, squash
from crm.parsers.base import (
    CsvTable,
    ImportedPerson,
    ParseResult,
    add_person,
    clean_email,
    clean_notes,
    first_profile_url,
    split_full_name,
)
from crm.parsers.detect import is_google_header, is_google_legacy_header

CURRENT_LABEL = "Google Contacts CSV"
LEGACY_LABEL = "Google Contacts CSV (legacy)"
# Google's own groups, which say nothing about the person.
_SYSTEM_LABELS = {"mycontacts", "starred"}


def parse(text: str, encoding: str = "utf-8") -> ParseResult:
    """Read a Google Contacts CSV; raise UnsupportedFormat when it has no Google header."""
    table = CsvTable(text, is_google_header)
    legacy = is_google_legacy_header(set(table.names))
    result = ParseResult(
        ImportFormat.GOOGLE, LEGACY_LABEL if legacy else CURRENT_LABEL, encoding, [], table.skipped
    )
    first_at = table.column("first name", "given name")
    last_at = table.column("last name", "family name")
    full_name_at = table.column("name")
    company_at = table.column("organization name", "organization 1 - name")
    title_at = table.column("organization title", "organization 1 - title")
    notes_at = table.column("notes")
    labels_at = table.column("labels", "group membership")
    emails_at = table.numbered("e-mail {} - value")
    phones_at = table.numbered("phone {} - value")
    websites_at = table.numbered("website {} - value")

    for line, row in table.rows():
        first, last = squash(row[first_at]), squash(row[last_at])
        if not (first or last):
            first, last = split_full_name(row[full_name_at])
        emails = (clean_email(value) for value in _values(row, emails_at))
        person = ImportedPerson(
            line,
            first,
            last,
            email=next(filter(None, emails), ""),
            phone=next((squash(value) for value in _values(row, phones_at)), ""),
            company=squash(row[company_at]),
            title=squash(row[title_at]),
            linkedin_url=first_profile_url(_values(row, websites_at)),
            notes=clean_notes(row[notes_at]),
            tags=_tags(row[labels_at]),
        )
        add_person(result, person, row)
    return result


def _values(row: Sequence[str], positions: Sequence[int]) -> list[str]:
    """The non-empty values of these columns in order; Google joins several with ' ::: '."""
    return [
        value.strip()
        for position in positions
        for value in row[position].split(":::")
        if value.strip()
    ]


def _tags(cell: str) -> list[str]:
    """Labels as tags, without Google's own '* myContacts' and '* starred'."""
    kept = []
    for label in cell.split(":::"):
        label = squash(label).lstrip("* ")
        if label.replace(" ", "").casefold() not in _SYSTEM_LABELS:
            kept.append(label)
    return split_tags(",".join(kept))
