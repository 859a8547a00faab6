"""suggestions: the names an interview gave, and whether the suggester may be named

Revision ID: 0026
Revises: 0024
Create Date: 2026-12-06 22:30:00

Who introduced whom stays on contact.introduced_by_id; a suggestion row adds the interview it
came from and the permission to mention the interviewee. It goes with its user, interview and
contact (ON DELETE CASCADE).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("permission", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_suggestion_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f("fk_suggestion_interview_id_interview"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_suggestion_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
        sa.UniqueConstraint(
            "interview_id", "contact_id", name=op.f("uq_suggestion_interview_id_contact_id")
        ),
    )
    op.create_index(op.f("ix_suggestion_contact_id"), "suggestion", ["contact_id"], unique=False)
    op.create_index(
        op.f("ix_suggestion_interview_id"), "suggestion", ["interview_id"], unique=False
    )
    op.create_index(
        "ix_suggestion_user_created", "suggestion", ["user_id", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_suggestion_user_created", table_name="suggestion")
    op.drop_index(op.f("ix_suggestion_interview_id"), table_name="suggestion")
    op.drop_index(op.f("ix_suggestion_contact_id"), table_name="suggestion")
    op.drop_table("suggestion")
