"""Benchmark: a first CardDAV/CalDAV sync of 5,000 contacts and 1,000 follow-ups, then an
incremental sync after one change, against a floor measured in the same run.

Run on demand (not part of the test suite):

    python benchmarks/sync.py [--contacts 5000] [--followups 1000] [--runs 3]

It seeds a temporary SQLite database, serves the app on a free port and syncs as a client
does: sync-collection with no token (every href and ETag), then a multiget of every item in
batches of 100, for the address book and the calendar. The calendar holds the open
follow-ups and a keep-in-touch task for each contact with a cadence (about half of the seeded
ones); the output counts each. Then one contact changes, and a sync-collection with the token
the first sync got must report that one card alone; and one contact is kept in touch, and the
calendar's must report its done task (deleted) and its next one alone.

Floor: the same rows read with sqlite3 and written as cards by the app's own writer
(crm.exports.vcard.contact_card), with no HTTP and no DAV: what any server must at least do.
Reported: the full sync's ratio to that floor, and the incremental sync's items and time
against the full sync's (its work grows with the changes, not with the address book).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import logging
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from serving import serve  # benchmarks/serving.py

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crm import clock, create_app  # noqa: E402
from crm.account.devices import create_device  # noqa: E402
from crm.auth.services import create_user  # noqa: E402
from crm.dav.changes import OVERLAP  # noqa: E402
from crm.enums import Cadence  # noqa: E402
from crm.exports.vcard import contact_card  # noqa: E402
from crm.extensions import db  # noqa: E402
from crm.followups.done import KeepInTouch, finish  # noqa: E402
from crm.models import Contact  # noqa: E402
from tests.seed import seed as seed_rows  # noqa: E402

EMAIL = "bench@example.com"
BATCH = 100
SYNC = (
    '<sync-collection xmlns="DAV:"><sync-token>{token}</sync-token><sync-level>1</sync-level>'
    "<prop><getetag/></prop></sync-collection>"
)
MULTIGET = {
    "contacts": '<C:addressbook-multiget xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
    "<prop><getetag/><C:address-data/></prop>{hrefs}</C:addressbook-multiget>",
    "networking": '<C:calendar-multiget xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    "<prop><getetag/><C:calendar-data/></prop>{hrefs}</C:calendar-multiget>",
}
# The full sync within this many times the floor (17x measured on 6 December on a busy 2-core
# machine: Radicale's per-item path checks and XML are most of it); the incremental sync
# within this share of the full one (0.2% measured).
FULL_BUDGET = 20.0
INCREMENTAL_SHARE = 0.05


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


class Client:
    """A sync client's requests, over one keep-alive connection."""

    def __init__(self, port: int, password: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port)
        login = base64.b64encode(f"{EMAIL}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {login}", "Content-Type": "application/xml"}

    def report(self, path: str, body: str) -> str:
        self.connection.request("REPORT", path, body, {**self.headers, "Depth": "1"})
        response = self.connection.getresponse()
        text = response.read().decode()
        if response.status != 207:
            raise RuntimeError(f"REPORT {path}: {response.status}\n{text[:500]}")
        return text

    def sync(self, collection: str, token: str = "") -> tuple[str, list[str], int]:
        """(new token, changed hrefs, items fetched) for one collection."""
        path = f"/dav/{EMAIL}/{collection}/"
        listing = self.report(path, SYNC.format(token=token))
        new_token = re.search(r"<sync-token>([^<]+)</sync-token>", listing)
        hrefs = re.findall(r"<href>([^<]+)</href>", listing)
        fetched = 0
        for start in range(0, len(hrefs), BATCH):
            batch = "".join(f"<href>{href}</href>" for href in hrefs[start : start + BATCH])
            answer = self.report(path, MULTIGET[collection].format(hrefs=batch))
            fetched += answer.count("BEGIN:VCARD") + answer.count("BEGIN:VCALENDAR")
        return (new_token.group(1) if new_token else ""), hrefs, fetched


