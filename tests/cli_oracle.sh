# The replay engine against an independent model of SPEC §4, §5 and §10
# (tests/oracle/model.py, its readings in tests/oracle/CHOICES.md).  The model's
# own hand-worked cases must pass (one check); then 200 random small traces and
# scenarios, and the bundled docs and mixed traces through the four bundled
# scenarios, must give every figure of --json (totals, groups, timeline,
# alerts) to the last digit (tests/oracle_check.py, a check each).  Failing
# cases' files are kept in a directory this script names.  `make oracle` runs
# more cases and every bundled trace.
SUITE=oracle
. tests/lib.sh
if python3 tests/oracle/selftest.py > "$TMP/selftest.out"; then
	ok
else
	bad "the model's hand-worked cases: $(grep FAIL "$TMP/selftest.out")"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-oracle.XXXXXX")
# oracle ARGS...: runs tests/oracle_check.py and adds its counts (one failure if it gives none)
oracle() {
	count=$(python3 tests/oracle_check.py "$LLMCOST" "$work" "$@" |
		sed -n 's/^oracle: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
	set -- $count 0 1
	passed=$((passed + $1)); failed=$((failed + $2))
}
oracle 200 1
for trace in docs.jsonl mixed.jsonl.gz; do
	oracle --bundled "fixtures/traces/$trace" recorded baseline v3 flood-guard
done
if [ "$failed" -eq 0 ]; then
	rm -rf "$work"
else
	echo "FAIL oracle: the cases' files are kept in $work" >&2
fi
finish
