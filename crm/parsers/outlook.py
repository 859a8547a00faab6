"""Outlook CSV (Outlook.com and desktop), and LinkedIn's Outlook-style export from before 2017."""

from __future__ import annotations

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
    if from_linkedin or (table.names[:6] == _LINKEDIN_LEAD and not table.has("categories")):
        source, label = ImportFormat.LINKEDIN, LINKEDIN_LABEL
    else:
        # Outlook.com starts with First Name; desktop starts with Title (Mr, Ms).
        source, label = (
            ImportFormat.OUTLOOK,
            DESKTOP_LABEL if table.names[0] == "title" else COM_LABEL,
        )
    result = ParseResult(source, label, encoding, [], table.skipped)

    first_at = table.column("first name")
    last_at = table.column("last name")
    company_at = table.column("company")
    # 'Title' is Mr or Ms; the job is 'Job Title'.
    title_at = table.column("job title")
    notes_at = table.column("notes")
    categories_at = table.column("categories")
    emails_at = [table.column(name) for name in _EMAILS if table.has(name)]
    phones_at = [table.column(name) for name in _PHONES if table.has(name)]
    web_at = [position for position, name in enumerate(table.names) if "web page" in name]

    for line, row in table.rows():
        emails = (clean_email(row[position]) for position in emails_at)
        phones = (squash(row[position]) for position in phones_at)
        person = ImportedPerson(
            line,
            squash(row[first_at]),
            squash(row[last_at]),
            email=next(filter(None, emails), ""),
            phone=next(filter(None, phones), ""),
            company=squash(row[company_at]),
            title=squash(row[title_at]),
            linkedin_url=first_profile_url([row[position] for position in web_at]),
            notes=clean_notes(row[notes_at]),
            # Outlook separates categories with ';' (desktop) or ',' (Outlook.com).
            tags=split_tags(row[categories_at].replace(";", ",")),
        )
        add_person(result, person, row)
    return result
