# Helpers for the command-line test scripts (sourced).  Each script sets SUITE,
# runs cases with `check`/`check_eq`, and ends with `finish`, which prints
# "SUITE: N passed, N failed" and fails when a case did (so the script's exit
# status says it too).  $LLMCOST is the binary under test.
passed=0; failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LLMCOST_DB="$TMP/store.db"
export XDG_DATA_HOME="$TMP/xdg"

ok()   { passed=$((passed + 1)); }
bad()  { failed=$((failed + 1)); echo "FAIL $SUITE: $*" >&2; }

# check NAME COMMAND...: the command succeeds.
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok; else bad "$1: got [$2], want [$3]"; fi
}

# check_has NAME TEXT NEEDLE
check_has() {
	case $2 in *"$3"*) ok ;; *) bad "$1: [$2] does not contain [$3]" ;; esac
}

finish() { echo "$SUITE: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; }
