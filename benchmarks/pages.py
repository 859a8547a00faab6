"""Server time per page at 30,000 contacts, 100,000 outreach rows, 10,000 follow-ups and
3,000 introductions (the Network page's trees).

Run on demand: python benchmarks/pages.py [--contacts N] [--runs N]
Prints each page's median server time, its ratio to a floor measured in the same run
(the bare login page, which touches no user data), and PASS/FAIL against the 50 ms
budget in docs/architecture.md. Uses a temporary SQLite file unless CRM_DATABASE_URL points
elsewhere.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from crm import create_app  # noqa: E402
from crm.extensions import db  # noqa: E402
from crm.gunicorn_conf import tune_process  # noqa: E402
from crm.models import Contact, Interview, User  # noqa: E402
from crm.sqlite import refresh_statistics  # noqa: E402
from tests.seed import seed, seed_introductions, seed_plan  # noqa: E402

BUDGET_MS = 50.0


def page_paths(contact_id: int, interview_id: int) -> list[str]:
    """Every page this benchmark times (benchmarks/scale.py times them too)."""
    return [
        "/dashboard",
        "/plan/",
        "/contacts/",
        "/contacts/?q=career&sort=company",
        "/contacts/?q=Last12345",
        "/contacts/?tag=mentor&network=work&sort=recent&page=20",
        f"/contacts/{contact_id}",
        f"/contacts/{contact_id}/edit",
        "/follow-ups",
        f"/interviews/{interview_id}",
        "/settings",
        "/import",
        "/calendar",
        "/network",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--outreach", type=int, default=100_000)
    parser.add_argument("--followups", type=int, default=10_000)
    parser.add_argument("--referrals", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="crm-bench-")
    url = os.environ.get("CRM_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    )
    tune_process()  # as each gunicorn worker does
    client = app.test_client()
    client.post(
        "/register",
        data={"email": "bench@example.com", "password": "benchmark pw", "confirm": "benchmark pw"},
    )
    started = time.perf_counter()
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "bench@example.com"))
        seed(user_id, args.contacts, outreach=args.outreach, followups=args.followups)
        seed_plan(user_id)
        referrals = seed_introductions(user_id, args.referrals)
        contact_id = db.session.scalar(select(Contact.id).where(Contact.user_id == user_id))
        interview_id = db.session.scalar(select(Interview.id).where(Interview.user_id == user_id))
        db.session.commit()
        refresh_statistics()  # as an import of this many contacts would
    print(
        f"seeded {args.contacts:,} contacts, {args.outreach:,} outreach, "
        f"{args.followups:,} follow-ups, {referrals:,} introductions "
        f"in {time.perf_counter() - started:.1f} s"
    )

    def median_ms(path: str) -> float:
        client.get(path)  # warm caches and templates
        samples = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        return statistics.median(samples)

    client.post("/logout")
    floor = median_ms("/login")
    client.post("/login", data={"email": "bench@example.com", "password": "benchmark pw"})
    pages = page_paths(contact_id, interview_id)
    print(f"floor (login page, no data): {floor:.1f} ms")
    print(f"{'page':55} {'median ms':>10} {'x floor':>8}  budget {BUDGET_MS:.0f} ms")
    failures = 0
    for path in pages:
        ms = median_ms(path)
        ok = ms <= BUDGET_MS
        failures += not ok
        print(f"{path:55} {ms:10.1f} {ms / floor:8.1f}  {'PASS' if ok else 'FAIL'}")
    print("all pages within budget" if not failures else f"{failures} page(s) over budget")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
