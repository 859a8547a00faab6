"""vCard 2.1, 3.0 and 4.0 (.vcf files), one card or many per file.

A small parser of its own rather than vobject: it reads 2.1 quoted-printable soft line breaks,
never raises on a malformed card, and skips PHOTO data without decoding it.
"""

from __future__ import annotations

import quopri
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from crm.card_notes import INTRODUCED_BY_LABEL, read_note
from crm.enums import ImportFormat
from crm.normalize import split_tags, squash
from crm.parsers.base import (
    COMPANY_ONLY,
    UNRECOGNISED,
    ImportedPerson,
    ParseResult,
    SkippedRow,
    UnsupportedFormat,
    clean_email,
    clean_notes,
    first_profile_url,
    split_full_name,
    split_lines,
    why_not_a_person,
)

COMPANY_CARD = "a company card with no person"
EMPTY_CARD = "a card with no name, email, phone or LinkedIn URL"
CUT_OFF_CARD = "the file ends in the middle of this card"
NO_END = "this card has no END:VCARD line"

_VERSIONS = ("2.1", "3.0", "4.0")
_GROUP = ""
# vCard 2.1 writes parameter values alone: TEL;CELL;PREF or NOTE;QUOTED-PRINTABLE.
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}

Params = dict[str, list[str]]
Property = tuple[str, Params, str]


def parse(text: str, encoding: str = "utf-8") -> ParseResult:
    """Read every card of a .vcf file; raise UnsupportedFormat when there is none."""
    scan = _Scan(ParseResult(ImportFormat.VCARD, "vCard", encoding))
    previous = ""
    for number, line in _logical_lines(text):
        parts = _split_line(line)
        if parts is None:
            continue
        name, head, value = parts
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            scan.begin(number, previous)
        elif name == "END" and value.strip().upper() == "VCARD":
            scan.end()
        else:
            scan.keep(name, head, value)
        previous = name
    return scan.finish()


@dataclass
class _Scan:
    """How far the reading of a file is: the card open (if any) and AGENT cards inside it."""

    result: ParseResult
    versions: set[str] = field(default_factory=set)
    card: list[Property] | None = None
    card_line: int = 0
    nested: int = 0
    seen_card: bool = False

    def begin(self, number: int, previous: str) -> None:
        """A BEGIN:VCARD line: a new card, or one embedded in the open one."""
        self.seen_card = True
        if self.card is None:
            self.card, self.card_line = [], number
        elif previous == "AGENT":
            self.nested += 1  # vCard 2.1 can embed an assistant's card in AGENT
        else:
            self.result.skipped.append(SkippedRow(self.card_line, NO_END))
            self.card, self.card_line = [], number

    def end(self) -> None:
        """An END:VCARD line: the open card is complete (or an embedded one ends)."""
        if self.nested:
            self.nested -= 1
        elif self.card is not None:
            _add_card(self.result, self.card_line, self.card, self.versions)
            self.card = None

    def keep(self, name: str, head: str, value: str) -> None:
        """Keep a property the import reads, when it belongs to the open card itself."""
        if self.card is not None and not self.nested and name in _WANTED:
            params = _params(head)
            value = _decode(params, value)
            # Apple's grouped properties (item1.X-ABRELATEDNAMES, item1.X-ABLabel) pair up
            # by their group, kept under a name no parameter has.
            params[_GROUP] = [head.split(";", 1)[0].rpartition(".")[0].strip().upper()]
            self.card.append((name, params, value))

    def finish(self) -> ParseResult:
        """The result, once the file ends: a card left open is cut off."""
        if not self.seen_card:
            raise UnsupportedFormat(UNRECOGNISED)
        if self.card is not None:
            self.result.skipped.append(SkippedRow(self.card_line, CUT_OFF_CARD))
        if self.versions:
            self.result.format_label = _label(sorted(self.versions))
        return self.result


def _label(versions: list[str]) -> str:
    """'vCard 3.0', or 'vCard (2.1, 3.0)' for a file that mixes versions."""
    return f"vCard {versions[0]}" if len(versions) == 1 else f"vCard ({', '.join(versions)})"


