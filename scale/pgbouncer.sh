#!/usr/bin/env bash
# pgbouncer (Debian's) on 127.0.0.1:6432 in transaction pooling in front of the primary on
# 5432, its config under $SCALE_DIR (default /tmp/claimdesk-scale). Idempotent.
set -euo pipefail
SCALE_DIR=${SCALE_DIR:-/tmp/claimdesk-scale}
mkdir -p "$SCALE_DIR"
if pg_isready -h 127.0.0.1 -p 6432 -q 2>/dev/null; then exit 0; fi
cat >"$SCALE_DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 6432
auth_type = trust
auth_file = $SCALE_DIR/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
logfile = $SCALE_DIR/pgbouncer.log
pidfile = $SCALE_DIR/pgbouncer.pid
unix_socket_dir =
INI
echo '"postgres" ""' >"$SCALE_DIR/userlist.txt"
if [ "$(id -u)" = 0 ]; then
  chown -R postgres "$SCALE_DIR" 2>/dev/null || true
  su postgres -s /bin/sh -c "pgbouncer -d $SCALE_DIR/pgbouncer.ini"
else
  pgbouncer -d "$SCALE_DIR/pgbouncer.ini"
fi
for _ in $(seq 1 20); do pg_isready -h 127.0.0.1 -p 6432 -q && exit 0; sleep 0.5; done
echo "pgbouncer did not start; see $SCALE_DIR/pgbouncer.log" >&2; exit 1
