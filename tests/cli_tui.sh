# Command-line tests of the console, `llmcost tui`, driving the real binary in
# tmux (send-keys, capture-pane): the Compare view's figures against the text
# and --json of `llmcost replay` (every row, and the Budget view's per task),
# every view, sorting and filtering tenants, the
# Tenants view across scenarios (m, M) against `replay --by tenant`, a what-if
# `:set` against the CLI on the same edit written as a file, errors on the
# status line, resizing, a long batch's share in the header, the terminal
# restored after q, Ctrl-C, SIGTERM and a crash (SIGSEGV), and the console
# ending when its terminal closes.  Also --frames (the mode sanitizers run) and the
# non-terminal fallbacks.
SUITE=cli_tui
. tests/lib.sh

L=$LLMCOST
case $L in /*) ;; *) L="$PWD/$L" ;; esac
SCEN="-s recorded -s baseline -s v3 -s flood-guard"

$L gen faq --requests 2000 -o "$TMP/faq.jsonl" 2>/dev/null
$L import "$TMP/faq.jsonl" >/dev/null 2>&1; check_eq "import the test trace" "$?" 0

# --- without tmux
out=$($L tui --help); check_has "tui --help" "$out" "--frames N"
check_has "tui --help lists the notes command" "$out" "save SCENARIO FILE, notes [SCENARIO], help, quit."
out=$($L help); check_has "help lists tui" "$out" "llmcost tui"
out=$($L </dev/null 2>&1); check_has "no arguments outside a terminal prints the help" "$out" "usage:"
$L tui faq --bogus 2>/dev/null; check_eq "unknown option exits 2" "$?" 2
$L tui faq --frames 0 2>/dev/null; check_eq "--frames 0 exits 2" "$?" 2
$L tui faq -s no-such-scenario --frames 1 2>"$TMP/err"; check_eq "unknown scenario exits 3" "$?" 3
check_has "unknown scenario is named" "$(cat "$TMP/err")" "no-such-scenario"
$L tui faq </dev/null >/dev/null 2>"$TMP/err"; check_eq "without a terminal exits 1" "$?" 1
check_has "without a terminal says so" "$(cat "$TMP/err")" "needs a terminal"
# --frames draws real frames (every view once with 5, then the Tenants view across the
# scenarios at 7) into any terminal type, then exits 0
TERM=xterm $L tui faq $SCEN --frames 7 </dev/null >"$TMP/frames.out" 2>"$TMP/frames.err"
check_eq "--frames 7 exits 0" "$?" 0
check_eq "--frames 7 prints no error" "$(cat "$TMP/frames.err")" ""
# without -s: recorded, then every bundled scenario (README, tui --help)
TERM=xterm $L tui faq --frames 1 </dev/null 2>/dev/null | sed 's/\x1b[^a-zA-Z]*[a-zA-Z]//g; s/\x1b[()][0-9A-Z]//g' > "$TMP/default.out"
check_has "without -s: recorded and every bundled scenario" "$(cat "$TMP/default.out")" \
	"scenarios: recorded baseline flood-guard v3"
# the trace is read once the console is up, a screen saying what it loads meanwhile (q and
# Ctrl-C quit at once): drawn once before the frames counted (before, the terminal stayed blank
# for the 5 s a trace of 10M requests takes, and q waited for it)
check_has "the loading screen names the trace" "$(cat "$TMP/default.out")" "loading trace faq from "
check_has "with its size from the store's list" "$(cat "$TMP/default.out")" "2,000 requests, 8 tenants"
check_has "and says q quits" "$(cat "$TMP/default.out")" "q or Ctrl-C quits"
# `llmcost` with the console's options but no command is the console, as `llmcost` alone
TERM=xterm $L --db "$TMP/bare.db" --frames 1 </dev/null >/dev/null 2>"$TMP/err"
check_eq "llmcost --db PATH --frames 1 exits 0" "$?" 0
check_has "llmcost --db PATH opens the console on that store" "$(cat "$TMP/err")" "the store is empty; opening the bundled demo"
check "llmcost --db PATH made that store" test -s "$TMP/bare.db"
check_has "--frames draws the Compare view" "$(cat "$TMP/frames.out")" "projected monthly USD"
check_has "--frames draws the Tenants view across" "$(cat "$TMP/frames.out")" "tenants across 4 scenarios"
# its runs kept v3's normalized inputs (lower|strip_punct|collapse_space = 7) for the next
check_eq "the console keeps the caches' normalized inputs" "$(sqlite3 "$LLMCOST_DB" "SELECT n.flags FROM
	normalized n JOIN traces t ON t.id = n.trace_id WHERE t.name = 'faq'")" 7
TERM=xterm NO_COLOR=1 $L tui faq -s v3 --frames 3 --no-color </dev/null >/dev/null 2>"$TMP/frames.err"
check_eq "--frames 3 monochrome exits 0" "$?" 0
# a terminal that cannot move the cursor: an error, not a blank screen
TERM=dumb $L tui faq -s v3 --frames 1 </dev/null >/dev/null 2>"$TMP/err"
check_eq "TERM=dumb exits 1" "$?" 1
check_has "TERM=dumb says why" "$(cat "$TMP/err")" 'the terminal "dumb" cannot move the cursor'
# a type terminfo lacks and TERM unset get the same hint; a size past curses' 32767 from
# LINES/COLUMNS is named as the cause (all three said only: cannot use the terminal "X")
TERM=xterm-nonexist $L tui faq -s v3 --frames 1 </dev/null >/dev/null 2>"$TMP/err"
check_eq "an unknown TERM exits 1" "$?" 1
check_eq "an unknown TERM: why, and a hint" "$(cat "$TMP/err")" "llmcost: cannot use the terminal \"xterm-nonexist\": terminfo has no such terminal type (set TERM to your terminal's type, such as xterm-256color; for a report use llmcost replay)"
(unset TERM; $L tui faq -s v3 --frames 1 </dev/null >/dev/null 2>"$TMP/err")
check_has "TERM unset: said, with the hint" "$(cat "$TMP/err")" "TERM is not set (set TERM to your terminal's type"
TERM=xterm LINES=100000 COLUMNS=100000 $L tui faq -s v3 --frames 1 </dev/null >/dev/null 2>"$TMP/err"
check_eq "LINES=COLUMNS=100000 exits 1" "$?" 1
check_has "LINES=COLUMNS=100000: the size is the cause" "$(cat "$TMP/err")" "at the size the environment sets, LINES=100000 COLUMNS=100000: curses takes at most 32767 lines and 32767 columns"

if ! command -v tmux >/dev/null 2>&1; then
	echo "cli_tui: tmux not found, the console cases are skipped" >&2
	finish
	exit 0
fi

# --- in tmux
tmux_begin
# the $ figures of a "projected monthly USD" line, space separated
usd_row() { printf '%s\n' "$1" | grep '^projected monthly USD' | tr -s ' ' '\n' | grep '^\$' | tr '\n' ' '; }
# the words of the screen line that starts with word $2, single-spaced
screen_row() { screen "$1" | awk -v t="$2" '$1 == t { $1 = $1; print; exit }'; }
# replay_col FILE N TENANT FIELD...: fields of TENANT's row in the Nth table of `replay --by tenant`
replay_col() {
	f=$1 n=$2 t=$3
	shift 3
	awk -v n="$n" -v t="$t" -v fl="$*" '/, by tenant$/ { k++ }
		k == n && $1 == t { c = split(fl, f, " "); o = ""; for (i = 1; i <= c; i++) if ($f[i] != "") o = o (o ? " " : "") $f[i]; print o; exit }' "$f"
}
# usd_json: each line of stdin, a JSON number of USD, as the text table writes dollars (SPEC'd in
# traces/report.h: cents with thousands separators from $1 up, else 4 significant digits, half
# to even), written independently in python
usd_json() {
	python3 -c '
import sys
from decimal import Decimal, ROUND_HALF_EVEN
for line in sys.stdin:
    d = Decimal(line.strip())
    m, sign = abs(d), "-" if d < 0 else ""
    if m == 0:
        print("$0.00"); continue
    if m < 1:
        p = int(m * 10**12); drop = max(len(str(p)) - 4, 0)
        q = int((Decimal(p) / 10**drop).quantize(Decimal(1), ROUND_HALF_EVEN))
        if q * 10**drop < 10**12:
            dec = 12 - drop
            if drop > 0 and q == 10000:
                q, dec = 1000, dec - 1
            print("%s$0.%0*d" % (sign, dec, q)); continue
    c = int((m * 100).quantize(Decimal(1), ROUND_HALF_EVEN))
    print("%s$%s.%02d" % (sign, format(c // 100, ","), c % 100))'
}
# start SESSION COLS ROWS ARGS...: the console in a pane ($START_ENV: variables for it); the pane reports its exit and the tty
# modes, then MODES-END (wait for it: the shell may draw the modes a moment after the exit line)
start() {
	s=$1 x=$2 y=$3
	shift 3
	T new-session -d -s "$s" -x "$x" -y "$y" \
		"LLMCOST_DB='$LLMCOST_DB' ${START_ENV:-} $L tui $* 2>'$TMP/$s.err'; echo EXITED \$?; stty -a; echo MODES-END; sleep 60"
}

joined() { screen "$1" | tr -s ' \n' '  '; } # the screen as one line: the band's lines joined

start main 100 30 faq $SCEN
wait_for main "last run" ; check_eq "the console opens and runs the scenarios" "$?" 0

# Compare: the projected monthly USD of each scenario as `llmcost replay` prints it
want=$($L replay faq $SCEN 2>>"$TMP/notes" | grep '^projected monthly USD')
want3=$(usd_row "$want" | cut -d' ' -f1-3)
got3=$(usd_row "$(screen main)" | cut -d' ' -f1-3)
check_eq "Compare: projected monthly USD of the visible scenarios = replay" "$got3" "$want3"
check_has "Compare: delta against the first column" "$(screen main)" "+400.0%"
# its colour (capture-pane -e keeps the SGR codes): red (31) for a cost that rose, green (32)
# for a cache hit rate that rose (v3 caches, recorded does not), dim (2) for the large-model
# share, which is neither better nor worse
ESC=$(printf '\033')
colour_row() { T capture-pane -p -e -t main | grep "^.*$1"; }
check "Compare: +400.0% on the projected cost is red (worse)" \
	eval 'colour_row "projected monthly USD" | grep -q "${ESC}\[31m *+400\.0%"'
check "Compare: v3's higher cache hit rate is green (better)" \
	eval 'colour_row "cache hit rate" | grep -q "${ESC}\[32m *+[0-9.]* pp"'
check "Compare: baseline's +100.0 pp of large-model share is dim (neither)" \
	eval 'colour_row "large-model share" | grep -q "${ESC}\[2m *+100\.0 pp"'
# and the same figures from replay --json, formatted on their own
json3=$($L replay faq $SCEN --json 2>>"$TMP/notes" | python3 -c '
import json, sys
from decimal import Decimal
for s in json.load(sys.stdin, parse_float=Decimal)["scenarios"][:3]:
    print(s["totals"]["projected_monthly_usd"])' | usd_json | tr '\n' ' ' | cut -d' ' -f1-3)
check_eq "Compare: projected monthly USD of the visible scenarios = replay --json" "$got3" "$json3"

# export writes exactly what replay --json / --csv write
T send-keys -t main ":export json $TMP/tui.json" Enter
wait_for main "wrote $TMP/tui.json"
$L replay faq $SCEN --json 2>>"$TMP/notes" > "$TMP/replay.json"
check "export json = replay --json" cmp -s "$TMP/tui.json" "$TMP/replay.json"
T send-keys -t main ":export csv $TMP/tui.csv" Enter
wait_for main "wrote $TMP/tui.csv"
$L replay faq $SCEN --csv 2>>"$TMP/notes" > "$TMP/replay.csv"
check "export csv = replay --csv" cmp -s "$TMP/tui.csv" "$TMP/replay.csv"
# an existing file is kept unless the command says ! (export!, save!); the store never
T send-keys -t main ":export json $TMP/tui.csv" Enter; wait_for main "$TMP/tui.csv exists; export! overwrites it"
check_eq "export refuses an existing file" "$?" 0
check "and leaves it as it was" cmp -s "$TMP/tui.csv" "$TMP/replay.csv"
T send-keys -t main ":export! json $TMP/tui.csv" Enter; wait_for main "wrote $TMP/tui.csv"
check "export! overwrites it" cmp -s "$TMP/tui.csv" "$TMP/replay.json"
cp "$LLMCOST_DB" "$TMP/store-before.db"
T send-keys -t main ":export! json $LLMCOST_DB" Enter; wait_for main "is the store the console has open"
check_eq "export! refuses the console's own store" "$?" 0
check "and leaves it as it was" cmp -s "$LLMCOST_DB" "$TMP/store-before.db"
# nor SQLite's files beside it, which the next opening would take as its own (or delete)
T send-keys -t main ":export! json $LLMCOST_DB-wal" Enter; wait_for main "is a file of the store the console has open"
check_eq "export! refuses the store's -wal" "$?" 0
T send-keys -t main ":save recorded $(dirname "$LLMCOST_DB")/./$(basename "$LLMCOST_DB")-journal" Enter
check "save refuses the store's -journal, however the path is written" wait_for main "is a file of the store the console has open"
# an export says it is writing while it does, and Ctrl-C stops it, the console staying: here it
# writes to a FIFO no one reads, which holds it until then (before, the console said nothing and
# read no key until the export ended, and a Ctrl-C typed meanwhile then ended the console)
mkfifo "$TMP/fifo"
T send-keys -t main ":export json $TMP/fifo" Enter
check "export says it is writing" wait_for main "writing $TMP/fifo: 0 MB in "
T send-keys -t main C-c
check "Ctrl-C stops the export" wait_for main "interrupted: export stopped, nothing written to $TMP/fifo"
T send-keys -t main ":run" Enter
check "and the console goes on" wait_for main "re-ran 4 scenarios in "

# every view
T send-keys -t main 2; wait_for main "tenants of recorded"; check_eq "2: Tenants" "$?" 0
T send-keys -t main 3; wait_for main "usd/h"; check_eq "3: Timeline" "$?" 0
T send-keys -t main 4; wait_for main "tasks of recorded"; check_eq "4: Budget" "$?" 0
T send-keys -t main 5; wait_for main "newest first"; check_eq "5: Alerts" "$?" 0
T send-keys -t main 1; wait_for main "USD per resolved request"; check_eq "1: Compare" "$?" 0
T send-keys -t main Tab; wait_for main "tenants of recorded"; check_eq "Tab: the next view" "$?" 0
T send-keys -t main '?'; wait_for main "help: q or Esc closes"; check_eq "?: help" "$?" 0
check_has "help lists the commands" "$(screen main)" "keys"
T send-keys -t main q; wait_for main "tenants of recorded"
check_eq "q closes the help first" "$?" 0
check "q leaves the console open" test -z "$(screen main | grep 'help: q or Esc')"

# Tenants: s sorts by the next column (monthly USD, largest first): the rows are the tenants
# of replay --csv --by tenant ordered by projected_monthly_usd, largest first (ties: by name)
T send-keys -t main s; wait_for main "sorted by monthly USD (largest first)"
check_eq "s: sorted by monthly USD" "$?" 0
$L replay faq -s recorded --csv --by tenant > "$TMP/tenants.csv"
n_ten=$(($(wc -l < "$TMP/tenants.csv") - 1))
order=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "projected_monthly_usd") c = i; next }
	{ print $c "," $2 }' "$TMP/tenants.csv" | sort -t, -k1,1gr -k2,2 | cut -d, -f2 | tr '\n' ' ')
rows=$(screen main | sed -n "6,$((5 + n_ten))p" | awk '{ print $1 }' | tr '\n' ' ')
check_eq "s: the rows in order of monthly USD" "$rows" "$order"
check "s: not the name order" test "$order" != "$(cut -d, -f2 "$TMP/tenants.csv" | sed 1d | tr '\n' ' ')"
last=$(tail -n 1 "$TMP/tenants.csv" | cut -d, -f2)
T send-keys -t main / "$last"; wait_for main "1 of $n_ten"
check_eq "/: the filter leaves one tenant" "$?" 0
T send-keys -t main Enter
check_eq "/: the row shown is that tenant" "$(screen main | sed -n 6p | awk '{ print $1 }')" "$last"
T send-keys -t main Escape; wait_for main "$n_ten of $n_ten"
check_eq "Esc clears the filter" "$?" 0

# :set a cache TTL: the projected cost becomes what replay gives for the same edit in a file
printf '{"extends": "%s/fixtures/scenarios/v3.json", "cache": {"ttl_s": {"small": 60}}}\n' "$PWD" \
	> "$TMP/v3-ttl60.json"
edited=$(usd_row "$($L replay faq -s "$TMP/v3-ttl60.json" | grep '^projected monthly USD')" | cut -d' ' -f1)
before=$(usd_row "$want" | cut -d' ' -f3)
T send-keys -t main 1 ":set v3.cache.ttl_s.small 60" Enter
check ":set says what it changed" wait_for main "v3: cache.ttl_s.small = 60"
i=0
while [ $i -lt 200 ] && [ "$(usd_row "$(screen main)" | cut -d' ' -f3)" != "$edited" ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq ":set re-runs: projected monthly USD = replay of the edited file" \
	"$(usd_row "$(screen main)" | cut -d' ' -f3)" "$edited"
check "the edit changes the figure" test "$edited" != "$before"
T send-keys -t main ":save v3 $TMP/saved.json" Enter; wait_for main "wrote scenario v3"
T send-keys -t main ":save v3 $TMP/saved.json" Enter; wait_for main "saved.json exists; save! overwrites it"
check_eq "save refuses an existing file" "$?" 0
saved=$(usd_row "$($L replay faq -s "$TMP/saved.json" | grep '^projected monthly USD')" | cut -d' ' -f1)
check_eq ":save writes the edited scenario" "$saved" "$edited"

# errors on the status line, nothing changed
T send-keys -t main ":set v3.cache.ttl_s.small 1h" Enter
check "bad value: the scenario error" wait_for main 'v3: cache.ttl_s.small: expected a positive integer, got "1h"'
check_eq "bad value: the figure stays" "$(usd_row "$(screen main)" | cut -d' ' -f3)" "$edited"
T send-keys -t main ":frobnicate" Enter
check "bad command: an error line" wait_for main 'unknown command "frobnicate"'
T send-keys -t main ":set v3.cache.ttl_s.smal 5" Enter
check "unknown key: a suggestion" wait_for main 'did you mean "cache.ttl_s.small"'

# r re-runs every scenario and says so once they have ended, in the header's "last run" time (a
# fast run changed nothing else: "re-running 4 scenarios" went as soon as it came); :run NAME too
T send-keys -t main r
check "r: the status line says the runs ended" wait_for main "re-ran 4 scenarios in "
ran_s=$(screen main | tail -n 1 | sed -n 's/^re-ran 4 scenarios in \([0-9]*\.[0-9][0-9]\) s *$/\1/p')
check "r: with their time" test -n "$ran_s"
check_eq "r: the header's last-run time" "$(screen main | head -n 1 | sed -n 's/.*last run \([0-9.]*\) s *$/\1/p')" "$ran_s"
T send-keys -t main ":run baseline" Enter
check ":run NAME: the status line says it ran" wait_for main "re-ran baseline in "

# the columns scroll to the selected scenario: the last one is flood guard
T send-keys -t main l l l
last_want=$(usd_row "$want" | cut -d' ' -f4)
last_column_shown() { [ "$(usd_row "$(screen main)" | awk '{ print $NF }')" = "$last_want" ]; }
eventually last_column_shown
check_eq "l scrolls to the last scenario" "$(usd_row "$(screen main)" | awk '{ print $NF }')" "$last_want"

# resize: 60x15 still draws (the key line moves to row 15: a frame of the new size), smaller
# says so, back again.  tmux keeps the bottom rows when it shrinks the pane, so the old key line
# is on row 15 before the console redraws: wait for the header too.
T resize-window -t main -x 60 -y 15
redrawn_at_60x15() { screen main | sed -n 15p | grep -q "q quit" && screen main | grep -q "scenarios:"; }
eventually redrawn_at_60x15
check_has "60x15: the console redraws to fit" "$(screen main | sed -n 15p)" "q quit"
check_has "60x15: the console draws" "$(screen main)" "scenarios:"
check "60x15: not too small" test -z "$(screen main | grep 'too small')"
T resize-window -t main -x 50 -y 12; wait_for main "terminal too small"
check_eq "50x12: terminal too small" "$?" 0
# at 40 columns the note wraps: the size needed is said whole (the words joined across lines)
T resize-window -t main -x 40 -y 10; wait_for main "this one is 40x10"
check_has "40x10: the size the console needs, wrapped to the width, and that q quits" "$(screen main | tr -s ' \n' '  ')" \
	"terminal too small: the console needs 60x15, this one is 40x10; q quits"
T resize-window -t main -x 100 -y 30; wait_for main "USD per resolved request"
check_eq "back to 100x30" "$?" 0
# and q does quit there (a console that opens at 40x10; no stty after it, whose lines would push
# the exit's off the 10 rows)
T new-session -d -s tiny -x 40 -y 10 "LLMCOST_DB='$LLMCOST_DB' $L tui faq -s v3; echo EXITED \$?; sleep 60"
wait_for tiny "this one is 40x10"
check_has "a console that opens at 40x10 says so, and that q quits" "$(screen tiny | tr -s ' \n' '  ')" \
	"terminal too small: the console needs 60x15, this one is 40x10; q quits"
T send-keys -t tiny q; check "40x10: q quits" wait_for tiny "EXITED 0"
T kill-session -t tiny

# q ends the program and gives the terminal back
T send-keys -t main q
check "q quits at once when every edit is saved (v3's, by save)" wait_for main "EXITED 0"
check_eq "q exits 0" "$?" 0
wait_for main MODES-END
modes=" $(screen main | tr '\n' ' ') "
check_has "q: stty ran after the console" "$modes" "icanon"
check "q restores echo" test -z "$(printf '%s' "$modes" | grep -e ' -echo ')"
check "q restores icanon" test -z "$(printf '%s' "$modes" | grep -e ' -icanon ')"
check_eq "no error output" "$(cat "$TMP/main.err")" ""

# `:set KEY VALUE` without a scenario: the selected one (l: v3, the second); its projected cost
# becomes replay's of the same edit in a file ($edited above), the others stay.  Tab completes a
# command's name and a scenario's handle (with its "."), and F1 opens the help as ? does.
start sel 100 30 faq -s recorded -s v3 -s flood-guard
wait_for sel "last run"
sel_before=$(usd_row "$(screen sel)")
T send-keys -t sel l ":set cache.ttl_s.small 60" Enter
check ":set KEY VALUE: the selected scenario's" wait_for sel "v3: cache.ttl_s.small = 60"
sel_v3() { test "$(usd_row "$(screen sel)" | cut -d' ' -f2)" = "$edited"; }
eventually sel_v3
check_eq ":set KEY VALUE: v3's projected monthly USD = replay of the edited file" \
	"$(usd_row "$(screen sel)" | cut -d' ' -f2)" "$edited"
check_eq ":set KEY VALUE: recorded and flood-guard unchanged" "$(usd_row "$(screen sel)" | cut -d' ' -f1,3)" \
	"$(echo "$sel_before" | cut -d' ' -f1,3)"
sel_closed() { eventually eval 'screen sel | tail -n 1 | grep -q "^ q quit"'; }
T send-keys -t sel ":sce" Tab
check "Tab completes a command's name (:sce, :scenario)" wait_for sel ":scenario"
T send-keys -t sel C-u Escape; sel_closed
T send-keys -t sel ":set fl" Tab
check "Tab completes a scenario's handle, with its dot (:set fl, :set flood-guard.)" wait_for sel ":set flood-guard."
T send-keys -t sel C-u Escape; sel_closed
T send-keys -t sel F1
check "F1 opens the help" wait_for sel "help: q or Esc closes"
T send-keys -t sel q; eventually eval 'test -z "$(screen sel | grep "help: q or Esc")"'
T send-keys -t sel ":quit" Enter; check "sel: :quit leaves at once" wait_for sel "EXITED 0"
T kill-session -t sel

# Tenants across the scenarios: m switches the mode, M picks the metric; a column per scenario
# holds what `replay --by tenant` prints for it, with the change against the first
$L gen mixed --requests 2000 -o "$TMP/mixed.jsonl" 2>/dev/null
$L import "$TMP/mixed.jsonl" >/dev/null 2>&1
$L replay mixed -s baseline -s v3 --by tenant > "$TMP/across.txt"
$L replay mixed -s baseline -s v3 --json > "$TMP/across.json"
$L replay mixed -s baseline --csv --by tenant > "$TMP/base.csv"
$L replay mixed -s v3 --csv --by tenant > "$TMP/v3.csv"
n_mix=$(($(wc -l < "$TMP/v3.csv") - 1))
start across 120 40 mixed -s baseline -s v3
wait_for across "last run"
T send-keys -t across 2 m; wait_for across "tenants across 2 scenarios: projected monthly USD"
check_eq "m: one metric across the scenarios" "$?" 0
ten=$(sed -n 3p "$TMP/v3.csv" | cut -d, -f2) # the second tenant by name
# "monthly USD" is the 11th word of a row of the text table; the delta, in tenths of a percent
# half to even, from the exact amounts of --json
delta=$(python3 -c '
import json, sys
from decimal import Decimal, ROUND_HALF_EVEN
d = json.load(open(sys.argv[1]), parse_float=Decimal)
a, b = (next(t["projected_monthly_usd"] for t in s["by_tenant"] if t["tenant"] == sys.argv[2])
        for s in d["scenarios"])
pm = int((abs(b - a) * 1000 / a).quantize(Decimal(1), ROUND_HALF_EVEN))
print("%s%s.%d%%" % ("-" if b < a else "+", format(pm // 10, ","), pm % 10))' "$TMP/across.json" "$ten")
want_row="$ten $(replay_col "$TMP/across.txt" 1 "$ten" 11) $(replay_col "$TMP/across.txt" 2 "$ten" 11) $delta"
check_eq "across: $ten's monthly USD in both scenarios = replay --by tenant" "$(screen_row across "$ten")" "$want_row"
# M seven times: latency p95 (the 12th and 13th words: "18.64 s")
T send-keys -t across M M M M M M M; wait_for across "tenants across 2 scenarios: latency p95"
check_eq "M: the metric changes" "$?" 0
got=$(screen_row across "$ten" | cut -d' ' -f1-5)
want_row="$ten $(replay_col "$TMP/across.txt" 1 "$ten" 12 13) $(replay_col "$TMP/across.txt" 2 "$ten" 12 13)"
check_eq "across: $ten's latency p95 in both scenarios = replay --by tenant" "$got" "$want_row"
# s twice: sorted by the second scenario's column, largest first (ties by name)
T send-keys -t across s s; wait_for across "sorted by v3 cache+routing (largest first)"
check_eq "s s: sorted by the second scenario" "$?" 0
p95_order() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "latency_p95_ms") c = i; next }
		{ print $c "," $2 }' "$1" | sort -t, -k1,1gr -k2,2 | cut -d, -f2 | tr '\n' ' '
}
order=$(p95_order "$TMP/v3.csv")
rows=$(screen across | sed -n "6,$((5 + n_mix))p" | awk '{ print $1 }' | tr '\n' ' ')
check_eq "s s: the second scenario's slowest tenant first" "$(echo "$rows" | cut -d' ' -f1)" \
	"$(echo "$order" | cut -d' ' -f1)"
check_eq "s s: every row in order of the second scenario's p95" "$rows" "$order"
check "s s: the first scenario's order differs" test "$(p95_order "$TMP/base.csv")" != "$order"
# / keeps the matching tenants, with the same figures
last=$(tail -n 1 "$TMP/v3.csv" | cut -d, -f2)
T send-keys -t across / "$last"; wait_for across "1 of $n_mix"
check_eq "across /: the filter leaves one tenant" "$?" 0
T send-keys -t across Enter
check_eq "across /: the row shown is that tenant" "$(screen across | sed -n 6p | awk '{ print $1 }')" "$last"
want_row="$last $(replay_col "$TMP/across.txt" 1 "$last" 12 13) $(replay_col "$TMP/across.txt" 2 "$last" 12 13)"
check_eq "across /: its figures" "$(screen_row across "$last" | cut -d' ' -f1-5)" "$want_row"
T send-keys -t across '?' j j j j j j; wait_for across "across the scenarios: the next metric, in a cycle"
check_eq "?: the help lists m and M" "$?" 0
T send-keys -t across q Escape m; wait_for across "tenants of baseline"
check_eq "m: back to every metric of the selected scenario" "$?" 0
T send-keys -t across q; check "across: q quits" wait_for across "EXITED 0"
check_eq "across: q exits 0" "$?" 0
check_eq "across: no error output" "$(cat "$TMP/across.err")" ""

# Every row of Compare and every figure of Budget, on a trace where the policies act (mixed:
# failures, fallbacks, retries, budgets that truncate, defer and cap), against replay --json read
# on its own: dollars as usd_json writes them, counts with thousands separators, rates with one
# decimal of a percent, latencies as traces/report.h says ("412.5 ms" below a second, else
# "12.35 s"), alerts counted.  200x50 shows every row and column.
$L replay mixed $SCEN --json > "$TMP/rows.json"
start rows 200 50 mixed $SCEN
wait_for rows "last run"
# compare_want: per row "LABEL|FIGURES", the 4 scenarios' figures space-separated (the python
# marks dollars USD:AMOUNT, which then go through usd_json)
compare_want() {
	python3 - "$TMP/rows.json" <<'PY' > "$TMP/rows.raw"
import json, sys
from decimal import Decimal
d = json.load(open(sys.argv[1]), parse_float=Decimal)
rows = [("projected monthly USD", "usd", "projected_monthly_usd"), ("USD total", "usd", "usd_total"),
        ("USD per resolved request", "usd", "usd_per_resolved"), ("cache hit rate", "rate", "cache_hit_rate"),
        ("tokens saved by cache", "count", "cache_tokens_saved"), ("USD saved by cache", "usd", "cache_usd_saved"),
        ("large-model share", "rate", "large_share"), ("fallback rate", "rate", "fallback_rate"),
        ("retry USD", "usd", "retry_usd"), ("failed", "count", "failed"), ("degraded", "count", "degraded"),
        ("budget violation rate", "rate", "budget_violation_rate"), ("latency p95", "ms", "latency_p95_ms"),
        ("alerts", "alerts", None), ("requests", "count", "requests"), ("resolved", "count", "resolved"),
        ("rejected", "count", "rejected"), ("calls", "count", "calls"), ("retries", "count", "retries"),
        ("fallbacks", "count", "fallbacks"), ("fallbacks denied", "count", "fallbacks_denied"),
        ("breaker rejections", "count", "breaker_rejections"), ("truncated", "count", "truncated"),
        ("summarized", "count", "summarized"), ("async", "count", "async"), ("batched", "count", "batched"),
        ("output capped", "count", "output_capped"), ("USD per hour peak", "usd", "usd_per_hour_peak"),
        ("latency p50", "ms", "latency_p50_ms")]
def fig(kind, s, field):
    if kind == "alerts":
        return format(len(s["alerts"]), ",")
    v = s["totals"][field]
    if v is None:
        return "-"
    if kind == "usd":
        return "USD:" + str(v)
    if kind == "count":
        return format(v, ",")
    if kind == "rate":
        return "%.1f%%" % (float(v) * 100.0)
    ms = Decimal(v) # whole milliseconds: 1,234 ms is "1.23 s" (ties half to even), 412 ms "412.0 ms"
    if ms < 1000:
        return "%s ms" % ms.quantize(Decimal("0.1"))
    return "%s s" % format((ms / 1000).quantize(Decimal("0.01"), "ROUND_HALF_EVEN"), ",")
for label, kind, field in rows:
    print(label + "|" + " ".join(fig(kind, s, field) for s in d["scenarios"]))
PY
	# the dollars, one a line through usd_json, put back in place
	grep -o 'USD:[-0-9.E]*' "$TMP/rows.raw" | sed 's/^USD://' | usd_json > "$TMP/rows.usd"
	awk 'NR == FNR { u[NR] = $0; next }
		{ while (match($0, /USD:[-0-9.E]*/)) { n++; $0 = substr($0, 1, RSTART - 1) u[n] substr($0, RSTART + RLENGTH) } print }' \
		"$TMP/rows.usd" "$TMP/rows.raw"
}
# compare_got LABEL: the figures of the Compare row LABEL, space-separated: columns are 3 blanks
# apart and a delta 2 from its figure ("$0.07444   +1.2%"), a figure has single blanks at most
# ("1.79 s"), a delta starts with + or - and a digit
compare_got() {
	screen rows | awk -v l="$1" 'substr($0, 1, length(l) + 2) == l "  " {
		s = substr($0, length(l) + 1); gsub(/^ +| +$/, "", s); n = split(s, f, /  +/); o = ""
		for (i = 1; i <= n; i++) if (f[i] !~ /^[-+][0-9]/) o = o (o == "" ? "" : " ") f[i]
		print o; exit }'
}
compare_want > "$TMP/rows.want"
check_eq "Compare: 29 rows (no billed USD: mixed has no cost_usd)" "$(wc -l < "$TMP/rows.want" | tr -d ' ')" 29
while IFS='|' read -r label want; do
	check_eq "Compare row \"$label\" = replay --json" "$(compare_got "$label")" "$want"
