#!/usr/bin/env bash
# Run the whole test suite: lint, then every test on SQLite, then the database tests on a
# throwaway PostgreSQL server. Installs what the tests need when it is missing:
# the locked Python packages in .venv/, Debian's chromium and postgresql, and axe-core from npm.
# Extra arguments go to pytest, e.g. scripts/test.sh -k contacts
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
need_deb() {  # need_deb COMMAND-OR-PATH PACKAGE
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -e "$1" ]; then
    if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  fi
}

# Our own virtual environment, installed from the committed lock (so a fresh clone tests the
# locked versions, never whatever the machine holds); reinstalled whenever the lock changes.
VENV=${CRM_VENV:-$ROOT/.venv}
if [ ! -x "$VENV/bin/python" ]; then
  echo "== Creating $VENV from requirements.lock =="
  python3 -m venv "$VENV"
fi
if ! cmp -s requirements.lock "$VENV/.installed-lock"; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.lock
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e .
  "$VENV/bin/python" -m pip check >/dev/null
  cp requirements.lock "$VENV/.installed-lock"
fi
export PATH="$VENV/bin:$PATH"
need_deb /usr/bin/chromium chromium
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  need_deb /usr/lib/postgresql/none/bin/initdb postgresql
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
if [ ! -f .cache/node_modules/axe-core/axe.min.js ]; then
  mkdir -p .cache
  npm install --silent --no-save --no-audit --no-fund --prefix .cache axe-core@4 >/dev/null
fi

ruff check .
ruff format --check .
mypy
# Our stubs for untyped libraries must keep matching the locked versions (stubs/README.md).
MYPYPATH=stubs python -m mypy.stubtest --mypy-config-file stubs/stubtest.ini --ignore-missing-stub \
  --allowlist stubs/stubtest-allowlist.txt flask_login flask_wtf flask_migrate wtforms
# No module does too many jobs: a file past 500 lines is a sign it wants splitting.
too_long=$(find crm -name '*.py' -exec wc -l {} + \
  | awk '$2 != "total" && $1 > 500 {print $2 " (" $1 " lines)"}')
if [ -n "$too_long" ]; then
  echo "These modules are over 500 lines; split them by job:" >&2
  echo "$too_long" >&2
  exit 1
fi

echo "== Tests on SQLite =="
python -m pytest "$@"

echo "== Database and browser tests on PostgreSQL =="
PG_DIR=$(mktemp -d)
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
stop_pg() { run_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; }
trap stop_pg EXIT
free_port() { python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
run_pg "$PG_BIN/initdb -D $PG_DIR/data -U postgres -A trust -E UTF8 --no-sync" >/dev/null
# A free port each try (CRM_TEST_PG_PORT pins one); the server's log is shown if it will not start.
started=""
for attempt in 1 2 3; do
  PG_PORT=${CRM_TEST_PG_PORT:-$(free_port)}
  if run_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -w -t 120 -o '-k $PG_DIR -p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off'" start >/dev/null; then
    started=1
    break
  fi
  echo "PostgreSQL did not start (try $attempt); its log:" >&2
  tail -n 20 "$PG_DIR/log" >&2 || true
  sleep 2
done
[ -n "$started" ] || { echo "Could not start a PostgreSQL server for the tests." >&2; exit 1; }
export CRM_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
# The pure unit tests (parsers, rules, exporters) touch no database: run them once, above.
# Sync runs here too: its clients must see the same address book and calendar on both.
python -m pytest tests/app tests/browser tests/sync "$@"
