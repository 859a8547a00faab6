"""What every importer shares: the result types, decoding uploaded bytes, and reading CSV rows."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from crm.normalize import linkedin_or_none, squash
from crm.ranges import date_problem

EMPTY_FILE = "This file is empty."
UNRECOGNISED = (
    "We could not recognise this file: it is not a LinkedIn, Google or Outlook CSV nor a vCard."
)
CUT_OFF = "the file ends in the middle of this row"
EXTRA_CELLS = "row has more cells than the header"
UNREADABLE_ROW = "this row could not be read as CSV (a cell may be too long)"
NO_PERSON = "no name, email, phone or LinkedIn URL"
COMPANY_ONLY = "a company with no person"

DELIMITERS = (",", ";", "\t")
# Rows searched for a header: LinkedIn puts a preamble of a few lines before it.
HEADER_SCAN_ROWS = 20

_ZIP = "This is a zip archive; unzip it and upload Connections.csv."
_SIGNATURES = (
    (b"\x89PNG", "This looks like an image (PNG), not a contacts file."),
    (b"\xff\xd8\xff", "This looks like an image (JPEG), not a contacts file."),
    (b"GIF8", "This looks like an image (GIF), not a contacts file."),
    (b"%PDF", "This is a PDF document, not a contacts file."),
    (b"PK\x03\x04", _ZIP),
    (b"PK\x05\x06", _ZIP),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "This is an Office document (an old Excel .xls?); save it as CSV and upload that.",
    ),
    (
        b"\x1f\x8b",
        "This is a compressed (gzip) file; unpack it and upload the CSV or vCard inside.",
    ),
)
_XLSX = "This is an Excel workbook (.xlsx); save it as CSV and upload that."
_BINARY = "This looks like a binary file, not a contacts CSV or vCard."
_UTF8_BOM = b"\xef\xbb\xbf"

_PROFILE_PREFIX = "https://www.linkedin.com/in/"
# Slugs exactly as LinkedIn exports them, which normalisation would leave unchanged.
_PLAIN_SLUG = re.compile(r"[a-z0-9_-]{1,200}")

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([a-z]{3,9})\.?[ -](\d{4}|\d{2})", re.ASCII)
_MONTH_DAY_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:,? .*)?", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?", re.ASCII)


class UnsupportedFormat(Exception):
    """The file is not a contacts export we can read; the message is one sentence for the user."""


@dataclass(slots=True)
class ImportedPerson:
    """One person read from a file, with cleaned fields; not yet a Contact."""

    line: int
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    company: str = ""
    title: str = ""
    linkedin_url: str | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    connected_on: date | None = None
    # From a vCard: how you met and who introduced them (by name), as this app exports them.
    how_we_met: str = ""
    introduced_by: str = ""


@dataclass(slots=True)
class SkippedRow:
    """A row or card that holds no person, with the line it starts on and why it was left out."""

    line: int
    reason: str


@dataclass
class ParseResult:
    """Everything read from one file: who is in it, what was left out, and how it was read."""

    format: str
    format_label: str
    encoding: str
    people: list[ImportedPerson] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """Return the file's text and the encoding it was read with; refuse binary files."""
    for signature, message in _SIGNATURES:
        if data.startswith(signature):
            if signature == b"PK\x03\x04" and b"xl/" in data[:4096]:
                raise UnsupportedFormat(_XLSX)
            raise UnsupportedFormat(message)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UnsupportedFormat(_BINARY) from None
    if b"\x00" in data:
        raise UnsupportedFormat(_BINARY)
    if data.startswith(_UTF8_BOM):
        data, encoding = data[3:], "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return data.decode("utf-8"), encoding
    except UnicodeDecodeError:
        # Old Windows tools (and Excel) save cp1252; latin-1 would turn 0x92 into a control code.
        return data.decode("cp1252", errors="replace"), "cp1252"


def split_lines(text: str) -> list[str]:
    """Split text the way csv expects: at LF, CRLF or a lone CR, keeping the line ends."""
    return io.StringIO(text, newline="").readlines()


def header_key(cell: str) -> str:
    """A header cell as compared: trimmed, spaces collapsed, case-folded."""
    return squash(cell.replace("\ufeff", "")).casefold()


