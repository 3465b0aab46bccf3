# `make bench`: figures, never pass/fail, on generated traces (memory stays flat while
# generating; the files go to a temporary folder, about 3.5 GB at the default sizes).
#  1. import and load: a 1,000,000-request `mixed` trace (every task type);
#  2. replay: a 10,000,000-request `flood` trace over 7 days with 1,000 tenants (Zipf-like
#     tenant sizes, Zipf-repeated FAQ inputs, a 45-minute fault window with its retries and
#     fallbacks), through the bundled v3 scenario and a cache-only LRU scenario, each on one
#     core (loading excluded; the median of three runs), then both on two threads; then the
#     whole `llmcost replay` process with v3 on the stored trace.
set -e
: "${BENCH_IMPORT:=1000000}" "${BENCH_REPLAY:=10000000}" "${BUILD:=build}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "bench: $(nproc) cores; traces in $dir"

./llmcost gen mixed --requests "$BENCH_IMPORT" --seed 7 -o "$dir/mixed.jsonl"
echo "bench: $(wc -c < "$dir/mixed.jsonl") bytes"
"$BUILD/bench" import "$dir/import.db" "$dir/mixed.jsonl"
"$BUILD/bench" load "$dir/import.db" bench
rm -f "$dir/mixed.jsonl" "$dir/import.db"

./llmcost gen flood --requests "$BENCH_REPLAY" --tenants 1000 --days 7 --seed 7 -o "$dir/flood.jsonl"
echo "bench: $(wc -c < "$dir/flood.jsonl") bytes"
"$BUILD/bench" import "$dir/replay.db" "$dir/flood.jsonl"
rm -f "$dir/flood.jsonl"
cat > "$dir/cache-lru.json" <<'JSON'
{"name": "cache-only LRU", "cache": {"capacity": 100000, "eviction": "lru"}}
JSON
"$BUILD/bench" replay "$dir/replay.db" bench fixtures/scenarios/v3.json "$dir/cache-lru.json"
start=$(date +%s.%N)
./llmcost replay bench --db "$dir/replay.db" -s v3 > /dev/null
end=$(date +%s.%N)
echo "bench: the whole process, llmcost replay bench -s v3 (load, replay, print): $(echo "$start $end" |
	awk '{ printf "%.2f", $2 - $1 }') s"