done < "$TMP/rows.want"
# Budget: per task, of each scenario in turn (l selects the next): USD, requests, budget
# violations, violation rate, truncated, summarized, async, output capped, against --json's by_task
T send-keys -t rows 4; wait_for rows "tasks of recorded: 4 of 4"
check_eq "Budget: the columns" "$(screen rows | sed -n 5p | awk '{ NF = 9; print }')" \
	"task USD requests violations rate truncated summarized async capped"
python3 - "$TMP/rows.json" <<'PY' > "$TMP/budget.raw"
import json, sys
from decimal import Decimal
for s in json.load(open(sys.argv[1]), parse_float=Decimal)["scenarios"]:
    for t in s["by_task"]:
        print("%s|%s|%s %s %s %s %s %s %s %s %s" % (s["name"], t["task"], t["task"], t["usd_total"], format(t["requests"], ","),
              format(t["budget_violations"], ","), "%.1f%%" % (float(t["budget_violation_rate"]) * 100.0),
              format(t["truncated"], ","), format(t["summarized"], ","), format(t["async"], ","),
              format(t["output_capped"], ",")))
PY
# the task's USD (the 4th field) through usd_json
cut -d'|' -f3 "$TMP/budget.raw" | cut -d' ' -f2 | usd_json > "$TMP/budget.usd"
paste -d'|' "$TMP/budget.raw" "$TMP/budget.usd" | awk -F'|' '{ n = split($3, f, " "); f[2] = $4; o = f[1]
	for (i = 2; i <= n; i++) o = o " " f[i]; print $1 "|" $2 "|" o }' > "$TMP/budget.want"
