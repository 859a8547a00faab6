"""How a contact is named on screen, in emails and in exported files: the one fallback rule."""

from __future__ import annotations

NO_NAME = "(no name)"


def display_name(
    first: str | None, last: str | None, email: str | None = None, *, nameless: str = NO_NAME
) -> str:
    """First and last name; else the email, so the person stays recognisable; else `nameless`."""
    name = " ".join(part for part in (first, last) if part and part.strip())
    return name.strip() or (email or "").strip() or nameless
