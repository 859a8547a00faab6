"""What the save's, the Calendar page's, the Follow-ups page's and the Plan page's speed relies
on, asked of the database itself: the twin check reads indexes, not every contact of the user;
the open follow-ups are a tally; each list of follow-ups and the latest replies are read from
their indexes in order; the check-in reminder is found without walking other accounts' rows."""

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
from crm.plan.progress import build_progress
from crm.plan.rut import check_in_reminder
from tests.seed import seed, seed_plan


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


def test_the_plan_pages_latest_replies_are_read_from_the_index_in_order(app, user):
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == user))
        seed(owner.id, 200, outreach=2_000)
        with _recording() as ran:
            progress = build_progress(owner.id, 5, clock.now().date())
        assert [win for win in progress.wins if win.what == "replied"]
        plans = _plans([(sql, params) for sql, params in ran if "outreach.reply_on DESC" in sql])
        sqlite = db.engine.dialect.name == "sqlite"
        db.session.rollback()
    (plan,) = plans
    # The five latest come from the index in (reply_on, id) order: not every reply of the
    # latest reply day read and joined to its contact, then sorted.
    replies = plan.split("anon_2")[0]  # the statement's first part, before the interviews
    assert "ix_outreach_user_status_reply" in replies, plan
    if not sqlite:
        assert "Sort" not in replies, plan  # neither a Sort nor an Incremental Sort


def test_the_check_in_reminder_is_found_without_reading_other_accounts_follow_ups(app, user):
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == user))
        seed(owner.id, 10)
        seed_plan(owner.id)  # the reminder, planned before the other account's follow-ups
        other = User(email="busy@example.com", password_hash="x")
        db.session.add(other)
        db.session.flush()
        seed(other.id, 200, followups=2_000)
        with _recording() as ran:
            status, due_on = db.session.execute(select(*check_in_reminder(owner.id))).one()
        assert (status, due_on) == (FollowUpState.OPEN, clock.now().date())
        (plan,) = _plans([(sql, params) for sql, params in ran if "FROM follow_up" in sql])
        db.session.rollback()
    # Read from the user's own follow-ups of that kind, newest first: not the primary key
    # walked backwards through every newer follow-up of every account.
    assert "ix_follow_up_user_kind" in plan, plan
    assert "pk_follow_up" not in plan, plan
