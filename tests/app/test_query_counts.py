"""Every page issues the same number of SQL statements at 10 and at 1,000 contacts (no N+1)."""

from __future__ import annotations

import re

from sqlalchemy import event, select, update

from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, User
from tests.conftest import counting_statements
from tests.seed import seed, seed_plan


def _pages(app, email: str) -> list[str]:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        contact_id = db.session.scalar(
            select(Contact.id).where(Contact.user_id == user_id).order_by(Contact.id)
        )
        interview_id = db.session.scalar(select(Interview.id).where(Interview.user_id == user_id))
    return [
        "/dashboard",
        "/plan/",
        "/contacts/",
        "/contacts/?q=career&sort=company",
        "/contacts/?sort=recent&page=2",
        f"/contacts/{contact_id}",
        f"/contacts/{contact_id}/edit",
        "/follow-ups",
        f"/interviews/{interview_id}",
        f"/interviews/{interview_id}/edit",
        "/interviews",
        f"/interviews?contact={contact_id}",
        "/settings",
        "/import",
        "/calendar",
    ]


def _counts(app, client, email: str, contacts: int) -> dict[str, int]:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        seed(user_id, contacts, outreach=contacts * 3, followups=contacts)
        seed_plan(user_id)
        # The streak reads further back for each 13 weeks met in a row (at most 5 reads, a
        # test in test_dashboard.py): it grows with weeks, not rows. No goal is met here.
        db.session.execute(update(User).where(User.id == user_id).values(weekly_goal=10**6))
        db.session.commit()
        owned = select(FollowUp.id).where(FollowUp.user_id == user_id)
        assert len(db.session.scalars(owned).all()) == contacts + 1  # and the check-in
    result = {}
    for url in _pages(app, email):
        with counting_statements(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        result[re.sub(r"\d+", "N", url)] = len(statements)
    return result


def test_statement_counts_do_not_grow_with_data(app, auth, client):
    app.config["CONTACTS_PER_PAGE"] = 5  # so both sizes have a second page of contacts
    auth.register(email="small@example.com")
    # Whether the search index exists is asked once per process: ask it before counting, so
    # the answer does not depend on whether an earlier test searched.
    assert client.get("/contacts/?q=warm").status_code == 200
    small = _counts(app, client, "small@example.com", 10)
    auth.logout()
    auth.register(email="large@example.com")
    large = _counts(app, client, "large@example.com", 1_000)
    assert small == large
    assert max(large.values()) <= 15, large


# psycopg parses a statement's placeholders once and keeps the result, but only for a
# statement of at most 4,096 bytes and 50 parameters; a longer one is parsed on every run
# (1.4 ms for a 13 KB one). The pages' statements stay within both; the run on PostgreSQL
# is the one that matters, its statements being longer (%(name)s and casts, not ?).
DRIVER_CACHED_LENGTH = 4096
DRIVER_CACHED_PARAMETERS = 50


def test_every_statement_a_page_sends_is_short_enough_for_the_driver_to_keep(app, auth, client):
    auth.register(email="pages@example.com")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "pages@example.com"))
        seed(user_id, 50, outreach=150, followups=50)
        seed_plan(user_id)
        engine = db.engine
    sent: list[tuple[str, str, int]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        # Each parameter once, by name (SQLite's ? repeat one for each use).
        names = context.compiled.params if context.compiled is not None else parameters
        sent.append((statement, len(statement.encode()), len(names or ())))

    event.listen(engine, "before_cursor_execute", record)
    try:
        for url in [*_pages(app, "pages@example.com"), "/follow-ups?all=overdue"]:
            assert client.get(url).status_code == 200, url
    finally:
        event.remove(engine, "before_cursor_execute", record)
    too_long = [
        (statement[:80], length, parameters)
        for statement, length, parameters in sent
        if length > DRIVER_CACHED_LENGTH or parameters > DRIVER_CACHED_PARAMETERS
    ]
    assert sent and not too_long, too_long
