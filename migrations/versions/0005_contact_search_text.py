"""contact search text

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:01:23.732616

"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


# The combining accents of Latin, Greek and Cyrillic letters (other scripts keep their marks).
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_UNDECOMPOSED = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "Th",
        "þ": "th",
        "ı": "i",
        "’": "'",
        "‘": "'",
    }
)


def _fold(text: str) -> str:
    """As crm.normalize.fold on the day of this migration (kept here so it never drifts)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return _ACCENTS.sub("", decomposed).casefold()


def upgrade():
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    # Fill it for existing contacts: name, email, title, company, tags, notes.
    connection = op.get_bind()
    tags: dict[int, list[str]] = {}
    for contact_id, name in connection.execute(
        sa.text(
            "SELECT contact_tag.contact_id, tag.name FROM contact_tag "
            "JOIN tag ON tag.id = contact_tag.tag_id"
        )
    ):
        tags.setdefault(contact_id, []).append(name)
    rows = connection.execute(
        sa.text(
            "SELECT contact.id, first_name, last_name, email, title, company.name, contact.notes "
            "FROM contact LEFT JOIN company ON company.id = contact.company_id"
        )
    ).all()
    values = []
    for row in rows:
        parts = [*row[1:6], " ".join(tags.get(row[0], [])), row[6]]
        values.append({"id": row[0], "text": _fold(" ".join(p for p in parts if p))})
    if values:
        connection.execute(sa.text("UPDATE contact SET search_text = :text WHERE id = :id"), values)


def downgrade():
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("search_text")
