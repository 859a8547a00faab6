"""What the save and the Calendar page's speed relies on, asked of the database itself: the
twin check reads indexes, not every contact of the user; the open follow-ups are a tally."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, func, select

from crm import clock
from crm.calendar.services import calendar_counts
from crm.contacts.services import find_duplicate
from crm.enums import FollowUpState
from crm.extensions import db
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
