#!/usr/bin/env bash
# The scale-out stack on one machine (README "Production"): a streaming replica on 5433
# (pg_createcluster + pg_basebackup), pgbouncer on 6432 (transaction pooling) in front of the
# primary on 5432, two gunicorn app servers on 8001/8002, two Celery workers, Varnish on
# 6081 with config/varnish/default.vcl pointed at both app servers. State in $SCALE_DIR;
# environment in scale/env.sh. Needs root (pg_createcluster, pg_hba). Idempotent: what is
# already up is left alone. Stop with scale/down.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scale/env.sh
mkdir -p "$SCALE_DIR"
PGV=${SCALE_PG_VERSION:-15}
HBA=/etc/postgresql/$PGV/main/pg_hba.conf
REPLICA_DATA=/var/lib/postgresql/$PGV/replica
log() { printf '== scale: %s\n' "$*"; }
psql_primary() { psql -h 127.0.0.1 -p 5432 -U postgres -X -At "$@"; }

# Primary: replication connections from loopback, without a password.
if ! grep -Eq '^host\s+replication\s+all\s+127\.0\.0\.1/32\s+trust' "$HBA"; then
  log "allowing replication from 127.0.0.1 in $HBA"
  # Before any other replication line, so it is the one that matches.
  sed -i '0,/^\s*host/s//host replication all 127.0.0.1\/32 trust\n&/' "$HBA"
  grep -Eq '^host\s+replication\s+all\s+127\.0\.0\.1/32\s+trust' "$HBA" \
    || echo "host replication all 127.0.0.1/32 trust" >>"$HBA"
  psql_primary -c "SELECT pg_reload_conf()" >/dev/null
fi
psql_primary -c "SELECT 1 FROM pg_database WHERE datname='$SCALE_DB'" | grep -q 1 \
  || psql_primary -c "CREATE DATABASE $SCALE_DB" >/dev/null
DATABASE_URL=$SCALE_PRIMARY_URL DATABASE_REPLICA_URL='' \
  .venv/bin/python manage.py migrate --noinput -v0
DATABASE_URL=$SCALE_PRIMARY_URL DATABASE_REPLICA_URL='' \
  .venv/bin/python manage.py seed_demo --if-empty >/dev/null

# Replica on 5433: a cluster of its own, filled by pg_basebackup and kept streaming.
streaming() {
  [ "$(psql -h 127.0.0.1 -p 5433 -U postgres -X -At -c \
    "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = streaming ]
}
make_replica() {
  log "making the replica (pg_basebackup from 5432)"
  pg_dropcluster --stop "$PGV" replica 2>/dev/null || true
  pg_createcluster "$PGV" replica -p 5433 >/dev/null
  # Like the primary here: trusted from this machine only.
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' \
    >"/etc/postgresql/$PGV/replica/pg_hba.conf"
  # pg_basebackup needs an empty directory that postgres owns (its parent may belong to root).
  find "$REPLICA_DATA" -mindepth 1 -delete
  chown postgres:postgres "$REPLICA_DATA"
  chmod 700 "$REPLICA_DATA"
  (cd /tmp && su postgres -s /bin/sh -c \
    "pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D '$REPLICA_DATA' -R -X stream -c fast")
}
replica_ready() {
  pg_ctlcluster --skip-systemctl-redirect "$PGV" replica start 2>/dev/null || true
  for _ in $(seq 1 40); do streaming && return 0; sleep 0.25; done
  return 1
}
if ! pg_lsclusters -h | awk '{print $2}' | grep -qx replica || [ ! -f "$REPLICA_DATA/standby.signal" ]; then
  make_replica
fi
if ! replica_ready; then
  # Too far behind (its WAL recycled on the primary) or broken: make it again.
  make_replica
  replica_ready || { echo "the replica on 5433 does not stream" >&2; exit 1; }
fi
# Whatever a stopped run left paused.
psql -h 127.0.0.1 -p 5433 -U postgres -X -At -c "SELECT pg_wal_replay_resume()" >/dev/null

scale/pgbouncer.sh

# App servers and workers, with the environment of scale/env.sh.
for port in 8001 8002; do
  if ! curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz/" 2>/dev/null; then
    .venv/bin/gunicorn config.wsgi:application -b "127.0.0.1:$port" -w 2 --daemon \
      --pid "$SCALE_DIR/gunicorn-$port.pid" --error-logfile "$SCALE_DIR/gunicorn-$port.log"
  fi
done
for n in 1 2; do
  if [ ! -f "$SCALE_DIR/celery-$n.pid" ] || ! kill -0 "$(cat "$SCALE_DIR/celery-$n.pid")" 2>/dev/null; then
    rm -f "$SCALE_DIR/celery-$n.pid" "$SCALE_DIR/celery-$n.log"
    .venv/bin/celery -A config worker -n "scale$n@%h" --concurrency=1 --queues=celery \
      --without-mingle --without-gossip --loglevel=INFO \
      --detach --pidfile "$SCALE_DIR/celery-$n.pid" --logfile "$SCALE_DIR/celery-$n.log"
  fi
done

# Varnish: the shipped VCL with both app servers (the lines between the markers replaced).
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
  for _ in $(seq 1 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz/" 2>/dev/null && break
    sleep 0.5
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz/" \
    || { echo "nothing answers on $port; see $SCALE_DIR" >&2; exit 1; }
done
for n in 1 2; do
  for _ in $(seq 1 60); do grep -q "ready" "$SCALE_DIR/celery-$n.log" 2>/dev/null && break; sleep 0.5; done
done
log "up: varnish 6081 -> gunicorn 8001/8002 -> pgbouncer 6432 -> 5432; replica 5433; workers 2"