check_eq "Budget: 4 tasks in each of the 4 scenarios" "$(wc -l < "$TMP/budget.want" | tr -d ' ')" 16
prev=
while IFS='|' read -r scen task want; do
	if [ "$scen" != "$prev" ]; then
		[ -n "$prev" ] && T send-keys -t rows l
		wait_for rows "tasks of $scen: 4 of 4"
		prev=$scen
	fi
	check_eq "Budget of $scen: $task = replay --json's by_task" "$(screen_row rows "$task" | awk '{ NF = 9; print }')" "$want"
done < "$TMP/budget.want"
T send-keys -t rows q; check "rows: q quits" wait_for rows "EXITED 0"
T kill-session -t rows

# Keys of the key table on a trace of 40 tenants, more than the 24 rows a 100x30 console lists
# (30 lines: 3 of header, 1 status line, a title and a heading line): S-Tab, G and g, n and N
# through a filter's matches, S, the help's list of keys, 0 in the Timeline; and Compare's count
# of its rows out of sight.
$L gen faq --requests 3000 --tenants 40 -o "$TMP/t40.jsonl" 2>/dev/null
$L import "$TMP/t40.jsonl" >/dev/null 2>&1; check_eq "import the 40-tenant trace" "$?" 0
sed 's/.*"tenant":"\([^"]*\)".*/\1/' "$TMP/t40.jsonl" | LC_ALL=C sort -u > "$TMP/t40.names"
check_eq "the trace has 40 tenants" "$(wc -l < "$TMP/t40.names" | tr -d ' ')" 40
start keys 100 30 t40 -s recorded -s baseline
wait_for keys "last run"
# baseline's routes (gpt-4.1) name none of the trace's models (gpt-4.1-mini): its note is on the
# status line and the band above it, over Compare's last lines, until a key (Esc) clears it
check "keys: baseline's routes note at open" wait_for keys 'note: scenario "baseline": its routes (gpt-4.1)'
T send-keys -t keys Escape
# Compare has 29 rows (its 30 less billed USD: no line has cost_usd); the body's 26 lines hold
# the heading, 24 rows and the count: 29 − 24 = 5 below; G puts the last row at the bottom
check "the trace has no cost_usd" test -z "$(grep cost_usd "$TMP/t40.jsonl")"
check "Compare: 0 rows above, 5 below" wait_for keys "0 rows above, 5 below"
T send-keys -t keys G; wait_for keys "5 rows above, 0 below"
check_eq "G: Compare's last row, 5 rows above" "$?" 0
T send-keys -t keys g; wait_for keys "0 rows above, 5 below"
check_eq "g: Compare's first row" "$?" 0
T send-keys -t keys BTab; wait_for keys "newest first"
check_eq "S-Tab: from Compare back to Alerts" "$?" 0
# Tenants: lines 6 to 28 list the rows, line 29 counts those out of sight (40 - 23 = 17 below);
# G scrolls the last tenant onto line 28, g back
name_at() { screen keys | sed -n "$1p" | awk '{ print $1 }'; }
T send-keys -t keys 2; wait_for keys "tenants of recorded: 40 of 40"
check_eq "2: the tenants, first by name on line 6" "$(name_at 6)" "$(sed -n 1p "$TMP/t40.names")"
check_eq "Tenants: the last line counts the rows below, as Compare's does" \
	"$(screen keys | sed -n 29p | sed 's/ *$//')" "0 rows above, 17 below (j/k, PgUp/PgDn)"
T send-keys -t keys G; eventually eval 'test "$(name_at 28)" = "$(sed -n 40p "$TMP/t40.names")"'
check_eq "G: the last tenant on the last row" "$(name_at 28)" "$(sed -n 40p "$TMP/t40.names")"
check_eq "G: the count says those above" "$(screen keys | sed -n 29p | sed 's/ *$//')" \
	"17 rows above, 0 below (j/k, PgUp/PgDn)"
T send-keys -t keys g; eventually eval 'test "$(name_at 6)" = "$(sed -n 1p "$TMP/t40.names")"'
check_eq "g: the first tenant on line 6 again" "$(name_at 6)" "$(sed -n 1p "$TMP/t40.names")"
# "e" is in 31 names: n steps from the first match to the second (nothing scrolls), N twice
# wraps from the first to the last, which scrolls onto line 29.  cursor_name: the name on the
# cursor's line of the list (lines 6 to 29), the one drawn on the cursor's cyan background
# (46; reversed, 7, without colour), which capture-pane -e shows
cursor_name() {
	T capture-pane -p -e -t keys | sed -n 6,29p | grep -E "$ESC\[([0-9]*;)*(46|7)m" |
		sed "s/$ESC\[[0-9;]*m//g" | awk '{ print $1 }'
}
grep -i e "$TMP/t40.names" > "$TMP/t40.e"
check_eq "31 tenants have an e" "$(wc -l < "$TMP/t40.e" | tr -d ' ')" 31
T send-keys -t keys / e Enter; wait_for keys "31 of 40"
check_eq "/: the cursor on the first match" "$(cursor_name)" "$(sed -n 1p "$TMP/t40.e")"
T send-keys -t keys n; eventually eval 'test "$(cursor_name)" = "$(sed -n 2p "$TMP/t40.e")"'
check_eq "n: the cursor on the next match" "$(cursor_name)" "$(sed -n 2p "$TMP/t40.e")"
check_eq "n: still the first page" "$(name_at 6)" "$(sed -n 1p "$TMP/t40.e")"
T send-keys -t keys N N; eventually eval 'test "$(name_at 28)" = "$(sed -n 31p "$TMP/t40.e")"'
check_eq "N N: back past the first match to the last" "$(name_at 28)" "$(sed -n 31p "$TMP/t40.e")"
T send-keys -t keys Escape; wait_for keys "40 of 40"
# s sorts by monthly USD largest first, S reverses it: smallest first, ties by name
$L replay t40 -s recorded --csv --by tenant > "$TMP/t40.csv"
asc=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "projected_monthly_usd") c = i; next }
	{ print $c "," $2 }' "$TMP/t40.csv" | sort -t, -k1,1g -k2,2 | cut -d, -f2 | head -n 23 | tr '\n' ' ')
T send-keys -t keys s S; wait_for keys "sorted by monthly USD (smallest first)"
check_eq "S: the sort reversed" "$?" 0
# the rows of the frame that says so (a capture between two writes of a frame can mix them)
first_rows() { screen keys | sed -n 6,28p | awk '{ print $1 }' | tr '\n' ' '; }
eventually eval 'test "$(first_rows)" = "$asc"'
check_eq "S: the first 23 rows, smallest monthly USD first" "$(first_rows)" "$asc"
# the help lists every key, with the views of those that act in some only (the list's line 10
# on after 10 j: the box holds 30 − 4 − 2 = 24)
T send-keys -t keys '?' j j j j j j j j j j; wait_for keys "close the help; clear the filter or message"
check_eq "?: the help lists Esc" "$?" 0
check_has "?: the help says where / acts" "$(screen keys)" "filter the rows (applies as you type) (Tenants, Budget, Alerts)"
check_has "?: and where s acts" "$(screen keys)" "sort by the next column (Tenants, Budget)"
T send-keys -t keys q
# Timeline: 0 takes the cursor back to the first column, the hour of the first request
first_hour=$(sed -n 's/.*"ts":"\([0-9-]*\)T\([0-9][0-9]\):.*/\1 \2:00/p' "$TMP/t40.jsonl" | LC_ALL=C sort | head -n 1)
keys_cursor() { screen keys | sed -n 4p | sed -n 's/.*; cursor \(.\{16\}\) to .*/\1/p'; }
T send-keys -t keys 3; wait_for keys "bucket 3600s"
check_eq "Timeline: hourly buckets" "$?" 0
T send-keys -t keys '$'; eventually eval 'test "$(keys_cursor)" != "$first_hour"'
T send-keys -t keys 0; eventually eval 'test "$(keys_cursor)" = "$first_hour"'
check_eq "0: the cursor on the first column" "$(keys_cursor)" "$first_hour"
T send-keys -t keys q; check "keys: q quits" wait_for keys "EXITED 0"
check_eq "keys: no error output" "$(cat "$TMP/keys.err")" ""

# A long batch shows in the header the share of its requests taken in: 32 runs of v3 over a
# 200,000-request trace, on the workers.  The shares a frame shows rise (a batch adds no run
# here), and at least one lies strictly between 0% (the first frame) and 100%.
$L gen flood --requests 200000 --tenants 200 --seed 3 -o "$TMP/long.jsonl" 2>/dev/null
$L import "$TMP/long.jsonl" >/dev/null 2>&1; check_eq "import the long trace" "$?" 0
long_scen=$(for i in $(seq 32); do printf ' -s v3'; done)
start long 120 30 long $long_scen
# the runs left and the share in the header, or nothing once the batch has run
: > "$TMP/shares"
: > "$TMP/runs"
i=0
while [ $i -lt 400 ] && ! shows long "last run"; do
	hdr=$(screen long | head -1)
	printf '%s\n' "$hdr" | sed -n 's/.* running [0-9][0-9]*  \([0-9][0-9]*\)%  .*/\1/p' >> "$TMP/shares"
	printf '%s\n' "$hdr" | sed -n 's/.* running \([0-9][0-9]*\)  [0-9][0-9]*%  .*/\1/p' >> "$TMP/runs"
	sleep 0.05
	i=$((i + 1))
done
# the first frames count the 32 runs queued, then fewer; a run of 200,000 requests takes tens of
# ms on two workers, so a busy test machine's first look may come a few runs in (it read 30)
most=$(sort -n "$TMP/runs" | tail -n 1)
check "long batch: the header counts the runs left, at most 32, at least 20 at first ($most)" \
	test "${most:-0}" -le 32 -a "${most:-0}" -ge 20
check_eq "long batch: the runs left never rise" "$(sort -rn "$TMP/runs")" "$(cat "$TMP/runs")"
check "long batch: a share between 1% and 99% shown" grep -Eqx '[1-9][0-9]?' "$TMP/shares"
check_eq "long batch: the shares never fall" "$(sort -n "$TMP/shares")" "$(cat "$TMP/shares")"
wait_for long "last run"; check_eq "long batch: it ends" "$?" 0
T send-keys -t long q; check "long: q quits" wait_for long "EXITED 0"
check_eq "long batch: no error output" "$(cat "$TMP/long.err")" ""

# Edits and keys: a run that fails says why on the status line, and a note that announced
# runs goes when they end; Esc puts back the filter a / began with; Alt keys edit the : line;
# dropping the selected last scenario selects its neighbour; a long completion list says how
# much it leaves out; below the minimum size no key acts unseen.
START_ENV="EDITOR='sh $TMP/ed.sh' TMPDIR='$TMP'" start edits 100 30 faq -s recorded -s v3
wait_for edits "last run"
check "Compare says how many rows are out of sight" wait_for edits "0 rows above, "
cp fixtures/scenarios/v3.json "$TMP/notatrace.json"
T send-keys -t edits ":load $TMP/notatrace.json" Enter
check ":load of a file with no request does not open it" wait_for edits "trace notatrace holds no requests, so it is not opened"
check_has "the trace stays open" "$(screen edits | head -n 1)" "trace faq"
T send-keys -t edits ":set recorded.pricing $PWD/fixtures/tests/pricing.json" Enter
check "a failed run says why on the status line, after the edit" eventually eval 'joined edits | grep -qF \
	"recorded: pricing = $PWD/fixtures/tests/pricing.json; scenario \"recorded\": model \"gpt-4.1-mini\""'
# ... after what the message said before its runs part: a load's import summary stays
{ printf '{"ts":"2026-03-02T10:00:00Z","tenant":"acme","task":"faq","input_tokens":10,"output_tokens":5}\n'
  printf '{"ts":"2026-03-02T10:00:01Z"\n'; } > "$TMP/nomodel.jsonl"
T send-keys -t edits ":load $TMP/nomodel.jsonl" Enter
check "a load whose run fails: the import summary, then why" eventually eval 'joined edits | grep -qF \
	"nomodel: imported 1 request, rejected 1 line (see: llmcost rejects nomodel); opened trace nomodel; scenario \"recorded\": the request at"'
T send-keys -t edits ":load faq" Enter; wait_for edits "opened trace faq"
T send-keys -t edits ":unset recorded.pricing" Enter
T send-keys -t edits ":set v3.cache.capacity 50" Enter
wait_for edits "v3: cache.capacity = 50"
ran() { test -z "$(screen edits | tail -n 1 | grep -e 're-running' -e 'scenario "recorded"')"; }
eventually ran
check_eq "the re-running note goes when the run ends" "$?" 0
check_eq "what set changed stays" "$(screen edits | tail -n 1 | sed 's/ *$//')" "v3: cache.capacity = 50"
T send-keys -t edits 2 / a; wait_for edits "filter \"a\""
T send-keys -t edits Escape; wait_for edits "tenants of recorded: 8 of 8"
check_eq "Esc puts back the filter a / began with (none)" "$?" 0
T send-keys -t edits / a c Enter; wait_for edits "1 of 8, sorted by tenant (A to Z), filter \"ac\""
T send-keys -t edits /; wait_for edits "/ac"
check_eq "/ starts from the filter in use" "$?" 0
T send-keys -t edits w; wait_for edits "filter \"acw\""
T send-keys -t edits Escape; wait_for edits "1 of 8, sorted by tenant (A to Z), filter \"ac\""
check_eq "Esc puts back the filter a / began with (\"ac\")" "$?" 0
T send-keys -t edits Escape; wait_for edits "8 of 8"
T send-keys -t edits 1 ":set v3.cache.capacity 44" M-b X; wait_for edits ":set v3.cache.capacity X44"
check_eq "Alt-b moves back a word in the : line" "$?" 0
# (Esc alone cancels; Esc with a key right behind it is Alt+key: wait for the line to close)
is_closed() { test -z "$(screen edits | tail -n 1 | grep '^:')"; }
closed() { eventually is_closed; }
T send-keys -t edits C-u Escape; closed
T send-keys -t edits ":" C-r; wait_for edits "(reverse-i-search)"
check_eq "^R shows readline's history search" "$?" 0
T send-keys -t edits s e t; wait_for edits "(reverse-i-search)\`set': set v3.cache.capacity 50"
T send-keys -t edits Escape; eventually eval 'screen edits | tail -n 1 | grep -q "^ q quit"'
T send-keys -t edits ":set v3.cache.capacity 45" Enter; wait_for edits "v3: cache.capacity = 45"
check_eq "Esc ends a history search with the line: the next line runs as typed" "$?" 0
T send-keys -t edits ":help unset" Enter; wait_for edits "remove a key"
check_has "a message wider than the status line: its start on the line above" \
	"$(screen edits | tail -n 2 | head -n 1)" "unset [SCENARIO.]KEY.PATH: remove a key"
