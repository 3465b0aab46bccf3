# `make bench`: figures, never pass/fail, on generated traces (memory stays flat while
# generating; the files go to a temporary folder, about 3.5 GB at the default sizes).
#  1. import and load: a 1,000,000-request `mixed` trace (every task type);
#  2. replay: a 10,000,000-request `flood` trace over 7 days with 1,000 tenants (Zipf-like
#     tenant sizes, Zipf-repeated FAQ inputs, a 45-minute fault window with its retries and
#     fallbacks), through the bundled v3 scenario and a cache-only LRU scenario, each on one
#     core (loading excluded; the median of three runs), then v3 twice on two threads (the
#     median of three, against v3 alone); then the whole `llmcost replay` process with v3 on
#     the stored trace, twice (the first keeps the cache's normalized inputs in the store, the
#     second reads them).
# Before each part it checks that the machine is quiet, and warns when it is not.
set -e
: "${BENCH_IMPORT:=1000000}" "${BENCH_REPLAY:=10000000}" "${BUILD:=build}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "bench: $(nproc) cores; traces in $dir"

# quiet_check: warns when other processes keep the machine busy (sampled over one second, from
# /proc/stat), naming the busiest, since the figures would then be low.
quiet_check() {
	[ -r /proc/stat ] || return 0
	a=$(head -1 /proc/stat)
	sleep 1
	b=$(head -1 /proc/stat)
	busy=$(echo "$a $b" | awk -v cores="$(nproc)" '{ n = (NF - 2) / 2
		for (i = 2; i <= n + 1; i++) { d = $(i + n + 1) - $i; t += d; if (i == 5 || i == 6) idle += d }
		if (t > 0) printf "%.0f", 100 * (t - idle) / t * cores }')
	if [ "${busy:-0}" -ge 10 ]; then
		echo "bench: warning: the machine is not quiet ($busy% of a core busy before the run;" \
			"busiest: $(ps -eo pid=,pcpu=,args= --sort=-pcpu | head -1 | cut -c1-60)); the figures may be low"
	fi
}
quiet_check

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
quiet_check
"$BUILD/bench" replay "$dir/replay.db" bench fixtures/scenarios/v3.json "$dir/cache-lru.json"
# the whole process twice: the first makes the cache's normalized inputs and keeps them in the
# store, the second reads them
for run in "first (makes and keeps the normalized inputs)" "second (reads them)"; do
	start=$(date +%s.%N)
	"$BUILD/llmcost" replay bench --db "$dir/replay.db" -s v3 > /dev/null
	end=$(date +%s.%N)
	echo "bench: the whole process, llmcost replay bench -s v3 (load, replay, print), $run:" \
		"$(echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }') s"
done
