"""the rut check-in as a follow-up of its own: follow_up.contact_id may be empty

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 01:00:00

Every user who has checked in already gets the open reminder that saving a check-in now
plans: four weeks after their latest check-in, moved off a weekend.
"""

import uuid
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

from crm import clock

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# As crm.enums.FollowUpKind.CHECK_IN and crm.plan.method say them today; a migration keeps
# its own copy, so later changes to the app do not rewrite history.
CHECK_IN = "check_in"
REASON = (
    "Four weeks since your last check-in: tick the signs that are true today "
    "and see what has changed."
)

follow_up = sa.table(
    "follow_up",
    sa.column("user_id", sa.Integer),
    sa.column("contact_id", sa.Integer),
    sa.column("uid", sa.String),
    sa.column("sequence", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("reason", sa.String),
    sa.column("due_on", sa.Date),
    sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
rut_check_in = sa.table(
    "rut_check_in", sa.column("user_id", sa.Integer), sa.column("checked_on", sa.Date)
)


def _due(last: date) -> date:
    due = last + timedelta(weeks=4)
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


def upgrade():
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.alter_column("contact_id", existing_type=sa.Integer(), nullable=True)

    connection = op.get_bind()
    latest = connection.execute(
        sa.select(rut_check_in.c.user_id, sa.func.max(rut_check_in.c.checked_on)).group_by(
            rut_check_in.c.user_id
        )
    ).all()
    now = clock.now()
    rows = []
    for user_id, last in latest:
        if isinstance(last, str):  # SQLite hands dates back as text in a bare select
            last = date.fromisoformat(last)
        rows.append(
            {
                "user_id": user_id,
                "contact_id": None,
                "uid": f"follow-up-{uuid.uuid4()}@networking-crm",
                "sequence": 0,
                "kind": CHECK_IN,
                "reason": REASON,
                "due_on": _due(last),
                "status": "open",
                "created_at": now,
                "updated_at": now,
            }
        )
    if rows:
        op.bulk_insert(follow_up, rows)


def downgrade():
    # Rows without a contact cannot stay once the column requires one.
    op.execute(follow_up.delete().where(follow_up.c.contact_id.is_(None)))
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.alter_column("contact_id", existing_type=sa.Integer(), nullable=False)