@dataclass
class _Card:
    """What one card says, gathered property by property (the first N, FN, ORG, TITLE win)."""

    first: str = ""
    last: str = ""
    full_name: str = ""
    company: str = ""
    title: str = ""
    is_company: bool = False
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    # Related names and labels by their group (item1, ...).
    related: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def introducer(self) -> str:
        """The related name labelled "Introduced by", as this app and Apple write it."""
        return next(
            (
                name
                for group, name in self.related.items()
                if squash(self.labels.get(group, "")).lower() == INTRODUCED_BY_LABEL.lower()
            ),
            "",
        )


def _read_card(card: list[Property], versions: set[str]) -> _Card:
    """Gather the fields of one card, noting the vCard version it declares."""
    read = _Card()
    seen: set[str] = set()
    for name, params, value in card:
        if name in _FIRST_WINS:
            if name in seen:
                continue
            seen.add(name)
        if name == "VERSION":
            if value.strip() in _VERSIONS:
                versions.add(value.strip())
        else:
            _READERS[name](read, params, value)
    return read


def _read_n(read: _Card, params: Params, value: str) -> None:
    family, given = (_components(value, ";") + ["", ""])[:2]
    read.first, read.last = squash(given), squash(family)


def _read_fn(read: _Card, params: Params, value: str) -> None:
    read.full_name = squash(_text(value))


def _read_org(read: _Card, params: Params, value: str) -> None:
    read.company = squash(_components(value, ";")[0])


def _read_title(read: _Card, params: Params, value: str) -> None:
    read.title = squash(_text(value))


def _read_email(read: _Card, params: Params, value: str) -> None:
    _add_preferred(read.emails, params, clean_email(_text(value)))


def _read_tel(read: _Card, params: Params, value: str) -> None:
    phone = squash(_text(value))
    _add_preferred(read.phones, params, phone[4:] if phone.lower().startswith("tel:") else phone)


def _read_link(read: _Card, params: Params, value: str) -> None:
    read.links.append(_text(value))


def _read_note(read: _Card, params: Params, value: str) -> None:
    read.notes.append(clean_notes(_text(value)))


def _read_related(read: _Card, params: Params, value: str) -> None:
    read.related.setdefault(params[_GROUP][0], squash(_text(value)))


def _read_label(read: _Card, params: Params, value: str) -> None:
    read.labels.setdefault(params[_GROUP][0], _text(value))


def _read_categories(read: _Card, params: Params, value: str) -> None:
    read.categories.append(_text(value))


def _read_kind(read: _Card, params: Params, value: str) -> None:
    kind = value.strip().lower()
    read.is_company = read.is_company or kind in ("org", "organization", "company")


# What each property the import reads adds to the card; the first N, FN, ORG and TITLE win.
_READERS: dict[str, Callable[[_Card, Params, str], None]] = {
    "N": _read_n,
    "FN": _read_fn,
    "ORG": _read_org,
    "TITLE": _read_title,
    "EMAIL": _read_email,
    "TEL": _read_tel,
    "URL": _read_link,
    "X-SOCIALPROFILE": _read_link,
    "SOCIALPROFILE": _read_link,
    "NOTE": _read_note,
    "CATEGORIES": _read_categories,
    "KIND": _read_kind,
    "X-ABSHOWAS": _read_kind,
    "X-ABRELATEDNAMES": _read_related,
    "X-ABLABEL": _read_label,
}
_FIRST_WINS = {"N", "FN", "ORG", "TITLE"}
_WANTED = {"VERSION", *_READERS}


def _names(read: _Card) -> tuple[str, str]:
    """First and last name, from N, else from FN (but for a company card's FN)."""
    # An Apple company card repeats the company name in FN.
    if (
        not (read.first or read.last)
        and read.full_name
        and not read.is_company
        and read.full_name != read.company
    ):
        return split_full_name(read.full_name)
    return read.first, read.last


