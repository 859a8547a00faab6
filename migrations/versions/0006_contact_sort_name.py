"""contact sort name

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:45:00

"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
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


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return _ACCENTS.sub("", decomposed).casefold()


def _sort_name(last: str | None, first: str | None) -> str:
    last_part = _fold(last or "").lstrip(_NOT_LETTERS)
    first_part = _fold(first or "").lstrip(_NOT_LETTERS)
    return f"{last_part} {first_part}".strip()[:220]


def upgrade():
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sort_name", sa.String(length=220), server_default="", nullable=False)
        )
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, last_name, first_name FROM contact")).all()
    values = [{"id": row[0], "name": _sort_name(row[1], row[2])} for row in rows]
    if values:
        connection.execute(sa.text("UPDATE contact SET sort_name = :name WHERE id = :id"), values)
    # The list orders by the folded name now; the lower(last_name) index has no reader left.
    op.drop_index("ix_contact_user_name_order", table_name="contact")
    op.create_index("ix_contact_user_sort_name", "contact", ["user_id", "sort_name", "id"])


def downgrade():
    op.drop_index("ix_contact_user_sort_name", table_name="contact")
    op.create_index(
        "ix_contact_user_name_order",
        "contact",
        ["user_id", sa.text("lower(last_name)"), sa.text("lower(first_name)"), "id"],
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("sort_name")
