#!/usr/bin/env bash
# make scale-test: bring the stack up (scale/up.sh), run tests/scale against it, tear it
# down whatever happens. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'scale/down.sh' EXIT
started=$(date +%s)
scale/up.sh
. scale/env.sh
# The tests talk to the stack over HTTP and SQL; the pytest process itself keeps the embedded
# settings, so the suite's fixtures never touch the stack's Redis or databases.
env -u DATABASE_URL -u DATABASE_REPLICA_URL -u REDIS_URL -u CLAIMDESK_PURGE_URL \
  -u CLAIMDESK_PGBOUNCER CLAIMDESK_SCALE=1 \
  .venv/bin/python -m pytest -p no:cacheprovider -s -q tests/scale "$@"
echo "== scale: tests passed in $(( $(date +%s) - started )) s (stack up included)"
