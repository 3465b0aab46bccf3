# Golden outputs: the bundled scenarios on bundled traces, as the table and as JSON.
# `sh tests/golden.sh write` regenerates fixtures/golden/ (review the diff before
# committing); `sh tests/golden.sh check` compares and prints "cli_golden: N passed, N failed".
: "${LLMCOST:=./llmcost}"
mode=${1:-check}
dir=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-golden.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export LLMCOST_DB="$dir/store.db"
passed=0; failed=0
run() { # NAME ARGS...: one golden file
	name=$1; shift
	"$LLMCOST" replay "$@" > "$dir/$name" 2>/dev/null
	if [ "$mode" = write ]; then
		cp "$dir/$name" "fixtures/golden/$name"
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
[ "$mode" = write ] || echo "cli_golden: $passed passed, $failed failed"
