"""The backup file: a zip holding data.json (every row, with a format version) and copies for
spreadsheets, address books and calendars. Pure: chunks of bytes in, a zip out, and back.
"""

from __future__ import annotations

import codecs
import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

FORMAT = "networking-crm-backup"
# 2 (December 2026): contacts' tags come before the contacts (crm/backup/restore.py), so an
# older app says the file is newer than it reads rather than that its tables are out of
# order. Version 1 files, tags after the contacts, still restore.
VERSION = 2
DATA_NAME = "data.json"
# The caps follow the largest account the app supports, with room to spare: 1,000,000
# contacts. Measured at 300,000 (with a million outreach rows and 100,000 follow-ups): a
# 54 MB zip, data.json 455 MB, 1.4 million rows.
LARGEST_ACCOUNT_CONTACTS = 1_000_000
# The zip a person uploads to restore (a 1,000,000-contact backup is about 180 MB).
MAX_ZIP_BYTES = 1024 * 1024 * 1024
# data.json unpacked (about 1.5 GB at 1,000,000 contacts); refuses a zip bomb.
MAX_DATA_BYTES = 4 * 1024 * 1024 * 1024
# Rows across all tables (about 5 million at 1,000,000 contacts, 10 with a long history).
MAX_ROWS = 20_000_000
# One row (or header value) as text: an interview's five 20,000-character notes fit.
MAX_VALUE_BYTES = 1024 * 1024
CHUNK_BYTES = 256 * 1024
# Compressed bytes gathered before they are handed on (one network write).
OUTBOX_BYTES = 64 * 1024
_SPACE = re.compile(r"[ \t\n\r]*")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
# "counts" (rows per table when written, for a restore's progress) came later: older backups
# lack it, and older versions of the app read past it as a table they do not know.
HEADER_KEYS = ("format", "version", "exported_at", "account", "counts")

README = """\
Your networking CRM backup
==========================

data.json     Everything in your account: contacts, companies, tags, outreach,
              informational interviews with your notes, follow-ups (open, done and
              dismissed), notes, job changes, import history and your settings.
              Restore it into an empty account on the Import page, or with
              flask --app crm restore THIS_FILE.zip --user YOUR_EMAIL
contacts.csv  Your contacts for a spreadsheet. Cells that begin with = + - or @ start
              with an apostrophe so the spreadsheet shows them instead of running them.
contacts.vcf  Your contacts as vCard 3.0, for Google Contacts, Apple Contacts or Outlook.
calendar.ics  Your open follow-ups and upcoming interviews, for any calendar.

Keep this file somewhere safe: it holds your notes about real people.
"""


class BackupError(ValueError):
    """A file that cannot be restored, with the one line that says why."""


class _Outbox:
    """Where zipfile writes: bytes kept until taken. It has no tell(), so zipfile writes a
    stream (sizes in a data descriptor after each member) rather than seeking back."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes, /) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def drain(self, at_least: int = 1) -> Iterator[bytes]:
        """The bytes written so far, once there are at least this many."""
        if self.size >= at_least:
            yield b"".join(self.parts)
            self.parts, self.size = [], 0


def iter_zip(members: Iterable[tuple[str, Iterable[bytes]]]) -> Iterator[bytes]:
    """Yield a deflated zip of each member's chunks as it is written: its first bytes at once,
    and never more than a chunk or two of it in memory."""
    outbox = _Outbox()
    with zipfile.ZipFile(outbox, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in members:
            # ZIP64 sizes: a member's size is known only once it is written.
            with archive.open(name, "w", force_zip64=True) as member:
                yield from outbox.drain()
                for chunk in chunks:
                    member.write(chunk)
                    yield from outbox.drain(OUTBOX_BYTES)
            yield from outbox.drain()
    yield from outbox.drain()


def iter_data_json(
    header: dict[str, Any], tables: Iterable[tuple[str, Iterable[dict[str, Any]]]]
) -> Iterator[bytes]:
    """Yield data.json: the header's keys, then each table as a list, one row per line."""
    yield b"{\n"
    for key, value in header.items():
        yield f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n".encode()
    first_table = True
    for name, rows in tables:
        opening = "" if first_table else ",\n"
        first_table = False
        yield f"{opening}{json.dumps(name)}: [".encode()
        separator = "\n"
        for row in rows:
            yield (separator + json.dumps(row, ensure_ascii=False, sort_keys=True)).encode()
            separator = ",\n"
        yield b"\n]"
    yield b"\n}\n"


