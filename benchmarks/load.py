"""Benchmark: many people at once on gunicorn (4 workers) and a throwaway PostgreSQL.

Run it from the repository root (needs Debian's postgresql package, as scripts/test.sh):

    python benchmarks/load.py [--users 20] [--contacts 3000] [--clients 50] [--seconds 60]

It starts PostgreSQL in a temporary directory on a free loopback port, migrates it, seeds
--users accounts of --contacts contacts each (with outreach, follow-ups, interviews and
notes), serves the app with gunicorn on 127.0.0.1, and runs --clients concurrent clients for
--seconds. Each client logs in as one of the users and goes through a realistic mix:
the dashboard, the contact list, a search, a contact's page, the follow-ups, logging an
outreach and marking a follow-up done, pausing --think seconds on average between clicks
as a person reading the page does (0 sends the next request at once). Every client logs in
before the clock starts; every request has a timeout; everything started is stopped at the
end. It prints requests per second, p50/p95/p99 per page and the error count,
and PASS/FAIL against docs/architecture.md's budget: no errors and p95 under 250 ms on every page.
"""

from __future__ import annotations

import argparse
import glob
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

P95_BUDGET_MS = 250
PASSWORD = "a long password"
TIMEOUT = 30
# Weights of the mix: reading dominates, as in real use.
MIX = {
    "dashboard": 20,
    "contact list": 15,
    "search": 15,
    "contact page": 20,
    "follow-ups": 15,
    "log outreach": 8,
    "mark done": 7,
}
# The servers' main process ids, for their CPU time.
POSTMASTER: list[int] = []
GUNICORN: list[int] = []
CSRF = re.compile(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as file:
        return file.read().rsplit(")", 1)[1].split()


def family(root: int) -> list[int]:
    """A process and its children (gunicorn's workers, PostgreSQL's backends)."""
    found = [root]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(_stat(int(entry))[1]) == root:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far (0 for any gone)."""
    total = 0
    for pid in pids:
        try:
            fields = _stat(pid)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    if os.geteuid() == 0:
        return ["su", "postgres", "-c", " ".join(command)]
    return command


@contextmanager
def throwaway_postgres():
    """A PostgreSQL server in a temporary directory on a free port; yields its URL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("PostgreSQL is not installed (apt-get install postgresql).")
    bin_dir = Path(found[-1]).parent
    directory = tempfile.mkdtemp(prefix="crm-load-")
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    data = f"{directory}/data"
    subprocess.run(
        _as_postgres([f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "-A", "trust",
                      "-E", "UTF8", "--no-sync"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    port = free_port()
    options = f"'-k {directory} -p {port} -c listen_addresses=127.0.0.1 -c max_connections=200'"
    subprocess.run(
        _as_postgres([f"{bin_dir}/pg_ctl", "-D", data, "-l", f"{directory}/log", "-w",
                      "-t", "120", "-o", options, "start"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with open(f"{data}/postmaster.pid") as pid_file:
            POSTMASTER.append(int(pid_file.readline()))
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(directory, ignore_errors=True)


def seed_accounts(url: str, users: int, contacts: int) -> list[dict]:
    """Create the users and their data; return each one's email, contact and follow-up ids."""
    from sqlalchemy import select

    from crm import create_app
    from crm.auth.services import create_user
    from crm.extensions import db
    from crm.models import FollowUp
    from tests.seed import seed

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load"})
    accounts = []
    with app.app_context():
        for number in range(users):
            email = f"load{number}@example.com"
            user = create_user(email, PASSWORD, "Europe/Berlin")
            db.session.commit()
            contact_ids = seed(
                user.id,
                contacts,
                outreach=contacts,
                followups=contacts // 3,
                rng=random.Random(number),
            )
            followups = list(
                db.session.scalars(
                    select(FollowUp.id).where(
                        FollowUp.user_id == user.id, FollowUp.status == "open"
                    )
                )
            )
            accounts.append({"email": email, "contacts": contact_ids, "followups": followups})
        # A database in use has its planner statistics; a freshly seeded one gets them now,
        # not whenever autovacuum wakes up during the run.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
        db.session.remove()
        db.engine.dispose()
    return accounts


@contextmanager
def gunicorn(url: str, workers: int):
    port = free_port()
    env = {
        **os.environ,
        "CRM_DATABASE_URL": url,
        "CRM_SECRET_KEY": "load-benchmark-secret",
        "CRM_AUTO_MIGRATE": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:crm.gunicorn_conf",
         "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "crm:create_app()"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        # Ready when a worker answers (the master listens long before workers have booted).
        deadline = time.monotonic() + 180
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                probe.request("GET", "/login")
                if probe.getresponse().status == 200:
                    probe.close()
                    break
            except (OSError, http.client.HTTPException):
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.5)
        # Every worker has imported the app once before the clock starts.
        time.sleep(5)
        GUNICORN.append(process.pid)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


class Client:
    """One person in a browser: a kept-alive connection, the session cookie, a CSRF token."""

    def __init__(self, port: int, account: dict, rng: random.Random, pool: list[int]) -> None:
        self.port = port
        self.account = account
        self.rng = rng
        self.pool = pool
        self.cookie = ""
        self.token = ""
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode({**fields, "csrf_token": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name_value = header.split(";", 1)[0]
            if name_value.startswith("session="):
                self.cookie = name_value
        if not self.token and (match := CSRF.search(body)):
            # The token lasts the whole session: read once, as a browser keeps its page's.
            # Searching every page would make this client, not the server, the bottleneck.
            self.token = match.group(1).decode()
        return response.status, body

    def log_in(self) -> None:
        self.request("GET", "/login")
        status, _ = self.request(
            "POST", "/login", {"email": self.account["email"], "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"login failed for {self.account['email']}: {status}")
        self.token = ""  # the logged-in session has its own token: read it from the dashboard
        self.request("GET", "/dashboard")

    def one(self, page: str) -> tuple[int, int]:
        """Do one step of the mix; return (status, the status that means success)."""
        contact = self.rng.choice(self.account["contacts"])
        if page == "dashboard":
            return self.request("GET", "/dashboard")[0], 200
        if page == "contact list":
            return self.request("GET", f"/contacts/?page={self.rng.randint(1, 5)}")[0], 200
        if page == "search":
            word = self.rng.choice(["last1", "first2", "career path 3", "engineer", "zzz"])
            return self.request("GET", "/contacts/?q=" + urllib.parse.quote(word))[0], 200
        if page == "contact page":
            return self.request("GET", f"/contacts/{contact}")[0], 200
        if page == "follow-ups":
            return self.request("GET", "/follow-ups")[0], 200
        if page == "log outreach":
            fields = {
                "channel": "email",
                "sent_on": date.today().isoformat(),
                "status": "awaiting",
                "summary": f"Hello again {self.rng.random()}",
            }
            return self.request("POST", f"/contacts/{contact}/outreach", fields)[0], 302
        followup = self.pool.pop() if self.pool else None
        if followup is None:
            return self.request("GET", "/follow-ups")[0], 200
        return self.request("POST", f"/follow-ups/{followup}/done", {"next": "/follow-ups"})[0], 302


def run_clients(
    port: int, accounts: list[dict], clients: int, seconds: float, think: float
) -> dict:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    pools = [list(account["followups"]) for account in accounts]
    stop = threading.Event()
    go = threading.Event()
    ready = threading.Semaphore(0)
    pages, weights = zip(*MIX.items(), strict=True)

    def work(number: int) -> None:
        rng = random.Random(number)
        account = accounts[number % len(accounts)]
        client = Client(port, account, rng, pools[number % len(accounts)])
        try:
            client.log_in()
        except (OSError, RuntimeError, http.client.HTTPException) as error:
            with lock:
                errors.append(f"login: {error}")
            return
        finally:
            ready.release()
        go.wait()
        while not stop.is_set():
            page = rng.choices(pages, weights)[0]
            started = time.perf_counter()
            try:
                status, expected = client.one(page)
            except (OSError, http.client.HTTPException) as error:
                status, expected = 0, 1
                detail = repr(error)
            else:
                detail = f"HTTP {status}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings[page].append(elapsed)
                if status != expected:
                    errors.append(f"{page}: {detail}")
            # A person reads the page before the next click.
            stop.wait(rng.uniform(0, 2 * think))

    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for _ in threads:
        ready.acquire()
    app_pids = [pid for root in GUNICORN for pid in family(root)]
    database_pids = [pid for root in POSTMASTER for pid in family(root)]
    app_cpu, database_cpu = cpu_seconds(app_pids), cpu_seconds(database_pids)
    client_cpu = time.process_time()
    go.set()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=TIMEOUT + 5)
    cpu = {
        "app": cpu_seconds(app_pids) - app_cpu,
        "database": cpu_seconds(database_pids) - database_cpu,
        "clients": time.process_time() - client_cpu,
    }
    return {"timings": timings, "errors": errors, "cpu": cpu}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds a client reads a page (0: none)"
    )
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"Machine: {os.cpu_count()} cores, load average {load[0]:.1f} before the run")
    with throwaway_postgres() as url:
        started = time.perf_counter()
        accounts = seed_accounts(url, args.users, args.contacts)
        print(
            f"Seeded {args.users} users x {args.contacts:,} contacts "
            f"in {time.perf_counter() - started:.0f} s"
        )
        with gunicorn(url, args.workers) as port:
            result = run_clients(port, accounts, args.clients, args.seconds, args.think)
    timings, errors = result["timings"], result["errors"]
    total = sum(len(values) for values in timings.values())
    print(
        f"{args.clients} clients (mean think time {args.think:g} s), {args.seconds:.0f} s, "
        f"gunicorn {args.workers} workers: "
        f"{total:,} requests, {total / args.seconds:.1f} req/s"
    )
    print(f"{'page':14} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    worst = 0.0
    for page in MIX:
        values = timings.get(page) or [0.0]
        p95 = percentile(values, 0.95)
        worst = max(worst, p95)
        print(
            f"{page:14} {len(timings.get(page, [])):7,} {statistics.median(values):8.0f} "
            f"{p95:8.0f} {percentile(values, 0.99):8.0f}"
        )
    every = [value for values in timings.values() for value in values] or [0.0]
    print(
        f"{'all':14} {total:7,} {statistics.median(every):8.0f} "
        f"{percentile(every, 0.95):8.0f} {percentile(every, 0.99):8.0f}"
    )
    cpu = result["cpu"]
    per_request = {name: seconds * 1000 / max(total, 1) for name, seconds in cpu.items()}
    print(
        f"CPU during the run: servers {cpu['app'] + cpu['database']:.1f} s, "
        f"{per_request['app'] + per_request['database']:.1f} ms a request "
        f"(gunicorn {per_request['app']:.1f} ms, PostgreSQL {per_request['database']:.1f} ms); "
        f"these clients {cpu['clients']:.1f} s (of {2 * args.seconds:.0f} s on 2 cores)"
    )
    print(f"errors: {len(errors)}")
    for line in sorted(set(errors))[:10]:
        print(f"  {line}")
    ok = total > 0 and not errors and worst < P95_BUDGET_MS
    print(f"{'PASS' if ok else 'FAIL'} (budget: 0 errors, p95 < {P95_BUDGET_MS} ms on every page)")
    print(f"load average after the run: {os.getloadavg()[0]:.1f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
