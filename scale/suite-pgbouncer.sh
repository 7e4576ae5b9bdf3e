#!/usr/bin/env bash
# The suite's PostgreSQL paths through pgbouncer in transaction pooling (scale/pgbouncer.sh,
# 127.0.0.1:6432 in front of 5432), with CLAIMDESK_PGBOUNCER=1. The test database is made
# through pgbouncer like every connection, kept at the end (--reuse-db) and dropped here on
# the primary directly: pgbouncer's pooled server connections would block DROP DATABASE, and
# WITH (FORCE) ends them. Extra arguments go to pytest (e.g. -m postgres for the subset).
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE_DIR=${SCALE_DIR:-/tmp/claimdesk-scale}
DB=${BOUNCER_DB:-claimdesk_bouncer}
drop_test_db() {
  psql -h 127.0.0.1 -p 5432 -U postgres -X -qc "DROP DATABASE IF EXISTS test_$DB WITH (FORCE)"
}
started_here=0
if ! pg_isready -h 127.0.0.1 -p 6432 -q 2>/dev/null; then
  SCALE_DIR=$SCALE_DIR scale/pgbouncer.sh
  started_here=1
fi
cleanup() {
  drop_test_db || true
  if [ "$started_here" = 1 ] && [ -f "$SCALE_DIR/pgbouncer.pid" ]; then
    kill "$(cat "$SCALE_DIR/pgbouncer.pid")" 2>/dev/null || true
  fi
}
trap cleanup EXIT
drop_test_db
psql -h 127.0.0.1 -p 5432 -U postgres -X -tc "SELECT 1 FROM pg_database WHERE datname = '$DB'" \
  | grep -q 1 || psql -h 127.0.0.1 -p 5432 -U postgres -X -qc "CREATE DATABASE $DB"
DATABASE_URL=postgres://postgres@127.0.0.1:6432/$DB \
CLAIMDESK_PGBOUNCER=1 \
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0} \
CLAIMDESK_REQUIRE_SERVICES=1 \
  make test PYTEST_ARGS="--reuse-db -p no:cacheprovider $*"
