"""The cards devices were given, kept under their ETags for a while, so that a card a device
edited from an older copy can be merged field by field (crm.dav.card_writes) instead of being
refused with 412. The ETag of a card is the hash of its vCard 3.0 text, whichever version the
client read, so one row stands for both.

Cards are noted as they are served and written once the request is done: the first sync
writes a row per contact, later syncs only for cards that changed. Each contact keeps its
newest KEEP_PER_CONTACT cards; an edit made from an older one is refused as before.
"""

from __future__ import annotations

from flask import g
from radicale.item import get_etag
from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from crm.dav.models import ServedCard
from crm.extensions import db

KEEP_PER_CONTACT = 4
# Rows per IN (...) list: within every database's parameter limit.
CHUNK = 500


def card_etag(text: str) -> str:
    """The ETag a client is given for a card: its 3.0 text's, in every version served."""
    return get_etag(text)


def note_served(contact_id: int, text: str) -> str:
    """Note that this request hands a device the card (its 3.0 text); its ETag."""
    etag = card_etag(text)
    served: dict[tuple[int, str], str] = g.setdefault("dav_served_cards", {})
    served[(contact_id, etag)] = text
    return etag


def served_text(contact_id: int, etag: str) -> str | None:
    """The card a device was given under this ETag, while it is kept."""
    return db.session.scalar(
        select(ServedCard.text).where(ServedCard.contact_id == contact_id, ServedCard.etag == etag)
    )


def _insert_ignoring_twins(rows: list[dict[str, object]]) -> None:
    """Insert the rows; one another server wrote meanwhile (same contact and ETag) is skipped."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(ServedCard).on_conflict_do_nothing(), rows)


def _prune(contact_ids: list[int]) -> None:
    """Each of these contacts keeps its newest KEEP_PER_CONTACT cards."""
    ranked = (
        select(
            ServedCard.id,
            func.row_number()
            .over(partition_by=ServedCard.contact_id, order_by=ServedCard.id.desc())
            .label("rank"),
        )
        .where(ServedCard.contact_id.in_(contact_ids))
        .subquery()
    )
    db.session.execute(
        delete(ServedCard)
        .where(ServedCard.id.in_(select(ranked.c.id).where(ranked.c.rank > KEEP_PER_CONTACT)))
        .execution_options(synchronize_session=False)
    )


def remember_served() -> bool:
    """Keep the cards this request served that are not kept yet; True when any was new."""
    served: dict[tuple[int, str], str] = g.pop("dav_served_cards", {})
    cards = sorted(served.items())
    wrote = False
    for start in range(0, len(cards), CHUNK):
        chunk = cards[start : start + CHUNK]
        found = db.session.execute(
            select(ServedCard.contact_id, ServedCard.etag).where(
                ServedCard.contact_id.in_({contact_id for (contact_id, _), _ in chunk})
            )
        )
        known = {(contact_id, etag) for contact_id, etag in found}
        new = [(key, text) for key, text in chunk if key not in known]
        if new:
            _insert_ignoring_twins(
                [{"contact_id": key[0], "etag": key[1], "text": text} for key, text in new]
            )
            _prune(sorted({contact_id for (contact_id, _), _ in new}))
            wrote = True
    return wrote
