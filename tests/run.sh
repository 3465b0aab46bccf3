# Runs the unit tests and every tests/cli_*.sh script, then prints the total as
# "tests: N passed, N failed" (the line CI reads).  A runner that exits non-zero
# without reporting a failure (a crash, a sanitizer report) counts as one
# failure.  Exit status 1 on any failure.
: "${LLMCOST:=./llmcost}" "${UNIT:=build/unit-tests}"
export LLMCOST
out=$(mktemp); trap 'rm -f "$out"' EXIT
run() { # NAME COMMAND...
	name=$1; shift
	"$@" > "$out.one"
	status=$?
	{
		cat "$out.one"
		if [ "$status" -ne 0 ] && ! grep -qE ' [1-9][0-9]* failed$' "$out.one"; then
			echo "FAIL $name exited with status $status" >&2
			echo "$name-exit: 0 passed, 1 failed"
		fi
	} | tee -a "$out"
}
run unit "$UNIT"
for t in tests/cli_*.sh; do
	run "$(basename "$t" .sh)" sh "$t"
done
rm -f "$out.one"
awk '/^[a-z_-]+: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
     END { printf "tests: %d passed, %d failed\n", p, f; exit f > 0 }' "$out"
