#!/usr/bin/env bash
# Stops what scale/up.sh started, by pid file, and the replica cluster (kept on disk for the
# next run; scale/up.sh makes it again if it can no longer catch up). Waits until all are gone.
SCALE_DIR=${SCALE_DIR:-/tmp/claimdesk-scale}
PGV=${SCALE_PG_VERSION:-15}
pids=()
for f in "$SCALE_DIR"/gunicorn-*.pid "$SCALE_DIR"/celery-*.pid "$SCALE_DIR"/varnishd.pid \
  "$SCALE_DIR"/pgbouncer.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if kill "$pid" 2>/dev/null; then pids+=("$pid"); fi
  rm -f "$f"
done
for pid in "${pids[@]}"; do
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
done
if pg_lsclusters -h 2>/dev/null | awk '$2 == "replica" && $4 ~ /^online/' | grep -q .; then
  psql -h 127.0.0.1 -p 5433 -U postgres -X -Atqc "SELECT pg_wal_replay_resume()" >/dev/null 2>&1
  pg_ctlcluster --skip-systemctl-redirect "$PGV" replica stop -m fast || true
fi
exit 0
