#!/usr/bin/env bash
# The scale-out stack on one machine (README "Production"): a streaming replica on 5433
# (pg_createcluster + pg_basebackup), pgbouncer on 6432 (transaction pooling) in front of the
# primary on 5432, two gunicorn app servers on 8001/8002, two Celery workers, Varnish on
# 6081 with config/varnish/default.vcl pointed at both app servers. State in $SCALE_DIR.
# Needs root (pg_createcluster, pg_hba). Stop with scale/down.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCALE_DIR=${SCALE_DIR:-/tmp/claimdesk-scale}
DB=${SCALE_DB:-claimdesk_scale}
mkdir -p "$SCALE_DIR"
PGV=15
HBA=/etc/postgresql/$PGV/main/pg_hba.conf
log() { printf '== scale: %s\n' "$*"; }

# Primary: replication from loopback.
if ! grep -Eq '^host\s+replication\s+all\s+127\.0\.0\.1/32' "$HBA"; then
  echo "host replication all 127.0.0.1/32 trust" >>"$HBA"
  pg_ctlcluster --skip-systemctl-redirect $PGV main reload
fi
psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
export DEBUG=0 DJANGO_ENV=development
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
DEBUG=1 .venv/bin/python manage.py migrate --noinput -v0
DEBUG=1 .venv/bin/python manage.py seed_demo --if-empty >/dev/null

# Replica on 5433.
if ! pg_lsclusters -h | awk '{print $2}' | grep -qx replica; then
  log "creating the replica cluster"
  pg_createcluster $PGV replica -p 5433 >/dev/null
  DATA=/var/lib/postgresql/$PGV/replica
  rm -rf "$DATA"
  su postgres -c "pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D $DATA -R -X stream"
fi
pg_ctlcluster --skip-systemctl-redirect $PGV replica start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5433 -q && break; sleep 0.5; done

SCALE_DIR=$SCALE_DIR scale/pgbouncer.sh

# App servers and workers.
export DATABASE_URL=postgres://postgres@127.0.0.1:6432/$DB CLAIMDESK_PGBOUNCER=1
export DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/$DB
export REDIS_URL=${SCALE_REDIS_URL:-redis://127.0.0.1:6379/9}
export CLAIMDESK_PURGE_URL=http://127.0.0.1:6081/
export CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK=1
export SECRET_KEY=${SECRET_KEY:-claimdesk-scale-test-key-0f3a9c1e7b5d4a2c8e6f0b1d3a5c7e9f}
export ALLOWED_HOSTS=127.0.0.1,localhost DEBUG=1
for port in 8001 8002; do
  if ! curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz/"; then
    .venv/bin/gunicorn config.wsgi:application -b 127.0.0.1:$port -w 2 --daemon \
      --pid "$SCALE_DIR/gunicorn-$port.pid" --error-logfile "$SCALE_DIR/gunicorn-$port.log"
  fi
done
for n in 1 2; do
  if [ ! -f "$SCALE_DIR/celery-$n.pid" ] || ! kill -0 "$(cat "$SCALE_DIR/celery-$n.pid")" 2>/dev/null; then
    .venv/bin/celery -A config worker -n "scale$n@%h" --concurrency=1 --queues=celery,ingest,purge \
      --detach --pidfile "$SCALE_DIR/celery-$n.pid" --logfile "$SCALE_DIR/celery-$n.log"
  fi
done

# Varnish: the shipped VCL with both app servers.
sed '/# BACKENDS-BEGIN/,/# BACKENDS-END/c\
backend app1 { .host = "127.0.0.1"; .port = "8001"; }\
backend app2 { .host = "127.0.0.1"; .port = "8002"; }\
sub vcl_init {\
    new origin = directors.round_robin();\
    origin.add_backend(app1);\
    origin.add_backend(app2);\
}' config/varnish/default.vcl >"$SCALE_DIR/scale.vcl"
if ! curl -fsS -o /dev/null http://127.0.0.1:6081/healthz/ 2>/dev/null; then
  varnishd -a 127.0.0.1:6081 -f "$SCALE_DIR/scale.vcl" -s malloc,128m -n "$SCALE_DIR/varnish" \
    -P "$SCALE_DIR/varnishd.pid"
fi
for port in 8001 8002 6081; do
  for _ in $(seq 1 40); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz/" && break; sleep 0.5; done
done
log "up: varnish 6081 -> gunicorn 8001/8002 -> pgbouncer 6432 -> 5432, replica 5433"
