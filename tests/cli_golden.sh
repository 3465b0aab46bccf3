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
finish