check_eq "and its end on the status line" "$(screen edits | tail -n 1 | sed "s/ *$//")" "re-run"
# scenario edit: an edit that does not load is kept, and the next edit reopens it
cat > "$TMP/ed.sh" <<ED
if grep -q BROKEN "\$1"; then
	printf '{"name": "v3 cache+routing", "extends": "$PWD/fixtures/scenarios/v3.json"}\n' > "\$1"
else
	printf '{BROKEN\n' > "\$1"
fi
ED
T send-keys -t edits ":scenario edit v3" Enter; wait_for edits "(scenario edit v3 reopens it)"
check_eq "an edit that does not load is kept" "$?" 0
check_eq "in \$TMPDIR" "$(ls "$TMP"/llmcost-v3-*.json | wc -l)" 1
T send-keys -t edits ":scenario edit v3" Enter; wait_for edits "scenario v3 reloaded"
check_eq "the next edit reopens it" "$?" 0
# a set in between: the next edit starts from the scenario, not from the kept file
T send-keys -t edits ":scenario edit v3" Enter; wait_for edits "(scenario edit v3 reopens it)"
T send-keys -t edits ":set v3.cache.capacity 1000" Enter; wait_for edits "v3: cache.capacity = 1000"
T send-keys -t edits ":scenario edit v3" Enter; wait_for edits "(scenario edit v3 reopens it)"
check_eq "after a set, edit starts again from the scenario (the script breaks it again)" "$?" 0
T send-keys -t edits ":scenario edit v3" Enter; wait_for edits "scenario v3 reloaded"
# two edits of one scenario at once: the first run is outdated; the header still ends on the
# last run (it stayed on "running" when the outdated run ended last)
T send-keys -t edits ":set v3.cache.ttl_s.small 1800" Enter ":set v3.cache.ttl_s.small 60" Enter
header_done() { screen edits | head -n 1 | grep -q "last run"; }
# (the header said "last run" before the edits too: it is read once the second edit is made)
wait_for edits "v3: cache.ttl_s.small = 60"; eventually header_done
check_eq "after two quick edits the header says the runs ended" "$?" 0
T send-keys -t edits ":unset v3" Enter; wait_for edits "v3 is a scenario: name one of its keys"
check_eq "unset SCENARIO alone asks for a key" "$?" 0
T send-keys -t edits ":set v3.cache.ttll 5" Enter; wait_for edits "known keys here: enabled, key,"
check_eq "set of an unknown key lists the keys it may be" "$?" 0
T send-keys -t edits ":set " Tab Tab; wait_for edits "more: type on"
check_eq "a long completion list says how many it leaves out" "$?" 0
T send-keys -t edits C-u Escape; closed
T send-keys -t edits ":export c" Tab; wait_for edits ":export csv"
check_eq "Tab completes export's format" "$?" 0
T send-keys -t edits C-u Escape; closed
T send-keys -t edits ":scenario add fg flood-g" Tab
check "Tab completes scenario add's FILE with a bundled name" wait_for edits ":scenario add fg flood-guard"
T send-keys -t edits C-u Escape; closed
# Tab completes a file name with ' " or \ in it quoted as the line reads it back (load opens it),
# where it was inserted bare and the line said "unmatched '"; in quotes opened, as they need
mkdir -p "$TMP/qc"
{ printf '{"ts":"2026-03-02T10:00:00Z","tenant":"acme","task":"faq","model":"gpt-4o-mini","input_tokens":10,"output_tokens":5}\n'; } > "$TMP/qc/it's.jsonl"
cp "$TMP/qc/it's.jsonl" "$TMP/qc/back\\slash.jsonl"; cp "$TMP/qc/it's.jsonl" "$TMP/qc/dq\"x.jsonl"
cp "$TMP/qc/it's.jsonl" "$TMP/qc/it's-2.jsonl"
start qcomp 100 30 faq -s v3
wait_for qcomp "last run"
q=$TMP/qc
for f in "$q/it\\'s.|$q/it\\'s.jsonl|it's" "$q/b|$q/back\\\\slash.jsonl|back\\slash" "$q/d|$q/dq\\\"x.jsonl|dq\"x" \
	"'$q/d|'$q/dq\"x.jsonl'|dq\"x" "\"$q/b|\"$q/back\\\\slash.jsonl\"|back\\slash"; do
	typed=${f%%|*} rest=${f#*|}; want=${rest%%|*} tname=${rest#*|}
	T send-keys -t qcomp ":load $typed" Tab
	check "Tab quotes the file name (:load $typed, $want)" wait_for qcomp ":load $want"
	T send-keys -t qcomp Enter
	check "and the line reads it back (:load $typed)" eventually eval 'joined qcomp | grep -qF "opened trace $tname;"'
	T send-keys -t qcomp 1
done
# in '…' a ' is '\'': it's.jsonl and it's-2.jsonl share it's, inserted so, the quote left open
T send-keys -t qcomp ":load '$q/it" Tab
check "Tab: in '…' a ' is '\\''" wait_for qcomp ":load '$q/it'\\''s"
T send-keys -t qcomp C-u Escape
T send-keys -t qcomp q; wait_for qcomp "EXITED 0"
T kill-session -t qcomp
T send-keys -t edits ":set v3.cache.enabled f" Tab; wait_for edits ":set v3.cache.enabled false"
check_eq "Tab completes a true/false key's value" "$?" 0
T send-keys -t edits C-u Escape; closed
T send-keys -t edits ":scenario add v3b v3" Enter; wait_for edits "added scenario v3b"
check_eq "scenario add NAME takes a bundled scenario as FILE" "$?" 0
check "two scenarios of one name: each title says its handle" wait_for edits "v3 cache+routing (v3b)"
check_has "(the other)" "$(screen edits)" "v3 cache+routing (v3)"
# and so does export, as replay names them (both were "v3 cache+routing")
T send-keys -t edits ":export json $TMP/two.json" Enter; wait_for edits "wrote $TMP/two.json"
check_has "export: two scenarios of one name each named by its handle" \
	"$(python3 -c 'import json, sys; print("|".join(s["name"] for s in json.load(open(sys.argv[1]))["scenarios"]))' "$TMP/two.json")" \
	"v3 cache+routing (v3)|v3 cache+routing (v3b)"
T send-keys -t edits ":scenario drop v3b" Enter; wait_for edits "dropped scenario v3b"
check_eq "scenario drop" "$?" 0
check_has "dropping the selected last scenario: v3 is selected and shown" "$(screen edits | sed -n 4p)" "v3"
# columns scrolled out of sight come back once the drops make room for them
for h in w1 w2 w3 w4; do T send-keys -t edits ":scenario add $h baseline" Enter; wait_for edits "added scenario $h"; done
check "five scenarios do not fit in 100 columns: some scrolled off" wait_for edits "< more "
# (w1, the third, stays selected: the view must not stay scrolled to it)
for h in w4 w3 w2; do T send-keys -t edits ":scenario drop $h" Enter; wait_for edits "dropped scenario $h"; done
case $(screen edits | sed -n 4p) in *"more scenarios"*) bad "after the drops the columns fit, yet some stay hidden" ;; *) ok ;; esac
check_has "after the drops: v3 shown again" "$(screen edits | sed -n 4p)" "v3 cache+routing"
T send-keys -t edits ":scenario drop w1" Enter; wait_for edits "dropped scenario w1"
# Timeline: $ takes the cursor to the last column, and z keeps it at the same time
cursor_from() { screen edits | sed -n 4p | sed -n 's/.*; cursor \(.\{16\}\) to .*/\1/p'; }
T send-keys -t edits 3 '$'; wait_for edits "1 column = 3 buckets"
last_col=$(cursor_from)
check_eq "\$: the cursor on the last column (faq's last hour)" "$last_col" "2026-03-07 21:00"
# its end, 3 one-hour buckets on, is the next day: said with its date
check_has "a cursor's end on another day has its date" "$(screen edits | sed -n 4p)" \
	"cursor 2026-03-07 21:00 to 2026-03-08 00:00 UTC"
T send-keys -t edits z; wait_for edits "1 column = 1 bucket"
check_eq "z keeps the cursor's time" "$(cursor_from)" "$last_col"
check_has "a cursor's end on its start's day: the time alone" "$(screen edits | sed -n 4p)" \
	"cursor 2026-03-07 21:00 to 22:00 UTC; scale "
T send-keys -t edits 0 1; wait_for edits "USD per resolved request"
T resize-window -t edits -x 50 -y 12; wait_for edits "terminal too small"
T send-keys -t edits 2 :; T resize-window -t edits -x 100 -y 30; wait_for edits "USD per resolved request"
check_eq "below the minimum size, keys do nothing (still Compare, no : line)" \
	"$(screen edits | tail -n 1 | cut -c1-8)" " q quit "
# Alerts counts the rows out of sight, as Compare and Tenants do: at 80x24 a body of 20 rows
# holds a title, the headings, 17 rows and the count under them
start rows 80 24 t40 -s v3
wait_for rows "last run"
T send-keys -t rows 5; wait_for rows "newest first"
n_alerts=$(screen rows | sed -n 4p | awk '{ print $1 }' | tr -d ,)
if [ "${n_alerts:-0}" -gt 17 ]; then
	check_eq "Alerts: the last line counts the rows below" "$(screen rows | sed -n 23p | sed 's/ *$//')" \
		"0 rows above, $((n_alerts - 17)) below (j/k, PgUp/PgDn)"
else
	bad "Alerts: the test trace needs more than 17 alerts (has ${n_alerts:-none})"
fi
T send-keys -t rows q; wait_for rows "EXITED 0"
T kill-session -t rows
# Timeline with more scenarios than fit: 8 blocks of 4 rows at 80x24 (a body of 24 - 4 = 20
# rows: 2 for the title and the axis, 1 for the line saying what is out of sight, so (20 - 3) / 4
# = 4 blocks).  j stops once the last is in view (top 8 - 4 = 4: recorded-2 first), where 7 j left
# flood-guard-2 alone above 12 blank rows, and the last line counts the blocks above and below
# (the "j/k: more scenarios" hint went once the last was in view)
start tl8 80 24 faq $SCEN $SCEN
wait_for tl8 "flood-guard-2"
T send-keys -t tl8 3; wait_for tl8 "usd/h"
check_eq "Timeline, 8 scenarios: the last line counts those below" "$(screen tl8 | sed -n 23p)" \
	"0 scenarios above, 4 below (j/k)"
T send-keys -t tl8 j j j j j j j; wait_for tl8 "4 scenarios above"
check_eq "Timeline: 7 j stop at the last block in view, the count of those above" \
	"$(screen tl8 | sed -n 23p)" "4 scenarios above, 0 below (j/k)"
check_eq "Timeline: then recorded-2 is the first block" "$(screen tl8 | sed -n 6p | cut -c1-21)" "recorded (recorded-2)"
check_eq "Timeline: and flood-guard-2 the last, its hit rate strip above the count" \
	"$(screen tl8 | sed -n 18p | cut -c1-27)|$(screen tl8 | sed -n 21p | awk '{ print $1, $2 }')" \
	"flood guard (flood-guard-2)|hit rate"
T send-keys -t tl8 k; wait_for tl8 "3 scenarios above"
check_eq "Timeline: k goes back up at once" "$(screen tl8 | sed -n 23p)" "3 scenarios above, 1 below (j/k)"
T send-keys -t tl8 q; wait_for tl8 "EXITED 0"
T kill-session -t tl8
# Tenants across 6 scenarios at 100 columns (faq's projected monthly USD): 5 fit, baseline-2
# (the 6th) out of sight.  Sorted by it (6 s: recorded, baseline, v3, flood-guard, v3-2, then
# baseline-2), it takes the place of the last that fit (v3-2), as the other mode keeps its sorted
# column; the title counts the one hidden: "tenants across 6 scenarios: projected monthly USD;
# 8 of 8" is 57, with ", sorted by baseline (baseline-2)" (33) and "; 1 column hidden" (18) 108,
# so the key goes and "(widen)" fits again (57 + 26 = 83)
start across6 100 24 faq $SCEN -s v3 -s baseline
wait_for across6 "baseline-2"
T send-keys -t across6 2 m; wait_for across6 "tenants across 6 scenarios"
T send-keys -t across6 s s s s s s; wait_for across6 "seline-2) >"
check_eq "across, sorted by a column out of sight: the title counts the hidden one" "$(screen across6 | sed -n 4p | sed 's/ *$//')" \
	"tenants across 6 scenarios: projected monthly USD; 8 of 8; 1 column hidden (widen)"
case $(screen across6 | sed -n 5p) in
*"flood guard  baseline "*"seline-2) >") ok ;;
*) bad "across: the sorted column (baseline-2) shown in v3-2's place: [$(screen across6 | sed -n 5p)]" ;;
esac
T send-keys -t across6 q; wait_for across6 "EXITED 0"
T kill-session -t across6
# Two column titles cut to 6 never read the same: at 60 columns 6 scenarios' counts of degraded
# requests ("0", 1 wide) leave each column 6 (12 + 6 × (2 + 6) = 60), their titles cut to 5
# columns and "…": "flood guard (fg2)" and "flood guard (fg2-2)" were "flo…2)" both; a column of
# their start gives way to one more of their end
start fg2 60 24 faq -s recorded -s flood-guard
wait_for fg2 "last run"
for c in "fg2 flood-guard" "fg2 flood-guard" "v3" "baseline"; do
	T send-keys -t fg2 ":scenario add $c" Enter; wait_for fg2 "added scenario"
	T send-keys -t fg2 Escape
done
wait_for fg2 "fg2-2"
T send-keys -t fg2 2 m M M M M M M; wait_for fg2 "degraded; 8 of 8"
# (every run ended: baseline's column is "running" until then)
check "across: titles cut apart" eventually eval \
	'test "$(screen fg2 | sed -n 5p)" = "tenant        rec…ed  flo…d)  fl…g2)  fl…-2)  v3 …ng  bas…ne"'
[ "$(screen fg2 | sed -n 5p)" = "tenant        rec…ed  flo…d)  fl…g2)  fl…-2)  v3 …ng  bas…ne" ] ||
	echo "(the headings: [$(screen fg2 | sed -n 5p)])" >&2
T send-keys -t fg2 q; wait_for fg2 "EXITED 0"
T kill-session -t fg2
# too small, the same: the : line open keeps its keys (a q typed is text, where it quit with the
# edits), and without it the first q asks about the edits not saved, on the too-small screen
T send-keys -t edits :run; wait_for edits ":run"
T resize-window -t edits -x 50 -y 12; wait_for edits "terminal too small"
check_has "too small with the : line open: said, and how to leave" "$(joined edits)" \
	"this one is 50x12; the : line stays open (Esc closes it, then q quits)"
T send-keys -t edits q
T send-keys -t edits Enter # not run unseen: the line stays as typed
T resize-window -t edits -x 100 -y 30; wait_for edits "USD per resolved request"
check_eq "too small: a q typed at the : line is text, and Enter runs nothing" "$(screen edits | tail -n 1 | cut -c1-5)" ":runq"
T send-keys -t edits Escape; eventually eval '! shows edits ":runq"'
T resize-window -t edits -x 50 -y 12; wait_for edits "terminal too small"
T send-keys -t edits q
check "too small: q with edits not saved asks first" eventually eval \
	'joined edits | grep -q "2 scenarios with edits not saved (recorded, v3): save SCENARIO FILE keeps one; q again quits; terminal too small"'
case $(screen edits) in *EXITED*) bad "too small: q quit with edits not saved" ;; *) ok ;; esac
T send-keys -t edits Escape; T resize-window -t edits -x 100 -y 30; wait_for edits "USD per resolved request"
# edits not saved: q says so once; another key in between asks again; q, q leaves
asked="2 scenarios with edits not saved (recorded, v3): save SCENARIO FILE keeps one; q again quits"
T send-keys -t edits q
check "q with edits not saved asks first" wait_for edits "$asked"
# j (a key that acts: down one row) takes the question away, and with it what q then does: it
# asks again, the console still open
T send-keys -t edits j
check "another key (j) takes the question away" eventually eval '! shows edits "$asked"'
T send-keys -t edits q
check "q after another key asks again" wait_for edits "$asked"
case $(screen edits) in *EXITED*) bad "q after another key quit without asking again" ;; *) ok ;; esac
T send-keys -t edits q
check "q again quits" wait_for edits "EXITED 0"
check_eq "edits: no error output" "$(cat "$TMP/edits.err")" ""

