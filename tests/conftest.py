"""Fixtures: an app on a migrated test database (SQLite, or PostgreSQL when asked), clients."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text

from crm import clock as app_clock
from crm import create_app
from crm.extensions import db
from tests.mailbox import Mailbox

# CRM_TEST_DATABASE_URL points the suite at PostgreSQL; by default a temporary SQLite file.
PG_URL = os.environ.get("CRM_TEST_DATABASE_URL")
TEST_PASSWORD = "correct horse battery"


def _reset_postgres(url: str) -> None:
    """Start from an empty schema so the migrations run from the first one."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class StoppedClock:
    """The app's clock (crm.clock), stopped wherever a test sets it."""

    def set(self, moment: datetime | None) -> None:
        """Stop the clock at an aware moment; None lets it run again."""
        app_clock.set_now(moment)


@pytest.fixture
def clock():
    """Set the app's time with clock.set(datetime); it runs again after the test."""
    yield StoppedClock()
    app_clock.set_now(None)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database at the latest migration, shared by the whole run."""
    if PG_URL:
        _reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t"})
    with app.app_context():
        db.engine.dispose()
    return url


def _empty_all_tables() -> None:
    """Remove every row, children first, so each test starts from nothing."""
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
    db.session.commit()


def make_test_app(database_url: str, **overrides):
    """An app on the test database; CSRF off unless a test turns it on."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "AUTO_MIGRATE": False,
        "SMTP_URL": "",
    }
    config.update(overrides)
    return create_app(config)


def dispose(app) -> None:
    """Close the app's pooled connections (psycopg warns about connections left to the GC)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_factory(database_url):
    """Build apps with config overrides; their connections are closed after the test."""
    made = []

    def build(**overrides):
        made.append(make_test_app(database_url, **overrides))
        return made[-1]

    yield build
    for built in made:
        dispose(built)


@pytest.fixture
def mailbox():
    """A real SMTP server on loopback; `app` in the same test sends its mail there."""
    server = Mailbox().start()
    yield server
    server.stop()


@pytest.fixture
def app(app_factory, request):
    """A fresh app on an empty, migrated database (sending mail to `mailbox` when used)."""
    overrides = {}
    if "mailbox" in request.fixturenames:
        overrides.update(request.getfixturevalue("mailbox").config)
    app = app_factory(**overrides)
    yield app
    with app.app_context():
        db.session.remove()
        _empty_all_tables()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Register and log in through the real pages."""

    def __init__(self, client):
        self._client = client

    def register(self, email="jo@example.com", password=TEST_PASSWORD, time_zone="UTC"):
        return self._client.post(
            "/register",
            data={
                "email": email,
                "password": password,
                "confirm": password,
                "time_zone": time_zone,
            },
        )

    def login(self, email="jo@example.com", password=TEST_PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def user(auth, app, request):
    """A registered, logged-in user (jo@example.com). With mail set up, registering only
    sends an email: the user then logs in, and the test's mailbox starts empty."""
    auth.register()
    if app.config["SMTP_URL"]:
        auth.login()
        request.getfixturevalue("mailbox").clear()
    return "jo@example.com"


def csrf_token_from(html: str) -> str:
    """The CSRF token a page's form carries."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


@contextmanager
def counting_statements(app):
    """Collect the SQL statements the app sends while the block runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


FIXTURES = Path(__file__).parent / "fixtures"


def whole_responses(app):
    """The app for werkzeug's test server, each response read whole and closed before it is
    sent. When a browser drops a connection, werkzeug's server skips closing the response
    (serving.py's execute), so a static file's handle would stay open until a garbage
    collection reports it as a ResourceWarning in whichever test is running then."""

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return wsgi
