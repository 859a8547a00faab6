"""An account of any size: every page, the backup, the restore and the calendar feed at 30,000
and 300,000 contacts, and how much each grows between the two.

Run on demand (minutes; the 300,000 account takes a while to seed and back up):

    python benchmarks/scale.py [--sizes 30000,300000] [--runs 7] [--whole-account/--pages-only]

SQLite in a temporary directory by default; PostgreSQL when CRM_BENCH_DATABASE_URL names a
database the benchmark may empty (its public schema is dropped and made again per size).
Each size seeds one account with the proportions of benchmarks/pages.py (per 30,000
contacts: 100,000 outreach rows and 10,000 follow-ups) and times every page of pages.py plus
the deep pages the list's links lead to. The backup (first byte and total), the restore
(through the CLI, into an empty account) and the feed run each in a child process, whose
peak resident memory is theirs alone; a child is stopped at --memory-cap-mb and --timeout.

Exit status 0 only when, at 300,000 contacts: every page answers within 250 ms and within 3x
of its time at 30,000 (the Network page twice: as most visits find it, with the network's
outline kept, and as the first visit after an introduction changed, which plants it), the
backup's first byte comes within 1 s, backup and feed peak under 200 MB, and the restore
takes under 2 minutes. Without both sizes, nothing can be vouched for: exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pages import page_paths  # noqa: E402  # benchmarks/pages.py
from sqlalchemy import create_engine, select, text  # noqa: E402

from crm import create_app  # noqa: E402
from crm.calendar.services import issue_feed_token  # noqa: E402
from crm.contacts.keyset import encode  # noqa: E402
from crm.extensions import db  # noqa: E402
from crm.gunicorn_conf import tune_process  # noqa: E402
from crm.models import Company, Contact, Interview, User  # noqa: E402
from crm.network.services import OUTLINES  # noqa: E402
from crm.sqlite import refresh_statistics  # noqa: E402
from tests.seed import seed, seed_plan  # noqa: E402

EMAIL, RESTORED_EMAIL, PASSWORD = "bench@example.com", "restored@example.com", "benchmark pw"
PAGE_BUDGET_MS = 250.0
GROWTH_BUDGET = 3.0
MEMORY_BUDGET_MB = 200.0
FIRST_BYTE_BUDGET_S = 1.0
RESTORE_BUDGET_S = 120.0
SMALL, LARGE = 30_000, 300_000
# The Network page's first visit in a process after an introduction changed, which plants the
# whole network (crm.network.outline); every other visit reads its page from the kept outline.
PLANTED = "network, first visit after an introduction changed"


def _app(url: str) -> Any:
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    )


def _register(client: Any, email: str) -> None:
    data = {"email": email, "password": PASSWORD, "confirm": PASSWORD}
    client.post("/register", data=data)
    client.post("/logout")


def _fresh_database(size: int, workdir: Path) -> str:
    """An empty database for one size: a new SQLite file, or PostgreSQL's schema made anew."""
    url = os.environ.get("CRM_BENCH_DATABASE_URL")
    if not url:
        return f"sqlite:///{workdir / f'scale-{size}.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@dataclass
class Seeded:
    """What the timings need to know about the seeded account."""

    url: str
    contact_id: int
    interview_id: int
    feed_token: str
    seconds: float
    deep_pages: dict[str, str] = field(default_factory=dict)


