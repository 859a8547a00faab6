"""sync: the cards recently served to devices, so an edit made from an older card is merged

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 01:20:00

served_card keeps a contact's card as a device was given it, under its ETag, so that a device
that edits an older card than the app's has its changes merged field by field. A few rows per
contact; they go with the contact (ON DELETE CASCADE).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "served_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("etag", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_served_card_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_served_card")),
        sa.UniqueConstraint("contact_id", "etag", name=op.f("uq_served_card_contact_id_etag")),
    )


def downgrade() -> None:
    op.drop_table("served_card")
