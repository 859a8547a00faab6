"""The contact search through each database's own index, finding exactly what
LIKE '%word%' over the folded Contact.search_text finds (lower case, accents off).

SQLite: contact_search, an FTS5 table with the trigram tokenizer holding each contact's search
text (migration 0031). A quoted word of three or more letters is a run of consecutive
trigrams, so the index narrows the search to the contacts holding it (when they are few: a
common word is left to LIKE), and LIKE, on those few, keeps the answer exact; a shorter word
has no trigram and is matched with LIKE alone.
Triggers note every contact written or deleted in contact_search_pending; a search that finds
notes there brings the index up to date in a transaction of its own (one statement however
many contacts an import wrote) and itself reads without the index, so it is never out of date.
PostgreSQL: a pg_trgm GIN index on contact.search_text serves the LIKE itself.
Either index may be missing (an old SQLite, no right to CREATE EXTENSION): the search then
reads every contact of the user, as before, and finds the same people.
"""

from __future__ import annotations

import logging

from sqlalchemy import ColumnElement, column, func, literal_column, select, table
from sqlalchemy.exc import OperationalError

from crm.extensions import db
from crm.models import Contact
from crm.search import contains_folded
from crm.transactions import wrote

logger = logging.getLogger(__name__)

# The FTS5 table: its rowid is the contact's id. Not in the models' metadata: create_all and
# autogenerate must not treat it as an ordinary table (described_by_the_models).
CONTACT_SEARCH = table("contact_search", column("rowid"))
PENDING = table("contact_search_pending", column("contact_id"))
# Its shadow tables, the notes of contacts to index, and PostgreSQL's trigram index.
OUTSIDE_THE_MODELS = frozenset(
    {
        "contact_search",
        "contact_search_content",
        "contact_search_data",
        "contact_search_idx",
        "contact_search_docsize",
        "contact_search_config",
        "contact_search_pending",
        "ix_contact_search_trigram",
    }
)
# A trigram index holds runs of three letters: a shorter word cannot be looked up in it.
TRIGRAM = 3
# Words in more contacts than this are common: LIKE meets their matches along the list's order
# (and its count's cap) sooner than the index could list them all; telling takes one read of
# at most this many of the index's entries.
COMMON = 10_000

CATCH_UP = (
    "DELETE FROM contact_search WHERE rowid IN (SELECT contact_id FROM contact_search_pending)",
    "INSERT INTO contact_search(rowid, search_text) SELECT id, search_text FROM contact "
    "WHERE id IN (SELECT contact_id FROM contact_search_pending)",
    "DELETE FROM contact_search_pending",
)

# Whether the SQLite database at a URL has contact_search, asked once per process.
_fts_at: dict[str, bool] = {}


def described_by_the_models(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's include_name: the search index's own tables and index are no model's."""
    return name not in OUTSIDE_THE_MODELS


def _has_contact_search() -> bool:
    """Whether the session's SQLite database holds contact_search and its notes table (made by
    migration 0031)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return False
    url = str(engine.url)
    if url not in _fts_at:
        master = table("sqlite_master", column("type"), column("name"))
        found = db.session.execute(
            select(master.c.name).where(
                master.c.type == "table", master.c.name == "contact_search_pending"
            )
        ).first()
        _fts_at[url] = found is not None
    return _fts_at[url]


def catch_up() -> None:
    """Bring contact_search up to date with the contacts noted since, in a transaction of its
    own (a bulk writer such as a restore can call it when done, to spare the next search)."""
    try:
        with db.engine.begin() as connection:
            for statement in CATCH_UP:
                connection.exec_driver_sql(statement)
    except OperationalError:  # another writer held the database: the next search tries again
        logger.warning("The contact search index could not catch up", exc_info=True)


def _index_current() -> bool:
    """Whether the session can read contact_search as up to date. When contacts were noted,
    it catches up for the next search; this one's snapshot predates that, so it reads
    without the index (and, having written, leaves the catching up to a later request: its
    own write lock would hold the other transaction up)."""
    if not _has_contact_search():
        return False
    # A select, not text: the session counts raw text as a write (crm/transactions.py).
    noted = db.session.execute(select(PENDING.c.contact_id).limit(1)).first()
    if noted is None:
        return True
    if not wrote(db.session()):
        catch_up()
    return False


def _phrase(word: str) -> str:
    """An FTS5 query string matching the word as it is: quoted, its quotes doubled."""
    return '"' + word.replace('"', '""') + '"'


def holding_words(words: list[str]) -> list[ColumnElement[bool]]:
    """Conditions on Contact: its search text holds every one of the folded words."""
    conditions = [contains_folded(Contact.search_text, word) for word in words]
    indexed = [word for word in words if len(word) >= TRIGRAM]
    if not indexed or not _index_current():
        return conditions
    query = " ".join(_phrase(word) for word in indexed)  # FTS5 reads a space as AND
    found = select(CONTACT_SEARCH.c.rowid).where(
        literal_column("contact_search").op("MATCH")(query)
    )
    counted = select(func.count()).select_from(found.limit(COMMON + 1).subquery())
    if (db.session.scalar(counted) or 0) <= COMMON:
        conditions.append(Contact.id.in_(found))
    return conditions
