"""The contact search through each database's own index, finding exactly what
LIKE '%word%' over the folded Contact.search_text finds (lower case, accents off).

SQLite: contact_search, an FTS5 table with the trigram tokenizer over contact.search_text
(external content, kept in step by the triggers of migration 0031). A quoted word of three or
more letters is a run of consecutive trigrams, so it matches where the text holds the word, as
LIKE does; a shorter word has no trigram and is matched with LIKE. PostgreSQL: a pg_trgm GIN
index on contact.search_text serves the LIKE itself, so the statement stays the plain one.
Either index may be missing (an old SQLite, no right to CREATE EXTENSION): the search then
reads every contact of the user, as before, and finds the same people.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, column, literal_column, select, table, text

from crm.extensions import db
from crm.models import Contact
from crm.search import contains_folded

# The FTS5 table: its rowid is the contact's id. Not in the models' metadata: create_all and
# autogenerate must not treat it as an ordinary table (described_by_the_models).
CONTACT_SEARCH = table("contact_search", column("rowid"))
# Its shadow tables, and PostgreSQL's trigram index, made by migration 0031.
OUTSIDE_THE_MODELS = frozenset(
    {
        "contact_search",
        "contact_search_data",
        "contact_search_idx",
        "contact_search_docsize",
        "contact_search_config",
        "ix_contact_search_trigram",
    }
)
# A trigram index holds runs of three letters: a shorter word cannot be looked up in it.
TRIGRAM = 3

# Whether the SQLite database at a URL has contact_search, asked once per process.
_fts_at: dict[str, bool] = {}


def described_by_the_models(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's include_name: the search index's own tables and index are no model's."""
    return name not in OUTSIDE_THE_MODELS


def _has_contact_search() -> bool:
    """Whether the session's SQLite database holds contact_search (made by migration 0031)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return False
    url = str(engine.url)
    if url not in _fts_at:
        found = db.session.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'contact_search'")
        ).first()
        _fts_at[url] = found is not None
    return _fts_at[url]


def _phrase(word: str) -> str:
    """An FTS5 query string matching the word as it is: quoted, its quotes doubled."""
    return '"' + word.replace('"', '""') + '"'


def holding_words(words: list[str]) -> list[ColumnElement[bool]]:
    """Conditions on Contact: its search text holds every one of the folded words."""
    indexed = [word for word in words if len(word) >= TRIGRAM] if _has_contact_search() else []
    conditions = [
        contains_folded(Contact.search_text, word) for word in words if word not in indexed
    ]
    if indexed:
        query = " ".join(_phrase(word) for word in indexed)  # FTS5 reads a space as AND
        conditions.append(
            Contact.id.in_(
                select(CONTACT_SEARCH.c.rowid).where(
                    literal_column("contact_search").op("MATCH")(query)
                )
            )
        )
    return conditions
