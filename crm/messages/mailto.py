"""A mailto: link that opens the person's own mail app with the message written. Pure."""

from __future__ import annotations

from urllib.parse import quote

from crm.messages.placeholders import one_line


def mailto_link(email: str | None, subject: str, body: str) -> str | None:
    """mailto:address?subject=...&body=..., every part percent-encoded (RFC 6068); None without
    an address."""
    address = (email or "").strip()
    if not address or "@" not in address:
        return None
    # Line breaks in a mailto body are CRLF, encoded; everything else outside a-z0-9 is escaped,
    # so nothing in a name or message can add headers or break out of the attribute.
    normalised = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return (
        f"mailto:{quote(address, safe='@')}"
        f"?subject={quote(one_line(subject), safe='')}"
        f"&body={quote(normalised, safe='')}"
    )
