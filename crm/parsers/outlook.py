"""Outlook CSV (Outlook.com and desktop), and LinkedIn's Outlook-style export from before 2017."""

from __future__ import annotations

from dataclasses import dataclass

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
)
from crm.parsers.detect import is_outlook_header

COM_LABEL = "Outlook CSV (Outlook.com)"
DESKTOP_LABEL = "Outlook CSV (desktop)"
LINKEDIN_LABEL = "LinkedIn Connections.csv (pre-2017 Outlook-style export)"

# LinkedIn's old export puts the emails right after the name; Outlook desktop puts Company there.
_LINKEDIN_LEAD = ["title", "first name", "middle name", "last name", "suffix", "e-mail address"]
_EMAILS = ("e-mail address", "e-mail 2 address", "e-mail 3 address")
_PHONES = (
    "mobile phone",
    "primary phone",
    "business phone",
    "home phone",
    "other phone",
    "business phone 2",
    "home phone 2",
    "company main phone",
    "car phone",
)


def parse(text: str, encoding: str = "utf-8", *, from_linkedin: bool = False) -> ParseResult:
    """Read an Outlook CSV; from_linkedin or LinkedIn's column order marks the old LinkedIn one."""
    table = CsvTable(text, is_outlook_header)
    source, label = _source(table, from_linkedin)
    result = ParseResult(source, label, encoding, [], table.skipped)
    columns = _Columns.of(table)
    for line, row in table.rows():
        add_person(result, columns.person(line, row), row)
    return result


def _source(table: CsvTable, from_linkedin: bool) -> tuple[ImportFormat, str]:
    """Who wrote the file: LinkedIn's old export, Outlook desktop or Outlook.com."""
    if from_linkedin or (table.names[:6] == _LINKEDIN_LEAD and not table.has("categories")):
        return ImportFormat.LINKEDIN, LINKEDIN_LABEL
    # Outlook.com starts with First Name; desktop starts with Title (Mr, Ms).
    return ImportFormat.OUTLOOK, DESKTOP_LABEL if table.names[0] == "title" else COM_LABEL


@dataclass(frozen=True)
class _Columns:
    """Where each of a person's fields is in this file's rows."""

    first: int
    last: int
    company: int
    title: int
    notes: int
    categories: int
    emails: list[int]
    phones: list[int]
    web: list[int]

    @classmethod
    def of(cls, table: CsvTable) -> _Columns:
        return cls(
            first=table.column("first name"),
            last=table.column("last name"),
            company=table.column("company"),
            # 'Title' is Mr or Ms; the job is 'Job Title'.
            title=table.column("job title"),
            notes=table.column("notes"),
            categories=table.column("categories"),
            emails=[table.column(name) for name in _EMAILS if table.has(name)],
            phones=[table.column(name) for name in _PHONES if table.has(name)],
            web=[position for position, name in enumerate(table.names) if "web page" in name],
        )

    def person(self, line: int, row: list[str]) -> ImportedPerson:
        """The person one row describes: the first email, phone and profile address given."""
        emails = (clean_email(row[position]) for position in self.emails)
        phones = (squash(row[position]) for position in self.phones)
        return ImportedPerson(
            line,
            squash(row[self.first]),
            squash(row[self.last]),
            email=next(filter(None, emails), ""),
            phone=next(filter(None, phones), ""),
            company=squash(row[self.company]),
            title=squash(row[self.title]),
            linkedin_url=first_profile_url([row[position] for position in self.web]),
            notes=clean_notes(row[self.notes]),
            # Outlook separates categories with ';' (desktop) or ',' (Outlook.com).
            tags=split_tags(row[self.categories].replace(";", ",")),
        )