# load of a large file shows the import's progress on the status line
$L gen flood --requests 600000 --seed 5 -o "$TMP/big.jsonl" 2>/dev/null
start big 100 30 faq -s v3
wait_for big "last run"
T send-keys -t big ":load $TMP/big.jsonl" Enter
check ":load shows the import's progress" wait_for big "lines/s"
wait_for big "big: imported 600,000 requests; opened trace big"
check_eq ":load then opens the trace" "$?" 0
T send-keys -t big ":load $PWD/fixtures/traces/docs.jsonl --name docs-two" Enter
check ":load FILE --name NAME imports it as NAME" wait_for big "docs-two: imported"
check_has "and opens it" "$(screen big | head -n 1)" "trace docs-two"
T send-keys -t big ":load --name docs-three $PWD/fixtures/traces/docs.jsonl" Enter
check ":load --name NAME FILE too" wait_for big "docs-three: imported"
T send-keys -t big ":load $PWD/fixtures/traces/docs.jsonl --name" Enter
check ":load FILE --name without a NAME is a usage error" wait_for big "usage: load TRACE [--name NAME]"
# Ctrl-C while a load waits for another process's lock on the store (an import of a FIFO,
# kept open) abandons the import: nothing imported, the console stays
locked() { ! sqlite3 "$LLMCOST_DB" "BEGIN IMMEDIATE; ROLLBACK" >/dev/null 2>&1; }
hold_store() { # a process holds the store's lock until release_store
	rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
	$L import - --name holder < "$TMP/fifo" >/dev/null 2>&1 &
	holder=$!
	exec 3>"$TMP/fifo"
	head -n 3 "$TMP/faq.jsonl" >&3
	eventually locked || bad "hold_store: the store is not locked"
}
# (the holder's trace removed: a second hold_store's import of that name was refused at once, and
# the load it was to hold back ran through)
release_store() { exec 3>&-; wait $holder; $L rm holder >/dev/null; }
hold_store
T send-keys -t big ":load $PWD/fixtures/traces/docs.jsonl --name docs-stop" Enter
wait_for big "loading $PWD/fixtures/traces/docs.jsonl"
T send-keys -t big C-c
check "Ctrl-C abandons a load" wait_for big "interrupted: nothing was imported"
case $(screen big) in *EXITED*) bad "Ctrl-C at a load ended the console" ;; *) ok ;; esac
release_store
check_eq "the abandoned load stored nothing" "$($L traces | grep -c docs-stop)" 0
T send-keys -t big q; check "big: q quits" wait_for big "EXITED 0"
# Ctrl-\ and SIGTERM during a load abandon it and end the console, as they do elsewhere (131,
# 143): also when the signal lands before the import's own handlers are in place, where the
# console's caught it (the import, and any wait for a lock, then stop on it)
for how in quit TERM; do
	start ldq 80 24 faq -s v3
	wait_for ldq "last run"
	hold_store
	T send-keys -t ldq ":load $PWD/fixtures/traces/docs.jsonl --name docs-quit" Enter
	wait_for ldq "loading $PWD/fixtures/traces/docs.jsonl"
	if [ "$how" = TERM ]; then
		kill -TERM "$(pgrep -P "$(T list-panes -t ldq -F '#{pane_pid}')" llmcost)"
		want=143
	else
		T send-keys -t ldq 'C-\'
		want=131
	fi
	check "$how during a load ends the console ($want)" wait_for ldq "EXITED $want"
	release_store
	check_eq "$how during a load: nothing stored" "$($L traces | grep -c docs-quit)" 0
	T kill-session -t ldq
done
# Ctrl-C while the load waits to read the store (another process holds an exclusive lock: the
# wait is the console's, before any import) stops the wait at once and abandons the load alone;
# before, the wait ran its 5 s and the console then ended (130)
start ldx 200 24 faq -s v3
wait_for ldx "last run"
touch "$TMP/held-x"
sqlite3 "$LLMCOST_DB" "BEGIN EXCLUSIVE;" ".shell touch '$TMP/x-locked'; while [ -e '$TMP/held-x' ]; do sleep 0.05; done" \
	"COMMIT;" >/dev/null 2>&1 &
xholder=$!
eventually test -e "$TMP/x-locked"
T send-keys -t ldx ":load $PWD/fixtures/traces/docs.jsonl --name docs-x" Enter
wait_for ldx "loading $PWD/fixtures/traces/docs.jsonl"
T send-keys -t ldx C-c
check "Ctrl-C in a load's wait for a lock stops the wait" \
	wait_for ldx "stopped while waiting for another process's lock on the store"
rm -f "$TMP/held-x" "$TMP/x-locked"; wait "$xholder"
case $(screen ldx) in *EXITED*) bad "Ctrl-C in a load's lock wait ended the console" ;; *) ok ;; esac
check_eq "the load stopped in its lock wait stored nothing" "$($L traces | grep -c docs-x)" 0
T send-keys -t ldx q; check "ldx: q quits" wait_for ldx "EXITED 0"
rm -f "$TMP/big.jsonl"

# Ctrl-C at the : line or a / filter cancels the line, as Esc does (the edit typed is not run,
# the filter goes back to none); the console stays
start intr 80 24 faq -s v3
wait_for intr "last run"
intr_closed() { screen intr | tail -n 1 | grep -q "^ q quit"; }
T send-keys -t intr ":set v3.cache.capacity 77"; wait_for intr ":set v3.cache.capacity 77"
T send-keys -t intr C-c
check "Ctrl-C at the : line closes the line" eventually intr_closed
case $(screen intr) in *EXITED*) bad "Ctrl-C at the : line ended the console" ;; *) ok ;; esac
T send-keys -t intr ":set v3.cache." Tab Tab; wait_for intr "capacity"
T send-keys -t intr C-c
check "Ctrl-C at a completion list closes the line" eventually intr_closed
T send-keys -t intr 2 / z z z; wait_for intr "0 of 8"
T send-keys -t intr C-c
check "Ctrl-C at a / filter puts back the filter it began with" wait_for intr "tenants of v3 cache+routing: 8 of 8"
check "and closes the line" eventually intr_closed
# ':' and Ctrl-C in one burst of input (tmux writes the keys of one send-keys at once): the
# same, the line closed (Ctrl-C came as SIGINT, before the ':' was read: the console ended)
T send-keys -t intr ':' C-c
check "':' then Ctrl-C at once: the line closes" eventually intr_closed
case $(screen intr) in *EXITED*) bad "':' then Ctrl-C at once ended the console" ;; *) ok ;; esac
T send-keys -t intr / z z z C-c
check "'/zzz' then Ctrl-C at once: the line closes" eventually intr_closed
check_has "with the filter it began with" "$(screen intr)" "tenants of v3 cache+routing: 8 of 8"
# the edit typed before Ctrl-C was not made: q quits at once (no edit to save)
T send-keys -t intr q; check "Ctrl-C ran nothing: q quits at once" wait_for intr "EXITED 0"
T kill-session -t intr
# Ctrl-C elsewhere: the same as q, exit 130
start intr 80 24 faq -s v3
wait_for intr "last run"
# (first, at 80 columns a filter stays in the Tenants title: the sort order goes first.  Whole,
# "tenants of v3 cache+routing: 1 of 8, sorted by tenant (A to Z)" is 63 columns, the filter's
# ', filter "ac"' 13 and "; 4 columns hidden (widen)" 26: 102; without "(A to Z)" 91; without
# the order 34 + 13 + 26 = 73, which fits)
T send-keys -t intr 2 / a c Enter; wait_for intr 'filter "ac"'
# (and the help at 80×24 wraps its descriptions under their column: nothing cut with …, the
# last command reached by G)
T send-keys -t intr '?'; wait_for intr "help: q or Esc closes"
check_has "help at 80 columns: q's description whole, wrapped" "$(screen intr | sed -n 's/.*│\(.*\)│.*/\1/p' | tr -s ' \n' '  ')" \
	"q quit (closes the help first; with edits not saved, asks once)"
check_eq "help at 80 columns: no line cut" "$(screen intr | grep '│' | grep -c '…')" 0
check_has "the help says Ctrl-C cancels the command line" \
	"$(screen intr | sed -n 's/.*│\(.*\)│.*/\1/p' | tr -s ' \n' '  ')" "Esc or Ctrl-C cancels"
# the terminal's signal keys too, which the console reads as keys (README: ? lists every key)
help_signals() { T send-keys -t intr j; screen intr | grep -q '│ *^Z *stop the console as a job'; }
check "the help lists Ctrl-Z" eventually help_signals
check_has "and Ctrl-C" "$(screen intr)" "^C          quit at once, exit 130"
check_has "and Ctrl-\\" "$(screen intr)" "^\\          quit at once, exit 131"
T send-keys -t intr G; wait_for intr "leave the console"
check_eq "help at 80 columns, at its end: no line cut" "$(screen intr | grep '│' | grep -c '…')" 0
T send-keys -t intr q; eventually eval 'test -z "$(screen intr | grep "help: q or Esc")"'
check_eq "Tenants at 80 columns: the filter stays in the title" "$(screen intr | sed -n 4p | sed 's/ *$//')" \
	'tenants of v3 cache+routing: 1 of 8, filter "ac"; 4 columns hidden (widen)'
T send-keys -t intr C-c; wait_for intr "EXITED 130"
check_eq "Ctrl-C exits 130" "$?" 0
wait_for intr MODES-END
modes=" $(screen intr | tr '\n' ' ') "
check "Ctrl-C restores echo" test -z "$(printf '%s' "$modes" | grep -e ' -echo ')"
check_eq "Ctrl-C: no error output" "$(cat "$TMP/intr.err")" ""

# A paste (tmux's paste-buffer -p brackets it with ESC[200~ … ESC[201~ when the program asked
# for that, as a terminal does) never acts as keys: at the : line it is inserted with its
# newlines (CR, as tmux sends them, or LF) as blanks; elsewhere it is ignored, with a word.  On
# exit the terminal is asked to stop bracketing: a paste to the shell's sleep after it echoes
# bare.
start paste 80 24 faq -s v3
wait_for paste "last run"
T set-buffer -b llmcost "$(printf 'set v3.cache.capacity 55\nq\n2')"
T send-keys -t paste :; T paste-buffer -p -b llmcost -t paste
check "a paste at the : line: one line, its newlines blanks" wait_for paste ":set v3.cache.capacity 55 q 2"
T paste-buffer -p -r -b llmcost -t paste # -r: LF, not CR
check "and LF too" wait_for paste ":set v3.cache.capacity 55 q 2set v3.cache.capacity 55 q 2"
T send-keys -t paste C-u Escape
T paste-buffer -p -b llmcost -t paste
check "a paste outside the : line is ignored, and said so" wait_for paste "paste ignored: pasted text goes to the : command line"
check_has "its 2 did not switch views" "$(screen paste | sed -n 4p)" "v3 cache+routing"
case $(screen paste) in *EXITED*) bad "its q quit" ;; *) ok ;; esac
# a pasted Ctrl-Z, Ctrl-\ or Ctrl-C is text too (the console reads those keys itself): it
# neither stops nor ends it
T send-keys -t paste Escape
T set-buffer -b llmcost "$(printf 'a\032b\034c\003d')"; T paste-buffer -p -b llmcost -t paste
check "a paste of signal keys is ignored, and said so" wait_for paste "paste ignored: pasted text goes"
sleep 0.3
case $(screen paste) in *EXITED*) bad "a pasted signal key ended the console" ;; *) ok ;; esac
T send-keys -t paste q; check "paste: q quits at once (the pasted set never ran)" wait_for paste "EXITED 0"
wait_for paste MODES-END
T set-buffer -b llmcost "after-the-console"; T paste-buffer -p -b llmcost -t paste
wait_for paste "after-the-console"
case $(screen paste) in *"[200~"*) bad "the terminal still brackets pastes after the console" ;; *) ok ;; esac
T kill-session -t paste

# A set whose confirmation cannot be shown whole in the status line and the four lines above
# it (100 columns × 5 lines = 500 < 1,000 characters of value) says it with the value shortened
# in the middle, its first and last characters kept; the edit is the whole value
start setlong 100 30 faq -s v3
wait_for setlong "last run"
long_value="a$(printf '%0998d' 0 | tr 0 c)z"
T send-keys -t setlong ":set v3.cache.policy_version $long_value" Enter
check "a set of a 1,000-character value is confirmed" wait_for setlong "v3: cache.policy_version = acccc"
check "with the value shortened in the middle, its count said" wait_for setlong "ccz (1,000 characters)"
check "and stays once its run has ended" wait_for setlong "last run"
check_has "(the confirmation)" "$(screen setlong)" "v3: cache.policy_version = acccc"
T send-keys -t setlong ":save v3 $TMP/long-value.json" Enter; wait_for setlong "wrote scenario v3"
check_eq "the edit holds the whole value" "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["cache"]["policy_version"] == sys.argv[2])' "$TMP/long-value.json" "$long_value")" True
# a character with its accent (é as e and U+0301) is never cut apart: 600 of them, said as 600
# characters (the 1,200 code points), the cut's end begins with a whole é, where the accent could
# land on the "…"
ee=$(printf 'e\314\201%.0s' $(seq 600))
T send-keys -t setlong ":set v3.cache.policy_version $ee" Enter
check "a long value of accented letters: counted as drawn" wait_for setlong "(600 characters)"
check_has "and cut at whole letters" "$(screen setlong)" "$(printf '\342\200\246e\314\201')"
T send-keys -t setlong Escape
# a newline in a value (C-v C-j) is confirmed as \u000a, as the Compare title shows it, where the
# message's lines were joined with a blank
T send-keys -t setlong ":set v3.name a" C-v C-j "b" Enter
check "a newline in a value: confirmed as \\u000a" wait_for setlong 'v3: name = a\u000ab'
T send-keys -t setlong Escape q q; check "setlong: q, q quits (edits not saved)" wait_for setlong "EXITED 0"
T kill-session -t setlong

# A JSON error in an edit shows the text near it as traces/text.h escapes it: the console
# writes the scenario with a tab after each key's colon (cJSON), so with the comma after "name"
# taken out the error is at "routes" (line 3, after the tab of column 1), near "routes":, a tab
# and {; before, the tab was a "?".  (The editor: sed deletes the comma ending the name's line.)
printf '%s\n' 'sed -i "/\"name\":/s/,\$//" "$1"' > "$TMP/ed-comma.sh"
START_ENV="EDITOR='sh $TMP/ed-comma.sh' TMPDIR='$TMP'" start tabmsg 200 30 faq -s v3
wait_for tabmsg "last run"
T send-keys -t tabmsg ":scenario edit v3" Enter; wait_for tabmsg "(scenario edit v3 reopens it)"
check_has "a tab in an error's text: escaped, \\u0009" "$(screen tabmsg | tr -d '\n')" \
	'v3: invalid JSON near ""routes":\u0009{" (line 3, column 2)'
case $(screen tabmsg) in *'"routes":?'*) bad "a tab in an error's text shown as ?" ;; *) ok ;; esac
# and a name's control character in a column title, as in replay's table (\u0007), not "?"
printf '{"extends": "v3", "name": "bell\\u0007name"}\n' > "$TMP/bel.json"
T send-keys -t tabmsg ":scenario add bel $TMP/bel.json" Enter; wait_for tabmsg "added scenario bel"
check "a name's control character in Compare's title: escaped" wait_for tabmsg 'bell\u0007name'
check_has "(replay's table writes it so too)" "$($L replay faq -s "$TMP/bel.json")" 'bell\u0007name'
T send-keys -t tabmsg ":quit" Enter; check "tabmsg: quit" wait_for tabmsg "EXITED 0"
T kill-session -t tabmsg

# An unknown command's name is quoted whole up to 60 columns, and a longer one loses its middle
# to … at a character boundary, as replay's table cuts a name; before, it was cut at 63 bytes
# without a word, 40 é's (2 bytes each) ending in half of one
start cmdname 200 30 faq -s v3
wait_for cmdname "last run"
e40=$(printf '%040d' 0 | sed 's/0/é/g')
T send-keys -t cmdname ":$e40" Enter
check "40 é's: all of them, whole" wait_for cmdname "unknown command \"$e40\"; the commands are:"
# 3,000 x's in 60 columns: the mark 1, the start 30 (the odd column), the end 29
T send-keys -t cmdname ":$(printf '%03000d' 0 | tr 0 x)" Enter
check "3,000 x's: 30, …, 29" wait_for cmdname \
	"unknown command \"$(printf '%030d' 0 | tr 0 x)…$(printf '%029d' 0 | tr 0 x)\"; the commands"
T send-keys -t cmdname ":quit" Enter; check "cmdname: quit" wait_for cmdname "EXITED 0"
T kill-session -t cmdname