@dataclass
class Backup:
    """A readable backup: its header, then its tables as they are read from the file."""

    version: int
    account: Any
    tables: Iterator[tuple[str, Iterator[Any]]]
    # How many contacts the header announces (None in older backups): progress, not a check.
    contacts: int | None = None


class _Reader:
    """data.json read as text in chunks, one JSON value at a time, within the caps.

    Each value (a row, a header value) is decoded by the json module's C decoder from a
    window of the text; the window never holds more than one value and one chunk, so memory
    stays bounded by MAX_VALUE_BYTES whatever the file holds. (A parser handing over one
    event per token, such as ijson, took 2.7 µs an event here: minutes for a large account.)
    """

    def __init__(self, member: IO[bytes]) -> None:
        self.member = member
        self.text = codecs.getincrementaldecoder("utf-8")()
        self.window = ""
        self.at = 0
        self.total = 0
        self.ended = False
        self.rows = 0

    def _more(self) -> None:
        """Read the next chunk into the window; BackupError at the end or past a cap."""
        if self.ended:
            raise BackupError("This backup's data.json is damaged: it is not valid JSON.")
        if len(self.window) - self.at > MAX_VALUE_BYTES:
            raise BackupError(
                f"This backup's data.json holds a value longer than "
                f"{MAX_VALUE_BYTES // 1024**2} MB; it cannot be restored."
            )
        chunk = self.member.read(CHUNK_BYTES)
        self.total += len(chunk)
        if self.total > MAX_DATA_BYTES:
            raise BackupError(
                f"This backup's data.json is larger than {MAX_DATA_BYTES // 1024**3} GB; "
                "it cannot be restored."
            )
        self.ended = not chunk
        self.window = self.window[self.at :] + self.text.decode(chunk, final=self.ended)
        self.at = 0

    def peek(self) -> str:
        """The next character that is not white space (read, not taken)."""
        while True:
            self.at = _SPACE.match(self.window, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.window):
                return self.window[self.at]
            self._more()

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise BackupError("This backup's data.json is damaged: it is not valid JSON.")
        self.at += 1

    def value(self) -> Any:
        """The next whole JSON value."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.window, self.at)
            except json.JSONDecodeError:
                self._more()  # cut short by the window's end, or damaged: more text tells
                continue
            except RecursionError:
                raise BackupError(
                    "This backup's data.json is damaged: it is not valid JSON."
                ) from None
            if end < len(self.window) or self.ended:
                self.at = end
                return value
            self._more()  # a number at the window's end may go on in the next chunk

    def key(self) -> str | None:
        """The next key of the top-level object, or None at its end."""
        if self.peek() == "}":
            self.at += 1
            return None
        key = self.value()
        if not isinstance(key, str):
            raise BackupError("This backup's data.json is damaged: it is not valid JSON.")
        self.take(":")
        return key

    def after_value(self) -> str | None:
        """The key after a top-level value, or None at the end."""
        if self.peek() == ",":
            self.at += 1
            return self.key()
        self.take("}")
        return None

    def items(self) -> Iterator[Any]:
        """Each item of the list that comes next, one at a time."""
        self.take("[")
        if self.peek() == "]":
            self.at += 1
            return
        while True:
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise BackupError(
                    f"This backup holds more than {MAX_ROWS:,} rows; it cannot be restored."
                )
            yield self.value()
            if self.peek() == "]":
                self.at += 1
                return
            self.take(",")


def _header(reader: _Reader) -> tuple[dict[str, Any], str | None]:
    """The values before the first table, and that table's key (None at the end)."""
    if reader.peek() != "{":
        reader.value()  # refused as damaged when it is not JSON at all
        raise BackupError("This zip is not a backup from this app: its data.json is another kind.")
    reader.at += 1
    header: dict[str, Any] = {}
    key = reader.key()
    while key in HEADER_KEYS:
        header[key] = reader.value()
        key = reader.after_value()
    return header, key