def _middle_cursor(user_id: int, sort: str, count: int) -> str:
    """The cursor a reader holds after following Next to the middle of the list."""
    if sort == "company":
        row = db.session.execute(
            select(Company.sort_name, Company.id, Contact.sort_name, Contact.id)
            .join(Company, Company.id == Contact.company_id)
            .where(Contact.user_id == user_id)
            .order_by(Company.sort_name, Company.id, Contact.sort_name, Contact.id)
            .offset(count // 2)
            .limit(1)
        ).one()
    else:
        row = db.session.execute(
            select(Contact.sort_name, Contact.id)
            .where(Contact.user_id == user_id)
            .order_by(Contact.sort_name, Contact.id)
            .offset(count // 2)
            .limit(1)
        ).one()
    return encode(tuple(row))


def seed_account(size: int, workdir: Path) -> Seeded:
    """One account of `size` contacts (and an empty one to restore into)."""
    url = _fresh_database(size, workdir)
    app = _app(url)
    client = app.test_client()
    for email in (EMAIL, RESTORED_EMAIL):
        _register(client, email)
    started = time.perf_counter()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == EMAIL))
        seed(user.id, size, outreach=size * 10 // 3, followups=size // 3)
        seed_plan(user.id)
        if db.engine.dialect.name == "sqlite":
            refresh_statistics()  # as an import of this many contacts would
        else:
            db.session.execute(text("ANALYZE"))
        token = issue_feed_token(user, app.config["SECRET_KEY"])
        contact_id = db.session.scalar(select(Contact.id).where(Contact.user_id == user.id))
        interview_id = db.session.scalar(select(Interview.id).where(Interview.user_id == user.id))
        per_page = app.config["CONTACTS_PER_PAGE"]
        middle = size // 2 // per_page + 1
        last = -(-size // per_page)
        deep = {
            "list, last page (by number: read from the end)": f"/contacts/?page={last}",
            "list by name, middle page (from Next's cursor)": (
                f"/contacts/?page={middle}&after={_middle_cursor(user.id, 'name', size)}"
            ),
            "list by company, middle page (from Next's cursor)": (
                f"/contacts/?sort=company&page={middle}"
                f"&after={_middle_cursor(user.id, 'company', size)}"
            ),
        }
        db.session.commit()
    seconds = time.perf_counter() - started
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return Seeded(url, contact_id, interview_id, token, seconds, deep)


def _follow_next(client: Any, path: str, pages: int) -> str:
    """The URL of page `pages` reached by following Next from `path`, as a reader does."""
    for _ in range(pages - 1):
        body = client.get(path).get_data(as_text=True)
        found = re.search(r'href="([^"]+)" rel="next"', body)
        if not found:
            break
        path = found.group(1).replace("&amp;", "&")
    return path


def time_pages(seeded: Seeded, runs: int) -> dict[str, float]:
    """Median server time of each page, in ms (pages.py's, the deep pages, and a save)."""
    app = _app(seeded.url)
    tune_process()  # as each gunicorn worker does
    client = app.test_client()
    client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    # Named without their ids, which differ between the sizes, so each grows against itself.
    pages = page_paths(seeded.contact_id, seeded.interview_id)
    paths = {re.sub(r"/\d+(?=/|$)", "/<id>", path): path for path in pages}
    paths.update(seeded.deep_pages)
    paths["tag filter, page 20 (following Next)"] = _follow_next(
        client, "/contacts/?tag=mentor&network=work&sort=recent", 20
    )

    def median_ms(send: Any) -> float:
        send()  # warm caches and templates
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            response = send()
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 302), response.status_code
        return statistics.median(samples)

    timings = {name: median_ms(lambda path=path: client.get(path)) for name, path in paths.items()}

    def network_planted() -> Any:
        app.extensions.pop(OUTLINES, None)  # as after an introduction changed
        return client.get("/network")

    timings[PLANTED] = median_ms(network_planted)
    edit = f"/contacts/{seeded.contact_id}/edit"
    saved = {"first_name": "First0", "last_name": "Last0", "network": "work"}
    saved |= {"email": "person0@example.com", "company": "Company 1"}
    timings["save a contact (POST, the twin check)"] = median_ms(
        lambda: client.post(edit, data=saved)
    )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return timings


# The child processes: each measures one whole-account job and prints one line of JSON.


def _child(kind: str, url: str, argument: str) -> dict[str, float]:
    app = _app(url)
    started = time.perf_counter()
    first_byte = None
    size = 0
    if kind == "restore":
        result = app.test_cli_runner().invoke(args=["restore", argument, "--user", RESTORED_EMAIL])
        if result.exit_code != 0:
            raise SystemExit(f"restore failed: {result.output[-500:]}")
    else:
        client = app.test_client()
        if kind == "backup":
            client.post("/login", data={"email": EMAIL, "password": PASSWORD})
            started = time.perf_counter()
            response = client.get("/settings/backup", buffered=False)
        else:
            response = client.get(f"/feed/{argument}.ics", buffered=False)
        with open(argument if kind == "backup" else os.devnull, "wb") as out:
            for chunk in response.response:
                if first_byte is None:
                    first_byte = time.perf_counter() - started
                size += len(chunk)
                out.write(chunk)
        response.close()
        assert response.status_code == 200, response.status_code
    return {
        "seconds": time.perf_counter() - started,
        "first_byte_s": first_byte if first_byte is not None else float("nan"),
        "bytes": size,
        "peak_mb": _peak_mb(),
    }


def _peak_mb() -> float:
    """This process's peak resident memory since it started its program (VmHWM; ru_maxrss
    would count the parent's memory at the fork too)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(kind: str, url: str, argument: str, cap_mb: int, timeout: int) -> dict[str, Any]:
    """Run one measuring child; its figures, or why it gave none."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap_mb * 2**20, cap_mb * 2**20))

    command = [sys.executable, __file__, "--child", kind, url, argument]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, preexec_fn=cap, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout} s"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def whole_account(seeded: Seeded, workdir: Path, cap_mb: int, timeout: int) -> dict[str, Any]:
    backup_file = str(workdir / "backup.zip")
    return {
        "backup": run_child("backup", seeded.url, backup_file, cap_mb, timeout),
        "feed": run_child("feed", seeded.url, seeded.feed_token, cap_mb, timeout),
        "restore": run_child("restore", seeded.url, backup_file, cap_mb, timeout),
    }


