# The replay engine against an independent model of SPEC §4, §5 and §10
# (tests/oracle/model.py, its readings in tests/oracle/CHOICES.md).  The model's
# own hand-worked cases must pass (one check), then 200 random small traces and
# scenarios (tests/oracle_check.py) must give every figure of --json (totals,
# groups, timeline, alerts) to the last digit (a check each).  A failing case's files are kept in a
# directory this script names.
SUITE=oracle
. tests/lib.sh
if python3 tests/oracle/selftest.py > "$TMP/selftest.out"; then
	ok
else
	bad "the model's hand-worked cases: $(grep FAIL "$TMP/selftest.out")"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-oracle.XXXXXX")
python3 tests/oracle_check.py "$LLMCOST" "$work" 200 1 > "$TMP/cases.out"
status=$?
count=$(sed -n 's/^oracle: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$TMP/cases.out")
if [ "$status" -eq 0 ] && [ -n "$count" ]; then
	rm -rf "$work"
else
	echo "FAIL oracle: the cases' files are kept in $work" >&2
fi
set -- $count 0 1
passed=$((passed + $1)); failed=$((failed + $2))
finish