def _version(header: dict[str, Any]) -> int:
    if header.get("format") != FORMAT:
        raise BackupError("This zip is not a backup from this app: its data.json is another kind.")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError("This backup has no valid format version.")
    if version > VERSION:
        raise BackupError(
            f"This backup is format version {version}, newer than this app reads "
            f"(up to {VERSION}). Update the app, then restore it."
        )
    return version


def _tables(reader: _Reader, key: str | None) -> Iterator[tuple[str, Iterator[Any]]]:
    """Each top-level value after the header; what the restore leaves of one is read past."""
    while key is not None:
        if reader.peek() == "[":
            items = _Items(reader)
            yield key, items
            if items.started:
                for _ in items:
                    pass
            else:
                reader.value()  # a list the restore does not know: whole, within the cap
        else:
            yield key, _not_a_list(key)
            reader.value()
        key = reader.after_value()


class _Items:
    """The items of a top-level list, read one at a time once someone starts reading."""

    def __init__(self, reader: _Reader) -> None:
        self.items = reader.items()
        self.started = False

    def __iter__(self) -> _Items:
        return self

    def __next__(self) -> Any:
        self.started = True
        return next(self.items)


def _not_a_list(key: str) -> Iterator[Any]:
    """The items of a top-level value that is not a list: refused when read."""
    raise BackupError(f"This backup's {key} is not a list.")
    yield  # makes this a generator, so only a reader of the items meets the refusal


@contextmanager
def _readable() -> Iterator[None]:
    """Turn what zipfile, zlib and the parser raise into one line for the user."""
    try:
        yield
    except zipfile.BadZipFile:
        raise BackupError(
            "This file is not a backup from this app: it is not a zip file."
        ) from None
    except (UnicodeDecodeError, ValueError) as error:
        if isinstance(error, BackupError):
            raise
        raise BackupError("This backup's data.json is damaged: it is not valid JSON.") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"This zip cannot be read: {error}.") from None


def _guarded(tables: Iterator[tuple[str, Iterator[Any]]]) -> Iterator[tuple[str, Iterator[Any]]]:
    with _readable():
        for key, items in tables:
            yield key, _guarded_items(items)


def _guarded_items(items: Iterator[Any]) -> Iterator[Any]:
    with _readable():
        yield from items


@contextmanager
def open_backup(source: BinaryIO | str) -> Iterator[Backup]:
    """Open a backup's data.json as a stream; BackupError when it is not one this app reads.

    Memory stays bounded whatever the file holds: one row is built at a time, and the size,
    the number of rows and the length of any value are capped while reading.
    """
    with _readable():
        archive = zipfile.ZipFile(source)
    with archive:
        with _readable():
            member = archive.open(_data_info(archive))
        with member:
            with _readable():
                reader = _Reader(member)
                header, first_table = _header(reader)
                version = _version(header)
            # Outside the guard: what the restore raises is its own, not a damaged file.
            tables = _guarded(_tables(reader, first_table))
            yield Backup(version, header.get("account"), tables, _announced_contacts(header))


def _announced_contacts(header: dict[str, Any]) -> int | None:
    counts = header.get("counts")
    contacts = counts.get("contacts") if isinstance(counts, dict) else None
    if isinstance(contacts, int) and not isinstance(contacts, bool) and 0 <= contacts <= MAX_ROWS:
        return contacts
    return None


def _data_info(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    try:
        info = archive.getinfo(DATA_NAME)
    except KeyError:
        raise BackupError("This zip is not a backup from this app: it has no data.json.") from None
    if info.file_size > MAX_DATA_BYTES:
        raise BackupError("This backup's data.json is too large to restore.")
    return info
