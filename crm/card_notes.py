"""How we met and who introduced someone, carried in a vCard's NOTE (which every address book
shows) ahead of the notes themselves, and read back from it. Pure.

The exporter writes them and the vCard import reads them, so a card sent round (exported,
imported, exported again) keeps them once: the NOTE is never the notes twice.
"""

from __future__ import annotations

from dataclasses import dataclass

HOW_WE_MET = "How we met: "
INTRODUCED_BY = "Introduced by: "
# Apple's label for a related name (X-ABRELATEDNAMES), shown by Apple and Google Contacts.
INTRODUCED_BY_LABEL = "Introduced by"


@dataclass(frozen=True)
class CardNote:
    how_we_met: str = ""
    introduced_by: str = ""
    notes: str = ""


def note_text(note: CardNote) -> str:
    """The NOTE: the two facts on their own lines, a blank line, then the notes."""
    facts = [
        f"{label}{value}"
        for label, value in ((HOW_WE_MET, note.how_we_met), (INTRODUCED_BY, note.introduced_by))
        if value
    ]
    if not facts:
        return note.notes
    return "\n".join(facts) + (f"\n\n{note.notes}" if note.notes else "")


def read_note(text: str) -> CardNote:
    """The facts at the head of a NOTE this app wrote, and the notes after them."""
    lines = text.split("\n")
    found: dict[str, str] = {}
    while lines and lines[0].startswith((HOW_WE_MET, INTRODUCED_BY)) and len(found) < 2:
        label = HOW_WE_MET if lines[0].startswith(HOW_WE_MET) else INTRODUCED_BY
        if label in found:
            break
        found[label] = lines.pop(0)[len(label) :].strip()
    if found and lines and not lines[0].strip():
        lines.pop(0)
    return CardNote(
        how_we_met=found.get(HOW_WE_MET, ""),
        introduced_by=found.get(INTRODUCED_BY, ""),
        notes="\n".join(lines).strip(),
    )
