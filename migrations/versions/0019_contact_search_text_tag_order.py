"""contact search text: tags in one order

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 20:15:00

A contact's search text held its tags in the order they were written in (as typed in the
form, as given by the file), so saving the contact again could change it. The rule now
sorts them by their key (crm.normalize.contact_derived): contacts with two tags or more
get their search text again.
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# As crm.normalize on the day of this migration (kept here so it never drifts).
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_UNDECOMPOSED = str.maketrans(
    {
        "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Æ": "AE", "æ": "ae",
        "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ı": "i", "’": "'", "‘": "'",
    }
)  # fmt: skip
BATCH = 5000


def _fold(text: str | None) -> str:
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return _ACCENTS.sub("", decomposed).casefold()


def _search_text(*parts: str | None) -> str:
    return " ".join(_fold(part) for part in parts if part)


def upgrade() -> None:
    connection = op.get_bind()
    tagged = "SELECT contact_id FROM contact_tag GROUP BY contact_id HAVING count(*) > 1"
    tags: dict[int, list[str]] = {}
    for contact_id, name in connection.execute(
        sa.text(
            "SELECT contact_tag.contact_id, tag.name FROM contact_tag"
            " JOIN tag ON tag.id = contact_tag.tag_id"
            f" WHERE contact_tag.contact_id IN ({tagged})"
        )
    ):
        tags.setdefault(contact_id, []).append(name)
    rows = connection.execute(
        sa.text(
            "SELECT contact.id, contact.first_name, contact.last_name, contact.email,"
            " contact.title, company.name, contact.notes FROM contact"
            " LEFT JOIN company ON company.id = contact.company_id"
            f" WHERE contact.id IN ({tagged})"
        )
    ).all()
    values = []
    for contact_id, first, last, email, title, company, notes in rows:
        words = " ".join(sorted(tags[contact_id], key=str.casefold))
        text = _search_text(first, last, email, title, company, words, notes)
        values.append({"id": contact_id, "text": text})
    for start in range(0, len(values), BATCH):
        connection.execute(
            sa.text("UPDATE contact SET search_text = :text WHERE id = :id"),
            values[start : start + BATCH],
        )


def downgrade() -> None:
    pass  # the older order was whatever each write gave; any order searches the same
