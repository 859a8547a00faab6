"""The contact list's page links: a cursor holds the sort key and id of the row a page starts
after (Next) or ends before (Previous), so a later page is read from there through the sort's
index rather than by counting past every earlier row, and contacts added or removed meanwhile
neither repeat nor skip a row.

A cursor is the key's values as JSON in URL-safe base64: opaque to the reader, short, and
checked on the way in (anything else is no cursor, and the page is read by its number).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import UTC, datetime

# A key's value as a cursor carries it: text, an id, a moment, or None (no company).
KeyValue = str | int | datetime | None

# What each sort's key holds, value by value: "text", "id", "moment", and "text?" / "id?"
# for the company's, which the people at no company lack.
KEY_SHAPES: dict[str, tuple[str, ...]] = {
    "name": ("text", "id"),
    "recent": ("moment", "id"),
    "company": ("text?", "id?", "text", "id"),
}
# Longer than any key of the shapes above can be (two names of 220 characters and ids).
CURSOR_LENGTH = 2_000


def encode(key: Sequence[KeyValue]) -> str:
    """The cursor for a row's sort key."""
    values = [value.isoformat() if isinstance(value, datetime) else value for value in key]
    raw = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, sort: str) -> tuple[KeyValue, ...] | None:
    """The sort key a cursor holds, or None when it is not one of this sort's."""
    shape = KEY_SHAPES.get(sort)
    values = _values(cursor)
    if shape is None or values is None or len(values) != len(shape):
        return None
    key = [_read(value, kind) for value, kind in zip(values, shape, strict=True)]
    if any(value is _INVALID for value in key) or (sort == "company" and _half_company(key)):
        return None
    return tuple(key)  # type: ignore[arg-type]  # _INVALID is ruled out just above


def _values(cursor: str) -> list[object] | None:
    """The JSON list a cursor spells, or None."""
    if not cursor or len(cursor) > CURSOR_LENGTH:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):  # bad base64, bad UTF-8 or bad JSON
        return None
    return values if isinstance(values, list) else None


_INVALID = object()


def _text(value: object) -> object:
    return value if isinstance(value, str) else _INVALID


def _id(value: object) -> object:
    return value if isinstance(value, int) and not isinstance(value, bool) else _INVALID


def _moment(value: object) -> object:
    if not isinstance(value, str):
        return _INVALID
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return _INVALID
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


_READERS = {"text": _text, "id": _id, "moment": _moment}


def _read(value: object, kind: str) -> object:
    """One value of a key, as its kind says, or _INVALID."""
    if value is None and kind.endswith("?"):
        return None
    return _READERS[kind.rstrip("?")](value)


def _half_company(key: list[object]) -> bool:
    """A company key with a name and no id, or the other way round."""
    return (key[0] is None) != (key[1] is None)
