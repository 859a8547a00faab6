"""The contact search's index (crm/contacts/fulltext.py): it finds exactly what LIKE finds,
stays in step with every way contacts are written, and is what the database reads."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from crm.contacts import fulltext
from crm.contacts.filters import ContactFilters
from crm.contacts.fulltext import holding_words
from crm.contacts.listing import contact_query
from crm.extensions import db
from crm.models import Contact, User
from crm.normalize import fold
from crm.search import contains_folded
from tests.app.test_imports_support import import_bytes, linkedin_csv
from tests.conftest import PG_URL, make_test_app
from tests.seed import seed

# Texts and words drawn from the same letters, so that words often are, and often almost are,
# in the texts: accents, quotes, LIKE's wildcards, FTS5's own syntax, other scripts.
LETTERS = 'abcéÉßs "%_-*:^()/陳🟢'
TEXTS = [
    "Ana García",
    'Zoë "Bo" Ab-c',
    "Straße 50% off",
    "a_b/c ab*c",
    "陳🟢 ssab",
    "(abc) ^a: ab",
    "ÉÉé aaa",
    "abcabcabc",
    'c-ab "x" é%',
    "ß_ß",
    "",
]


def _user_id(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


def _found(conditions) -> set[str]:
    return set(db.session.scalars(select(Contact.first_name).where(*conditions)))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=6), min_size=1, max_size=3))
def test_the_index_finds_exactly_what_like_finds(app, user, words):
    words = [fold(word) for word in " ".join(words).split()]
    with app.app_context():
        if not db.session.scalar(select(Contact.id).limit(1)):
            user_id = _user_id(user)
            for n, notes in enumerate(TEXTS):
                db.session.add(Contact(user_id=user_id, first_name=f"P{n}", notes=notes))
            db.session.commit()
            _integrity_check()  # so every example reads the index
        like = _found([contains_folded(Contact.search_text, word) for word in words])
        assert _found(holding_words(words)) == like, words


def _integrity_check() -> None:
    """After catching up, the index holds each contact's search text and nothing else, and
    FTS5 finds its own index sound."""
    if db.engine.dialect.name != "sqlite":
        return
    fulltext.catch_up()
    differing = text(
        "SELECT count(*) FROM contact LEFT JOIN contact_search ON contact_search.rowid = "
        "contact.id WHERE contact_search.search_text IS NOT contact.search_text"
    )
    assert db.session.scalar(differing) == 0
    orphans = "SELECT count(*) FROM contact_search WHERE rowid NOT IN (SELECT id FROM contact)"
    assert db.session.scalar(text(orphans)) == 0
    db.session.execute(
        text("INSERT INTO contact_search(contact_search) VALUES ('integrity-check')")
    )
    assert fulltext._index_current()
    db.session.rollback()


def _names(client, query: str) -> list[str]:
    import re

    page = client.get("/contacts/", query_string={"q": query}).get_data(as_text=True)
    return re.findall(r'<a href="/contacts/\d+">([^<]+)</a>', page)


def test_adding_editing_importing_and_deleting_keep_the_index_in_step(client, user, app):
    data = {
        "first_name": "Hedy",
        "last_name": "Lamarr",
        "network": "work",
        "notes": "Spread spectrum",
    }
    assert client.post("/contacts/new", data=data).status_code == 302
    assert _names(client, "spectrum") == ["Hedy Lamarr"]
    with app.app_context():
        hedy = db.session.scalar(select(Contact.id))
        _integrity_check()
    client.post(f"/contacts/{hedy}/edit", data={**data, "notes": "Frequency hopping"})
    assert _names(client, "spectrum") == [] and _names(client, "hopping") == ["Hedy Lamarr"]
    import_bytes(client, linkedin_csv("Radia,Perlman,,,Spanning Tree Co,Engineer,"))
    assert _names(client, "spanning") == ["Radia Perlman"]
    with app.app_context():
        _integrity_check()
    client.post(f"/contacts/{hedy}/delete")
    assert _names(client, "hopping") == []
    with app.app_context():
        _integrity_check()


def _plan(statement) -> str:
    """The database's plan for a statement, as text."""
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    explain = "EXPLAIN QUERY PLAN" if db.engine.dialect.name == "sqlite" else "EXPLAIN"
    rows = db.session.execute(text(f"{explain} {compiled}")).all()
    return "\n".join(str(row[-1]) for row in rows)


