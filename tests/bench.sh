# `make bench`: generates a 1,000,000-request trace (the `mixed` recipe), then
# times its import and its load into memory.  Prints figures; never fails on speed.
set -e
: "${BENCH_REQUESTS:=1000000}" "${BUILD:=build}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "bench: generating $BENCH_REQUESTS requests (llmcost gen mixed)"
./llmcost gen mixed --requests "$BENCH_REQUESTS" --seed 7 -o "$dir/mixed.jsonl"
echo "bench: $(wc -c < "$dir/mixed.jsonl") bytes, $(nproc) cores"
"$BUILD/bench" import "$dir/store.db" "$dir/mixed.jsonl"
"$BUILD/bench" load "$dir/store.db" bench
echo "bench: replay (trace loading excluded): the v3 scenario and a cache-only LRU scenario"
cat > "$dir/cache-lru.json" <<'JSON'
{"name": "cache-only LRU", "cache": {"capacity": 100000, "eviction": "lru"}}
JSON
"$BUILD/bench" replay "$dir/store.db" bench fixtures/scenarios/v3.json "$dir/cache-lru.json"
