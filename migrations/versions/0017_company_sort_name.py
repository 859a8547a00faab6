"""company sort name, for the contact list sorted by company

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 19:30:00

The list sorted by company ordered companies by their case-insensitive key and each one's
people by last name as typed, so "Étoile Labs" came after "zeta corp" and "Álvarez" after
"Young". Each company now keeps its folded name (crm.normalize.company_sort_name), and the
list walks the companies by it and each company's people by their folded sort name.
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
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
_NOT_LETTERS = " \t\"'“”‘’«»()[]{}<>.,;:-_!?*#@&/\\"
BATCH = 5000


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return _ACCENTS.sub("", decomposed).casefold()


def _company_sort_name(name: str | None) -> str:
    return _fold(" ".join((name or "").split())).lstrip(_NOT_LETTERS)[:200]


def upgrade() -> None:
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sort_name", sa.String(length=200), server_default="", nullable=False)
        )
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, name FROM company")).all()
    values = [{"id": row[0], "sort": _company_sort_name(row[1])} for row in rows]
    for start in range(0, len(values), BATCH):
        connection.execute(
            sa.text("UPDATE company SET sort_name = :sort WHERE id = :id"),
            values[start : start + BATCH],
        )
    op.create_index("ix_company_user_sort_name", "company", ["user_id", "sort_name", "id"])
    op.drop_index("ix_contact_user_company", table_name="contact")
    op.create_index(
        "ix_contact_user_company_sort", "contact", ["user_id", "company_id", "sort_name", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_contact_user_company_sort", table_name="contact")
    op.create_index(
        "ix_contact_user_company", "contact", ["user_id", "company_id", "last_name", "id"]
    )
    op.drop_index("ix_company_user_sort_name", table_name="company")
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_column("sort_name")
