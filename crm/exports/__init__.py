"""Pure exporters from contacts, follow-ups and interviews to vCard and iCalendar."""

# Control characters break parsers; Unicode line separators split lines in some readers.
_TEXT_CHARS: dict[int, str | None] = {
    c: None for c in [*range(0x00, 0x09), *range(0x0B, 0x0D), *range(0x0E, 0x20), 0x7F]
}
_TEXT_CHARS.update({0x85: "\n", 0x2028: "\n", 0x2029: "\n"})


def clean_text(value: str | None) -> str:
    """Return free text without control characters or surrounding blanks ("" for None)."""
    return value.translate(_TEXT_CHARS).strip() if value else ""


def one_line(value: str | None) -> str:
    """Return a value cleaned onto one line, each run of blanks collapsed to one space."""
    return " ".join(clean_text(value).split())
