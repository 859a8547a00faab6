"""What the save's, the Calendar page's and the Follow-ups page's speed relies on, asked of the
database itself: the twin check reads indexes, not every contact of the user; the open
follow-ups are a tally; each list of follow-ups is read from its index in order."""

from __future__ import annotations

import re
from contextlib import contextmanager

from sqlalchemy import event, func, select

from crm import clock
from crm.calendar.services import calendar_counts
from crm.contacts.services import find_duplicate
from crm.enums import FollowUpState
from crm.extensions import db
from crm.followups.services import open_followups
from crm.models import FollowUp, User
from tests.seed import seed


@contextmanager
def _recording():
    """The statements run in the block, with their parameters."""
    ran: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        ran.append((statement, parameters))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield ran
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _plans(ran: list[tuple[str, object]]) -> list[str]:
    """Each recorded statement's plan, as text (statistics fresh, sequential scans
    discouraged on PostgreSQL as a large table would)."""
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    connection.exec_driver_sql("ANALYZE")
    if not sqlite:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    plans = []
    for statement, parameters in ran:
        explain = "EXPLAIN QUERY PLAN" if sqlite else "EXPLAIN"
        rows = connection.exec_driver_sql(f"{explain} {statement}", parameters).all()
        plans.append("\n".join(str(row[-1]) for row in rows))
    return plans


def test_the_twin_check_looks_up_the_linkedin_url_and_the_email_in_their_indexes(app, user):
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == user))
        seed(user_id, 500)
        with _recording() as ran:
            twin = find_duplicate(user_id, "PERSON7@example.com", "https://www.linkedin.com/in/x")
        assert twin is not None and twin.email == "person7@example.com"
        (plan,) = _plans(ran)
        sqlite = db.engine.dialect.name == "sqlite"
        db.session.rollback()
    if sqlite:
        assert "sqlite_autoindex_contact_1 (user_id=? AND linkedin_url=?)" in plan, plan
        assert "ix_contact_user_email (user_id=? AND email=?)" in plan, plan
        assert "SCAN contact" not in plan, plan
    else:
        assert "uq_contact_user_id_linkedin_url" in plan and "ix_contact_user_email" in plan, plan


def test_the_calendar_page_counts_open_follow_ups_from_the_tally_not_the_rows(app, user):
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == user))
        seed(owner.id, 200, followups=400)
        open_ones = db.session.scalar(
            select(func.count(FollowUp.id)).where(
                FollowUp.user_id == owner.id, FollowUp.status == FollowUpState.OPEN
            )
        )
        with _recording() as ran:
            followups, _ = calendar_counts(owner, clock.now())
        db.session.rollback()
    assert followups == open_ones > 0
    assert not [sql for sql, _ in ran if "FROM follow_up" in sql], ran
    assert [sql for sql, _ in ran if "FROM tally" in sql], ran


def test_each_follow_up_list_reads_its_first_rows_from_the_index_in_order(app, user):
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == user))
        seed(owner.id, 200, followups=2_000)
        with _recording() as ran:
            lists = open_followups(owner.id, clock.now().date())
        assert sum(lists.counts.values()) > 40
        (plan,) = _plans([(sql, params) for sql, params in ran if "FROM follow_up" in sql])
        sqlite = db.engine.dialect.name == "sqlite"
        db.session.rollback()
    # Each list's first rows come from the index in (due_on, id) order: only the forty rows
    # shown are sorted, not every follow-up due on a list's first day.
    assert plan.count("ix_follow_up_user_open_due") >= 8, plan
    if sqlite:
        assert "SCAN follow_up" not in plan, plan  # its indexes end with the row id
    else:
        assert not re.search(r"Sort Key: follow_up_\d+\.due_on", plan), plan
        assert "Incremental Sort" not in plan, plan
