"""Links to one row among many: url_for's rule building, done once per page.

A page of follow-ups links each row five times; building each link through url_for cost
about a fifth of the page. row_url builds an endpoint's link once per request, with a
stand-in id, and fills in each row's id.
"""

from __future__ import annotations

from typing import Any

from flask import g, url_for

# An id no row has in a test or a benchmark; only its digits matter (they mark the spot).
_STAND_IN = 918273645


def row_url(endpoint: str, name: str, value: int) -> str:
    """The same as url_for(endpoint, **{name: value}) for an integer id."""
    cache: dict[tuple[str, str], tuple[str, str]] = g.setdefault("row_urls", {})
    parts = cache.get((endpoint, name))
    if parts is None:
        values: dict[str, Any] = {name: _STAND_IN}
        before, _, after = url_for(endpoint, **values).partition(str(_STAND_IN))
        parts = cache[(endpoint, name)] = (before, after)
    return f"{parts[0]}{int(value)}{parts[1]}"
