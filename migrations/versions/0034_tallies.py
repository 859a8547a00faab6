"""tallies: the dashboard's and the Plan page's counts kept as contacts and outreach change;
an index of the starred companies

Revision ID: 0034
Revises: 0032
Create Date: 2026-12-07 01:40:00

The dashboard and the Plan page counted every contact and every reply ever on each visit
(171 ms and 201 ms of statements at 300,000 contacts). A tally per user, kind and key is
kept by row triggers on contact and outreach (crm/tallies/counters.py says what they rely
on), and counted once here from the rows already there.
"""

import sqlalchemy as sa
from alembic import op

from crm.tallies.counters import create_triggers, drop_triggers, rebuild_statements

# revision identifiers, used by Alembic.
revision = "0034"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "tally",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_tally_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", "key", name=op.f("pk_tally")),
    )
    # The Plan's target employers read the starred companies from here, not every company.
    op.create_index(
        "ix_company_user_target",
        "company",
        ["user_id"],
        sqlite_where=sa.text("is_target IS 1"),
        postgresql_where=sa.text("is_target IS true"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # Every count moved leaves a dead row version: vacuum the small table after 1,000 of
        # them, not after a fifth of it (a 30,000-contact import left 122,000 and slowed it).
        op.execute(
            "ALTER TABLE tally SET (autovacuum_vacuum_scale_factor = 0, "
            "autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0, "
            "autovacuum_analyze_threshold = 1000)"
        )
    for statement in create_triggers(dialect):
        op.execute(statement)
    for statement in rebuild_statements(dialect, one_user=False):
        op.execute(statement)


def downgrade():
    for statement in drop_triggers(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table("tally")
    op.drop_index("ix_company_user_target", table_name="company")
