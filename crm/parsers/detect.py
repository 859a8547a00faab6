"""Tell which kind of contacts file a text is, from its content alone."""

from __future__ import annotations

import re

from crm.enums import ImportFormat
from crm.parsers.base import EMPTY_FILE, CsvTable, UnsupportedFormat

_HTML = "This looks like a web page saved as .csv, not a contacts export."
# The header sits in the first rows; reading the whole of a large file to find it is wasted work.
_SNIFF_CHARS = 256 * 1024
_FIRST_VISIBLE = re.compile(r"\S")

_PERSON_COLUMNS = {"first name", "last name", "given name", "family name", "name"}
_LINKEDIN_COLUMNS = {"connected on", "position", "url"}
_OUTLOOK_COLUMNS = {"job title", "business phone", "mobile phone", "home phone", "e-mail 2 address"}


def is_linkedin_header(names: set[str]) -> bool:
    """A LinkedIn Connections.csv header (2018 onwards)."""
    return "first name" in names and "last name" in names and bool(names & _LINKEDIN_COLUMNS)


def is_google_legacy_header(names: set[str]) -> bool:
    """A header of the old Google Contacts CSV ('Given Name', 'Organization 1 - Name')."""
    return "given name" in names or "organization 1 - name" in names


def is_google_header(names: set[str]) -> bool:
    """A Google Contacts CSV header, current or legacy."""
    current = "organization name" in names or ("e-mail 1 - value" in names and "labels" in names)
    has_person = bool(names & _PERSON_COLUMNS) or "e-mail 1 - value" in names
    return has_person and (current or is_google_legacy_header(names))


def is_outlook_header(names: set[str]) -> bool:
    """An Outlook CSV header, which LinkedIn also used before 2017."""
    return (
        "e-mail address" in names
        and bool(names & _OUTLOOK_COLUMNS)
        and ("first name" in names or "last name" in names)
    )


def classify_header(names: set[str]) -> ImportFormat | None:
    """The parser key for a CSV header row, or None when the row is not a known header."""
    # Google first: its header also holds First Name and Last Name.
    if is_google_header(names):
        return ImportFormat.GOOGLE
    if is_outlook_header(names):
        return ImportFormat.OUTLOOK
    if is_linkedin_header(names):
        return ImportFormat.LINKEDIN
    return None


def detect(text: str) -> ImportFormat:
    """Return the file's format, or raise UnsupportedFormat."""
    visible = _FIRST_VISIBLE.search(text)
    if visible is None:
        raise UnsupportedFormat(EMPTY_FILE)
    head = text[visible.start() : visible.start() + 64].lower()
    if head.startswith(("<!doctype html", "<html")):
        raise UnsupportedFormat(_HTML)
    if head.startswith("begin:vcard"):
        return ImportFormat.VCARD
    return ImportFormat(str(CsvTable(text[:_SNIFF_CHARS], classify_header).kind))
