"""How a request's transaction ends: what it did not commit is never kept, and a request that
only read commits, so PostgreSQL keeps the statements it prepared."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select, text, update

from crm.extensions import db
from crm.models import Contact, User
from crm.transactions import execute_write, wrote


def _count(app, statement) -> int:
    with app.app_context():
        return db.session.scalar(statement) or 0


def test_what_a_request_flushes_or_updates_without_committing_is_rolled_back(app, client, auth):
    def flush_and_leave() -> str:
        owner = db.session.scalar(select(User.id))
        db.session.add(Contact(user_id=owner, first_name="Half", last_name="Written"))
        db.session.flush()
        return "flushed"

    def update_and_leave() -> str:
        db.session.execute(update(User).values(weekly_goal=99))
        return "updated"

    def add_and_leave() -> str:
        owner = db.session.scalar(select(User.id))
        # Added last: no later query flushes it, so only the request's end decides its fate.
        db.session.add(Contact(user_id=owner, first_name="Never", last_name="Flushed"))
        return "added"

    app.add_url_rule("/test/add", view_func=add_and_leave)
    app.add_url_rule("/test/flush", view_func=flush_and_leave)
    app.add_url_rule("/test/update", view_func=update_and_leave)
    auth.register()
    assert client.get("/test/flush").get_data(as_text=True) == "flushed"
    assert client.get("/test/update").get_data(as_text=True) == "updated"
    assert client.get("/test/add").get_data(as_text=True) == "added"
    assert _count(app, select(func.count(Contact.id))) == 0
    assert _count(app, select(func.count(User.id)).where(User.weekly_goal == 99)) == 0


def test_a_page_that_only_reads_commits_and_one_that_fails_rolls_back(app, client, auth):
    def read() -> str:
        return str(db.session.scalar(select(func.count(Contact.id))))

    def fail() -> str:
        db.session.scalar(select(func.count(Contact.id)))
        raise RuntimeError("the page broke")

    app.add_url_rule("/test/read", view_func=read)
    app.add_url_rule("/test/fail", view_func=fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    auth.register()
    ended: list[str] = []

    def committed(connection) -> None:
        ended.append("commit")

    def rolled_back(connection) -> None:
        ended.append("rollback")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", committed)
    event.listen(engine, "rollback", rolled_back)
    try:
        assert client.get("/test/read").get_data(as_text=True) == "0"
        assert ended[-1] == "commit"
        assert client.get("/test/fail").status_code == 500
        assert ended[-1] == "rollback"
    finally:
        event.remove(engine, "commit", committed)
        event.remove(engine, "rollback", rolled_back)


def test_postgresql_keeps_a_pages_prepared_statements_from_request_to_request(app, client, user):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("prepared statements are PostgreSQL's")
    for _ in range(7):
        assert client.get("/follow-ups").status_code == 200
    with app.app_context():
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared and prepared > 0


def _set_goals(goal: int) -> None:
    """Every user's weekly goal, set by raw SQL in the driver's own parameter style."""
    if db.engine.dialect.positional:
        execute_write(db.session(), 'UPDATE "user" SET weekly_goal = ?', (goal,))
    else:
        execute_write(db.session(), 'UPDATE "user" SET weekly_goal = %(goal)s', {"goal": goal})


def test_a_raw_write_counts_as_a_write_kept_only_when_the_view_commits(app, client, auth):
    def write_and_leave() -> str:
        _set_goals(66)
        return "written" if wrote(db.session()) else "not marked"

    def write_and_commit() -> str:
        _set_goals(77)
        db.session.commit()
        return "committed"

    app.add_url_rule("/test/raw-leave", view_func=write_and_leave)
    app.add_url_rule("/test/raw-commit", view_func=write_and_commit)
    auth.register()
    # Left uncommitted, it is rolled back: the request's end does not take it for a read.
    assert client.get("/test/raw-leave").get_data(as_text=True) == "written"
    assert _count(app, select(func.count(User.id)).where(User.weekly_goal == 66)) == 0
    assert client.get("/test/raw-commit").get_data(as_text=True) == "committed"
    assert _count(app, select(func.count(User.id)).where(User.weekly_goal == 77)) == 1
