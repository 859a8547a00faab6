"""Benchmark: peak resident memory of a server process previewing, then importing, a 10 MB file.

Run it from the repository root:

    python benchmarks/upload_memory.py [--mb 10]

It writes a LinkedIn Connections.csv of about --mb megabytes (the upload limit) and a fresh
SQLite database, then starts one server process per phase (the app served by werkzeug on a
loopback port, as benchmarks/serving.py does) and drives it over HTTP from this process:

- preview: register, upload the file to the Import page (the upload waits in the database);
- import: a new server process logs in and confirms that preview.

Each server reports its maximum resident set (ru_maxrss, which includes Python, Flask and
SQLAlchemy: about 80 MB before any request). PASS when each phase stays under the budget in
docs/architecture.md (300 MB); exit status 1 otherwise.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_MB = 300
EMAIL = "memory@example.com"
PASSWORD = "a long password"


def serve_child(database: str) -> None:
    """Child process: serve the app until standard input closes, then print the peak RSS."""
    from benchmarks.serving import serve
    from crm import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "IMPORT_MAX_BYTES": 11 * 2**20,
            "MAX_CONTENT_LENGTH": 12 * 2**20,
        }
    )
    with serve(app) as port:
        print(port, flush=True)
        sys.stdin.read()
    print(f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}", flush=True)


class Server:
    """One server process on the database, and a browser-like client with cookies."""

    def __init__(self, database: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", database],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.base = f"http://127.0.0.1:{int(self.process.stdout.readline())}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str]:
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Content-Type": content_type}
        )
        with self.opener.open(request, timeout=1800) as response:
            return response.status, response.read().decode("utf-8")

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(fields).encode()
        return self.post(path, body, "application/x-www-form-urlencoded")

    def peak_mb(self) -> float:
        """Stop the server; return its maximum resident set in MB."""
        out, _ = self.process.communicate("", timeout=120)
        return float(out.split()[-1])


def multipart(field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----benchmark-boundary-7d91"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_child(args.serve)
        return 0

    from benchmarks.import_linkedin import fresh_database, generate_file

    rows = int(args.mb * 2**20 / 96)
    data = generate_file(rows)
    while len(data) > args.mb * 2**20:
        rows = int(rows * 0.98)
        data = generate_file(rows)
    print(f"File: {len(data) / 2**20:.1f} MB, {rows:,} rows")
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as directory:
        database = f"sqlite:///{fresh_database(Path(directory))}"
        preview = Server(database)
        preview.form("/register", {"email": EMAIL, "password": PASSWORD, "confirm": PASSWORD})
        started = time.perf_counter()
        body, content_type = multipart("file", "Connections.csv", data)
        status, page = preview.post("/import", body, content_type)
        match = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
        assert status == 200 and match, "the preview did not offer a confirm"
        print(f"preview: {time.perf_counter() - started:.1f} s")
        results["preview"] = preview.peak_mb()

        importer = Server(database)
        importer.form("/login", {"email": EMAIL, "password": PASSWORD})
        started = time.perf_counter()
        status, page = importer.form(
            "/import/confirm", {"token": match.group(1), "network": "work"}
        )
        assert status == 200 and "Import done" in page, page[:500]
        print(f"import: {time.perf_counter() - started:.1f} s")
        results["import"] = importer.peak_mb()

    failed = False
    for phase, peak in results.items():
        ok = peak < BUDGET_MB
        failed |= not ok
        print(
            f"{phase:8} peak RSS {peak:6.1f} MB (budget {BUDGET_MB} MB)  {'PASS' if ok else 'FAIL'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
