# Runs the unit tests and every tests/cli_*.sh script, then prints the total as
# "tests: N passed, N failed" (the line CI reads).  Exit status 1 on any failure.
: "${LLMCOST:=./llmcost}" "${UNIT:=build/unit-tests}"
export LLMCOST
out=$(mktemp); trap 'rm -f "$out"' EXIT
"$UNIT" | tee -a "$out"
for t in tests/cli_*.sh; do
	sh "$t" | tee -a "$out"
done
awk '/^[a-z_-]+: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
     END { printf "tests: %d passed, %d failed\n", p, f; exit f > 0 }' "$out"
