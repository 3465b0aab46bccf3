# Helpers for the command-line test scripts (sourced).  Each script sets SUITE,
# runs cases with `check`/`check_eq`, and ends with `finish`, which prints
# "SUITE: N passed, N failed" and fails when a case did (so the script's exit
# status says it too).  $LLMCOST is the binary under test.
passed=0; failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LLMCOST_DB="$TMP/store.db"
export XDG_DATA_HOME="$TMP/xdg"
# the program's own symbols follow the locale ("…", or "..." where it is not UTF-8): the suites
# expect UTF-8's, whatever locale runs them; a case wanting another sets LC_ALL itself
export LC_ALL=C.UTF-8

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

# sh_llmcost COMMAND: runs COMMAND, a command line a message suggests (`llmcost rejects 'a b'`),
# as pasted into sh, `llmcost` there being the binary under test
sh_llmcost() {
	case $LLMCOST in
	*/*) mkdir -p "$TMP/bin" &&
	     ln -sf "$(cd "$(dirname "$LLMCOST")" && pwd)/$(basename "$LLMCOST")" "$TMP/bin/llmcost" ;;
	esac
	PATH="$TMP/bin:$PATH" sh -c "$1"
}

# $INT_DFL COMMAND... &: COMMAND started in the background with SIGINT at its default action, as
# Ctrl-C finds it on a terminal. A job that a non-interactive shell starts with & inherits SIGINT
# (and SIGQUIT) ignored (POSIX), and llmcost leaves a signal inherited as ignored so (README):
# a test that sends SIGINT to such a job undoes it first, with env --default-signal (coreutils
# 8.31) or else python3. The same pid: both exec COMMAND.
if env --default-signal=INT true 2>/dev/null; then
	INT_DFL="env --default-signal=INT"
else
	printf '%s\n' '#!/usr/bin/env python3' 'import os, signal, sys' \
		'signal.signal(signal.SIGINT, signal.SIG_DFL)' 'os.execvp(sys.argv[1], sys.argv[1:])' > "$TMP/int-dfl"
	chmod +x "$TMP/int-dfl"
	INT_DFL="$TMP/int-dfl"
fi

finish() { echo "$SUITE: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; }

# For the suites that drive a terminal in tmux: tmux_begin uses a server of the suite's own
# (its socket removed at exit); T runs tmux there; screen SESSION prints the pane; eventually
# COMMAND... retries it for 20 s at most (1 when it never succeeds); shows SESSION TEXT: the
# screen shows TEXT; wait_for SESSION TEXT: until it does.
tmux_begin() {
	unset TMUX # the test may itself run inside tmux
	SOCK="llmcost-$SUITE-$$"
	trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"; rm -rf "$TMP"' EXIT
}
T() { tmux -L "$SOCK" "$@"; }
screen() { T capture-pane -p -t "$1"; }
eventually() {
	i=0
	while [ $i -lt 200 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
shows() { case $(screen "$1") in *"$2"*) return 0 ;; esac; return 1; }
wait_for() { eventually shows "$1" "$2"; }