def floor(database: Path) -> int:
    """Read every contact with sqlite3 and write its card with the app's writer."""
    connection = sqlite3.connect(database)
    rows = connection.execute(
        "SELECT c.uid, c.first_name, c.last_name, c.email, c.phone, co.name, c.title,"
        " c.linkedin_url, c.notes, c.network, c.updated_at, c.how_we_met,"
        " i.first_name || ' ' || i.last_name FROM contact c"
        " LEFT JOIN company co ON co.id = c.company_id"
        " LEFT JOIN contact i ON i.id = c.introduced_by_id"
    )
    names = ["uid", "first_name", "last_name", "email", "phone", "company_name", "title"]
    names += ["linkedin_url", "notes", "network", "updated_at", "how_we_met"]
    names += ["introduced_by_name"]
    cards = 0
    for row in rows:
        values = dict(zip(names, row, strict=True))
        values["updated_at"] = clock.now()
        person = SimpleNamespace(**values, tag_names=[], how_we_met=None, introduced_by_name=None)
        contact_card(person)  # type: ignore[arg-type]
        cards += 1
    connection.close()
    return cards


def seed(app: Any, contacts: int, followups: int) -> tuple[int, str]:
    """The user, their contacts and open follow-ups, and a device password."""
    with app.app_context():
        user = create_user(EMAIL, "benchmark password")
        seed_rows(
            user.id,
            contacts,
            followups=followups,
            open_followups=True,
            interviews_and_notes=False,
            unicode=True,
        )
        _, password = create_device(user.id, "Benchmark")
        db.session.commit()
        return user.id, password


def one_card_changed(
    app: Any, client: Client, user_id: int, token: str
) -> tuple[float, tuple[str, list[str], int]]:
    """One contact without a cadence (so no task changes) gets a new title, later than the
    token's overlap window; the timed incremental address-book sync."""
    clock.set_now(clock.now() + OVERLAP + timedelta(seconds=1))
    with app.app_context():
        contact = db.session.scalars(
            db.select(Contact)
            .where(Contact.user_id == user_id, Contact.cadence == Cadence.NONE)
            .limit(1)
        ).one()
        contact.title = "Head of Research"
        db.session.commit()
    clock.set_now(clock.now() + timedelta(seconds=1))
    return timed(lambda: client.sync("contacts", token))


def one_contact_kept_in_touch(
    app: Any, client: Client, user_id: int, token: str
) -> tuple[str, float, tuple[str, list[str], int]]:
    """One contact kept in touch, as a device's completed task does it: their name and the
    timed incremental calendar sync."""
    clock.set_now(clock.now() + OVERLAP + timedelta(seconds=1))
    with app.app_context():
        contact = db.session.scalars(
            db.select(Contact).where(*has_reminder(user_id)).limit(1)
        ).one()
        finish(KeepInTouch(contact), clock.now().date(), device="Benchmark")
        db.session.commit()
        name = contact.full_name
    clock.set_now(clock.now() + timedelta(seconds=1))
    return name, *timed(lambda: client.sync("networking", token))


def has_reminder(user_id: int) -> tuple[Any, ...]:
    """The contacts whose keep-in-touch reminder is a task (crm.dav.calendar's rule)."""
    return (
        Contact.user_id == user_id,
        Contact.cadence != Cadence.NONE,
        Contact.keep_in_touch_due.is_not(None),
        Contact.archived_at.is_(None),
    )


def reminder_count(app: Any, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Contact.id)).where(*has_reminder(user_id)))


@dataclass
class Measured:
    """What one run of the benchmark saw."""

    cards: list[str]
    fetched_cards: int
    tasks: list[str]
    fetched_tasks: int
    reminders: int
    first_ever: float
    fulls: list[tuple[float, float]]
    floors: list[float]
    incremental: float
    changed: list[str]
    fetched_changed: int
    kept: str
    calendar_incremental: float
    calendar_changed: list[str]
    fetched_calendar: int


