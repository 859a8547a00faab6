"""Substring tests in SQL: one escaped pattern, never a function applied to every row.

Contact.search_text, Contact.sort_name and Company.sort_name hold folded text
(crm.normalize.fold): lower case, no accents. A folded word matches them with a plain LIKE,
which PostgreSQL runs about three times faster than ILIKE (ILIKE lower-cases every row it
reads).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import QueryableAttribute


def like_pattern(word: str) -> str:
    """The LIKE pattern (escape "/") for text holding the word, to bind into a statement
    built once."""
    escaped = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def contains_folded(
    column: QueryableAttribute[str] | QueryableAttribute[str | None] | ColumnElement[str | None],
    word: str,
) -> ColumnElement[bool]:
    """The folded column holds the folded word (fold it first: crm.normalize.fold)."""
    return column.like(like_pattern(word), escape="/")
