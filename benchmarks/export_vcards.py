"""Benchmark: stream 30,000 contacts as vCards over HTTP, against vobject alone.

Run on demand (not part of the test suite):

    python benchmarks/export_vcards.py [--contacts 30000] [--runs 3]

It seeds a temporary SQLite database, serves the app on a free port, logs in, and
requests /contacts.vcf as a browser would. Budgets (docs/architecture.md): the first byte in
under 200 ms, and the whole download within 1.5x of what vobject alone needs to
serialise the same cards (data already in memory) in the same run.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import vobject
from serving import serve  # benchmarks/serving.py

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crm import create_app  # noqa: E402
from crm.auth.services import create_user  # noqa: E402
from crm.extensions import db  # noqa: E402
from crm.gunicorn_conf import tune_process  # noqa: E402
from tests.seed import seed as seed_rows  # noqa: E402

TTFB_BUDGET_S = 0.200
RATIO_BUDGET = 1.5
PASSWORD = "benchmark password"


def seed(app, email: str, count: int) -> None:
    """The user and their Unicode-heavy contacts, two tags on every third (tests/seed.py)."""
    with app.app_context():
        user = create_user(email, PASSWORD)
        seed_rows(user.id, count, unicode=True, companies=max(1, count // 15), tags_per_contact=2)


def vobject_cards(app, email: str) -> list[dict[str, Any]]:
    """Load the same contacts as plain values, so the baseline times serialisation only."""
    from crm.auth.services import find_user
    from crm.contacts.filters import ContactFilters
    from crm.contacts.listing import contact_query

    with app.app_context():
        user = find_user(email)
        return [
            {
                "uid": c.uid,
                "first": c.first_name,
                "last": c.last_name,
                "email": c.email,
                "phone": c.phone,
                "org": c.company_name,
                "title": c.title,
                "url": c.linkedin_url,
                "note": c.notes,
                "categories": [c.network, *c.tag_names],
                "rev": c.updated_at,
            }
            for c in db.session.scalars(contact_query(user.id, ContactFilters()))
        ]


def serialise_with_vobject(cards: list[dict[str, Any]]) -> bytes:
    """What vobject alone costs to write the same vCard 3.0 cards."""
    out = []
    for c in cards:
        card = vobject.vCard()
        card.add("uid").value = c["uid"]
        card.add("fn").value = f"{c['first']} {c['last']}".strip()
        card.add("n").value = vobject.vcard.Name(family=c["last"], given=c["first"])
        if c["org"]:
            card.add("org").value = [c["org"]]
        if c["title"]:
            card.add("title").value = c["title"]
        if c["email"]:
            email = card.add("email")
            email.value = c["email"]
            email.type_param = "INTERNET"
        if c["phone"]:
            card.add("tel").value = c["phone"]
        if c["url"]:
            card.add("url").value = c["url"]
            social = card.add("x-socialprofile")
            social.value = c["url"]
            social.type_param = "linkedin"
        if c["note"]:
            card.add("note").value = c["note"]
        card.add("categories").value = c["categories"]
        card.add("rev").value = c["rev"].strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append(card.serialize().encode("utf-8"))
    return b"".join(out)


def log_in(port: int, email: str) -> str:
    """Log in through the form; return the session cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    body = urllib.parse.urlencode({"email": email, "password": PASSWORD})
    conn.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    conn.close()
    if response.status != 302 or not cookie:
        raise SystemExit(f"Log-in failed: {response.status}")
    return cookie


def download(port: int, cookie: str, path: str) -> tuple[float, float, bytes]:
    """GET the path; return (seconds to the first body byte, seconds in all, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - start
    rest = response.read()
    total = time.perf_counter() - start
    conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} answered {response.status}")
    return first_byte, total, first + rest


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
        )
        tune_process()  # as each gunicorn worker does
        email = "bench@example.com"
        seconds, _ = timed(lambda: seed(app, email, args.contacts))
        print(f"seeded {args.contacts:,} contacts in {seconds:.1f} s")

        with serve(app) as port:
            cookie = log_in(port, email)
            download(port, cookie, "/contacts.vcf")  # warm-up: imports, caches, page cache
            runs = [download(port, cookie, "/contacts.vcf") for _ in range(args.runs)]
        body = runs[-1][2]
        cards = body.count(b"\r\nEND:VCARD\r\n")
        if cards != args.contacts:
            print(f"FAIL the export held {cards:,} cards, not {args.contacts:,}")
            return 1

        plain = vobject_cards(app, email)
        baseline = [timed(lambda: serialise_with_vobject(plain)) for _ in range(args.runs)]
        with app.app_context():
            db.engine.dispose()

    first_byte = statistics.median(run[0] for run in runs)
    total = statistics.median(run[1] for run in runs)
    library = statistics.median(run[0] for run in baseline)
    ratio = total / library
    print(f"export size: {len(body) / 1e6:.1f} MB, {cards:,} cards")
    print(f"time to first byte: {first_byte * 1000:.0f} ms (median of {args.runs})")
    print(f"export over HTTP, total: {total:.2f} s (median of {args.runs})")
    print(f"vobject alone, serialising the same cards: {library:.2f} s")
    print(f"ratio export / vobject: {ratio:.2f}x")
    ok_first = first_byte < TTFB_BUDGET_S
    ok_ratio = ratio <= RATIO_BUDGET
    print(f"{verdict(ok_first)} time to first byte {first_byte * 1000:.0f} ms < 200 ms")
    print(f"{verdict(ok_ratio)} total {ratio:.2f}x <= {RATIO_BUDGET}x vobject")
    return 0 if ok_first and ok_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