# set and unset of a path whose first part is no key and no open scenario: the key is unknown
# (to the selected scenario, recorded) and no scenario of that name is open, with the open ones
start nosuch 200 30 faq -s recorded -s v3
wait_for nosuch "last run"
nosuch='recorded: nosuch.cache.capacity: unknown key (did you mean "cache.capacity"?); no scenario "nosuch" is open; open: recorded, v3'
T send-keys -t nosuch ":set nosuch.cache.capacity 5" Enter
check "set: the unknown key, and no scenario \"nosuch\"" wait_for nosuch "$nosuch"
T send-keys -t nosuch ":unset nosuch.cache.capacity" Enter
check "unset too" wait_for nosuch "$nosuch"
# a mistyped key under a known one (cache) is only that
T send-keys -t nosuch ":set cache.capacityy 5" Enter
check "a mistyped key under cache: no word of scenarios" wait_for nosuch \
	'recorded: cache.capacityy: unknown key (did you mean "cache.capacity"?)'
case $(screen nosuch) in *'no scenario "cache"'*) bad "cache taken for a scenario" ;; *) ok ;; esac
T send-keys -t nosuch ":quit" Enter; check "nosuch: quit" wait_for nosuch "EXITED 0"
T kill-session -t nosuch

# A command's SCENARIO may be the scenario's name when one open scenario has it (p.json's
# handle is p, its name "pricey"); none or two: the message lists the handles to choose from
printf '{"name": "pricey", "extends": "%s/fixtures/scenarios/v3.json"}\n' "$PWD" > "$TMP/p.json"
start names 100 30 faq -s recorded -s "$TMP/p.json" -s v3
wait_for names "last run"
T send-keys -t names ":save pricey $TMP/pricey-out.json" Enter
check "save takes a scenario's name" wait_for names "wrote scenario p to $TMP/pricey-out.json"
T send-keys -t names ":save v3 cache+routing $TMP/v3-out.json" Enter
check "and a name with blanks" wait_for names "wrote scenario v3 to $TMP/v3-out.json"
T send-keys -t names ":save nosuch $TMP/x.json" Enter
check "no such scenario: the open handles listed" wait_for names 'no scenario "nosuch" is open; open: recorded, p, v3'
T send-keys -t names ":set pricey.cache.capacity 5" Enter
check "set takes NAME.KEY" wait_for names "p: cache.capacity = 5"
T send-keys -t names ":scenario add p2 $TMP/p.json" Enter; wait_for names "added scenario p2"
T send-keys -t names ":run pricey" Enter
check "two of that name: their handles" wait_for names '2 open scenarios are named "pricey": name one by its handle (p, p2)'
T send-keys -t names ":scenario drop p2" Enter; wait_for names "dropped scenario p2"
T send-keys -t names ":scenario edit nosuch" Enter
check "scenario edit: the open handles" wait_for names 'no scenario "nosuch" is open; open: recorded, p, v3'
T send-keys -t names ":scenario drop pricey" Enter
check "scenario drop takes the name" wait_for names "dropped scenario p"
T send-keys -t names ":quit" Enter; check "names: quit" wait_for names "EXITED 0"
T kill-session -t names

# A save or export whose write fails (a file-size limit of 1 block, 512 or 1024 bytes, as a
# full disk; v3's scenario is 2,140 bytes) leaves the file as it was and says which file it was;
# before, save! cut mine.json short at the limit and the scenario on disk was gone
mkdir -p "$TMP/full"
cp fixtures/scenarios/v3.json fixtures/scenarios/baseline.json "$TMP/full/"
cp "$TMP/full/v3.json" "$TMP/full/mine.json"
T new-session -d -s full -x 200 -y 30 \
	"cd '$TMP/full' && ulimit -f 1 && LLMCOST_DB='$LLMCOST_DB' $L tui faq -s mine.json 2>'$TMP/full.err'; sleep 60"
wait_for full "last run"
T send-keys -t full ":set mine.cache.ttl_s.small 1800" Enter; wait_for full "mine: cache.ttl_s.small = 1800"
T send-keys -t full ":save! mine mine.json" Enter
check "save! failing says which file, and that it is kept" \
	wait_for full "mine.json: cannot write: File too large; mine.json keeps what it held"
check "mine.json is as it was" cmp -s "$TMP/full/mine.json" "$TMP/full/v3.json"
T send-keys -t full ":export json new.json" Enter
check "export failing says so, naming the file" \
	wait_for full "new.json: cannot write: File too large; new.json was not made"
check "and makes no file cut short" [ ! -e "$TMP/full/new.json" ]
check_eq "nor leaves a hidden one" "$(ls -A "$TMP/full" | grep -c '^\.')" 0
T send-keys -t full ":save mine nodir/m.json" Enter
check "a missing folder is named" \
	wait_for full "nodir/m.json: cannot write: folder nodir does not exist; nodir/m.json was not made"
T kill-session -t full

# The history is the user's own: $XDG_DATA_HOME/llmcost/console_history, whatever the store (it
# was beside the store: --db /tmp/x.db kept it in /tmp/console_history, where another user could
# plant a symbolic link that readline's write_history then replaced the target of). A symbolic
# link there, or another user's file, is neither read nor written, and the status line says so.
mkdir -p "$TMP/shared" "$TMP/hx/llmcost" && cp "$LLMCOST_DB" "$TMP/shared/x.db"
seq 1 1500 | sed 's/^/precious line /' > "$TMP/precious.txt" && cp "$TMP/precious.txt" "$TMP/precious.orig"
ln -s "$TMP/precious.txt" "$TMP/shared/console_history"
T new-session -d -s hist -x 160 -y 30 "XDG_DATA_HOME='$TMP/hx' $L tui faq -s baseline --db '$TMP/shared/x.db'; sleep 60"
wait_for hist "last run"
T send-keys -t hist ":run" Enter; wait_for hist "re-ran 1 scenario in "
check "the history is kept in the user's data folder" eventually test -s "$TMP/hx/llmcost/console_history"
check_eq "with the command" "$(tail -1 "$TMP/hx/llmcost/console_history" 2>/dev/null)" "run"
check "not beside the store: a link planted there is left alone" cmp -s "$TMP/precious.txt" "$TMP/precious.orig"
T kill-session -t hist
rm -f "$TMP/hx/llmcost/console_history" && ln -s "$TMP/precious.txt" "$TMP/hx/llmcost/console_history"
T new-session -d -s hist -x 160 -y 30 "XDG_DATA_HOME='$TMP/hx' $L tui faq -s baseline --db '$TMP/shared/x.db'; sleep 60"
check "a symbolic link as the history: said" \
	wait_for hist "the console's history is not kept: $TMP/hx/llmcost/console_history is a symbolic link"
T send-keys -t hist ":run" Enter; wait_for hist "re-ran 1 scenario in "
check "and its target is not written" cmp -s "$TMP/precious.txt" "$TMP/precious.orig"
check "the link stays" [ -L "$TMP/hx/llmcost/console_history" ]
T kill-session -t hist
if [ "$(id -u)" = 0 ]; then # another user's history file (nobody's, 65534): not used either
	rm -f "$TMP/hx/llmcost/console_history" && cp "$TMP/precious.orig" "$TMP/hx/llmcost/console_history"
	chown 65534 "$TMP/hx/llmcost/console_history"
	T new-session -d -s hist -x 160 -y 30 "XDG_DATA_HOME='$TMP/hx' $L tui faq -s baseline --db '$TMP/shared/x.db'; sleep 60"
	check "another user's history file: said" \
		wait_for hist "the console's history is not kept: $TMP/hx/llmcost/console_history is another user's"
	T send-keys -t hist ":run" Enter; wait_for hist "re-ran 1 scenario in "
	check "and it is not written" cmp -s "$TMP/hx/llmcost/console_history" "$TMP/precious.orig"
	T kill-session -t hist
fi

# A FILE is taken as a shell takes it: quotes removed ("a b.json" was a file whose name held the
# quotes), a leading ~/ the home folder (it was a folder named ~)
mkdir -p "$TMP/qhome" "$TMP/q"
T new-session -d -s quote -x 160 -y 30 "cd '$TMP/q' && HOME='$TMP/qhome' LLMCOST_DB='$LLMCOST_DB' $L tui faq -s v3; sleep 60"
wait_for quote "last run"
T send-keys -t quote ':export json "a b.json"' Enter
check "export json \"a b.json\" writes a b.json" wait_for quote "wrote a b.json (json)"
check "named without its quotes" [ -s "$TMP/q/a b.json" ]
check_eq "and no file holds a quote" "$(ls "$TMP/q" | grep -c '"')" 0
T send-keys -t quote ":save v3 'it''s.json'" Enter
check "single quotes too, one after another" wait_for quote "wrote scenario v3 to its.json"
T send-keys -t quote ":export csv ~/x.csv" Enter
check "a leading ~/ is the home folder" wait_for quote "wrote $TMP/qhome/x.csv (csv)"
check "the file is there" [ -s "$TMP/qhome/x.csv" ]
check "and no folder ~ was made" [ ! -e "$TMP/q/~" ]
T send-keys -t quote ':export json "open.json' Enter
check "an unmatched quote is said" wait_for quote '"open.json: unmatched "'
T kill-session -t quote

# A tenant name of 42 characters: the tenant column stays 24 wide (the name's middle cut out,
# 23 columns and …: the start 12, the end 11, which tells names of one prefix apart), so at
# 120 columns no column is hidden (the others' widths, from faq's figures: 11+8+8+8+8+6+12+6+
# 5+5+8 = 85, + 24 + 11 gaps of 1 = 120); before, the column took 40 and hid 3
sed 's/"tenant":"initech"/"tenant":"initech-international-holdings-europe-gmbh"/' "$TMP/faq.jsonl" > "$TMP/longten.jsonl"
start longten 120 30 "$TMP/longten.jsonl" -s v3
wait_for longten "last run"
T send-keys -t longten 2; wait_for longten "tenants of v3 cache+routing"
case $(screen longten | sed -n 4p) in *hidden*) bad "a long tenant name hides columns at 120" ;; *) ok ;; esac
check_eq "the long name cut at 24 columns" "$(screen longten | grep '^initech' | awk '{ print $1 }')" "initech-inte…europe-gmbh"
check_has "every column shown, resolved the last" "$(screen longten | sed -n 5p)" " resolved"
T send-keys -t longten / e u r o p e Enter; wait_for longten 'filter "europe"'
check_has "a / filter finds it by any part of its name" "$(screen longten | sed -n 4p)" "1 of 8"
T send-keys -t longten q; check "longten: q quits" wait_for longten "EXITED 0"
T kill-session -t longten

# A scenario name of 63 characters at 80 columns: its column title loses its middle to … (the
# start gets the odd column, as traces/text.h cuts) rather than widening the column past the
# screen, so Compare and Tenants across the scenarios show it beside recorded, and the
# Timeline's name row keeps its alert count; before, its column never showed (only "more >")
long_name="v3 with a half-hour small-model cache TTL and smaller capacity"
printf '{"extends": "v3", "name": "%s"}\n' "$long_name" > "$TMP/X.json"
# cut_title TEXT: TEXT (a heading's last word run, from its first "v3 with") is the name cut
# in the middle to TEXT's own width: ⌈(W − 1) / 2⌉ characters of its start, …, ⌊(W − 1) / 2⌋ of its end
cut_title() {
	python3 -c '
import sys
name, got = sys.argv[1], sys.argv[2]
w = len(got)
head, tail = (w - 1) - (w - 1) // 2, (w - 1) // 2
print("ok" if got == name[:head] + "\u2026" + name[len(name) - tail:] else "want " + name[:head] + "\u2026" + name[len(name) - tail:])' "$long_name" "$1"
}
start longscen 80 24 faq -s recorded -s "$TMP/X.json"
wait_for longscen "last run"
head_line=$(screen longscen | sed -n 4p)
check_has "a 63-character name in Compare at 80 columns: recorded's column" "$head_line" "recorded"
check_eq "and the long name's, its middle cut" "$(cut_title "v3 with${head_line#*v3 with}")" ok
check_eq "its title ends at the screen's last column" "$(printf "%s" "$head_line" | wc -m | tr -d " ")" 80
case $head_line in *"more >"*) bad "the long name's column is still out of sight" ;; *) ok ;; esac
check_eq "its figures: projected monthly USD of both = replay" "$(usd_row "$(screen longscen)")" \
	"$(usd_row "$($L replay faq -s recorded -s "$TMP/X.json" | grep '^projected monthly USD')")"
T send-keys -t longscen 2 m; wait_for longscen "tenants across 2 scenarios"
head_line=$(screen longscen | sed -n 5p)
check_eq "Tenants across the scenarios: the long name cut too" "$(cut_title "v3 with${head_line#*v3 with}")" ok
check_eq "(to the last column)" "$(printf "%s" "$head_line" | wc -m | tr -d " ")" 80
ten=$(sed -n 2p "$TMP/tenants.csv" | cut -d, -f2) # the first tenant by name
check_eq "and each tenant's row has both figures" "$(screen_row longscen "$ten" | tr ' ' '\n' | grep -c '^\$')" 2
T send-keys -t longscen 3; wait_for longscen "1 column = "
n_alerts=$($L replay faq -s "$TMP/X.json" --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["scenarios"][0]["alerts"]))')
tl_line=$(screen longscen | grep '^v3 with' | sed 's/ *$//')
[ "$n_alerts" = 1 ] && alerts_word=alert || alerts_word=alerts
check_has "Timeline: the name row keeps its alert count" "$tl_line" "  ($n_alerts $alerts_word)"
check_has "the name before it cut in the middle" "${tl_line%%  (*}" "…"
case ${tl_line#*  (} in *…*) bad "Timeline: what follows the name is cut: [$tl_line]" ;; *) ok ;; esac
T send-keys -t longscen 1 ":scenario drop recorded" Enter; wait_for longscen "dropped scenario recorded"
check_eq "the long name alone: Compare shows its figures" "$(usd_row "$(screen longscen)")" \
	"$(usd_row "$($L replay faq -s "$TMP/X.json" | grep '^projected monthly USD')")"
# a name of 3,000 characters (:set): cut as well, its figures shown
T send-keys -t longscen ":set X.name $(printf '%03000d' 0 | tr 0 y)" Enter; wait_for longscen "X: name = y"
check "a 3,000-character name: cut in its column" wait_for longscen "yyy…yyy"
check_eq "with its figures" "$(usd_row "$(screen longscen)")" \
	"$(usd_row "$($L replay faq -s "$TMP/X.json" | grep '^projected monthly USD')")"
T send-keys -t longscen 3; wait_for longscen "1 column = "
check_has "and in the Timeline, with its alert count" "$(screen longscen | grep '^yyy')" "yyy  ($n_alerts $alerts_word)"
T send-keys -t longscen 1
T send-keys -t longscen q q; check "longscen: q quits" wait_for longscen "EXITED 0"
T kill-session -t longscen

# Six scenarios at 200 columns, the last with a name of 85 characters: Compare shows all six
# (their figures take 121 of the 174 columns beside the labels: recorded's 10, baseline's 20,
# 19 for each other, 3 between), the long name cut in its middle to what the figures leave; before, its column took the whole name and so never
# showed beside the five others ("more >"). The Tenants view's title names it whole.
long_name="v3 with nothing changed but a name of 85 characters, which Compare cuts in its middle"
printf '{"extends": "v3", "name": "%s"}\n' "$long_name" > "$TMP/L.json"
printf '{"extends": "v3", "name": "v3 copy"}\n' > "$TMP/C.json"
start longsix 200 30 faq $SCEN -s "$TMP/C.json" -s "$TMP/L.json"
wait_for longsix "last run"
head_line=$(screen longsix | sed -n 4p)
case $head_line in *"more >"*) bad "six scenarios at 200 columns: one is out of sight" ;; *) ok ;; esac
check_eq "six scenarios at 200 columns: projected monthly USD of all six = replay" "$(usd_row "$(screen longsix)")" \
	"$(usd_row "$($L replay faq $SCEN -s "$TMP/C.json" -s "$TMP/L.json" 2>/dev/null | grep '^projected monthly USD')")"
check_eq "the 85-character name cut in its middle" "$(cut_title "v3 with${head_line#*v3 with}")" ok
T send-keys -t longsix l l l l l 2
check "the Tenants view's title names it whole" wait_for longsix "tenants of $long_name: 8 of 8"
T send-keys -t longsix q; check "longsix: q quits" wait_for longsix "EXITED 0"
T kill-session -t longsix

# Seven scenarios, six with names of 29 to 85 characters, at 140 and 100 columns: Compare (and
# Tenants across the scenarios, below) shows
# as many columns as fit with the names cut to their figures, the names cut to the widest that
# keeps those columns (the labels' 24 and 2, recorded's 10: the others from column 36 on, 19 wide
# for their figures, 3 between): at 140, four (36 + 4 × (3 + 19) = 124 <= 140, a fifth would end
# at 146), names of 23 (36 + 4 × (3 + 23) = 140), the last's of 16 before " more >" (140 - 7 -
# (36 + 3 × 26 + 3)); at 100, two (80 <= 100 < 102), names of 29 (36 + 2 × 32 = 100), the last's
# of 22 (100 - 7 - 71).  Before, names were cut only when all seven fitted: the first long name
# showed whole and then only blanks before " more >" (58 of them at 140, 10 at 100).
i=0
for n in "v3 with a half-hour small-model cache TTL" "v3 with nothing changed but a longer name of sixty characters" \
	"v3 variant number three, named at some length for the test" "$long_name" "v3 short-ish thirty-char name" \
	"v3 variant six: an extended name of about seventy characters, for sure"; do
	i=$((i + 1))
	printf '{"extends": "v3", "name": "%s"}\n' "$n" > "$TMP/N$i.json"
done
# cut_heading VIEW WIDTH W...: the heading of Compare (VIEW c) or Tenants across the scenarios
# (t), recorded then names N1... each cut as cut_title does to W, then the mark of more columns
cut_heading() {
	python3 -c '
import json, sys
view, w, ws = sys.argv[1], int(sys.argv[2]), [int(a) for a in sys.argv[3:]]
names = [json.load(open("'"$TMP"'/N%d.json" % (i + 1)))["name"] for i in range(len(ws))]
def cut(s, n):
    return s if len(s) <= n else s[:(n - 1) - (n - 1) // 2] + "\u2026" + s[len(s) - (n - 1) // 2:]
lead, gap, mark = (" " * 26 + "recorded".rjust(10), "   ", " more >") if view == "c" else ("tenant".ljust(12) + "  recorded", "  ", " >")
line = lead + "".join(gap + cut(s, n).rjust(n) for s, n in zip(names, ws)) + mark
print(line if len(line) == w else "bad width %d" % len(line))' "$@"
}
start longcut 140 30 faq -s recorded -s "$TMP/N1.json" -s "$TMP/N2.json" -s "$TMP/N3.json" -s "$TMP/N4.json" \
	-s "$TMP/N5.json" -s "$TMP/N6.json"
wait_for longcut "last run"
check_eq "seven scenarios at 140 columns: four, their names cut to fill the line" "$(screen longcut | sed -n 4p)" \
	"$(cut_heading c 140 23 23 23 16)"
T resize-window -t longcut -x 100 -y 30
check "at 100 columns: two, their names cut to fill the line" wait_for longcut "$(cut_heading c 100 29 22)"
# Tenants across the scenarios at 100 columns: the tenant's 12, recorded's 8 from column 14, the
# others 2 apart, 15 wide for their figures ($0.5180 and +21.1%: 7 + 2 + 6), 2 columns left for
# " >": four (22 + 4 × (2 + 15) = 90 <= 98, a fifth would end at 107), names of 17 (22 + 4 ×
# (2 + 17) = 98); before, the first long name whole (41) and one column
T send-keys -t longcut 2 m; wait_for longcut "tenants across 7 scenarios"
check_eq "Tenants across at 100 columns: four, their names cut to fill the line" "$(screen longcut | sed -n 5p)" \
	"$(cut_heading t 100 17 17 17 17)"
T send-keys -t longcut q; check "longcut: q quits" wait_for longcut "EXITED 0"
T kill-session -t longcut

# killed NAME SIG STATUS: the console (pane NAME) killed by SIG once it has run: the pane's shell,
# which recorded the console's pid and then became it, ends with STATUS, and stty runs after it
# (no core file: ulimit -c 0)
killed() {
	cat > "$TMP/$1.sh" <<EOF
ulimit -c 0
echo \$\$ > "$TMP/$1.pid"
exec "$L" tui faq -s v3 2>"$TMP/$1.err"
EOF
	T new-session -d -s "$1" -x 80 -y 24 "LLMCOST_DB='$LLMCOST_DB' sh '$TMP/$1.sh'; echo EXITED \$?; stty -a; echo MODES-END; sleep 60"
	wait_for "$1" "last run"
	kill -"$2" "$(cat "$TMP/$1.pid")"; wait_for "$1" "EXITED $3"
}
# killed_restores NAME WHAT: after killed NAME, stty finds echo and icanon on ("WHAT restores …")
killed_restores() {
	wait_for "$1" MODES-END
	modes=" $(screen "$1" | tr '\n' ' ') "
	check_has "$2: stty ran after the console" "$modes" "icanon"
	check "$2 restores echo" test -z "$(printf '%s' "$modes" | grep -e ' -echo ')"
	check "$2 restores icanon" test -z "$(printf '%s' "$modes" | grep -e ' -icanon ')"
}

# SIGTERM: the same, exit 143
killed term TERM 143
check_eq "SIGTERM exits 143" "$?" 0
killed_restores term SIGTERM
check_eq "SIGTERM: no error output" "$(cat "$TMP/term.err")" ""

# A crash (SIGSEGV here, sent as a fault would raise it): the terminal is restored before the
# console dies of the signal, so the shell's status is 128 + 11 = 139
killed crash SEGV 139
check_eq "SIGSEGV: the console dies of it, exit 139" "$?" 0
killed_restores crash SIGSEGV
T kill-session -t crash

alt() { test "$(T display -p -t "$1" '#{alternate_on}')" = "$2"; }
# Ctrl-\ (SIGQUIT): the terminal put back as for SIGTERM (its keys as they were: Ctrl-C
# interrupts again), then the console ends as SIGQUIT's, exit 128 + 3 = 131 (it left the
# terminal raw, Ctrl-C undefined, the console's screen on it)
start quit 80 24 faq -s v3
wait_for quit "last run"
T send-keys -t quit 'C-\'
check "Ctrl-\\ exits 131" wait_for quit "EXITED 131"
killed_restores quit "Ctrl-\\"
check_has "Ctrl-\\: Ctrl-C interrupts again" "$modes" "intr = ^C"
check "Ctrl-\\ leaves the alternate screen" alt quit 0
check_eq "Ctrl-\\: no error output" "$(cat "$TMP/quit.err")" ""
T kill-session -t quit
# and SIGQUIT sent (kill -QUIT): the same
killed sigquit QUIT 131
check_eq "SIGQUIT exits 131" "$?" 0
killed_restores sigquit SIGQUIT
T kill-session -t sigquit

# Job control, in an interactive shell.  Ctrl-Z in $EDITOR (here a script that waits, on the
# alternate screen as vi is) stops the console with it (the shell sees the job stopped), and at
# fg the editor has the terminal alone: the console draws nothing over it (it drew its screen
# at fg, over the editor, then ran on the main screen the editor went back to, and left its
# screen under the shell's at q); when the editor ends the console has its screen back, on the
# alternate screen
cat > "$TMP/ed-stop.sh" <<EOF
printf '\033[?1049h\033[H\033[2J'
echo EDITING
while [ ! -e "$TMP/ed-go" ]; do sleep 0.1; done
echo EDITED
while [ ! -e "$TMP/ed-end" ]; do sleep 0.1; done
printf '\033[?1049l'
EOF
# the console's process is stopped (ps: state T)
stopped() { ps -o stat= -p "$(cat "$TMP/job.pid")" | grep -q T; }
T new-session -d -s job -x 100 -y 30 "ENV= PS1='$ ' sh -i"
T send-keys -t job "LLMCOST_DB='$LLMCOST_DB' EDITOR='sh $TMP/ed-stop.sh' TMPDIR='$TMP' sh -c 'echo \$\$ > $TMP/job.pid; exec $L tui faq -s v3 2>$TMP/job.err'" Enter
wait_for job "last run"
T send-keys -t job ":scenario edit v3" Enter
wait_for job EDITING
T send-keys -t job C-z
check "Ctrl-Z in the editor stops the console too" eventually stopped
check "and the shell sees the job stopped" wait_for job Stopped
T send-keys -t job fg Enter
wait_for job "$ fg"
: > "$TMP/ed-go"
check "fg: the editor runs on" wait_for job EDITED
case $(screen job) in *"projected monthly USD"*) bad "fg: the console drew its screen over the editor" ;; *) ok ;; esac
: > "$TMP/ed-end"
check "after the editor: the console's screen" wait_for job "scenario v3: no change"
check "after the editor: on the alternate screen" alt job 1
# Ctrl-Z at the console stops it as a job too, its screen left, and fg gives it back; keys
# typed just before Ctrl-Z act (the terminal dropped them with the signal's: the console reads
# Ctrl-Z as a key, then stops itself)
T send-keys -t job 2 C-z
check "Ctrl-Z stops the console as a job" eventually stopped
check "Ctrl-Z leaves the alternate screen" alt job 0
T send-keys -t job fg Enter
check "fg: the console's screen again" wait_for job "last run"
check "fg: on the alternate screen" alt job 1
check "2 then Ctrl-Z at once: the 2 acts at fg" wait_for job "tenants of v3 cache+routing: 8 of 8"
# SIGTSTP sent (kill -TSTP) does the same
kill -TSTP "$(cat "$TMP/job.pid")"
check "SIGTSTP stops the console as a job" eventually stopped
check "SIGTSTP leaves the alternate screen" alt job 0
T send-keys -t job fg Enter
check "fg after SIGTSTP: on the alternate screen" eventually alt job 1
T send-keys -t job q
check "q: the alternate screen left" eventually alt job 0
T send-keys -t job "echo EXITED \$?; stty -a; echo MODES-END" Enter
check "q after Ctrl-Z: exit 0" wait_for job "EXITED 0"
wait_for job MODES-END
modes=" $(screen job | tr '\n' ' ') "
case $modes in *"projected monthly USD"*) bad "q after Ctrl-Z: the console's screen left under the shell's" ;; *) ok ;; esac
check "q after Ctrl-Z restores echo" test -z "$(printf '%s' "$modes" | grep -e ' -echo ')"
check "q after Ctrl-Z restores icanon" test -z "$(printf '%s' "$modes" | grep -e ' -icanon ')"
check_has "q after Ctrl-Z: Ctrl-Z suspends again" "$modes" "susp = ^Z"
check_eq "job control: no error output" "$(cat "$TMP/job.err")" ""
# under a parent that waits for it (make demo: make, then sh): Ctrl-Z stops the whole job, so
# the shell takes it back (the console alone stopped left make waiting, and a blank terminal);
# a resize while stopped is laid out at fg; kill %1 (TERM, then CONT) ends a stopped console
T send-keys -t job clear Enter
T send-keys -t job "LLMCOST_DB='$LLMCOST_DB' sh -c '$L tui faq -s v3 2>$TMP/job.err; echo AFTER-PARENT \$?'" Enter
wait_for job "last run"
T send-keys -t job C-z
check "under a parent, Ctrl-Z: the shell sees the job stopped" wait_for job Stopped
T resize-window -t job -x 90 -y 25
T send-keys -t job fg Enter
check "fg after a resize while stopped: the screen at the new size" eventually eval \
	'test "$(screen job | head -n 1 | sed "s/ *\$//" | wc -L)" -le 90 && screen job | head -n 1 | grep -q "last run"'
T send-keys -t job q
check "q: the parent goes on" wait_for job "AFTER-PARENT 0"
T send-keys -t job clear Enter
T send-keys -t job "LLMCOST_DB='$LLMCOST_DB' $L tui faq -s v3 2>$TMP/job.err" Enter
wait_for job "last run"
T send-keys -t job C-z
wait_for job Stopped
# bash's kill %1 sends SIGCONT after the SIGTERM to a stopped job; sh's does not: sent here.
# The job's end as the shell reports it: dash "Done(143)", bash "Terminated"
T send-keys -t job 'kill %1; kill -CONT %1' Enter
ended_143() { T send-keys -t job 'jobs -l' Enter; sleep 0.2; screen job | grep -q -e 'Done(143)' -e Terminated; }
check "kill %1 ends a stopped console (143)" eventually ended_143
T kill-session -t job
# with SIGTSTP ignored where it started (no job control), Ctrl-Z says why it does not stop
T new-session -d -s nojc -x 100 -y 30 "trap '' TSTP; LLMCOST_DB='$LLMCOST_DB' $L tui faq -s v3 2>'$TMP/nojc.err'; echo EXITED \$?; sleep 60"
wait_for nojc "last run"
T send-keys -t nojc C-z
check "Ctrl-Z without job control says so" wait_for nojc "Ctrl-Z: the shell that started the console has no job control"
T send-keys -t nojc q; check "nojc: q quits" wait_for nojc "EXITED 0"

# Alerts in narrow windows: the recorded flood's two alerts.  Columns as wide as their widest
# of heading and values: start 16, end 11, scenario 8 ("recorded"), kind 14 (fallback_flood),
# value 7 ($6.38/h), baseline 8 (the heading), peak 5 (3.77x) = 69, + 6 gaps.  At 80: gaps of 1
# make 75, all shown.  At 60: start..value take 16+1+11+1+8+1+14+1+7 = 60; 2 columns hidden.
$L import fixtures/traces/flood.jsonl.gz >/dev/null 2>&1
for size in 80x24 60x15; do
	start "alerts$size" "${size%x*}" "${size#*x}" flood -s recorded
	wait_for "alerts$size" "last run"
	T send-keys -t "alerts$size" 5; wait_for "alerts$size" "newest first"
done
check_has "Alerts at 80 columns: every column, peak too" "$(screen alerts80x24 | sed -n 5p)" "peak"
case $(screen alerts80x24 | sed -n 4p) in *hidden*) bad "Alerts at 80 columns hides a column" ;; *) ok ;; esac
# (the title, 40 columns, and "; 2 columns hidden (widen)", 26, are 66: "(widen)" goes, 58, where
# the title was cut, "…, newe…")
check_eq "Alerts at 60 columns: the title says 2 are hidden" "$(screen alerts60x15 | sed -n 4p | sed 's/ *$//')" \
	"2 alerts across 1 scenario, newest first; 2 columns hidden"
check_eq "Alerts at 60 columns: the first five" "$(screen alerts60x15 | sed -n 5p | tr -s ' ')" "start (UTC) end scenario kind value"
T kill-session -t alerts80x24; T kill-session -t alerts60x15
# two scenarios of one name at 80 columns: the scenario column, narrowed (its titles "v3
# cache+routing (v3)" and "(fg)" are 21 wide: 16+11+21+14+5+8+5 + 6 gaps of 2 = 92 > 80), says
# each row's handle instead of the name they share, cut
start alertstie 80 24 flood -s v3
wait_for alertstie "last run"
T send-keys -t alertstie ":scenario add fg v3" Enter; wait_for alertstie "added scenario fg"
wait_for alertstie "last run"
T send-keys -t alertstie 5; wait_for alertstie "across 2 scenarios"
# the fifth word of an alert's row: after the start's date and time and the end's
check_eq "Alerts at 80 columns: the handles tell the two v3s apart" \
	"$(screen alertstie | awk '/fallback_flood/ { print $5 }' | sort -u | tr '\n' ' ')" "fg v3 "
T kill-session -t alertstie

# The Timeline without UTF-8 (LC_ALL=C) and without colour (NO_COLOR=1): the strips in ASCII
# (" .:-=+*#@", no byte above 127 on the screen), no colour code in the pane (capture-pane -e
# keeps the SGR codes), and the columns of an alert window marked, bold and underlined; with
# colour, bold red.  The columns expected: those of 10 five-minute buckets (the title's "1 column
# = 10 buckets") from the timeline's t0 in replay --json, that meet a cost_guard alert's window
# of whole minutes [start, end] (8,000 requests of flood: 10 such windows; 717 buckets, so 72
# columns); the cursor's column (the first, reversed) aside.
$L gen flood --requests 8000 -o "$TMP/flood8k.jsonl" 2>/dev/null
$L import "$TMP/flood8k.jsonl" >/dev/null 2>&1
$L replay flood8k -s recorded --json > "$TMP/flood8k.json"
# sgr_cells CAPTURE LABEL ATTRS: the chart's columns (from the 12th cell) of the line that starts
# with LABEL that have every SGR attribute of ATTRS (1 bold, 4 underline, 31 red), space-separated
# from 0; the cursor's column and the cells past the last bucket left out.  The codes of -e carry
# from a cell to the next, and from a line to the next.
cat > "$TMP/sgr_cells.py" <<'PY'
import json, re, sys
from datetime import datetime, timedelta
cap, label, want, js = sys.argv[1], sys.argv[2], set(sys.argv[3].split(",")), sys.argv[4]
t = json.load(open(js))["scenarios"][0]["timeline"]
n_cols = (len(t["usd"]) + 9) // 10
state, out = {}, []
for line in open(cap, encoding="utf-8", errors="replace").read().split("\n"):
    cells, i = [], 0
    while i < len(line):
        m = re.match(r"\x1b\[([0-9;]*)m", line[i:])
        if m:
            for p in (m.group(1) or "0").split(";"):
                p = int(p or 0)
                if p == 0: state = {}
                elif p in (1, 4): state[p] = 1
                elif p == 22: state.pop(1, None)
                elif p == 24: state.pop(4, None)
                elif 30 <= p <= 37 or p == 39: state["fg"] = p
            i += m.end()
            continue
        cells.append((line[i], {str(k) if k != "fg" else str(v) for k, v in state.items()}))
        i += 1
    if "".join(c for c, _ in cells).startswith(label + " "):
        out = [str(x - 11) for x in range(12, min(len(cells), 11 + n_cols)) if want <= cells[x][1]]
        break
