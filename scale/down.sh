#!/usr/bin/env bash
# Stops what scale/up.sh started (by pid file); the replica cluster is kept for the next run.
SCALE_DIR=${SCALE_DIR:-/tmp/claimdesk-scale}
for f in "$SCALE_DIR"/gunicorn-*.pid "$SCALE_DIR"/celery-*.pid "$SCALE_DIR"/varnishd.pid "$SCALE_DIR"/pgbouncer.pid; do
  [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; rm -f "$f"
done
exit 0
