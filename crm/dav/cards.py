"""Cards a device sends, read into the fields the app models and the lines it keeps as they are.

Pure: text in, values out. The app's own fields are written by crm.exports.vcard; whatever
else a phone put on the card (PHOTO, ADR, BDAY, a second email, labels) is kept as the
device's own folded lines and appended to the card unchanged, so a sync never loses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from crm.exports.vcard import ContactLike, contact_card

# Properties the app writes itself: read from a card (or regenerated), never kept as extra.
WRITTEN = {"BEGIN", "END", "VERSION", "UID", "FN", "N", "ORG", "TITLE", "NOTE", "CATEGORIES"}
REGENERATED = {"REV", "PRODID"}
_NAME = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")


@dataclass
class DeviceCard:
    """What a card says about the fields the app models, and the lines it keeps verbatim."""

    uid: str = ""
    first_name: str = ""
    last_name: str = ""
    formatted_name: str = ""
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    title: str | None = None
    linkedin_url: str | None = None
    notes: str | None = None
    extra: list[str] = field(default_factory=list)

    @property
    def extra_text(self) -> str | None:
        """The kept lines as stored: CRLF-separated, each with its folded continuations."""
        return "\r\n".join(self.extra) or None


def unfold(text: str) -> list[tuple[str, str]]:
    """Each logical line, unfolded, with the raw (still folded) text it came from."""
    lines: list[tuple[str, str]] = []
    for raw in re.split(r"\r\n|\n|\r", text):
        if raw[:1] in (" ", "\t") and lines:
            logical, folded = lines[-1]
            lines[-1] = (logical + raw[1:], folded + "\r\n" + raw)
        elif raw:
            lines.append((raw, raw))
    return lines


def split_head(line: str) -> tuple[str, str]:
    """(name with its group and parameters, value) of an unfolded content line."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:index], line[index + 1 :]
    return line, ""


def split_line(line: str) -> tuple[str, str, str]:
    """(NAME upper-cased without its group, parameters, value) of an unfolded content line."""
    head, value = split_head(line)
    match = _NAME.match(head)
    name = match.group(1).upper() if match else head.upper()
    return name, head[match.end() if match else len(head) :], value


def unescape(value: str) -> str:
    """A TEXT value as written: \\n, \\, \\; and \\\\ undone."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _components(value: str) -> list[str]:
    """A structured value (N, ORG) split on unescaped semicolons, each part unescaped."""
    return [unescape(part) for part in re.split(r"(?<!\\);", value)]


def _is_linkedin(value: str) -> bool:
    return "linkedin.com/" in value.lower()


def _take_once(card: DeviceCard, name: str, params: str, value: str) -> bool:
    """Fill the one email, phone or LinkedIn address the app keeps; False when the line is
    something else or a second one (kept as it is)."""
    if name == "EMAIL":
        slot = "email"
    elif name == "TEL":
        # vCard 4.0 may write the number as a URI: TEL;VALUE=uri:tel:+1-555-0100.
        slot, value = "phone", re.sub(r"^\s*tel:", "", value, flags=re.IGNORECASE)
    elif name in ("URL", "X-SOCIALPROFILE") and _is_linkedin(value + params):
        slot, value = "linkedin_url", unescape(value)
    else:
        return False
    value = value.strip()
    if not value:
        return False
    if getattr(card, slot) is not None:
        # The app writes X-SOCIALPROFILE beside URL: the URL line carries the value.
        return name == "X-SOCIALPROFILE"
    setattr(card, slot, value)
    return True


def _take_written(card: DeviceCard, name: str, value: str) -> None:
    """The properties the app writes itself (CATEGORIES holds the app's network and tags)."""
    if name == "UID":
        card.uid = value.strip()
    elif name == "FN":
        card.formatted_name = unescape(value).strip()
    elif name == "N":
        parts = [*_components(value), "", ""]
        card.last_name, card.first_name = parts[0].strip(), parts[1].strip()
    elif name == "ORG":
        card.company = _components(value)[0].strip() or None
    elif name == "TITLE":
        card.title = unescape(value).strip() or None
    elif name == "NOTE":
        card.notes = unescape(value).strip() or None


def read_card(text: str) -> DeviceCard:
    """The card's modelled fields and the verbatim lines of everything else (one VCARD)."""
    card = DeviceCard()
    depth = 0
    for logical, folded in unfold(text):
        name, params, value = split_line(logical)
        depth += name == "BEGIN"
        nested = depth > 1  # a component inside the card (rare): kept whole
        depth -= name == "END"
        if nested:
            card.extra.append(folded)
        elif name in WRITTEN:
            _take_written(card, name, value)
        elif name not in REGENERATED and not _take_once(card, name, params, value):
            card.extra.append(folded)
    if not card.first_name and not card.last_name and card.formatted_name:
        first, _, last = card.formatted_name.partition(" ")
        card.first_name, card.last_name = first, last
    return card


def with_extra(card_text: str, extra: str | None) -> str:
    """The app's card with the device's kept lines added before its END."""
    if not extra:
        return card_text
    end = card_text.rstrip("\r\n").rfind("\r\nEND:VCARD")
    return card_text[: end + 2] + extra + "\r\n" + card_text[end + 2 :]


class ServedContact(ContactLike, Protocol):
    @property
    def card_extra(self) -> str | None: ...


def card_text(contact: ServedContact) -> str:
    """The contact's card as served (vCard 3.0): the app's fields, then the device's lines."""
    return with_extra(contact_card(contact), contact.card_extra)
