#!/usr/bin/env bash
# By turns: `ews rescore` of the 1M-loan Parquet tables with 1 worker on glibc's malloc (EWS_JEMALLOC=0) and on
# jemalloc (EWS_JEMALLOC=1), the order alternating each turn; each run is recorded in bench/results/rescore.json under its label
# (glibc / jemalloc) with the allocator its start log named. Needs libjemalloc2; run through npm:
#   TURNS=4 npm run bench:rescore-allocator
set -euo pipefail
TURNS=${TURNS:-4}
run() { node tmp/bench-build/bench/rescore.js --loans 1000000 --runs parquet:1 --label "$1" | grep -E '^\['; }
for i in $(seq 1 "$TURNS"); do
  if [ $((i % 2)) -eq 1 ]; then order="glibc jemalloc"; else order="jemalloc glibc"; fi
  for allocator in $order; do
    if [ "$allocator" = glibc ]; then EWS_JEMALLOC=0 run glibc; else EWS_JEMALLOC=1 run jemalloc; fi
  done
done
