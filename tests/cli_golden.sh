# The golden outputs of fixtures/golden/ (see tests/golden.sh), and determinism:
# a run repeated is byte-identical, and a scenario listed twice gives equal columns.
SUITE=cli_determinism
. tests/lib.sh
sh tests/golden.sh check
a=$($LLMCOST replay fixtures/traces/docs.jsonl -s v3 -s flood-guard --json 2>/dev/null)
b=$($LLMCOST replay fixtures/traces/docs.jsonl -s v3 -s flood-guard --json 2>/dev/null)
check_eq "the same run twice is byte-identical" "$(printf %s "$a" | cksum)" "$(printf %s "$b" | cksum)"
twice=$($LLMCOST replay fixtures/traces/docs.jsonl -s v3 -s v3 --json 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)["scenarios"]
print(all(s[0][k] == s[1][k] for k in s[0] if k != "name"))')
check_eq "a scenario listed twice gives identical columns" "$twice" True
# `golden.sh write` (make golden) with a binary that fails: it says so, exits 1 and leaves the
# golden files as they were; before, it ignored the exit status and emptied all three, exit 0
mkdir -p "$TMP/gw/tests" "$TMP/gw/fixtures" && cp tests/golden.sh "$TMP/gw/tests/"
cp -R fixtures/golden "$TMP/gw/fixtures/"
printf '#!/bin/sh\necho boom >&2; exit 1\n' > "$TMP/failing" && chmod +x "$TMP/failing"
(cd "$TMP/gw" && LLMCOST="$TMP/failing" sh tests/golden.sh write) 2>"$TMP/gw.err"
check_eq "golden.sh write with a failing binary exits 1" "$?" 1
check_has "it shows the binary's stderr" "$(cat "$TMP/gw.err")" "boom"
check_has "and says nothing was written" "$(cat "$TMP/gw.err")" "golden: not written"
check "the golden files are as they were" eval 'diff -r fixtures/golden "$TMP/gw/fixtures/golden" >/dev/null'
finish
