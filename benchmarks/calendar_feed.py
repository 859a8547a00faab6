"""Benchmark: the calendar feed with 1,000 open follow-ups, against icalendar alone.

Run on demand (not part of the test suite):

    python benchmarks/calendar_feed.py [--followups 1000] [--runs 5]

It seeds a temporary SQLite database, serves the app on a free port, and fetches the
feed without a cookie as a calendar app would. Budget: the whole answer within 1.5x
of what icalendar alone needs to write the same events (data already in memory) in
the same run. It also reports a conditional request (If-None-Match), which calendar
apps make on every poll and which should cost a few milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import time as time_of_day
from datetime import timedelta
from pathlib import Path
from typing import Any

from icalendar import Alarm, Calendar, Event
from icalendar.enums import TRANSP
from serving import serve  # benchmarks/serving.py
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crm import create_app  # noqa: E402
from crm.auth.services import create_user  # noqa: E402
from crm.calendar.services import issue_feed_token  # noqa: E402
from crm.extensions import db  # noqa: E402
from crm.gunicorn_conf import tune_process  # noqa: E402
from crm.models import Contact, FollowUp, User  # noqa: E402
from tests.seed import seed as seed_rows  # noqa: E402

RATIO_BUDGET = 1.5
CONDITIONAL_BUDGET_S = 0.050


def seed(app, followups: int) -> str:
    """A user with 300 Unicode-named contacts and the open follow-ups; return the feed token."""
    with app.app_context():
        user = create_user("bench@example.com", "benchmark password")
        user.reminder_time = time_of_day(9, 0)
        seed_rows(
            user.id,
            300,
            followups=followups,
            unicode=True,
            open_followups=True,
            interviews_and_notes=False,
        )
        token = issue_feed_token(user, app.config["SECRET_KEY"])
        db.session.commit()
        return token


def plain_events(app) -> list[dict[str, Any]]:
    """Load the same follow-ups as plain values, so the baseline times writing only."""
    with app.app_context():
        rows = db.session.execute(
            select(FollowUp, Contact.first_name, Contact.last_name)
            .join(Contact, FollowUp.contact_id == Contact.id)
            .order_by(FollowUp.due_on, FollowUp.id)
        )
        reminder = db.session.scalar(select(User.reminder_time))
        return [
            {
                "uid": f.uid,
                "sequence": f.sequence,
                "due": f.due_on,
                "summary": f"Follow up: {first} {last} — {f.kind}",
                "description": f.reason,
                "stamp": f.updated_at,
                "reminder": reminder,
            }
            for f, first, last in rows
        ]


def write_with_icalendar(events: list[dict[str, Any]]) -> bytes:
    """What icalendar alone costs to write the same all-day events with their alarms."""
    calendar = Calendar.new(prodid="-//Benchmark//EN", method="PUBLISH")
    for e in events:
        event = Event.new(
            uid=e["uid"],
            sequence=e["sequence"],
            stamp=e["stamp"],
            start=e["due"],
            end=e["due"] + timedelta(days=1),
            summary=e["summary"],
            description=e["description"],
            transparency=TRANSP.TRANSPARENT,
        )
        offset = timedelta(hours=e["reminder"].hour, minutes=e["reminder"].minute)
        event.add_component(Alarm.new_display(description=e["summary"], trigger=offset))
        calendar.add_component(event)
    return calendar.to_ical()


def fetch(port: int, path: str, etag: str | None = None) -> tuple[float, int, str, bytes]:
    """GET the path with no cookie; return (seconds, status, ETag, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"If-None-Match": etag} if etag else {}
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    seconds = time.perf_counter() - start
    conn.close()
    return seconds, response.status, response.getheader("ETag", ""), body


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followups", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        tune_process()  # as each gunicorn worker does
        token = seed(app, args.followups)
        path = f"/feed/{token}.ics"

        with serve(app) as port:
            fetch(port, path)  # warm-up
            runs = [fetch(port, path) for _ in range(args.runs)]
            etag = runs[-1][2]
            conditional = [fetch(port, path, etag) for _ in range(args.runs)]
        if any(run[1] != 200 for run in runs) or any(c[1] != 304 for c in conditional):
            print("FAIL the feed did not answer 200, then 304 to If-None-Match")
            return 1
        body = runs[-1][3]
        events = body.count(b"BEGIN:VEVENT")
        if events != args.followups:
            print(f"FAIL the feed held {events:,} events, not {args.followups:,}")
            return 1

        plain = plain_events(app)
        baseline = [timed(lambda: write_with_icalendar(plain)) for _ in range(args.runs)]
        with app.app_context():
            db.engine.dispose()

    feed = statistics.median(run[0] for run in runs)
    not_modified = statistics.median(c[0] for c in conditional)
    library = statistics.median(baseline)
    ratio = feed / library
    print(f"feed size: {len(body) / 1e3:.0f} kB, {events:,} events with alarms")
    print(f"feed over HTTP: {feed * 1000:.0f} ms (median of {args.runs})")
    print(f"icalendar alone, writing the same events: {library * 1000:.0f} ms")
    print(f"ratio feed / icalendar: {ratio:.2f}x")
    print(f"conditional request answered 304: {not_modified * 1000:.1f} ms")
    ok_ratio = ratio <= RATIO_BUDGET
    ok_conditional = not_modified < CONDITIONAL_BUDGET_S
    print(f"{verdict(ok_ratio)} feed {ratio:.2f}x <= {RATIO_BUDGET}x icalendar")
    print(f"{verdict(ok_conditional)} 304 in {not_modified * 1000:.1f} ms < 50 ms")
    return 0 if ok_ratio and ok_conditional else 1


if __name__ == "__main__":
    sys.exit(main())
