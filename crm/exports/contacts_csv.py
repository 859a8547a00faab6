"""Contacts as CSV for spreadsheets: one row per contact, formula cells made harmless."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500


def safe_cell(value: object) -> str:
    """Return the value as text a spreadsheet shows as written, never runs."""
    text = "" if value is None else str(value)
    # A leading apostrophe makes Excel, LibreOffice and Google Sheets read the cell as text.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def iter_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """Yield a UTF-8 CSV (with a BOM, so Excel reads the accents) a few hundred rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([safe_cell(name) for name in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(value) for value in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
