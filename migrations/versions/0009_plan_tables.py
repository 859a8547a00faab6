"""the plan: rut check-ins, obstacles and proof, strategic answers, people to reach, roles

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 22:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _owner(table: str) -> sa.Column:
    return sa.Column(
        "user_id",
        sa.Integer(),
        sa.ForeignKey("user.id", name=f"fk_{table}_user_id_user", ondelete="CASCADE"),
        nullable=False,
    )


def _contact(table: str) -> sa.Column:
    return sa.Column(
        "contact_id",
        sa.Integer(),
        sa.ForeignKey("contact.id", name=f"fk_{table}_contact_id_contact", ondelete="CASCADE"),
        nullable=False,
    )


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade():
    op.create_table(
        "rut_check_in",
        _id(),
        _owner("rut_check_in"),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("signs", sa.String(length=200), nullable=False),
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_rut_check_in"),
        sa.UniqueConstraint("user_id", "checked_on", name="uq_rut_check_in_user_id_checked_on"),
    )
    op.create_index("ix_rut_check_in_user_id", "rut_check_in", ["user_id"])

    op.create_table(
        "obstacle",
        _id(),
        _owner("obstacle"),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("text_key", sa.String(length=300), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_obstacle"),
        sa.UniqueConstraint("user_id", "text_key", name="uq_obstacle_user_id_text_key"),
    )
    op.create_index("ix_obstacle_user_id", "obstacle", ["user_id"])

    op.create_table(
        "obstacle_proof",
        _id(),
        _owner("obstacle_proof"),
        sa.Column(
            "obstacle_id",
            sa.Integer(),
            sa.ForeignKey(
                "obstacle.id", name="fk_obstacle_proof_obstacle_id_obstacle", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        _contact("obstacle_proof"),
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_obstacle_proof"),
        sa.UniqueConstraint(
            "obstacle_id", "contact_id", name="uq_obstacle_proof_obstacle_id_contact_id"
        ),
    )
    op.create_index("ix_obstacle_proof_user_id", "obstacle_proof", ["user_id"])
    op.create_index("ix_obstacle_proof_contact_id", "obstacle_proof", ["contact_id"])

    op.create_table(
        "strategic_answer",
        _id(),
        _owner("strategic_answer"),
        sa.Column("question", sa.String(length=30), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("saved_on", sa.Date(), nullable=False),
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_strategic_answer"),
    )
    op.create_index(
        "ix_strategic_answer_user_question", "strategic_answer", ["user_id", "question", "id"]
    )

    op.create_table(
        "person_to_reach",
        _id(),
        _owner("person_to_reach"),
        _contact("person_to_reach"),
        sa.Column("added_on", sa.Date(), nullable=False),
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_person_to_reach"),
        sa.UniqueConstraint("user_id", "contact_id", name="uq_person_to_reach_user_id_contact_id"),
    )
    op.create_index("ix_person_to_reach_contact_id", "person_to_reach", ["contact_id"])

    op.create_table(
        "target_role",
        _id(),
        _owner("target_role"),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_key", sa.String(length=200), nullable=False),
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_target_role"),
        sa.UniqueConstraint("user_id", "title_key", name="uq_target_role_user_id_title_key"),
    )
    op.create_index("ix_target_role_user_id", "target_role", ["user_id"])

    op.create_table(
        "role_contact",
        _id(),
        _owner("role_contact"),
        sa.Column(
            "role_id",
            sa.Integer(),
            sa.ForeignKey(
                "target_role.id", name="fk_role_contact_role_id_target_role", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        _contact("role_contact"),
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_role_contact"),
        sa.UniqueConstraint("role_id", "contact_id", name="uq_role_contact_role_id_contact_id"),
    )
    op.create_index("ix_role_contact_user_id", "role_contact", ["user_id"])
    op.create_index("ix_role_contact_contact_id", "role_contact", ["contact_id"])


def downgrade():
    for table in (
        "role_contact",
        "target_role",
        "person_to_reach",
        "strategic_answer",
        "obstacle_proof",
        "obstacle",
        "rut_check_in",
    ):
        op.drop_table(table)
