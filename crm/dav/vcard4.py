"""vCard 4.0 (RFC 6350) for clients that ask for it, rewritten from the 3.0 card the app serves.

Pure. The 3.0 card stays the one the app writes and hashes (a card's ETag is the same in both
versions); this changes only what 4.0 spells differently: VERSION, TYPE values in lower case
with PREF as its own parameter and 3.0's INTERNET dropped, no CHARSET or ENCODING (inline
binary data becomes a data: URI), a UID that is not a URI marked as text, and dates in 4.0's
basic form. Every other line, the device's own included, is kept as it is.
"""

from __future__ import annotations

import re

from crm.dav.cards import split_head, split_line, unfold
from crm.exports.vcard import fold_line

VERSION = "VERSION:4.0"
# 3.0 image and sound types by name; 4.0 wants a media type in the data: URI.
MEDIA_TYPES = {
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tiff": "image/tiff",
    "wave": "audio/wav",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
}
DATES = {"BDAY", "ANNIVERSARY"}
_EXTENDED_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# A parameter separator outside double quotes.
_PARAMETERS = re.compile(r';(?=(?:[^"]*"[^"]*")*[^"]*$)')


def _media_type(types: list[str]) -> str:
    """The data: URI's media type from 3.0's TYPE=JPEG (or a full image/png)."""
    for value in types:
        if "/" in value:
            return value
        if value in MEDIA_TYPES:
            return MEDIA_TYPES[value]
    return "application/octet-stream"


def _split_types(parameters: list[str]) -> tuple[list[str], list[str], bool, bool]:
    """(TYPE values, other parameters, PREF given, inline binary) of a 3.0 property."""
    types: list[str] = []
    others: list[str] = []
    pref = binary = False
    for parameter in parameters:
        key, has_value, value = parameter.partition("=")
        if not has_value:  # vCard 2.1's bare TYPE value (TEL;CELL)
            key, value = "TYPE", key
        key = key.upper()
        if key == "TYPE":
            for found in value.strip('"').lower().split(","):
                pref = pref or found == "pref"
                if found not in ("pref", "internet", ""):
                    types.append(found)
        elif key == "ENCODING":
            binary = value.lower() in ("b", "base64")
        elif key != "CHARSET":
            others.append(parameter)
    return types, others, pref, binary


def line_in_4(line: str) -> str:
    """One unfolded 3.0 content line as 4.0 writes it."""
    head, value = split_head(line)
    name_and_group, *parameters = _PARAMETERS.split(head)
    name = split_line(line)[0]
    types, others, pref, binary = _split_types(parameters)
    if binary:
        value = f"data:{_media_type(types)};base64,{value}"
        types = [kind for kind in types if kind not in MEDIA_TYPES and "/" not in kind]
    if name == "UID" and ":" not in value:
        others.append("VALUE=text")
    if name in DATES:
        value = _EXTENDED_DATE.sub(r"\1\2\3", value)
    if pref:
        others.append("PREF=1")
    if types:
        others.insert(0, "TYPE=" + ",".join(types))
    return ";".join([name_and_group, *others]) + ":" + value


def to_vcard4(text: str) -> str:
    """The app's 3.0 card as a 4.0 card: VERSION right after BEGIN, every line kept."""
    lines: list[str] = []
    for logical, folded in unfold(text):
        name = split_line(logical)[0]
        if name == "VERSION":
            lines.append(VERSION)
            continue
        written = logical if name in ("BEGIN", "END") else line_in_4(logical)
        lines.append(folded if written == logical else fold_line(written))
    return "".join(line + "\r\n" for line in lines)
