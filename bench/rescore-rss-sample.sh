#!/usr/bin/env bash
# The peak RSS of one `ews rescore` over time: samples the relaunched child's VmRSS with 0.2 s of sleep
# between samples (pgrep and awk add their own time to each) (NDJSON, 2 workers,
# the 1M bench portfolio that `npm run bench:rescore` generates; build first). Usage: bench/rescore-rss-sample.sh LABEL
# (EWS_JEMALLOC=0 or 1 in the environment picks the malloc; EWS_CLI=path/to/ews.js runs another build, for an A/B).
# Prints the peak, the wall time and every 25th sample.
cd "$(dirname "$0")/.."
out=/tmp/rss-$1-$$.parquet; rm -f $out $out.*
started=$(date +%s.%N)
TZ=UTC node "${EWS_CLI:-bin/ews.js}" rescore --input "$PWD/data/bench/origination-1000000-seed-7/histories.ndjson" --out $out --as-of 2025-12-31 --workers 2 --json > /dev/null 2>/tmp/rss-$1.err &
launcher=$!
max=0; t=0; series=""
while kill -0 $launcher 2>/dev/null; do
  child=$(pgrep -P $launcher | head -1)
  if [ -n "$child" ]; then
    r=$(awk '/VmRSS/{print int($2/1024)}' /proc/$child/status 2>/dev/null)
    if [ -n "$r" ]; then [ "$r" -gt "$max" ] && max=$r; t=$((t+1)); [ $((t % 25)) -eq 0 ] && series="$series $r"; fi
  fi
  sleep 0.2
done
echo "$1 max ${max} MB in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s; every 25th sample:$series"
rm -f $out $out.*
