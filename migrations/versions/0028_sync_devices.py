"""sync: device passwords, archived contacts with the vCard lines the app does not model,
and tombstones for sync-collection

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 22:40:00

Device passwords are kept as SHA-256 hashes and go with the user (ON DELETE CASCADE). A
contact deleted on a device is archived (archived_at), not deleted; card_extra keeps the
card's lines the app has no field for. sync_tombstone remembers what was deleted in the app
so a client's next sync removes it.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_password",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_device_password_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_password")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_device_password_secret_hash")),
    )
    op.create_index(
        op.f("ix_device_password_user_id"), "device_password", ["user_id"], unique=False
    )
    op.create_table(
        "sync_tombstone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("collection", sa.String(length=20), nullable=False),
        sa.Column("uid", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_sync_tombstone_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_tombstone")),
    )
    op.create_index(
        "ix_sync_tombstone_user_collection",
        "sync_tombstone",
        ["user_id", "collection", "deleted_at"],
        unique=False,
    )
    with op.batch_alter_table("contact") as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("card_extra", sa.Text(), nullable=True))
    # Sync asks for what changed since its last token, per user.
    op.create_index("ix_contact_user_updated", "contact", ["user_id", "updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_contact_user_updated", table_name="contact")
    with op.batch_alter_table("contact") as batch_op:
        batch_op.drop_column("card_extra")
        batch_op.drop_column("archived_at")
    op.drop_index("ix_sync_tombstone_user_collection", table_name="sync_tombstone")
    op.drop_table("sync_tombstone")
    op.drop_index(op.f("ix_device_password_user_id"), table_name="device_password")
    op.drop_table("device_password")
