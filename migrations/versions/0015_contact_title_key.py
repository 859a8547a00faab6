"""contact title key, for the Plan page's target roles

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 16:30:00

At 30,000 contacts the Plan page counted each target role's people by reading every
contact's row and matching its folded search text: 26-33 ms on SQLite. Each contact now
keeps its title's words (crm.normalize.title_key), and a partial index holds them with the
first outreach day, so the page counts from the index, matching each distinct key once.
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

HAS_TITLE_KEY = sa.text("title_key IS NOT NULL")

# As crm.normalize on the day of this migration (kept here so it never drifts).
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_UNDECOMPOSED = str.maketrans(
    {
        "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Æ": "AE", "æ": "ae",
        "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ı": "i", "’": "'", "‘": "'",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W_]+")
_FILLER = frozenset({"of", "the", "and", "for", "at", "in", "a", "an", "de", "du", "la", "le"})
_ABBREVIATIONS = {
    "sr": "senior", "snr": "senior", "jr": "junior", "mgr": "manager", "eng": "engineer",
    "engr": "engineer", "dev": "developer", "dir": "director", "mktg": "marketing",
    "assoc": "associate", "asst": "assistant",
}  # fmt: skip
BATCH = 5000


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return _ACCENTS.sub("", decomposed).casefold()


def _word_key(word: str) -> str:
    word = _ABBREVIATIONS.get(word, word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def _title_key(title: str) -> str | None:
    words = {_word_key(w) for w in _WORD.findall(_fold(title))} - _FILLER
    return f" {' '.join(sorted(words))} " if words else None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_key", sa.Text(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, title FROM contact WHERE title IS NOT NULL AND title <> ''")
    ).all()
    values = [{"id": row[0], "key": _title_key(row[1])} for row in rows]
    values = [value for value in values if value["key"] is not None]
    for start in range(0, len(values), BATCH):
        connection.execute(
            sa.text("UPDATE contact SET title_key = :key WHERE id = :id"),
            values[start : start + BATCH],
        )
    op.create_index(
        "ix_contact_user_title_key",
        "contact",
        ["user_id", "title_key", "first_outreach_on"],
        sqlite_where=HAS_TITLE_KEY,
        postgresql_where=HAS_TITLE_KEY,
    )


def downgrade() -> None:
    op.drop_index("ix_contact_user_title_key", table_name="contact")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("title_key")