def _show_job(name: str, figures: dict[str, Any]) -> str:
    if "error" in figures:
        return f"{name:10} FAILED: {figures['error']}"
    return (
        f"{name:10} total {figures['seconds']:8.1f} s  first byte {figures['first_byte_s']:7.2f} s"
        f"  peak {figures['peak_mb']:7.0f} MB  {figures['bytes'] / 2**20:8.1f} MB out"
    )


def page_failures(pages: dict[int, dict[str, float]]) -> list[str]:
    """The pages over budget at 300,000 contacts, or grown too much from 30,000."""
    failures = []
    large, small = pages.get(LARGE, {}), pages.get(SMALL, {})
    for name, ms in large.items():
        if ms > PAGE_BUDGET_MS:
            failures.append(f"{name}: {ms:.0f} ms at 300,000 (budget {PAGE_BUDGET_MS:.0f})")
        if name in small and ms / small[name] > GROWTH_BUDGET:
            failures.append(f"{name}: grew {ms / small[name]:.1f}x from 30,000 to 300,000")
    return failures


def job_failures(job: dict[str, dict[str, Any]]) -> list[str]:
    """The whole-account jobs over budget at 300,000 contacts."""
    failures = [
        f"{name}: {figures['error']}" for name, figures in job.items() if "error" in figures
    ]
    backup, feed, restore = job["backup"], job["feed"], job["restore"]
    if backup.get("first_byte_s", 0) > FIRST_BYTE_BUDGET_S:
        failures.append(f"backup's first byte after {backup['first_byte_s']:.1f} s")
    for name, figures in (("backup", backup), ("feed", feed)):
        if figures.get("peak_mb", 0) > MEMORY_BUDGET_MB:
            failures.append(f"{name} peaked at {figures['peak_mb']:.0f} MB")
    if restore.get("seconds", 0) > RESTORE_BUDGET_S:
        failures.append(f"restore took {restore['seconds']:.0f} s")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=f"{SMALL},{LARGE}")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pages-only", action="store_true", help="no backup, restore or feed")
    parser.add_argument("--memory-cap-mb", type=int, default=2_000)
    parser.add_argument("--timeout", type=int, default=600, help="seconds, per child")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="crm-scale-"))
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    pages: dict[int, dict[str, float]] = {}
    jobs: dict[int, dict[str, Any]] = {}
    for size in sizes:
        seeded = seed_account(size, workdir)
        print(f"\n{size:,} contacts seeded in {seeded.seconds:.0f} s ({seeded.url.split(':')[0]})")
        pages[size] = time_pages(seeded, args.runs)
        for name, ms in pages[size].items():
            print(f"  {name:60} {ms:8.1f} ms")
        if not args.pages_only:
            jobs[size] = whole_account(seeded, workdir, args.memory_cap_mb, args.timeout)
            for name, figures in jobs[size].items():
                print("  " + _show_job(name, figures))
        print(f"  load average now: {os.getloadavg()[0]:.1f}")
    if SMALL in pages and LARGE in pages:
        print("\ngrowth from 30,000 to 300,000 contacts")
        for name, ms in pages[LARGE].items():
            print(f"  {name:60} {ms / pages[SMALL][name]:6.1f}x")
    failures = page_failures(pages) + (job_failures(jobs[LARGE]) if LARGE in jobs else [])
    for failure in failures:
        print(f"FAIL {failure}")
    if LARGE not in pages or SMALL not in pages or (args.pages_only and not failures):
        print("incomplete: the budgets hold at 300,000 contacts, against 30,000, with every job")
        return 2
    print("every budget holds" if not failures else f"{len(failures)} budget(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(*sys.argv[2:5])))
    else:
        raise SystemExit(main())