def test_a_rare_word_is_looked_up_in_the_index_not_read_from_every_contact(app, user):
    """What the search's speed relies on: SQLite reads the FTS5 table; PostgreSQL reads the
    trigram index for LIKE '%word%' (with sequential scans discouraged, as a large table does)."""
    with app.app_context():
        seed(_user_id(user), 2_000)
        if db.engine.dialect.name == "sqlite":
            # The first search after the bulk insert catches the index up for the next.
            assert _found(holding_words(["last1234"])) == {"First1234"}
            db.session.commit()
            plan = _plan(contact_query(_user_id(user), ContactFilters(q="Last1234")))
            assert "VIRTUAL TABLE INDEX" in plan and "contact_search" in plan, plan
        else:
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = _plan(select(Contact.id).where(*holding_words(["last1234"])))
            assert "ix_contact_search_trigram" in plan, plan
        db.session.rollback()


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL's extensions")
def test_without_the_right_to_create_the_extension_the_migration_goes_on(capsys):
    """A role that may create tables but not extensions: the upgrade logs a note, makes no
    index, and the search still finds people."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS crm_no_extension WITH (FORCE)"))
        connection.execute(text("DROP ROLE IF EXISTS crm_plain"))
        connection.execute(text("CREATE ROLE crm_plain LOGIN"))
        connection.execute(text("CREATE DATABASE crm_no_extension"))
    owner = create_engine(
        make_url(PG_URL).set(database="crm_no_extension"), isolation_level="AUTOCOMMIT"
    )
    with owner.connect() as connection:
        connection.execute(text("GRANT ALL ON SCHEMA public TO crm_plain"))
    owner.dispose()
    url = make_url(PG_URL).set(database="crm_no_extension", username="crm_plain")
    try:
        app = make_test_app(url.render_as_string(hide_password=False), AUTO_MIGRATE=True)
        # Alembic's logging configuration writes to standard error.
        assert "pg_trgm could not be enabled" in capsys.readouterr().err
        with app.app_context():
            index = "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_contact_search_trigram'"
            assert db.session.execute(text(index)).first() is None
            user = User(email="plain@example.com", password_hash="x", time_zone="UTC")
            db.session.add(user)
            db.session.flush()
            db.session.add(Contact(user_id=user.id, first_name="Ada", notes="Analytical"))
            db.session.flush()
            assert _found(holding_words(["analytic"])) == {"Ada"}
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS crm_no_extension WITH (FORCE)"))
            connection.execute(text("DROP ROLE IF EXISTS crm_plain"))
        admin.dispose()


def test_a_common_word_is_left_to_like_and_finds_the_same_people(client, user, app, monkeypatch):
    """Past COMMON contacts, listing the index's matches costs more than LIKE along the list's
    order: the search then does without it, and the answer is the same."""
    for n in range(3):
        data = {"first_name": f"Ann{n}", "last_name": "Career", "network": "work"}
        assert client.post("/contacts/new", data=data).status_code == 302
    with app.app_context():
        _integrity_check()
    assert _names(client, "career") == ["Ann0 Career", "Ann1 Career", "Ann2 Career"]
    monkeypatch.setattr(fulltext, "COMMON", 2)
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"  # PostgreSQL's index serves LIKE itself
        assert len(holding_words(["career"])) == 1  # LIKE alone
        monkeypatch.setattr(fulltext, "COMMON", 3)
        assert len(holding_words(["career"])) == (2 if sqlite else 1)  # and the index's finds
        db.session.rollback()
    monkeypatch.setattr(fulltext, "COMMON", 2)
    assert _names(client, "career") == ["Ann0 Career", "Ann1 Career", "Ann2 Career"]
