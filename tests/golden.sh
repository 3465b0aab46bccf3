# Golden outputs: the bundled scenarios on bundled traces, as the table and as JSON.
# `sh tests/golden.sh write` regenerates fixtures/golden/ (review the diff before
# committing); `sh tests/golden.sh check` compares and prints "cli_golden: N passed, N failed".
# A run that fails (exit status not 0) is said with its stderr; `write` then stops with exit 1
# before copying anything, leaving every golden file as it was.
: "${LLMCOST:=./llmcost}"
mode=${1:-check}
dir=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-golden.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export LLMCOST_DB="$dir/store.db"
passed=0; failed=0
names=; broken=0
run() { # NAME ARGS...: one golden file
	name=$1; shift
	if ! "$LLMCOST" replay "$@" > "$dir/$name" 2>"$dir/$name.err"; then
		echo "FAIL golden: $name: llmcost replay $* failed:" >&2
		cat "$dir/$name.err" >&2
		broken=1
		failed=$((failed + 1))
	elif [ "$mode" = write ]; then
		names="$names $name"
	elif cmp -s "$dir/$name" "fixtures/golden/$name"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL golden: $name differs (make golden regenerates; review the diff)" >&2
		diff "fixtures/golden/$name" "$dir/$name" | head -20 >&2
	fi
}
run flood.txt fixtures/traces/flood.jsonl.gz -s recorded -s baseline -s v3 -s flood-guard
run mixed.json fixtures/traces/mixed.jsonl.gz -s recorded -s baseline -s v3 -s flood-guard --json
run docs-by-task.csv fixtures/traces/docs.jsonl -s baseline -s v3 --csv --by task
if [ "$mode" = write ]; then
	if [ $broken = 1 ]; then
		echo "golden: not written: a run failed (above); fixtures/golden/ is as it was" >&2
		exit 1
	fi
	for name in $names; do cp "$dir/$name" "fixtures/golden/$name" || exit 1; done
	exit 0
fi
echo "cli_golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