def measure(args: argparse.Namespace) -> Measured:
    """Seed an account, serve it, and time the syncs and the floor."""
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "b"})
        user_id, password = seed(app, args.contacts, args.followups)
        reminders = reminder_count(app, user_id)
        # The syncs begin past the seed's overlap window, so a small run's increments count
        # only what changed after them.
        clock.set_now(clock.now() + OVERLAP + timedelta(seconds=1))

        with serve(app) as port:
            client = Client(port, password)
            # The very first sync: imports and caches warm up, and the server keeps each card
            # it hands out (crm.dav.served), which later syncs do not repeat.
            first_ever, _ = timed(lambda: client.sync("contacts"))
            fulls = []
            for _ in range(args.runs):
                seconds, (contacts_token, cards, fetched_cards) = timed(
                    lambda: client.sync("contacts")
                )
                calendar_seconds, (_, tasks, fetched_tasks) = timed(
                    lambda: client.sync("networking")
                )
                fulls.append((seconds, calendar_seconds))

            calendar_token, _, _ = client.sync("networking")
            incremental, (_, changed, fetched_changed) = one_card_changed(
                app, client, user_id, contacts_token
            )
            kept, calendar_incremental, (_, calendar_changed, fetched_calendar) = (
                one_contact_kept_in_touch(app, client, user_id, calendar_token)
            )
            clock.set_now(None)
        floors = [timed(lambda: floor(database))[0] for _ in range(args.runs)]
        with app.app_context():
            db.engine.dispose()
    return Measured(
        cards,
        fetched_cards,
        tasks,
        fetched_tasks,
        reminders,
        first_ever,
        fulls,
        floors,
        incremental,
        changed,
        fetched_changed,
        kept,
        calendar_incremental,
        calendar_changed,
        fetched_calendar,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--followups", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    m = measure(args)

    full = statistics.median(seconds for seconds, _ in m.fulls)
    full_calendar = statistics.median(seconds for _, seconds in m.fulls)
    floor_seconds = statistics.median(m.floors)
    ratio = full / floor_seconds
    share = m.incremental / full
    listed_reminders = sum("keep-in-touch-" in href for href in m.tasks)
    print(f"address book: {len(m.cards):,} cards listed, {m.fetched_cards:,} fetched")
    print(
        f"calendar: {len(m.tasks):,} items listed ({len(m.tasks) - listed_reminders:,} follow-ups, "
        f"{listed_reminders:,} keep-in-touch tasks), {m.fetched_tasks:,} fetched"
    )
    print(f"first sync (median of {args.runs}), address book: {full:.2f} s")
    print(f"very first sync, address book: {m.first_ever:.2f} s")
    print(f"first sync (median of {args.runs}), calendar: {full_calendar:.2f} s")
    print(f"floor (sqlite3 read + the app's card writer): {floor_seconds:.2f} s")
    print(f"ratio first address-book sync / floor: {ratio:.1f}x")
    print(
        f"incremental sync after one change: {len(m.changed)} listed, {m.fetched_changed} fetched"
    )
    print(f"incremental sync time: {m.incremental * 1000:.0f} ms ({share:.1%} of the first sync)")
    print(
        f"m.incremental calendar sync after {m.kept} was kept in touch: "
        f"{len(m.calendar_changed)} listed, {m.fetched_calendar} fetched, "
        f"{m.calendar_incremental * 1000:.0f} ms"
    )
    ok_counts = m.fetched_cards == args.contacts and len(m.changed) == 1 and m.fetched_changed == 1
    # The done reminder is reported deleted (nothing to fetch), the next one new.
    ok_calendar = (
        m.fetched_tasks == len(m.tasks) == args.followups + m.reminders
        and listed_reminders == m.reminders
        and len(m.calendar_changed) == 2
        and m.fetched_calendar == 1
    )
    ok_full = ratio <= FULL_BUDGET
    ok_incremental = share <= INCREMENTAL_SHARE
    print(f"{'PASS' if ok_counts else 'FAIL'} every card on the first sync, one on the incremental")
    print(
        f"{'PASS' if ok_calendar else 'FAIL'} every task on the first calendar sync; "
        "the done reminder and the next one on the incremental"
    )
    print(f"{'PASS' if ok_full else 'FAIL'} first sync {ratio:.1f}x <= {FULL_BUDGET}x the floor")
    limit = f"{INCREMENTAL_SHARE:.0%} of the first sync"
    print(f"{'PASS' if ok_incremental else 'FAIL'} incremental {share:.1%} <= {limit}")
    return 0 if ok_counts and ok_calendar and ok_full and ok_incremental else 1


if __name__ == "__main__":
    sys.exit(main())
