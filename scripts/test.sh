#!/usr/bin/env bash
# Run the whole test suite: lint, then every test on SQLite, then the database tests on a
# throwaway PostgreSQL server. Installs what the tests need when it is missing:
# the Python test extras, Debian's chromium and postgresql, and axe-core from npm.
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

python -m pip install -q --disable-pip-version-check -e '.[test]'
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

echo "== Tests on SQLite =="
python -m pytest "$@"

echo "== Database and browser tests on PostgreSQL =="
PG_DIR=$(mktemp -d)
PG_PORT=${CRM_TEST_PG_PORT:-54329}
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
stop_pg() { run_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; }
trap stop_pg EXIT
run_pg "$PG_BIN/initdb -D $PG_DIR/data -U postgres -A trust -E UTF8 --no-sync" >/dev/null
run_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -w -o '-k $PG_DIR -p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off'" start >/dev/null
export CRM_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
# The pure unit tests (parsers, rules, exporters) touch no database: run them once, above.
python -m pytest tests/app tests/browser "$@"
