"""LinkedIn Connections.csv, as exported since 2018 (the older export is Outlook-style)."""

from __future__ import annotations

from operator import itemgetter

from crm.enums import ImportFormat
from crm.parsers.base import (
    CsvTable,
    ImportedPerson,
    ParseResult,
    SkippedRow,
    clean_cells,
    clean_email,
    holds_text,
    parse_date,
    profile_url,
)
from crm.parsers.detect import is_linkedin_header

CURRENT_LABEL = "LinkedIn Connections.csv (current export)"
LABEL_2018 = "LinkedIn Connections.csv (2018 export)"
HIDDEN_MEMBER = "no name, email or LinkedIn URL (a hidden or deactivated member)"


def parse(text: str, encoding: str = "utf-8") -> ParseResult:
    """Read a LinkedIn Connections.csv; raise UnsupportedFormat when it has no LinkedIn header."""
    table = CsvTable(text, is_linkedin_header)
    result = ParseResult(ImportFormat.LINKEDIN, _label(table), encoding, [], table.skipped)
    people = result.people
    pick = itemgetter(
        table.column("first name"),
        table.column("last name"),
        table.column("url", "profile url"),
        table.column("email address", "e-mail address", "email"),
        table.column("company"),
        table.column("position"),
        table.column("connected on"),
    )
    # The hot loop of a 30,000-row import: index lookups, and cleaning only the cells that need it.
    for line, row in table.rows():
        first, last, url, email, company, position, connected = pick(row)
        first, last, company, position = clean_cells((first, last, company, position))
        link = profile_url(url) if url else None
        if email:
            # LinkedIn puts urn:li:member:... where a member hides the address.
            email = clean_email(email)
        if first or last or link or email:
            people.append(
                ImportedPerson(
                    line,
                    first,
                    last,
                    email,
                    "",
                    company,
                    position,
                    link,
                    "",
                    [],
                    parse_date(connected) if connected else None,
                )
            )
        elif holds_text(row):
            table.skipped.append(SkippedRow(line, HIDDEN_MEMBER))
    return result


def _label(table: CsvTable) -> str:
    """Which LinkedIn export this is: the current one has a URL column."""
    return CURRENT_LABEL if table.has("url") else LABEL_2018