def _add_card(result: ParseResult, line: int, card: list[Property], versions: set[str]) -> None:
    """Turn one card's properties into a person, or a skipped row saying why not."""
    read = _read_card(card, versions)
    first, last = _names(read)
    # Our own NOTE starts with how you met and who introduced them: read them out of it.
    note = read_note("\n".join(note for note in read.notes if note))
    person = ImportedPerson(
        line,
        first,
        last,
        email=next(filter(None, read.emails), ""),
        phone=next(filter(None, read.phones), ""),
        company=read.company,
        title=read.title,
        linkedin_url=first_profile_url(read.links),
        notes=note.notes,
        tags=split_tags(",".join(read.categories)),
        how_we_met=squash(note.how_we_met),
        introduced_by=read.introducer() or squash(note.introduced_by),
    )
    reason = why_not_a_person(person)
    if reason is None:
        result.people.append(person)
    else:
        reason = COMPANY_CARD if reason == COMPANY_ONLY else EMPTY_CARD
        result.skipped.append(SkippedRow(line, reason))


def _add_preferred(values: list[str], params: Params, value: str) -> None:
    """Put a value marked preferred (TYPE=PREF, PREF=1) ahead of the others."""
    if "PREF" in params or "PREF" in params.get("TYPE", ()):
        values.insert(0, value)
    else:
        values.append(value)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (first line number, unfolded line), joining folds and quoted-printable soft breaks."""
    pieces: list[str] = []
    start = 0
    soft_break = False
    for number, raw in enumerate(split_lines(text), 1):
        line = raw.rstrip("\r\n")
        if soft_break and not line.upper().startswith("END:VCARD"):
            pieces[-1] = pieces[-1][:-1]
            pieces.append(line)
        elif pieces and line[:1] in (" ", "\t"):
            pieces.append(line[1:])
        else:
            if pieces:
                yield start, "".join(pieces)
            pieces, start = [line], number
        soft_break = line.endswith("=") and _is_quoted_printable(pieces[0])
    if pieces:
        yield start, "".join(pieces)


def _is_quoted_printable(line: str) -> bool:
    colon = line.find(":")
    return colon != -1 and "QUOTED-PRINTABLE" in line[:colon].upper()


def _split_line(line: str) -> tuple[str, str, str] | None:
    """Split 'item1.EMAIL;TYPE=WORK:value' into ('EMAIL', 'item1.EMAIL;TYPE=WORK', 'value')."""
    colon = line.find(":")
    if colon == -1:
        return None
    quotes = line.count('"', 0, colon)
    # A colon inside a quoted parameter value does not end the name part.
    while quotes % 2:
        after = line.find(":", colon + 1)
        if after == -1:
            return None
        quotes += line.count('"', colon, after)
        colon = after
    head = line[:colon]
    name = head.split(";", 1)[0].rpartition(".")[2].strip().upper()
    return name, head, line[colon + 1 :]


def _params(head: str) -> Params:
    """Parameters by upper-case name, each with its upper-case values."""
    params: Params = {}
    for part in _split_outside_quotes(head, ";")[1:]:
        key, equals, raw = part.partition("=")
        key = key.strip().upper()
        if not equals:
            key, raw = ("ENCODING" if key in _BARE_ENCODINGS else "TYPE"), key
        for item in raw.replace('"', "").split(","):
            item = item.strip().upper()
            if item:
                params.setdefault(key, []).append(item)
    return params


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    if '"' not in text:
        return text.split(separator)
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _decode(params: Params, value: str) -> str:
    """Undo a 2.1 quoted-printable encoding in the card's CHARSET (UTF-8 when unnamed)."""
    if "QUOTED-PRINTABLE" not in params.get("ENCODING", ()):
        return value
    raw = quopri.decodestring(value.encode("utf-8"))
    charset = params.get("CHARSET", ["UTF-8"])[0]
    try:
        return raw.decode(charset)
    except (LookupError, ValueError):
        # An unknown or non-text codec name, or bytes that do not fit the declared charset.
        return raw.decode("utf-8", errors="replace")


def _text(value: str) -> str:
    """A text value with its backslash escapes undone."""
    return _components(value, None)[0]


def _components(value: str, separator: str | None) -> list[str]:
    """Split a value at unescaped separators and undo the escapes (\\, \\; \\n \\\\)."""
    if "\\" not in value:
        return value.split(separator) if separator else [value]
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            current.append("\n" if char in "nN" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts
