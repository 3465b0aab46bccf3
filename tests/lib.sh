# Helpers for the command-line test scripts (sourced).  Each script sets SUITE,
# runs cases with `check`/`check_eq`, and ends with `finish`, which prints
# "SUITE: N passed, N failed" and fails when a case did (so the script's exit
# status says it too).  $LLMCOST is the binary under test.
passed=0; failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LLMCOST_DB="$TMP/store.db"
# stderr a case does not check (replay's notes on a short trace or a cache with no input) goes
# to $TMP/notes, not into the suite's output
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

# $INT_DFL COMMAND... &: COMMAND started in the background with SIGINT and SIGQUIT at their
# default actions, as Ctrl-C and Ctrl-\ find them on a terminal. A job that a non-interactive
# shell starts with & inherits both ignored (POSIX), and llmcost leaves a signal inherited as
# ignored so (README): a test that sends them to such a job undoes it first, with env
# --default-signal (coreutils 8.31) or else python3. The same pid: both exec COMMAND.
if env --default-signal=INT,QUIT true 2>/dev/null; then
	INT_DFL="env --default-signal=INT,QUIT"
else
	printf '%s\n' '#!/usr/bin/env python3' 'import os, signal, sys' \
		'signal.signal(signal.SIGINT, signal.SIG_DFL)' 'signal.signal(signal.SIGQUIT, signal.SIG_DFL)' \
		'os.execvp(sys.argv[1], sys.argv[1:])' > "$TMP/int-dfl"
	chmod +x "$TMP/int-dfl"
	INT_DFL="$TMP/int-dfl"
fi

# caught PID [SIG]: PID, once it runs llmcost (not the shell or env forked to start it, which has
# its own handlers), has a handler for SIG (default 15, SIGTERM, which a background job catches
# too, where its SIGINT stays ignored; its bit in the SigCgt mask of /proc/PID/status): what a
# signal sent now meets. Read with the shell's builtins alone: a poll that forks can lag on a busy
# machine, so that a short command (rm) would be over before the poll saw its handler. Kept in a
# file for the scripts the suites run on a terminal (script -c). Without /proc, true at once.
cat > "$TMP/caught.sh" <<CAUGHT
caught() {
	[ -d /proc/self ] || return 0
	comm= hex=
	read -r comm 2>/dev/null < "/proc/\$1/comm"
	[ "\$comm" = "$(basename "${LLMCOST:-llmcost}" | cut -c1-15)" ] || return 1
	while read -r key value; do
		[ "\$key" = SigCgt: ] && hex=\$value && break
	done 2>/dev/null < "/proc/\$1/status"
	hex=\${hex#"\${hex%????????}"}
	[ -n "\$hex" ] && [ \$(((0x\$hex >> (\${2:-15} - 1)) & 1)) -eq 1 ]
}
CAUGHT
. "$TMP/caught.sh"

# fds_on PID FILE: the descriptors PID has open on FILE (those of /proc/PID/fd that link to its
# real path), their numbers one a line
fds_on() {
	fo_path=$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2")
	for fo_fd in /proc/"$1"/fd/*; do
		[ "$(readlink "$fo_fd" 2>/dev/null)" = "$fo_path" ] && echo "${fo_fd##*/}"
	done
}
# holds PID FILE: PID has FILE open
holds() { [ -n "$(fds_on "$1" "$2")" ]; }
# read_to PID FILE BYTES: PID has FILE open and has read it up to BYTES, no more and no less
# (the offset of its descriptor, in /proc/PID/fdinfo): a follower has taken what FILE held, so
# that what the test does to it next comes after. Without /proc, true after a moment.
read_to() {
	if [ ! -d /proc/self/fdinfo ]; then sleep 1.5; return 0; fi
	for rt_fd in $(fds_on "$1" "$2"); do
		while read -r key value; do
			[ "$key" = pos: ] && [ "$value" -eq "$3" ] && return 0
		done 2>/dev/null < "/proc/$1/fdinfo/$rt_fd"
	done
	return 1
}
# size FILE: its bytes, for read_to
size() { wc -c < "$1" | tr -d ' '; }

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
