"""The Network page sends the same statements at 10 and at 1,000 contacts (no N+1), each
short enough for psycopg to keep its parsing."""

from __future__ import annotations

from sqlalchemy import event, select

from crm.extensions import db
from crm.models import User
from tests.app.test_query_counts import DRIVER_CACHED_LENGTH, DRIVER_CACHED_PARAMETERS
from tests.conftest import counting_statements
from tests.seed import seed, seed_introductions


def _seeded(app, email: str, contacts: int) -> None:
    """Contacts with outreach, interviews and one introduction in ten, in trees."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        seed(user_id, contacts, outreach=contacts * 3, followups=contacts)
        seed_introductions(user_id, contacts // 10)


def _statements(app, client) -> list[str]:
    with counting_statements(app) as statements:
        response = client.get("/network")
    assert response.status_code == 200
    assert 'class="network-svg"' in response.get_data(as_text=True)
    return statements


def test_the_network_page_sends_as_many_statements_at_10_and_1000_contacts(app, auth, client):
    auth.register(email="small@example.com")
    _seeded(app, "small@example.com", 10)
    small = _statements(app, client)
    auth.logout()
    auth.register(email="large@example.com")
    _seeded(app, "large@example.com", 1_000)
    large = _statements(app, client)
    assert len(small) == len(large) <= 5, large
    too_long = [s[:80] for s in large if len(s.encode()) > DRIVER_CACHED_LENGTH]
    assert not too_long


def test_the_network_page_binds_few_parameters(app, auth, client):
    auth.register(email="pages@example.com")
    _seeded(app, "pages@example.com", 50)
    with app.app_context():
        engine = db.engine
    counts: list[int] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        names = context.compiled.params if context.compiled is not None else parameters
        counts.append(len(names or ()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get("/network").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert counts and max(counts) <= DRIVER_CACHED_PARAMETERS