class CsvTable:
    """A CSV file from its header row on, handing out data rows with their first line number."""

    def __init__(self, text: str, is_header: Callable[[set[str]], object]) -> None:
        self._lines = split_lines(text)
        self.skipped: list[SkippedRow] = []
        # Excel in many European locales saves CSV with semicolons; some tools use tabs.
        for delimiter in DELIMITERS:
            self._delimiter = delimiter
            self._reader = csv.reader(self._lines, delimiter=delimiter)
            for _ in range(HEADER_SCAN_ROWS):
                try:
                    row = next(self._reader)
                except StopIteration:
                    break
                except csv.Error:
                    continue
                names = [header_key(cell) for cell in row]
                kind = is_header(set(names))
                if kind:
                    self.kind = kind
                    self.names = names
                    self.width = len(names)
                    return
        raise UnsupportedFormat(UNRECOGNISED)

    def has(self, name: str) -> bool:
        """Whether the header holds a column of this (case-folded) name."""
        return name in self.names

    def column(self, *names: str) -> int:
        """The position of the first of these columns present, or the always-blank last cell."""
        for name in names:
            if name in self.names:
                return self.names.index(name)
        return self.width

    def numbered(self, pattern: str) -> list[int]:
        """Positions of numbered columns such as 'e-mail {} - value', in number order."""
        before, _, after = pattern.partition("{}")
        shape = re.compile(re.escape(before) + r"(\d+)" + re.escape(after))
        found = []
        for position, name in enumerate(self.names):
            match = shape.fullmatch(name)
            if match:
                found.append((int(match.group(1)), position))
        return [position for _, position in sorted(found)]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield (line, cells) per row, width + 1 cells ending in ''; bad rows go in skipped."""
        reader, lines, width, skipped = self._reader, self._lines, self.width, self.skipped
        last_line = len(lines)
        end = reader.line_num
        while True:
            try:
                for row in reader:
                    start = end + 1
                    end = reader.line_num
                    if end == last_line and _ends_in_open_quote(
                        "".join(lines[start - 1 :]), self._delimiter
                    ):
                        skipped.append(SkippedRow(start, CUT_OFF))
                        return
                    count = len(row)
                    if count == width:
                        row.append("")
                    elif count == 0:
                        continue
                    elif count < width:
                        row.extend([""] * (width + 1 - count))
                    elif holds_text(row[width:]):
                        skipped.append(SkippedRow(start, EXTRA_CELLS))
                        continue
                    else:
                        # Excel pads rows with empty cells up to the widest row.
                        del row[width + 1 :]
                        row[width] = ""
                    yield start, row
            except csv.Error:
                start, end = end + 1, reader.line_num
                skipped.append(SkippedRow(start, UNREADABLE_ROW))
                continue
            return


def holds_text(cells: Iterable[str]) -> bool:
    """Whether any cell holds more than whitespace."""
    return any(cell.strip() for cell in cells)


def _ends_in_open_quote(text: str, delimiter: str) -> bool:
    """Whether csv, splitting at delimiter, would still be inside a quoted cell at text's end."""
    inside = False
    position = text.find('"')
    while position != -1:
        if inside:
            if text.startswith('"', position + 1):
                position += 1  # a doubled quote stands for one quote character
            else:
                inside = False
        elif position == 0 or text[position - 1] in (delimiter, "\r", "\n"):
            inside = True  # only a quote at the start of a cell opens a quoted cell
        position = text.find('"', position + 1)
    return inside


def _is_squashed(text: str) -> bool:
    """Whether squash() would leave text as it is."""
    # Printable text holds no whitespace but the plain space.
    return (
        text.isprintable()
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def clean_cells(cells: Sequence[str]) -> Sequence[str]:
    """squash() every cell; the fast path returns the cells as they are when none needs it."""
    # One check over the joined row costs less than one per cell; '|' exposes edge spaces.
    joined = "|".join(cells)
    if _is_squashed(joined) and " |" not in joined and "| " not in joined:
        return cells
    return [cell if _is_squashed(cell) else squash(cell) for cell in cells]


def clean_email(text: str) -> str:
    """A squashed email address, or '' when the cell holds something else (urn:li:member:...)."""
    text = squash(text)
    return text if "@" in text else ""


def clean_notes(text: str) -> str:
    """Notes keep their lines, with LF line ends and no blank edges."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def profile_url(text: str) -> str | None:
    """linkedin_or_none(), with a fast path for the form LinkedIn itself exports."""
    if text.startswith(_PROFILE_PREFIX) and _PLAIN_SLUG.fullmatch(text, len(_PROFILE_PREFIX)):
        return text
    return linkedin_or_none(text) if text else None


def first_profile_url(values: Sequence[str]) -> str | None:
    """The first value that is a LinkedIn profile address, normalised."""
    for value in values:
        url = linkedin_or_none(value)
        if url:
            return url
    return None


def split_full_name(text: str) -> tuple[str, str]:
    """First and last name from one 'Jane van Doe'-style string: the last word is the last name."""
    first, _, last = squash(text).rpartition(" ")
    return (first, last) if first else (last, "")


def why_not_a_person(person: ImportedPerson) -> str | None:
    """None when the record names or reaches a person; otherwise why it is left out."""
    if person.first_name or person.last_name or person.email or person.phone or person.linkedin_url:
        return None
    return COMPANY_ONLY if person.company else NO_PERSON


def add_person(result: ParseResult, person: ImportedPerson, row: Sequence[str]) -> None:
    """Keep the person, or record why not; a row of blank cells is passed over in silence."""
    reason = why_not_a_person(person)
    if reason is None:
        result.people.append(person)
    elif any(cell.strip() for cell in row):
        result.skipped.append(SkippedRow(person.line, reason))


def _full_year(year: str) -> int:
    number = int(year)
    if len(year) == 2:
        # The same pivot as strptime's %y.
        number += 2000 if number < 69 else 1900
    return number


def parse_date(text: str) -> date | None:
    """A date as exports write it ('30 May 2024', '1/8/18, 6:14 PM', '23-Nov-21') in the
    window every date of the app lies in (crm/ranges.py), else None."""
    day = _parse_date(text)
    return day if day is not None and date_problem(day) is None else None


@functools.lru_cache(maxsize=8192)
def _parse_date(text: str) -> date | None:
    try:
        # The current export's '30 May 2024' first: it is nearly every row of a large file.
        day, month, year = text.split()
        number = _MONTHS.get(month.lower())
        if number and day.isdigit() and year.isdigit() and len(year) == 4:
            return date(int(year), number, int(day))
    except ValueError:
        pass
    return _parse_other_date(squash(text).lower())


def _parse_other_date(text: str) -> date | None:
    try:
        match = _DAY_MONTH_YEAR.fullmatch(text)
        if match:
            day, month, year = match.groups()
            if month not in _MONTHS:
                return None
            return date(_full_year(year), _MONTHS[month], int(day))
        match = _MONTH_DAY_YEAR.fullmatch(text)
        if match:
            month, day, year = match.groups()
            return date(_full_year(year), int(month), int(day))
        match = _ISO_DATE.fullmatch(text)
        if match:
            year, month, day = match.groups()
            return date(int(year), int(month), int(day))
    except ValueError:
        return None
    return None