print(" ".join(out))
PY
sgr_cells() { python3 "$TMP/sgr_cells.py" "$1" "$2" "$3" "$TMP/flood8k.json"; }
alert_cols=$(python3 -c '
import json, sys
from datetime import datetime, timedelta
s = json.load(open(sys.argv[1]))["scenarios"][0]
t = s["timeline"]
ts = lambda x: datetime.fromisoformat(x.replace("Z", "+00:00"))
t0, col = ts(t["t0"]), timedelta(seconds=10 * t["bucket_s"])
n = (len(t["usd"]) + 9) // 10
w = [(ts(a["start"]), ts(a["end"])) for a in s["alerts"] if a["kind"] == "cost_guard"]
print(" ".join(str(c) for c in range(1, n) if any(a < t0 + (c + 1) * col and b >= t0 + c * col for a, b in w)))' "$TMP/flood8k.json")
check "flood8k: some columns are in an alert, some not" test -n "$alert_cols" -a "$(echo "$alert_cols" | wc -w)" -lt 30
for colour in mono colour; do
	env=LC_ALL=C
	[ $colour = mono ] && env="$env NO_COLOR=1"
	START_ENV=$env start "tl$colour" 100 30 flood8k -s recorded
	wait_for "tl$colour" "last run"
	T send-keys -t "tl$colour" 3; wait_for "tl$colour" "1 column = 10 buckets"
	T capture-pane -p -e -t "tl$colour" > "$TMP/tl$colour.cap"
	check_eq "Timeline, $colour, LC_ALL=C: no byte above 127" "$(LC_ALL=C grep -c "$(printf '[\200-\377]')" "$TMP/tl$colour.cap")" 0
	check "Timeline, $colour, LC_ALL=C: the usd/h strip in \" .:-=+*#@\"" \
		eval 'screen tl$colour | grep "^usd/h " | cut -c12-83 | LC_ALL=C grep -Eq "^[ .:=+*#@-]{72}\$"'
	check "Timeline, $colour, LC_ALL=C: the fallback strip too" \
		eval 'screen tl$colour | grep "^fallback " | cut -c12-83 | LC_ALL=C grep -Eq "^[ .:=+*#@-]{72}\$"'
	T send-keys -t "tl$colour" q; wait_for "tl$colour" "EXITED 0"
	T kill-session -t "tl$colour"
done
ESC=$(printf '\033')
check_eq "NO_COLOR=1: no colour code on the screen" "$(grep -c "$ESC\[[0-9;]*\(3[0-7]\|4[0-7]\|38;\|48;\)" "$TMP/tlmono.cap")" 0
check "without NO_COLOR: colour codes (the test can tell)" grep -q "$ESC\[3[0-7]m" "$TMP/tlcolour.cap"
check_eq "NO_COLOR=1: the cost_guard alert columns of usd/h bold and underlined" "$(sgr_cells "$TMP/tlmono.cap" usd/h 1,4)" "$alert_cols"
check_eq "colour: the cost_guard alert columns of usd/h bold red" "$(sgr_cells "$TMP/tlcolour.cap" usd/h 1,31)" "$alert_cols"
check_eq "colour: and no other usd/h column red" "$(sgr_cells "$TMP/tlcolour.cap" usd/h 31)" "$alert_cols"

# a trace without requests: its Timeline says so (not that the runs are under way)
: > "$TMP/none.jsonl"
start none 100 30 "$TMP/none.jsonl" -s recorded -s v3
wait_for none "last run"
T send-keys -t none 3
check "Timeline of a trace without requests says so" wait_for none "no timeline: the trace has no requests"
case $(screen none) in *"scenarios are running"*) bad "it says the runs are under way" ;; *) ok ;; esac
T kill-session -t none

# The notes and the billed cost's warning of `llmcost replay` (tui/replay_notes.c) on the status
# line once the runs end: at open, after load, after scenario add; a column a note is about is
# marked " *" in Compare, and :notes [SCENARIO] shows them again.  On two gpt-4o-mini requests
# 35 ms apart with no input text, the bundled v3 (listed twice) routes to gpt-4.1-mini and gpt-4.1
# and caches what can never hit, and the span note is about every scenario.
count_on() { joined "$1" | grep -o -F "$2" | wc -l | tr -d ' '; }
{ printf '{"ts":"2026-03-02T10:00:00.000Z","tenant":"acme","task":"faq_answer","model":"gpt-4o-mini","input_tokens":400,"output_tokens":90}\n'
  printf '{"ts":"2026-03-02T10:00:00.035Z","tenant":"acme","task":"faq_answer","model":"gpt-4o-mini","input_tokens":400,"output_tokens":90}\n'; } > "$TMP/mini.jsonl"
routes_v3='note: scenario "v3 cache+routing": its routes (gpt-4.1-mini, gpt-4.1) name none of the trace'"'"'s models (gpt-4o-mini): part of its change is those models'"'"' prices; set "routes" to the trace'"'"'s models to see its policies alone'
cache_v3='note: scenario "v3 cache+routing": its cache can never hit: no request of the trace has "input" text or an "input_hash", and a request with neither is not cached'
start notes 100 30 "$TMP/mini.jsonl" -s recorded -s v3 -s v3
check "notes at open: v3's routes, on the status line and the band above it" wait_for notes "1 more note on the results: :notes shows it"
check_has "notes at open: the routes note whole" "$(joined notes)" "$routes_v3; $cache_v3; 1 more note"
check_eq "notes at open: v3 listed twice, its routes note once" "$(count_on notes 'its routes (gpt-4.1-mini, gpt-4.1)')" 1
check_eq "notes at open: its cache note once" "$(count_on notes 'its cache can never hit')" 1
heading=$(screen notes | sed -n 4p)
check_has "Compare: the columns marked" "$heading" "recorded *   v3 cache+routing (v3) *   v3 cache+routing (v3-2) *"
check_has "Compare: what the mark means, above the labels" "$heading" "* notes: :notes"
T send-keys -t notes Escape
eventually eval '[ "$(count_on notes "its routes")" = 0 ]'
check_eq "Esc clears the notes' message" "$(count_on notes 'its routes')" 0
check_has "the marks stay" "$(screen notes | sed -n 4p)" "v3 cache+routing (v3-2) *"
T send-keys -t notes ":notes" Enter
check ":notes shows them again" wait_for notes "notes: q or Esc closes"
check_eq ":notes: the routes note once" "$(screen notes | grep -c 'note: scenario "v3 cache+routing": its routes')" 1
check_eq ":notes: v3's two notes under both its handles" "$(screen notes | grep -c 'scenarios v3, v3-2 ')" 2
check_has ":notes: the span's note under every handle" "$(screen notes)" "scenarios recorded, v3, v3-2 "
check_has ":notes: the span's note" "$(joined notes)" "note: the trace spans 35.0 ms: projected monthly USD scales"
T send-keys -t notes q; eventually eval '! shows notes "notes: q or Esc closes"'
T send-keys -t notes ":notes recorded" Enter; wait_for notes "notes: q or Esc closes"
check_has ":notes recorded: the span's note" "$(joined notes)" "note: the trace spans 35.0 ms"
check_eq ":notes recorded: not v3's" "$(count_on notes 'its routes')" 0
T send-keys -t notes q; eventually eval '! shows notes "notes: q or Esc closes"'
# load: a trace without notes for them (faq: gpt-4.1-mini, input text, days long), then mini again
T send-keys -t notes ":load faq" Enter
check "load faq: its runs end" eventually eval '[ "$(screen notes | tail -n 1 | sed "s/ *$//")" = "opened trace faq" ]'
check "load faq: the results in" wait_for notes "v3 cache+routing (v3-2)"
case $(screen notes | sed -n 4p) in *'*'*) bad "load faq: a column still marked" ;; *) ok ;; esac
T send-keys -t notes ":notes" Enter; check ":notes with none" wait_for notes "no note on the results"
T send-keys -t notes ":load $TMP/mini.jsonl" Enter
check "notes after load" wait_for notes "opened trace mini; note: scenario"
check_has "notes after load: the routes note" "$(joined notes)" "opened trace mini; $routes_v3"
check_has "after load: marked again" "$(screen notes | sed -n 4p)" "v3 cache+routing (v3-2) *"
T send-keys -t notes ":scenario add baseline" Enter
check "notes after scenario add" wait_for notes "added scenario baseline; note: scenario"
check_has "scenario add: baseline's routes note, and the span's, now about it too" "$(joined notes)" \
	'added scenario baseline; note: scenario "baseline": its routes (gpt-4.1) name none of the trace'"'"'s models (gpt-4o-mini): part of its change is those models'"'"' prices; set "routes" to the trace'"'"'s models to see its policies alone; note: the trace spans 35.0 ms: projected monthly USD scales it to 30 days as if they were all like it'
check_eq "scenario add: v3's notes not said again" "$(count_on notes 'its routes (gpt-4.1-mini')" 0
check_has "scenario add: its column marked" "$(screen notes | sed -n 4p)" "baseline *"
T send-keys -t notes ":notes baseline" Enter; wait_for notes "notes: q or Esc closes"
check_has ":notes baseline: under its handle" "$(screen notes)" "scenario baseline "
check_has ":notes baseline: its note" "$(joined notes)" 'note: scenario "baseline": its routes (gpt-4.1)'
check_eq ":notes baseline: not v3's" "$(count_on notes 'its routes (gpt-4.1-mini')" 0
T send-keys -t notes q ":quit" Enter; check "notes: quit" wait_for notes "EXITED 0"
check_eq "notes: nothing on stderr but the import" "$(cat "$TMP/notes.err")" "mini: imported 2 requests"
T kill-session -t notes
# the billed cost's warning: recorded on a line whose cost_usd (0.000562801) is over 0.5% off its
# price (1000 × 0.40 + 100 × 1.60 per 1M tokens = 0.00056 USD): 200 × 0.000002801 > 0.00056
printf '{"ts":"2026-03-02T10:00:00Z","tenant":"acme","task":"faq_answer","model":"gpt-4.1-mini","input_tokens":1000,"output_tokens":100,"cost_usd":0.000562801}\n' > "$TMP/stale.jsonl"
start billed 100 30 "$TMP/stale.jsonl" -s recorded
check "the billed warning at open" wait_for billed 'warning: scenario "recorded"'
check_has "the billed warning as replay words it" "$(joined billed)" \
	'warning: scenario "recorded": the billed cost (cost_usd) 0.000562801000 USD differs from the priced cost 0.000560000000 USD of the same lines by more than 0.5%: is the price table '
check_has "the billed warning: recorded's column marked" "$(screen billed | sed -n 4p)" "recorded *"
T send-keys -t billed ":quit" Enter; check "billed: quit" wait_for billed "EXITED 0"
T kill-session -t billed

# Compare with more scenarios than fit (the notes about all of them, on mini): the last column
# shown keeps its title, middle cut and " *" kept, a blank before " more >" (that mark wrote over
# it: "…five characte more >", "…名前です more >", "flood  more >"), and "* notes: :notes" stays
# above the labels while columns are scrolled off (it gave way to "< more scenarios").  Each `l`
# is followed by :help run, whose message says the key before it was drawn.
printf '{"extends": "v3", "name": "a scenario whose name is longer than forty-five characters"}\n' > "$TMP/long45.json"
printf '{"extends": "v3", "name": "これはとても長いシナリオの名前です"}\n' > "$TMP/cjk.json"
printf '{"extends": "v3", "name": "cafe\314\201 re\314\201sume\314\201 scenario"}\n' > "$TMP/accents.json"
printf '{"extends": "baseline", "name": "another long scenario name here"}\n' > "$TMP/another.json"
# heads SESSION: the Compare heading (line 4) at the open and after each of 7 `l`, one a line
heads() {
	T send-keys -t "$1" Escape; eventually eval "! shows $1 'note: '"
	screen "$1" | sed -n 4p
	for i in 1 2 3 4 5 6 7; do
		T send-keys -t "$1" l ":help run" Enter; wait_for "$1" "re-run a scenario, or every"
		screen "$1" | sed -n 4p
		T send-keys -t "$1" Escape; eventually eval "! shows $1 're-run a scenario, or every'"
	done
}
for size in 80x24 60x15; do
	start wide "${size%x*}" "${size#*x}" "$TMP/mini.jsonl" $SCEN -s "$TMP/long45.json" -s "$TMP/cjk.json" \
		-s "$TMP/accents.json" -s "$TMP/another.json"
	wait_for wide "last run"
	heads wide > "$TMP/heads"
	check_eq "$size: every heading says * notes: :notes" "$(grep -c -F '* notes: :notes' "$TMP/heads")" 8
	check "$size: some headings with more > and < more" grep -q '^< .*more >' "$TMP/heads"
	check_eq "$size: before more >, a title's * and a blank" \
		"$(grep 'more > *$' "$TMP/heads" | grep -v -c '[^ ] \* \{1,\}more > *$')" 0
	check "$size: the long name's end and its *" grep -q 'ters \* *more >' "$TMP/heads"
	check "$size: the CJK name's end and its *" grep -q 'です \* *more >' "$TMP/heads"
	# (at 15 lines, stty's modes after it scroll "EXITED 0" off the pane: its history too)
	T send-keys -t wide ":quit" Enter
	check "$size: quit" eventually eval 'T capture-pane -p -S -40 -t wide | grep -q "^EXITED 0"'
	T kill-session -t wide
done
# an overlay longer than its box says where it is on its bottom edge, and covers the body's own
# count (Compare's "0 rows above, 12 below" stood under the notes and did not follow them)
start wide 80 24 "$TMP/mini.jsonl" $SCEN -s "$TMP/long45.json"
wait_for wide "last run"; T send-keys -t wide Escape ":notes" Enter
check ":notes at 80x24: its position" wait_for wide "0 lines above, "
case $(screen wide) in *"rows above"*) bad ":notes: Compare's row count shows under it" ;; *) ok ;; esac
T send-keys -t wide j; check ":notes: j scrolls, the position follows" wait_for wide "1 line above, "
T send-keys -t wide G; check ":notes: G, none below" wait_for wide " lines above, 0 below "
T send-keys -t wide q '?'; check "help: the same" wait_for wide "help: q or Esc closes"
check "help: its position" wait_for wide "0 lines above, "
T send-keys -t wide q
# r and :run with no scenario open say so (they said nothing)
T send-keys -t wide ":scenario drop" Space recorded Enter ":scenario drop baseline" Enter ":scenario drop v3" Enter \
	":scenario drop flood-guard" Enter ":scenario drop long45" Enter
wait_for wide "No scenario is open"
T send-keys -t wide Escape r; check "r with none open says so" wait_for wide "no scenario is open (scenario add NAME)"
T send-keys -t wide Escape; eventually eval '! shows wide "no scenario is open (scenario"'
T send-keys -t wide ":run" Enter; check ":run with none open says so" wait_for wide "no scenario is open (scenario add NAME)"
T send-keys -t wide ":quit" Enter; check "none open: quit" wait_for wide "EXITED 0"
T kill-session -t wide

# The terminal closes and no SIGHUP comes (the console runs in another session, under setsid):
# it sees the hang-up on its input and exits 129, as for SIGHUP, instead of spinning.  The
# session's own shell records its status; fd 3 carries the terminal past the background
# job's /dev/null.
cat > "$TMP/hup.sh" <<EOF
exec 3<&0
"$L" tui faq -s v3 <&3 2>"$TMP/hup.err" &
echo \$! > "$TMP/hup.pid"
wait \$!
echo \$? > "$TMP/hup.status"
EOF
T new-session -d -s hup -x 80 -y 24 "LLMCOST_DB='$LLMCOST_DB' setsid -w sh '$TMP/hup.sh'"
wait_for hup "last run"
T kill-session -t hup
eventually test -s "$TMP/hup.status"
check_eq "a closed terminal ends the console, exit 129" "$(cat "$TMP/hup.status" 2>/dev/null)" 129
kill -9 "$(cat "$TMP/hup.pid")" 2>/dev/null # one that did not end

finish
