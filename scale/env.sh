# The scale stack's environment (sourced by scale/up.sh, scale/test.sh and scale/bench.sh):
# app servers and workers reach the primary through pgbouncer and read from the replica.
SCALE_DIR=${SCALE_DIR:-/tmp/claimdesk-scale}
SCALE_DB=${SCALE_DB:-claimdesk_scale}
export SCALE_DIR SCALE_DB
export SCALE_PRIMARY_URL=postgres://postgres@127.0.0.1:5432/$SCALE_DB
export SCALE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/$SCALE_DB
export SCALE_VARNISH_URL=http://127.0.0.1:6081
export SCALE_APP_URLS="http://127.0.0.1:8001 http://127.0.0.1:8002"
export DJANGO_ENV=development DEBUG=0
export DATABASE_URL=postgres://postgres@127.0.0.1:6432/$SCALE_DB CLAIMDESK_PGBOUNCER=1
export DATABASE_REPLICA_URL=$SCALE_REPLICA_URL
export REDIS_URL=${SCALE_REDIS_URL:-redis://127.0.0.1:6379/9}
export CLAIMDESK_PURGE_URL=http://127.0.0.1:6081/
export CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK=1 CLAIMDESK_WEBHOOK_BACKOFF_SCALE=0.01
export CLAIMDESK_SITE_URL=http://127.0.0.1:6081
export CLAIMDESK_DEMO_PASSWORD=${CLAIMDESK_DEMO_PASSWORD:-scale-demo-password-7c1e}
export AXES_ENABLED=0
export SECRET_KEY=${SECRET_KEY:-claimdesk-scale-test-key-0f3a9c1e7b5d4a2c8e6f0b1d3a5c7e9f}
export ALLOWED_HOSTS=127.0.0.1,localhost
