"""The chain of introductions: how the user reached a contact, and the rule that nobody is
their own introducer, directly or through others.

Walked upwards along Contact.introduced_by_id in one recursive statement, at most MAX_DEPTH
steps, so a loop already in the data (from an old database) still ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Integer, literal, select

from crm.extensions import db
from crm.models import Contact
from crm.names import display_name

# Longer chains are refused: no one reaches a person through fifty introductions.
MAX_DEPTH = 50


@dataclass(frozen=True)
class Link:
    """One person on a chain of introductions."""

    id: int
    name: str


def _upwards(user_id: int, start_id: int, steps: int) -> list[Link]:
    """The person with start_id and their introducers, nearest first, at most `steps` above."""
    columns = (Contact.id, Contact.introduced_by_id, Contact.first_name, Contact.last_name)
    start = (
        select(*columns, Contact.email, literal(0, Integer).label("depth"))
        .where(Contact.user_id == user_id, Contact.id == start_id)
        .cte("up", recursive=True)
    )
    step = (
        select(*columns, Contact.email, (start.c.depth + 1).label("depth"))
        .join(start, Contact.id == start.c.introduced_by_id)
        .where(Contact.user_id == user_id, start.c.depth < steps)
    )
    up = start.union_all(step)
    rows = db.session.execute(
        select(up.c.id, up.c.first_name, up.c.last_name, up.c.email).order_by(up.c.depth)
    ).all()
    return [Link(row.id, display_name(row.first_name, row.last_name, row.email)) for row in rows]


def introduction_chain(contact: Contact) -> list[Link]:
    """How the user reached this contact: from the first-degree contact down to them (just
    them when nobody introduced them). A chain cut at MAX_DEPTH starts where it was cut."""
    return list(reversed(_upwards(contact.user_id, contact.id, MAX_DEPTH)))


def introduction_problem(user_id: int, contact_id: int | None, introducer_id: int) -> str | None:
    """Why introducer_id cannot be the introducer of contact_id (None when it can): the
    contact would be their own introducer, or the chain would grow past MAX_DEPTH."""
    above = _upwards(user_id, introducer_id, MAX_DEPTH)
    if contact_id is not None and any(link.id == contact_id for link in above):
        path = " → ".join(link.name for link in reversed(above[: _index(above, contact_id) + 1]))
        who = next(link.name for link in above if link.id == contact_id)
        if introducer_id == contact_id:
            return f"{who} cannot be their own introducer."
        return (
            f"{who} cannot be introduced by {above[0].name}: you reached {above[0].name} "
            f"through {who} ({path}). Nobody is their own introducer."
        )
    if len(above) >= MAX_DEPTH:
        return (
            f"{above[0].name} is already {MAX_DEPTH} introductions away from a first-degree "
            "contact: leave “Introduced by” empty and say who introduced them in the notes."
        )
    return None


def _index(links: list[Link], contact_id: int) -> int:
    return next(n for n, link in enumerate(links) if link.id == contact_id)


def find_loop(introducers: Mapping[int, int]) -> list[int] | None:
    """A circle of introductions among people (person id -> introducer id), or None: each
    person is walked once, so a restore checks 300,000 contacts in a blink."""
    done: set[int] = set()
    for start in introducers:
        path: dict[int, int] = {}
        person: int | None = start
        while person is not None and person not in done and person not in path:
            path[person] = len(path)
            person = introducers.get(person)
        if person is not None and person in path:
            return list(path)[path[person] :]
        done.update(path)
    return None
