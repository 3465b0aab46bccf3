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
