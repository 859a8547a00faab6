"""restore jobs: a restore started on the Import page runs in the background, with progress

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 01:30:00

One row per restore: who asked, which server runs it, how far it got, and how it ended.
active_user_id is set only while a job is queued or running; its unique constraint keeps an
account to one restore at a time across servers.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "restore_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("active_user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("runner", sa.String(length=300), nullable=False),
        sa.Column("contacts_total", sa.Integer(), nullable=True),
        sa.Column("contacts_done", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_restore_job_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restore_job")),
        sa.UniqueConstraint("active_user_id", name=op.f("uq_restore_job_active_user_id")),
    )
    op.create_index(op.f("ix_restore_job_user_id"), "restore_job", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_restore_job_user_id"), table_name="restore_job")
    op.drop_table("restore_job")
