"""Links and form fields repeated on every row of a page, built once per page.

A page of follow-ups links each row five times; building each link through url_for cost
about a fifth of the page. row_url builds an endpoint's link once per request, with a
stand-in id, and fills in each row's id; query_url does the same for a link with one query
argument. return_fields gives the hidden fields every small
form posts (the CSRF token and the page to come back to), escaped once per request.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import g, request, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

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


def query_url(endpoint: str, name: str, value: str) -> str:
    """The same link as url_for(endpoint, **{name: value}) for one query argument (a list of
    contacts links each row's company this way), the endpoint's own path built once."""
    paths: dict[str, str] = g.setdefault("query_urls", {})
    path = paths.get(endpoint)
    if path is None:
        path = paths[endpoint] = url_for(endpoint)
    return f"{path}?{urlencode({name: value})}"


def return_fields() -> Markup:
    """The hidden CSRF token and "next" (this page) fields of a small form on this page."""
    fields: Markup | None = g.get("return_fields")
    if fields is None:
        fields = Markup(
            f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">'
            f'<input type="hidden" name="next" value="{escape(request.full_path)}">'
        )
        g.return_fields = fields
    return fields
