#!/usr/bin/env bash
# make bench-public: the stack up (scale/up.sh), scale/bench_public.py, the stack down
# (unless SCALE_KEEP=1). Extra arguments go to the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SCALE_KEEP:-0}" = 1 ] || trap 'scale/down.sh' EXIT
scale/up.sh
. scale/env.sh
.venv/bin/python scale/bench_public.py "$@"
