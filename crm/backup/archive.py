"""The backup file: a zip holding data.json (every row, with a format version) and copies for
spreadsheets, address books and calendars. Pure: chunks of bytes in, a zip out, and back.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO, Any, BinaryIO

FORMAT = "networking-crm-backup"
VERSION = 1
DATA_NAME = "data.json"
# data.json of 30,000 contacts with their history is a few tens of MB; refuse a zip bomb.
MAX_DATA_BYTES = 512 * 1024 * 1024

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


def write_zip(target: IO[bytes], members: Iterable[tuple[str, Iterable[bytes]]]) -> None:
    """Write each member's chunks into a deflated zip, one member at a time."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in members:
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)


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


def read_data(source: BinaryIO | str) -> dict[str, Any]:
    """Return data.json of a backup; BackupError when the file is not one this app can read."""
    try:
        with zipfile.ZipFile(source) as archive:
            try:
                info = archive.getinfo(DATA_NAME)
            except KeyError:
                raise BackupError(
                    "This zip is not a backup from this app: it has no data.json."
                ) from None
            if info.file_size > MAX_DATA_BYTES:
                raise BackupError("This backup's data.json is too large to restore.")
            with archive.open(info) as member:
                data = json.loads(member.read(MAX_DATA_BYTES + 1))
    except zipfile.BadZipFile:
        raise BackupError(
            "This file is not a backup from this app: it is not a zip file."
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BackupError("This backup's data.json is damaged: it is not valid JSON.") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
        raise BackupError(f"This zip cannot be read: {error}.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("This zip is not a backup from this app: its data.json is another kind.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError("This backup has no valid format version.")
    if version > VERSION:
        raise BackupError(
            f"This backup is format version {version}, newer than this app reads "
            f"(up to {VERSION}). Update the app, then restore it."
        )
    return data
