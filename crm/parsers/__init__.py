"""Contact imports: uploaded bytes in, people and skipped rows out; no Flask, no database."""

from __future__ import annotations

from crm.enums import ImportFormat
from crm.parsers import google, linkedin, outlook, vcard
from crm.parsers.base import (
    ImportedPerson,
    ParseResult,
    SkippedRow,
    UnsupportedFormat,
    decode,
)
from crm.parsers.detect import detect

__all__ = [
    "ImportedPerson",
    "ParseResult",
    "SkippedRow",
    "UnsupportedFormat",
    "decode",
    "detect",
    "google",
    "linkedin",
    "outlook",
    "parse_file",
    "vcard",
]


def parse_file(data: bytes, filename: str = "") -> ParseResult:
    """Read an uploaded contacts file of any supported kind; raise UnsupportedFormat otherwise."""
    text, encoding = decode(data)
    kind = detect(text)
    if kind == ImportFormat.OUTLOOK:
        # LinkedIn's pre-2017 export is an Outlook CSV; its file name still says LinkedIn.
        from_linkedin = "linkedin" in filename.lower()
        return outlook.parse(text, encoding, from_linkedin=from_linkedin)
    parsers = {
        ImportFormat.LINKEDIN: linkedin.parse,
        ImportFormat.GOOGLE: google.parse,
        ImportFormat.VCARD: vcard.parse,
    }
    return parsers[kind](text, encoding)
