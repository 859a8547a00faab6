"""The contact list's pages by cursor (crm/contacts/keyset.py): Next and Previous walk every
sort without skipping or repeating a contact while contacts are added, and a later page is
read through the sort's index from the cursor, not past every earlier row."""

from __future__ import annotations

import html
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from crm.contacts.keyset import decode, encode
from crm.contacts.services import get_or_create_company
from crm.extensions import db
from crm.models import Contact, User

SORTS = ["name", "recent", "company"]
COMPANIES = ["Acme", "Beta", None, "Zeta", None]


def _add(app, email: str, names: list[str]) -> None:
    """Contacts named "<first> <last>", at companies in turn (some at none)."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        for n, name in enumerate(names):
            first, last = name.split()
            contact = Contact(user_id=user_id, first_name=first, last_name=last, network="work")
            contact.company = get_or_create_company(user_id, COMPANIES[n % len(COMPANIES)])
            db.session.add(contact)
        db.session.commit()


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/contacts/\d+">([^<]+)</a>', page)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', page)
    return html.unescape(found.group(1)) if found else None


@pytest.mark.parametrize("sort", SORTS)
def test_next_neither_skips_nor_repeats_a_contact_added_between_pages(client, user, app, sort):
    app.config["CONTACTS_PER_PAGE"] = 4
    originals = [f"P{n:02d} Mid{n:02d}" for n in range(18)]
    _add(app, user, originals)
    seen: list[str] = []
    url: str | None = f"/contacts/?sort={sort}"
    added = 0
    while url:
        page = client.get(url).get_data(as_text=True)
        seen += _names(page)
        # Newcomers on both sides of where the reader is, in every sort: names before and
        # after "Mid", companies before and after the others, and newest of all.
        _add(app, user, [f"A{added} Aaa{added}", f"Z{added} Zzz{added}"])
        added += 1
        url = _link(page, "next")
        assert added < 20, "the pages never end"
    assert len(seen) == len(set(seen)), " | ".join(seen)
    assert set(originals) <= set(seen), set(originals) - set(seen)


@pytest.mark.parametrize("sort", SORTS)
def test_previous_walks_back_through_the_same_pages(client, user, app, sort):
    app.config["CONTACTS_PER_PAGE"] = 3
    _add(app, user, [f"P{n:02d} Mid{n:02d}" for n in range(11)])
    forward: list[list[str]] = []
    url: str | None = f"/contacts/?sort={sort}"
    while url:
        page = client.get(url).get_data(as_text=True)
        forward.append(_names(page))
        url = _link(page, "next")
    backward: list[list[str]] = []
    while page:
        backward.append(_names(page))
        url = _link(page, "prev")
        page = client.get(url).get_data(as_text=True) if url else ""
    assert len(forward) == 4 and backward[::-1] == forward
    # The last page asked by number is read from the end: the same people.
    assert (
        _names(client.get(f"/contacts/?sort={sort}&page=4").get_data(as_text=True)) == forward[-1]
    )


@pytest.mark.parametrize(
    "cursor",
    ["", "not base64!", encode(["only one"]), encode([1, "swapped"]), encode([None, 3, "x", 1])],
)
def test_a_cursor_that_is_not_the_sorts_own_reads_the_page_by_number(client, user, app, cursor):
    app.config["CONTACTS_PER_PAGE"] = 2
    _add(app, user, [f"P{n} Mid{n}" for n in range(5)])
    by_number = client.get("/contacts/?page=2").get_data(as_text=True)
    page = client.get("/contacts/", query_string={"page": 2, "after": cursor})
    assert page.status_code == 200 and _names(page.get_data(as_text=True)) == _names(by_number)
    assert decode(cursor, "name") is None


@contextmanager
def _recording(app):
    """The statements the app runs, with their parameters, to ask the database for its plan."""
    ran: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        ran.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield ran
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("sort", SORTS)
def test_a_later_page_is_read_from_the_cursor_through_the_sorts_index(client, user, app, sort):
    """What deep pages rely on: the page's read walks an index from the cursor (no sort of
    every match, no OFFSET), on SQLite and PostgreSQL alike."""
    app.config["CONTACTS_PER_PAGE"] = 2
    _add(app, user, [f"P{n} Mid{n}" for n in range(40)])
    first = client.get(f"/contacts/?sort={sort}").get_data(as_text=True)
    with _recording(app) as ran:
        client.get(_link(first, "next"))
    (read, parameters), *_ = [
        (statement, parameters)
        for statement, parameters in ran
        if "LIMIT" in statement and re.search(r"\) [<>] \(", statement)
    ]  # the page read from the cursor: a row-value comparison
    with app.app_context():
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("ANALYZE")
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {read}", parameters).all()
            plan = "\n".join(row[-1] for row in rows)
            assert "USING INDEX ix_" in plan and "TEMP B-TREE" not in plan, plan
        else:
            connection.exec_driver_sql("ANALYZE contact, company")
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            rows = connection.exec_driver_sql(f"EXPLAIN {read}", parameters).all()
            plan = "\n".join(row[0] for row in rows)
            # An incremental sort only orders rows of equal creation time by id, as it reads.
            assert "Index" in plan and not re.search(r"(^|-> +)Sort ", plan, re.M), plan
        db.session.rollback()
