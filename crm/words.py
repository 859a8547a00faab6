"""Counting in words: "1 follow-up", "2 follow-ups", "6 outreach messages" (Python and Jinja)."""

from __future__ import annotations

# Nouns whose plural is not the noun plus -s or -es.
IRREGULAR = {
    "person": "people",
    "outreach": "outreach messages",
}
_HISSING = ("s", "x", "z", "ch", "sh")


def plural_of(noun: str) -> str:
    """The plural of one noun (or of a phrase's last word): follow-ups, companies, people."""
    head, space, last = noun.rpartition(" ")
    if last in IRREGULAR:
        return f"{head}{space}{IRREGULAR[last]}"
    if last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return f"{head}{space}{last[:-1]}ies"
    if last.endswith(_HISSING):
        return f"{noun}es"
    return f"{noun}s"


def noun_for(noun: str, count: int, many: str | None = None) -> str:
    """The noun alone, agreeing with the count (for a count written some other way, as
    "1,200+ contacts")."""
    return noun if count == 1 else many or plural_of(noun)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """The count and the noun agreeing with it: "1 contact", "3 contacts", "0 contacts"."""
    return f"{count} {noun_for(noun, count, many)}"


def joined(parts: list[str]) -> str:
    """Words in a list as a sentence has them: "a", "a and b", "a, b and c"."""
    return "".join(parts) if len(parts) <= 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
