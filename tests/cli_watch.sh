# Command-line tests of `llmcost watch`: usage errors; a stored trace played back whose
# alerts (line by line as they start and end, then the table) are replay's, through a quiet
# stretch too, and the same lines at any --speed; a file followed
# as lines are appended, cut, truncated and rotated, with its rejects named by line; an alert
# said to end while another of its kind is under way; --speed's pace from the first arrival;
# and the screen in tmux: the banner while a fallback flood is under way, q restoring the
# terminal, a fresh file seen as of the clock.
SUITE=cli_watch
. tests/lib.sh

L=$LLMCOST
case $L in /*) ;; *) L="$PWD/$L" ;; esac

# A small incident: 40 requests 10:00:00–10:03:54 (every 6 s) that time out on gpt-4.1-mini and
# fall back to gpt-4o, then 100 normal ones 10:04:00–10:30:24 (every 16 s).  The flood alert
# (window 300 s, rate 0.2, min 20 first calls) first fires at 10:02:00, whose window
# [09:57, 10:02) holds the 20 requests of 10:00:00–10:01:54, all fallen back; the first
# instant whose window holds at most 20% fallbacks is 10:09:00: [10:04, 10:09) has none.  So
# one fallback_flood from 10:02:00 to 10:08:00.
python3 - "$TMP/mini.jsonl" <<'EOF'
import json, sys
out = []
for k in range(40):
    s = k * 6
    out.append({"ts": "2026-03-02T10:%02d:%02dZ" % (s // 60, s % 60), "tenant": "acme" if k % 2 else "beta",
                "task": "faq_answer", "input_tokens": 1000, "output_tokens": 100,
                "attempts": [{"model": "gpt-4.1-mini", "status": "timeout", "latency_ms": 1000},
                             {"model": "gpt-4o", "status": "ok", "latency_ms": 500}]})
for k in range(100):
    s = 240 + k * 16
    out.append({"ts": "2026-03-02T10:%02d:%02dZ" % (s // 60, s % 60), "tenant": "acme" if k % 3 else "gamma",
                "task": "faq_answer", "input_tokens": 1000, "output_tokens": 100, "model": "gpt-4.1-mini",
                "status": "ok", "latency_ms": 400})
open(sys.argv[1], "w").write("".join(json.dumps(o) + "\n" for o in out))
EOF
$L import "$TMP/mini.jsonl" >/dev/null 2>&1; check_eq "import the incident" "$?" 0

# --- usage
$L watch 2>/dev/null; check_eq "no file or trace exits 2" "$?" 2
$L watch mini --speed 0 2>"$TMP/err"; check_eq "--speed 0 exits 2" "$?" 2
check_has "--speed 0 says what it takes" "$(cat "$TMP/err")" "a factor above 0"
$L watch mini --speed 1e10 2>"$TMP/err"; check_eq "--speed 1e10 exits 2" "$?" 2
check_has "--speed 1e10: the limit named" "$(cat "$TMP/err")" "a factor above 0 and at most 1e9"
$L watch mini --speed fast 2>/dev/null; check_eq "--speed fast exits 2" "$?" 2
# a second --speed is a usage error naming both (the last was kept without a word), as a second
# -s is; so is one of watch's options where a value goes (--db -s: a store named -s)
$L watch mini --speed 2 --speed 60 2>"$TMP/err"; check_eq "two --speed exit 2" "$?" 2
check_eq "... naming both" "$(cat "$TMP/err")" "llmcost watch: --speed given twice (--speed 2, then --speed 60): choose one
(see: llmcost watch --help)"
$L watch mini -s v3 --scenario=baseline 2>"$TMP/err"; check_eq "two -s exit 2" "$?" 2
check_has "... naming both" "$(cat "$TMP/err")" "--scenario given twice (-s v3, then --scenario baseline): choose one"
$L watch mini --db -s v3 2>"$TMP/err"; check_eq "--db -s exits 2" "$?" 2
check_has "... naming both" "$(cat "$TMP/err")" "--db needs a value, but got the option -s (for a value so spelled: --db=-s)"
# a decimal number, as live's --max-usd reads one: hex, inf and a leading blank (which strtod
# takes: 0x5 was 5) are refused (exit 2, before the trace is looked for); an exponent and ".5"
# are decimal
for v in 0x5 inf nan " 5" 5x; do
	$L watch no-such-trace --speed "$v" 2>"$TMP/err"; check_eq "--speed '$v' exits 2" "$?" 2
	check_has "--speed '$v' says what it takes" "$(cat "$TMP/err")" "a factor above 0"
done
# and any number above 0, however small: 1e-320 (below a double's normal range, which strtod
# reads with ERANGE) and 1e-400 (which it rounds to 0) were refused as not "above 0"
for v in 1e9 .5 2.5e-1 1e-320 1e-400; do
	$L watch no-such-trace --speed "$v" 2>/dev/null </dev/null; check_eq "--speed $v is taken (the trace is not)" "$?" 1
done
$L watch "$TMP/mini.jsonl" --speed 60 2>"$TMP/err"; check_eq "--speed with a file exits 2" "$?" 2
check_has "--speed with a file says why" "$(cat "$TMP/err")" "plays a stored trace"
# the command it suggests quotes a path with a space for sh: pasted, it imports the file
cp "$TMP/mini.jsonl" "$TMP/my mini.jsonl"
$L watch "$TMP/my mini.jsonl" --speed 60 2>"$TMP/err"
check_has "--speed with a file: the path quoted" "$(cat "$TMP/err")" "(import it to play it back: llmcost import '$TMP/my mini.jsonl')"
check_eq "... and the hint, run by sh, imports it" \
	"$(sh_llmcost "$(sed -n 's/.*(import it to play it back: \(.*\))$/\1/p' "$TMP/err") --db '$TMP/my.db'")" \
	"my mini: imported 140 requests"
# a bare name with --speed is the stored trace, even beside a file of that name; ./NAME is the
# file; a folder of the name is never followed
mkdir -p "$TMP/beside/mini"; labs=$(realpath "$L")
(cd "$TMP/beside" && "$labs" watch mini --speed 3600 </dev/null >"$TMP/beside.out" 2>&1)
check_eq "beside a folder of the name: --speed plays the stored trace" "$?" 0
check_has "beside a folder: played to the end" "$(cat "$TMP/beside.out")" "watch: mini ended: 140 requests"
(cd "$TMP/beside" && timeout --foreground 2 "$labs" watch mini </dev/null >/dev/null 2>"$TMP/beside.err")
check_eq "beside a folder of the name, without --speed: the stored trace plays until stopped" "$?" 124
case $(cat "$TMP/beside.err") in *"not a regular file"*) bad "a folder was followed" ;; *) ok ;; esac
rmdir "$TMP/beside/mini"; echo notes > "$TMP/beside/mini"
(cd "$TMP/beside" && "$labs" watch mini --speed 3600 </dev/null >"$TMP/beside.out" 2>&1)
check_eq "beside a file of the name: --speed plays the stored trace" "$?" 0
(cd "$TMP/beside" && "$labs" watch ./mini --speed 60 </dev/null 2>"$TMP/err")
check_eq "./NAME with --speed is the file: exits 2" "$?" 2
echo '{}' > "$TMP/beside/unstored"
(cd "$TMP/beside" && "$labs" watch unstored --speed 60 </dev/null 2>"$TMP/err")
check_eq "a file no trace is stored as, with --speed: exits 2" "$?" 2
check_has "and says why" "$(cat "$TMP/err")" "plays a stored trace"
# "-" is not standard input followed: said so (not "no file or stored trace named "-""), exit 2
$L watch - </dev/null 2>"$TMP/err"; check_eq "- exits 2" "$?" 2
check_has "- : standard input is not followed" "$(cat "$TMP/err")" \
	'llmcost watch: "-": watch follows a file or plays a stored trace, not standard input; write the lines to a file and follow it, or store them first and play them back: llmcost import - --name NAME && llmcost watch NAME --speed N (./- is a file named -)'
$L watch mini -s v3 -s baseline 2>/dev/null; check_eq "two scenarios exit 2" "$?" 2
$L watch mini extra 2>/dev/null; check_eq "two traces exit 2" "$?" 2
$L watch no-such-trace 2>"$TMP/err"; check_eq "an unknown trace exits 1" "$?" 1
check_has "an unknown trace is named" "$(cat "$TMP/err")" '"no-such-trace"'
$L watch mini -s no-such-scenario 2>/dev/null; check_eq "an unknown scenario exits 3" "$?" 3
out=$($L watch --help); check_has "--help" "$out" "--speed N"
check_has "--help: the replay's hit rate beside the windows" "$out" "beside its cache hit rate and spend in the replay so far"
check_has "--help: the speed's bounds" "$out" "above 0 and at most 1e9"
out=$($L help); check_has "help lists watch" "$out" "llmcost watch"

# --- a stored trace played back (30 minutes at 3600×: half a second), outside a terminal
$L watch mini --speed 3600 </dev/null >"$TMP/play.out" 2>"$TMP/play.err"
check_eq "playback exits 0 at the end" "$?" 0
check_has "the flood's start is said" "$(cat "$TMP/play.out")" \
	"watch: 2026-03-02T10:02:00Z fallback_flood started: fallback rate 100.0% (first fallbacks per first call over the window; alert above 20.0%)"
check_has "and its end" "$(cat "$TMP/play.out")" "fallback_flood ended 2026-03-02T10:08:00Z"
check_has "the end of the trace" "$(cat "$TMP/play.out")" "watch: mini ended: 140 requests (0 rejected)"
$L replay mini 2>>"$TMP/notes" | sed -n '/^alerts$/,$p' >"$TMP/replay.alerts"
sed -n '/^alerts$/,$p' "$TMP/play.out" >"$TMP/play.alerts"
check_eq "the alerts table is replay's" "$(cat "$TMP/play.alerts")" "$(cat "$TMP/replay.alerts")"
check_has "which is the flood worked out above" "$(cat "$TMP/play.alerts")" \
	"fallback_flood   2026-03-02T10:02:00Z   to 2026-03-02T10:08:00Z"
# the bundled incident under flood-guard, played in a second, gives replay's alerts too
$L import fixtures/traces/flood.jsonl.gz >/dev/null 2>&1
$L watch flood -s flood-guard --speed 1000000 </dev/null >"$TMP/flood.out" 2>/dev/null
$L replay flood -s flood-guard | sed -n '/^alerts$/,$p' >"$TMP/flood.replay"
check_eq "the bundled incident's alerts are replay's" "$(sed -n '/^alerts$/,$p' "$TMP/flood.out")" \
	"$(cat "$TMP/flood.replay")"
# a stored trace whose lines are out of time order plays back to replay's figures: each
# replay takes the requests arrived so far in their own order, each drawing as its line in the
# whole trace (SPEC §10: the draw hashes SEED|INDEX|MODEL|ATTEMPT; ties go by index).  10 lines
# a second apart, then 40 written newest first, 10:00:29 back to 10:00:09.5 every 0.5 s; under
# v3 the draws and the ties decide its fallbacks, so a playback that renumbered the requests in
# time order (as it appended them) ended with 40.0% where replay says 42.0%
python3 - "$TMP/ooo.jsonl" <<'EOF2'
import json, sys
out = []
for k in range(10):
    out.append({"ts": 1795878030 + k, "tenant": "r", "task": "faq_answer", "input_tokens": 1000, "output_tokens": 100,
                "model": "gpt-4.1-mini", "status": "timeout" if k % 2 else "ok", "latency_ms": 500})
for k in range(40):
    out.append({"ts": 1795878059 - 0.5 * k, "tenant": "s%d" % (k % 3), "task": "faq_answer", "input_tokens": 1000,
                "output_tokens": 100, "model": "gpt-4o-mini", "status": "ok", "latency_ms": 500})
open(sys.argv[1], "w").write("".join(json.dumps(o) + "\n" for o in out))
EOF2
$L import "$TMP/ooo.jsonl" >/dev/null 2>&1
$L watch ooo -s v3 --speed 1000000000 </dev/null >"$TMP/ooo.out" 2>&1
check_eq "out of time order: played to the end" "$?" 0
$L replay ooo -s v3 2>>"$TMP/notes" >"$TMP/ooo.replay"
check_eq "out of time order: the alerts table is replay's" "$(sed -n '/^alerts$/,$p' "$TMP/ooo.out")" \
	"$(sed -n '/^alerts$/,$p' "$TMP/ooo.replay")"
check_has "out of time order: an alert to compare" "$(sed -n '/^alerts$/,$p' "$TMP/ooo.out")" "fallback_flood"
ooo_usd=$(sed -n 's/^USD total  *\(\$[0-9.]*\)$/\1/p' "$TMP/ooo.replay")

# an alert under way through a quiet stretch of a playback goes on in it, as in replay: its
# replay of the trace so far judges the alert instants up to the position, not only up to its
# last event's.  quiet: the incident's 40 fallen-back requests (10:00:00–10:03:54, every 6 s;
# each first call at its arrival, its fallback 1 s later), 10 minutes of nothing, then 10
# normal requests 10:14:00–10:14:54.  The flood (window 300 s, min 20 first calls) fires at
# 10:02 (20 first calls, all fallen back: 100%), 10:05 ([10:00,10:05): 40 of 40), 10:06
# (10:01:00–10:03:54: 30 of 30), 10:07 (20 of 20), and not at 10:08 (10 first calls): one
# flood 10:02–10:07, at its peak 100% from its first instant.  The watch said "ended
# 10:04:00", the last instant of the replay of the 40 (their last call ends 10:03:55.5), once
# the position passed 10:05.
python3 - "$TMP/quiet.jsonl" <<'EOF2'
import json, sys
out = []
for k in range(40):
    s = k * 6
    out.append({"ts": "2026-03-02T10:%02d:%02dZ" % (s // 60, s % 60), "tenant": "acme", "task": "faq_answer",
                "input_tokens": 1000, "output_tokens": 100,
                "attempts": [{"model": "gpt-4.1-mini", "status": "timeout", "latency_ms": 1000},
                             {"model": "gpt-4o", "status": "ok", "latency_ms": 500}]})
for k in range(10):
    out.append({"ts": "2026-03-02T10:14:%02dZ" % (k * 6), "tenant": "acme", "task": "faq_answer",
                "input_tokens": 1000, "output_tokens": 100, "model": "gpt-4.1-mini", "status": "ok", "latency_ms": 400})
open(sys.argv[1], "w").write("".join(json.dumps(o) + "\n" for o in out))
EOF2
$L import "$TMP/quiet.jsonl" >/dev/null 2>&1
# 15 minutes at 600×: 1.5 s, the quiet stretch 1 s of it (four ticks)
$L watch quiet --speed 600 </dev/null >"$TMP/quiet.out" 2>&1
check_eq "a flood through a quiet stretch: its lines" "$(grep fallback_flood "$TMP/quiet.out" | grep '^watch:')" \
"watch: 2026-03-02T10:02:00Z fallback_flood started: fallback rate 100.0% (first fallbacks per first call over the window; alert above 20.0%)
watch: 2026-03-02T10:02:00Z fallback_flood ended 2026-03-02T10:07:00Z: peak fallback rate 100.0% (first fallbacks per first call over the window; alert above 20.0%)"
check_has "a flood through a quiet stretch: replay's table" "$(sed -n '/^alerts$/,$p' "$TMP/quiet.out")" \
	"fallback_flood   2026-03-02T10:02:00Z   to 2026-03-02T10:07:00Z"
check_eq "a flood through a quiet stretch: replay's alerts" "$(sed -n '/^alerts$/,$p' "$TMP/quiet.out")" \
	"$($L replay quiet 2>>"$TMP/notes" | sed -n '/^alerts$/,$p')"
# a cost_guard through a 40-minute gap: one cheap request a minute 00:00–02:29 (1000 input
# and 100 output tokens on gpt-4.1-mini at $0.40 and $1.60 per 1M: $0.00056), ten dear ones
# 02:30–02:39 (50000 and 1000: $0.0216), nothing until 03:20, cheap ones again to 04:19.
# Its first instant, 02:31: 59 cheap and 1 dear in [01:31, 02:31) = $0.05464/h against
# 150 × $0.00056 per 150 min = $0.0336/h.  It fires through the gap while the dear minutes
# stay in the hour: at 03:35 [02:35, 03:35) holds 5 dear and 15 cheap, $0.1164/h, against
# (150 × 0.00056 + 5 × 0.0216) / (155/60 h) = $0.07432/h × 1.3 = $0.09662/h; at 03:36 4 dear
# and 16 cheap, $0.09536/h, against (0.084 + 0.1296) / 2.6 h × 1.3 = $0.1068/h, no longer.
# Its peak, 02:40: 50 cheap and 10 dear, $0.244/h against 100 cheap over 100 min, $0.0336/h.
# The watch said "ended 02:40:00", its replay's last instant in the gap.
python3 - "$TMP/gap.jsonl" <<'EOF2'
import json, sys
t0 = 1772323200  # 2026-03-01T00:00:00Z
out = []
for m in list(range(0, 150)) + list(range(150, 160)) + list(range(200, 260)):
    dear = 150 <= m < 160
    out.append({"ts": t0 + 60 * m, "tenant": "a", "task": "t", "input_tokens": 50000 if dear else 1000,
                "output_tokens": 1000 if dear else 100, "model": "gpt-4.1-mini", "latency_ms": 500})
open(sys.argv[1], "w").write("".join(json.dumps(o) + "\n" for o in out))
EOF2
$L import "$TMP/gap.jsonl" >/dev/null 2>&1
# 4 h 20 min at 4000×: 3.9 s, the gap 0.6 s of it
$L watch gap --speed 4000 </dev/null >"$TMP/gap.out" 2>&1
check_eq "a cost_guard through a gap: its lines" "$(grep '^watch: .* cost_guard' "$TMP/gap.out")" \
"watch: 2026-03-01T02:31:00Z cost_guard started: \$0.05464/h against a baseline of \$0.03360/h
watch: 2026-03-01T02:31:00Z cost_guard ended 2026-03-01T03:35:00Z: peak \$0.2440/h against a baseline of \$0.03360/h"
check_eq "a cost_guard through a gap: replay's alerts" "$(sed -n '/^alerts$/,$p' "$TMP/gap.out")" \
	"$($L replay gap | sed -n '/^alerts$/,$p')"
# the same lines in the same order at any speed: each said as of its instant, with figures no
# later line changes (a start its first instant's, an end its peak).  gen faq's 2,000 requests
# over 7 days (seed 7) have 30 cost_guard alerts, some of them across quiet nights; at 10^5×
# (6 s) the watch said some of them ended hours early, at times that changed from run to run,
# and started with figures of the replay that first showed them
$L gen faq --requests 2000 --seed 7 -o "$TMP/faq7.jsonl" 2>/dev/null && $L import "$TMP/faq7.jsonl" >/dev/null 2>&1
$L watch faq7 --speed 100000 </dev/null >"$TMP/faq7.slow" 2>&1
$L watch faq7 --speed 1000000000 </dev/null >"$TMP/faq7.fast" 2>&1
check_eq "gen faq at 10^5× and at 10^9×: the same lines" "$(cat "$TMP/faq7.slow")" "$(cat "$TMP/faq7.fast")"
# each alert of replay --json said to start and to end at its times, in the order of those times
$L replay faq7 --json | python3 -c '
import json, sys
lines = []
for a in json.load(sys.stdin)["scenarios"][0]["alerts"]:
    lines.append((a["start"], 0, "%s %s started" % (a["start"], a["kind"])))
    lines.append((a["end"], 1, "%s %s ended %s" % (a["start"], a["kind"], a["end"])))
print("\n".join(l for _, _, l in sorted(lines)))' >"$TMP/faq7.want"
check_eq "gen faq: replay's 30 alerts, started and ended at replay's times" \
	"$(sed -n 's/^watch: \([^ ]* [a-z_]* \(started\|ended [^ ]*\)\):.*/\1/p' "$TMP/faq7.slow")" "$(cat "$TMP/faq7.want")"
check_eq "gen faq: 30 alerts to compare" "$(grep -c ' ended ' "$TMP/faq7.want")" 30

# the summary's counts as everywhere else: 80,000 requests (fixtures/traces/README.md), whose
# last is on the outage day, 2026-03-02; one request in the singular
check_has "80,000 requests, with a separator" "$(cat "$TMP/flood.out")" \
	"watch: flood ended: 80,000 requests (0 rejected), the latest at 2026-03-02T"
head -n 1 "$TMP/mini.jsonl" >"$TMP/one.jsonl"
$L import "$TMP/one.jsonl" >/dev/null 2>&1
$L watch one --speed 1000 </dev/null >"$TMP/one.out" 2>&1
check_eq "one request, in the singular (the incident's first, k = 0: 10:00:00)" "$(head -n 1 "$TMP/one.out")" \
	"watch: one ended: 1 request (0 rejected), the latest at 2026-03-02T10:00:00Z"

# a stored trace with a model the price table lacks: bad input, exit 3 with replay's message
# (replay --help: "a model the pricing file lacks, exits 3")
echo '{"ts":"2026-03-02T10:00:00Z","tenant":"a","task":"t","model":"nosuch-model","input_tokens":10,"output_tokens":5}' >"$TMP/unk.jsonl"
$L import "$TMP/unk.jsonl" >/dev/null 2>&1
timeout 10 $L watch unk --speed 1000 </dev/null >/dev/null 2>"$TMP/unk.err"; check_eq "an unpriced model: exit 3" "$?" 3
check_has "an unpriced model: named, as replay names it" "$(cat "$TMP/unk.err")" \
	'llmcost: scenario "recorded": model "nosuch-model" (of the request at 2026-03-02T10:00:00Z, tenant a, task t; accepted line 1 of the trace) is not in '
$L replay unk >/dev/null 2>"$TMP/unk.replay"; check_eq "an unpriced model: replay exits 3 too" "$?" 3
check_eq "an unpriced model: replay's message" "$(cat "$TMP/unk.err")" "$(cat "$TMP/unk.replay")"
# and refused at once, before anything is shown, when that model's first line comes later: a
# priced line at 10:00:00, then the unknown model an hour later, at --speed 1 (an hour's wait;
# timeout would say 124).  Before, the playback ran until it reached line 2, and at a speed
# that reached it at once first said its calls "are unpriced … not $0", then exited 3 anyway
printf '%s\n' '{"ts":"2026-03-02T10:00:00Z","tenant":"a","task":"t","model":"gpt-4.1-mini","input_tokens":10,"output_tokens":5}' \
	'{"ts":"2026-03-02T11:00:00Z","tenant":"b","task":"t","model":"nosuch-model","input_tokens":10,"output_tokens":5}' >"$TMP/unk2.jsonl"
$L import "$TMP/unk2.jsonl" >/dev/null 2>&1
timeout 10 $L watch unk2 --speed 1 </dev/null >"$TMP/unk2.out" 2>"$TMP/unk2.err"; check_eq "an unpriced model on line 2: exit 3 at once" "$?" 3
check_has "an unpriced model on line 2: named, with its line" "$(cat "$TMP/unk2.err")" \
	'llmcost: scenario "recorded": model "nosuch-model" (of the request at 2026-03-02T11:00:00Z, tenant b, task t; accepted line 2 of the trace) is not in '
$L replay unk2 >/dev/null 2>"$TMP/unk2.replay"
check_eq "an unpriced model on line 2: replay's message" "$(cat "$TMP/unk2.err")" "$(cat "$TMP/unk2.replay")"
timeout 10 $L watch unk2 --speed 1000000000 </dev/null >"$TMP/unk2.out" 2>/dev/null
check_eq "an unpriced model on line 2, at any speed: nothing on stdout (no note that its calls are unpriced)" \
	"$(cat "$TMP/unk2.out")" ""

# following PID: the watch PID has its file open and its stop handlers (SIGTERM's, set after the
# file is opened and after SIGINT's): a Ctrl-C or SIGTERM sent now is its stop, not the default
# action that kills it before it says its summary (exit 130 or 143 all the same)
following() { eventually caught "$1" 15; }

# --- a file followed: appended in two parts (the first cut mid-line), with a bad line
F="$TMP/live.jsonl"
head -c 0 /dev/null >"$F"
head -n 20 "$TMP/mini.jsonl" >"$F"
printf '{"ts":"2026-03-02T10:02:00Z","tenant":"acme"' >>"$F" # the line's end comes later
$INT_DFL $L watch "$F" </dev/null >"$TMP/follow.out" 2>"$TMP/follow.err" &
pid=$!
eventually read_to $pid "$F" "$(size "$F")"
printf ',"task":"x","input_tokens":1,"output_tokens":1,"model":"gpt-4.1-mini"}\n' >>"$F"
echo '{"ts":"not a time","tenant":"a","task":"b","input_tokens":1,"output_tokens":1}' >>"$F"
sed -n '21,140p' "$TMP/mini.jsonl" >>"$F"
eventually read_to $pid "$F" "$(size "$F")"
kill -INT $pid
wait $pid; check_eq "a followed file stopped by Ctrl-C exits 130" "$?" 130
# 140 lines of the incident, the line completed after the poll, one rejected
check_has "every line taken" "$(cat "$TMP/follow.out")" "watch: $F stopped: 141 requests (1 rejected)"
check_has "the bad line is named by its line" "$(cat "$TMP/follow.err")" "$F:22: ts:"
check_has "the flood is seen" "$(cat "$TMP/follow.out")" "fallback_flood started"
check_has "and its table" "$(cat "$TMP/follow.out")" "fallback_flood   2026-03-02T10:02:00Z   to 2026-03-02T10:08:00Z"

# every malformed line named, however many come at once; a line the recorded scenario cannot
# price (no model, or one the price table lacks) is rejected too, and the watch goes on
H="$TMP/bad.jsonl"
{
	head -n 1 "$TMP/mini.jsonl"
	echo '{"ts":"bad","tenant":"a","task":"b","input_tokens":1,"output_tokens":1,"model":"gpt-4o"}'
	echo '{"ts":"2026-03-02T10:00:01Z","task":"b","input_tokens":1,"output_tokens":1,"model":"gpt-4o"}'
	echo '{"ts":"2026-03-02T10:00:02Z","tenant":"a","task":"b","input_tokens":1,"output_tokens":1}'
	echo '{"ts":"2026-03-02T10:00:03Z","tenant":"a","task":"b","input_tokens":1,"output_tokens":1,"model":"no-such-model"}'
	sed -n 2p "$TMP/mini.jsonl"
} >"$H"
$INT_DFL $L watch "$H" </dev/null >"$TMP/bad.out" 2>"$TMP/bad.err" &
pid=$!
following $pid
sleep 1.5
kill -INT $pid
wait $pid; check_eq "rejects: stopped by Ctrl-C" "$?" 130
for n in 2 3 4 5; do
	check_has "rejects: line $n named" "$(cat "$TMP/bad.err")" "$H:$n: "
done
check_has "rejects: the unpriced line says why" "$(cat "$TMP/bad.err")" "$H:5: model: names a model the scenario's pricing table lacks"
check_has "rejects: two lines taken, four rejected" "$(cat "$TMP/bad.out")" "stopped: 2 requests (4 rejected)"

# read_then_stop FILE NAME: watch FILE (out and err in $TMP/NAME.out, .err) until it has read it
# whole, then Ctrl-C; watch's exit status
read_then_stop() {
	$INT_DFL $L watch "$1" </dev/null >"$TMP/$2.out" 2>"$TMP/$2.err" &
	pid=$!
	eventually read_to $pid "$1" "$(size "$1")"
	following $pid
	kill -INT $pid
	wait $pid
}

# a last line without its newline waits for it while the file is followed, and is taken at the
# stop as the import takes it (README: "a last line without a newline is imported"): the
# incident's first two lines (10:00:00 and 10:00:06), the second without its end, make 2
# requests, the latest at 10:00:06; a malformed one so is rejected and named by its line.
# Before, the stop said 1 request and nothing of the line
N="$TMP/nonl.jsonl"
{ sed -n 1p "$TMP/mini.jsonl"; sed -n 2p "$TMP/mini.jsonl" | tr -d '\n'; } >"$N"
read_then_stop "$N" nonl; check_eq "a last line without its newline: Ctrl-C exits 130" "$?" 130
check_eq "a last line without its newline: taken at the stop" "$(head -n 1 "$TMP/nonl.out")" \
	"watch: $N stopped: 2 requests (0 rejected), the latest at 2026-03-02T10:00:06Z"
check_eq "a last line without its newline: nothing on stderr" "$(cat "$TMP/nonl.err")" ""
{ sed -n 1p "$TMP/mini.jsonl"; printf oops; } >"$N"
read_then_stop "$N" nonl; check_eq "a malformed last line without its newline: Ctrl-C exits 130" "$?" 130
check_eq "a malformed last line without its newline: rejected at the stop" "$(head -n 1 "$TMP/nonl.out")" \
	"watch: $N stopped: 1 request (1 rejected), the latest at 2026-03-02T10:00:00Z"
check_eq "a malformed last line without its newline: named by its line" "$(cat "$TMP/nonl.err")" \
	"llmcost: $N:2: not JSON: unexpected character (column 1) (the last line, without its newline: taken at the stop, maybe while it was still being written)"

# a file watch cannot follow is refused at once (exit 3, one line, nothing taken): gzip data,
# told by its first two bytes, and the formats the import reads besides trace v1, told by the
# first line that is JSON at all; timeout(1) would end a watch that went on with 124
Z="$TMP/zipped.jsonl.gz"
gzip -c "$TMP/mini.jsonl" >"$Z"
timeout 10 $L watch "$Z" </dev/null >"$TMP/z.out" 2>"$TMP/z.err"; check_eq "gzip: refused, exit 3" "$?" 3
check_eq "gzip: one line, naming the file and what to do" "$(cat "$TMP/z.err")" \
	"llmcost: $Z: gzip-compressed, and watch follows trace v1 JSON Lines only; import it, then play it back: llmcost import $Z && llmcost watch zipped --speed N"
check_eq "gzip: nothing on stdout" "$(cat "$TMP/z.out")" ""
# with a space and a quote in the file's name, the two commands come quoted for sh: pasted
# (with a speed for N), they import the file and play the trace to its end
Z3="$TMP/bob's zip.jsonl.gz"
cp "$Z" "$Z3"
timeout 10 $L watch "$Z3" </dev/null >/dev/null 2>"$TMP/z3.err"; check_eq "gzip, a name to quote: exit 3" "$?" 3
check_eq "gzip, a name to quote: the commands quoted" "$(cat "$TMP/z3.err")" \
	"llmcost: $Z3: gzip-compressed, and watch follows trace v1 JSON Lines only; import it, then play it back: llmcost import '$TMP/bob'\\''s zip.jsonl.gz' && llmcost watch 'bob'\\''s zip' --speed N"
check_has "... and run by sh, they import it and play it" \
	"$(sh_llmcost "$(sed -n 's/.*play it back: \(.*\) --speed N$/\1/p' "$TMP/z3.err") --speed 3600 </dev/null" 2>&1)" \
	"watch: bob's zip ended: 140 requests"
# a store is refused at once with import's words and exit status (1), not read as millions of
# lines that are no JSON
$L import "$TMP/mini.jsonl" --db "$TMP/s.db" >/dev/null 2>&1
timeout 10 $L watch "$TMP/s.db" </dev/null >"$TMP/db.out" 2>"$TMP/db.err"; check_eq "a store: refused, exit 1" "$?" 1
check_eq "a store: one line, import's" "$(cat "$TMP/db.err")" \
	"$($L import "$TMP/s.db" 2>&1)"
check_has "a store: named, with what to do" "$(cat "$TMP/db.err")" \
	"llmcost: $TMP/s.db: is an SQLite database (an llmcost store?), not a JSON Lines trace: name one of its traces and pass --db $TMP/s.db"
check_eq "a store: nothing on stdout" "$(cat "$TMP/db.out")" ""
# gzip data written to a file that was empty when the watch began (a newline after it, so that
# its first line surely ends)
Z2="$TMP/late-zip.jsonl"
: >"$Z2"
timeout 10 $L watch "$Z2" </dev/null >/dev/null 2>"$TMP/z2.err" &
pid=$!
sleep 1
{ gzip -c "$TMP/mini.jsonl"; echo; } >>"$Z2"
wait $pid; check_eq "gzip written later: refused, exit 3" "$?" 3
check_eq "gzip written later: one line" "$(cat "$TMP/z2.err")" \
	"llmcost: $Z2: gzip-compressed, and watch follows trace v1 JSON Lines only; import it, then play it back: llmcost import $Z2 && llmcost watch late-zip --speed N"
# an OTLP line, an OpenAI Batch output item and a LiteLLM row (as in tests/cli_formats.sh),
printf '%s\n' '{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"a1","startTimeUnixNano":"1772445600000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}}]}]}]}]}' >"$TMP/spans.jsonl"
printf '%s\n' '{"id":"batch_req_1","custom_id":"req-1","response":{"status_code":200,"body":{"created_at":1772445600,"model":"gpt-4.1-mini","usage":{"input_tokens":20,"output_tokens":5}}},"error":null}' >"$TMP/out.jsonl"
printf '%s\n' '{"custom_id":"req-1","method":"POST","url":"/v1/responses","body":{"model":"gpt-4.1-mini","input":"Classify: great product"}}' >"$TMP/in.jsonl"
lite='{"request_id":"chatcmpl-1","call_type":"acompletion","spend":0.00045,"prompt_tokens":1000,"completion_tokens":500,"startTime":"2026-03-02T10:00:00.000Z","model":"gpt-4o-mini"}'
printf '%s\n%s\n' "$lite" "$lite" >"$TMP/spend.jsonl"
# a Helicone request record and a Langfuse observation (the keys import --format auto tells them by)
printf '%s\n' '{"request_id":"r1","request_created_at":"2026-03-02T10:00:00Z","model":"gpt-4.1-mini","prompt_tokens":5,"completion_tokens":3}' >"$TMP/helicone.jsonl"
printf '%s\n' '{"id":"o1","traceId":"t1","startTime":"2026-03-02T10:00:00Z","type":"GENERATION","model":"gpt-4.1-mini"}' >"$TMP/langfuse.jsonl"
for c in "spans|OpenTelemetry GenAI spans (OTLP/JSON) (--format otlp)" "out|OpenAI Batch output (--format openai-batch)" \
         "in|OpenAI Batch input (--format openai-batch)" "spend|LiteLLM spend logs (--format litellm)" \
         "helicone|Helicone requests (--format helicone)" "langfuse|Langfuse observations (--format langfuse)"; do
	n=${c%%|*}
	timeout 10 $L watch "$TMP/$n.jsonl" </dev/null >/dev/null 2>"$TMP/fmt.err"
	check_eq "$n: refused, exit 3" "$?" 3
	check_eq "$n: one line, the format named" "$(cat "$TMP/fmt.err")" \
		"llmcost: $TMP/$n.jsonl: its line 1 reads as ${c#*|}, and watch follows trace v1 JSON Lines only; import it, then play it back: llmcost import $TMP/$n.jsonl && llmcost watch $n --speed N"
done
# Helicone's CSV export: its header line tells it (the lines after are no JSON at all)
printf '%s\n%s\n' 'response_id,request_created_at,model,prompt_tokens,completion_tokens,cost_usd' \
	'r1,2026-03-02 10:00:00,gpt-4.1-mini,5,3,0.0000068' >"$TMP/hcsv.csv"
timeout 10 $L watch "$TMP/hcsv.csv" </dev/null >/dev/null 2>"$TMP/fmt.err"
check_eq "a Helicone CSV: refused, exit 3" "$?" 3
check_eq "a Helicone CSV: one line, the format named" "$(cat "$TMP/fmt.err")" \
	"llmcost: $TMP/hcsv.csv: its line 1 is the header of Helicone requests (CSV) (--format helicone), and watch follows trace v1 JSON Lines only; import it, then play it back: llmcost import $TMP/hcsv.csv && llmcost watch hcsv.csv --speed N"
# after a blank line, as the import reads it: its first line not blank is the header
{ echo; cat "$TMP/hcsv.csv"; } >"$TMP/hcsv2.csv"
timeout 10 $L watch "$TMP/hcsv2.csv" </dev/null >/dev/null 2>"$TMP/fmt.err"
check_eq "a Helicone CSV after a blank line: refused, exit 3" "$?" 3
check_has "a Helicone CSV after a blank line: its line 2 named" "$(cat "$TMP/fmt.err")" \
	"its line 2 is the header of Helicone requests (CSV) (--format helicone)"
# the same spread over several lines, as import --format auto reads them (one JSON document): a
# pretty-printed OTLP document and a LiteLLM /spend/logs array (its last line without an end)
python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1]), indent=2))' "$(cat "$TMP/spans.jsonl")" >"$TMP/doc.json"
printf '[\n  %s,\n  %s\n]' "$lite" "$lite" >"$TMP/logs.json"
for c in "doc|OpenTelemetry GenAI spans (OTLP/JSON), one JSON document (--format otlp)" \
         "logs|LiteLLM spend logs, one JSON document (--format litellm)"; do
	n=${c%%|*}
	timeout 10 $L watch "$TMP/$n.json" </dev/null >/dev/null 2>"$TMP/fmt.err"
	check_eq "$n over several lines: refused, exit 3" "$?" 3
	check_eq "$n over several lines: one line, the format named" "$(cat "$TMP/fmt.err")" \
		"llmcost: $TMP/$n.json: it reads as ${c#*|}, and watch follows trace v1 JSON Lines only; import it, then play it back: llmcost import $TMP/$n.json && llmcost watch $n --speed N"
done
# a pretty-printed trace v1 object is no document format (import reads it line by line): followed
printf '{\n "ts": 1\n}\n' >"$TMP/pretty.jsonl"
$INT_DFL $L watch "$TMP/pretty.jsonl" </dev/null >"$TMP/pretty.out" 2>"$TMP/pretty.err" &
pid=$!
following $pid
sleep 1.5
kill -INT $pid
wait $pid; check_eq "a pretty-printed v1 object: followed until Ctrl-C" "$?" 130
check_has "a pretty-printed v1 object: its 3 lines rejected" "$(cat "$TMP/pretty.out")" "stopped: no requests yet (3 rejected)"
# judged by the first line that is JSON: a blank line and one that is not JSON come first, and
# the latter is rejected as in any trace v1 file before the LiteLLM row on line 3 decides
printf '\noops\n%s\n' "$lite" >"$TMP/late-lite.jsonl"
timeout 10 $L watch "$TMP/late-lite.jsonl" </dev/null >/dev/null 2>"$TMP/fmt.err"
check_eq "a LiteLLM row on line 3: refused, exit 3" "$?" 3
check_eq "a LiteLLM row on line 3: line 2 rejected, line 3 named" "$(cat "$TMP/fmt.err")" \
"llmcost: $TMP/late-lite.jsonl:2: not JSON: unexpected character (column 1)
llmcost: $TMP/late-lite.jsonl: its line 3 reads as LiteLLM spend logs (--format litellm), and watch follows trace v1 JSON Lines only; import it, then play it back: llmcost import $TMP/late-lite.jsonl && llmcost watch late-lite --speed N"
# a trace v1 file whose first JSON line is of no format (an array) is followed, that line rejected
{ echo '[1, 2]'; head -n 2 "$TMP/mini.jsonl"; } >"$TMP/arr.jsonl"
$INT_DFL $L watch "$TMP/arr.jsonl" </dev/null >"$TMP/arr.out" 2>"$TMP/arr.err" &
pid=$!
following $pid
sleep 1.5
kill -INT $pid
wait $pid; check_eq "an array first: followed until Ctrl-C" "$?" 130
check_has "an array first: 2 lines taken, 1 rejected" "$(cat "$TMP/arr.out")" "stopped: 2 requests (1 rejected)"
check_has "an array first: the array rejected" "$(cat "$TMP/arr.err")" "$TMP/arr.jsonl:1: "
# a file truncated and written again in another format is judged again from its first line
R="$TMP/retyped.jsonl"
head -n 5 "$TMP/mini.jsonl" >"$R"
timeout 10 $L watch "$R" </dev/null >/dev/null 2>"$TMP/re.err" &
pid=$!
sleep 1.5
printf '%s\n' "$lite" >"$R"
wait $pid; check_eq "truncated to LiteLLM rows: refused, exit 3" "$?" 3
check_has "truncated to LiteLLM rows: named" "$(cat "$TMP/re.err")" "$R: its line 1 reads as LiteLLM spend logs"

# a file of 1,000 malformed lines and no request: said in words, the rejects with a separator
awk 'BEGIN { for (i = 0; i < 1000; i++) print "oops" }' >"$TMP/oops.jsonl"
$INT_DFL $L watch "$TMP/oops.jsonl" </dev/null >"$TMP/oops.out" 2>/dev/null &
pid=$!
following $pid
sleep 1.5
kill -INT $pid
wait $pid; check_eq "no request yet: stopped by Ctrl-C" "$?" 130
check_eq "no request yet: the summary" "$(head -n 1 "$TMP/oops.out")" \
	"watch: $TMP/oops.jsonl stopped: no requests yet (1,000 rejected)"

# truncated, then rotated: every line read, from both files
G="$TMP/rot.jsonl"
head -n 10 "$TMP/mini.jsonl" >"$G"
$INT_DFL $L watch "$G" </dev/null >"$TMP/rot.out" 2>&1 &
pid=$!
eventually read_to $pid "$G" "$(size "$G")" # the 10 lines read
head -n 3 "$TMP/mini.jsonl" >"$G"       # truncated: 3 lines read again from the start
eventually read_to $pid "$G" "$(size "$G")"
mv "$G" "$G.1"
sed -n '4,5p' "$TMP/mini.jsonl" >>"$G.1" # the old file's last lines
sed -n '6,9p' "$TMP/mini.jsonl" >"$G"    # then the new file
# until the new file is read and the old one, read to its end, closed after its quiet second
# (read_to, holds and size: tests/lib.sh)
eventually eval 'read_to $pid "$G" "$(size "$G")" && ! holds $pid "$G.1"'
kill -TERM $pid
wait $pid; check_eq "SIGTERM exits 143" "$?" 143
# 10 + 3 (after the truncation) + 2 (the rotated file's end) + 4 (the new file) = 19
check_has "truncation and rotation: every line" "$(cat "$TMP/rot.out")" "stopped: 19 requests (0 rejected)"

# SIGINT inherited as ignored (a job of a script, nohup) stays ignored: the watch goes on
# following until SIGTERM
$L watch "$TMP/mini.jsonl" </dev/null >"$TMP/ign.out" 2>&1 &
pid=$!
eventually read_to $pid "$TMP/mini.jsonl" "$(size "$TMP/mini.jsonl")" # set up, following
check "SIGINT ignored when inherited so: not caught" eval '! caught $pid 2'
kill -INT $pid
sleep 0.5
check "SIGINT ignored when inherited so: still following" kill -0 $pid
kill -TERM $pid
wait $pid; check_eq "SIGINT ignored when inherited so: SIGTERM still stops it, exit 143" "$?" 143

# a path replaced by a folder ends the watch (exit 1, why on standard error) with the summary
# and the alerts table of the lines read, as any stop does
G="$TMP/gone.jsonl"
head -n 2 "$TMP/mini.jsonl" >"$G"
$INT_DFL $L watch "$G" </dev/null >"$TMP/gone.out" 2>"$TMP/gone.err" &
pid=$!
eventually read_to $pid "$G" "$(size "$G")" # its 2 lines read
rm "$G" && mkdir "$G"
wait $pid; check_eq "a path replaced by a folder: exit 1" "$?" 1
check_has "a path replaced by a folder: the summary" "$(cat "$TMP/gone.out")" "watch: $G stopped: 2 requests (0 rejected)"
check_has "a path replaced by a folder: the alerts table" "$(cat "$TMP/gone.out")" "recorded: no alerts"
check_has "a path replaced by a folder: why" "$(cat "$TMP/gone.err")" "$G: not a regular file"
# a link to a FIFO is refused at once, not waited on in open() for a writer (timeout would say 124)
mkfifo "$TMP/fifo" && ln -s fifo "$TMP/fifo.jsonl"
timeout 5 $L watch "$TMP/fifo.jsonl" </dev/null >/dev/null 2>"$TMP/fifo.err"; check_eq "a link to a FIFO: refused, exit 1" "$?" 1
check_has "a link to a FIFO: why" "$(cat "$TMP/fifo.err")" "$TMP/fifo.jsonl: a pipe, not a regular file: watch follows a file as it grows"
check_has "a link to a FIFO: what to run instead" "$(cat "$TMP/fifo.err")" \
	"write the lines to a file and follow it (cmd >> FILE & llmcost watch FILE), or store them and play them back: cmd | llmcost import - --name NAME && llmcost watch NAME --speed N"
# standard input on a pipe, named: the same words
echo '{}' | timeout 5 $L watch /dev/stdin >/dev/null 2>"$TMP/stdin.err"; check_eq "/dev/stdin on a pipe: refused, exit 1" "$?" 1
check_has "/dev/stdin on a pipe: why and what instead" "$(cat "$TMP/stdin.err")" "/dev/stdin: a pipe, not a regular file: watch follows a file as it grows, read again through truncation and rotation, not a stream; write the lines"
# a pipe closed by its reader ends the watch at the next tick, as a write to it would (SIGPIPE:
# 128 + 13 = 141), not at its next line: the incident says the flood's start and end, then
# nothing; head -2 takes those two and exits (timeout would say 124 after 20 s)
t0=$(date +%s.%N)
{ timeout 20 $L watch "$TMP/mini.jsonl" </dev/null 2>/dev/null; echo $? >"$TMP/head.rc"; } | head -2 >"$TMP/head.out"
t1=$(date +%s.%N)
check_eq "a closed pipe: ended by SIGPIPE" "$(cat "$TMP/head.rc")" 141
check_eq "a closed pipe: head took the start and the end" "$(grep -c fallback_flood "$TMP/head.out")" 2
check_eq "a closed pipe: within 5 s" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; print d < 5 ? "yes" : d }')" yes

# a logger that holds its file writes on to it after logrotate's mv and touch, until it reopens
# (its postrotate): those lines, and one it wrote in two parts across the rotation, are read
# from the old file, whose rejects it names as before the rotation.  5 lines, the 6th cut by the
# rotation, 3 more (one not JSON) to the old file, then 4 to the new: 5 + 1 + 2 + 4 = 12 taken
G="$TMP/held.jsonl"
: >"$G"
$INT_DFL $L watch "$G" </dev/null >"$TMP/held.out" 2>"$TMP/held.err" &
pid=$!
following $pid # G open before the logger's rotation (0.6 s into it)
line6=$(sed -n 6p "$TMP/mini.jsonl")
(
	exec 3>>"$G"
	sed -n '1,5p' "$TMP/mini.jsonl" >&3
	printf '%s' "${line6%%,*}" >&3
	sleep 0.6
	mv "$G" "$G.1" && : >"$G"
	sleep 0.6
	printf ',%s\n' "${line6#*,}" >&3
	sed -n '7,8p' "$TMP/mini.jsonl" >&3
	echo oops >&3
	sleep 0.3
	exec 3>>"$G"
	sed -n '9,12p' "$TMP/mini.jsonl" >&3
)
sleep 2
kill -TERM $pid
wait $pid; check_eq "a logger holding the old file: SIGTERM exits 143" "$?" 143
check_has "a logger holding the old file: every line" "$(cat "$TMP/held.out")" "stopped: 12 requests (1 rejected)"
check_eq "a logger holding the old file: the reject named" "$(cat "$TMP/held.err")" \
	"llmcost: $G (before rotation):9: not JSON: unexpected character (column 1)"

# two floods in a followed file: the first (10:02:00–10:08:00, as above) is said to end while
# the second is under way at the file's last line.  The second: 40 requests from 10:40:00
# every 6 s (to 10:43:54, the watch's now for a file this old), all fallen back; it first fires
# at 10:42:00, whose window [10:37, 10:42) holds the 20 requests of 10:40:00–10:41:54 (the
# incident's normal traffic ends at 10:30:24), and fires still at 10:43:00
python3 - "$TMP/mini.jsonl" "$TMP/two.jsonl" <<'EOF'
import json, sys
out = open(sys.argv[1]).read()
for k in range(40):
    s = 2400 + k * 6
    out += json.dumps({"ts": "2026-03-02T10:%02d:%02dZ" % (s // 60, s % 60), "tenant": "acme",
                       "task": "faq_answer", "input_tokens": 1000, "output_tokens": 100,
                       "attempts": [{"model": "gpt-4.1-mini", "status": "timeout", "latency_ms": 1000},
                                    {"model": "gpt-4o", "status": "ok", "latency_ms": 500}]}) + "\n"
open(sys.argv[2], "w").write(out)
EOF
# (the second is said to end only at the stop, by the last replay, as its table lists it: its
# last instant 10:44:00, the first at or after its last event, 10:43:54 + 1.5 s, whose window
# [10:39, 10:44) holds the 40 fallen-back requests, 100%)
$INT_DFL $L watch "$TMP/two.jsonl" </dev/null >"$TMP/two.out" 2>&1 &
pid=$!
following $pid
sleep 2
cp "$TMP/two.out" "$TMP/two.before"
kill -INT $pid
wait $pid; check_eq "two floods: Ctrl-C exits 130" "$?" 130
check_has "two floods: the first said to end" "$(cat "$TMP/two.before")" "fallback_flood ended 2026-03-02T10:08:00Z"
check_has "two floods: the second said to start" "$(cat "$TMP/two.before")" \
	"watch: 2026-03-02T10:42:00Z fallback_flood started"
case $(cat "$TMP/two.before") in
*"10:42:00Z fallback_flood ended"*) bad "two floods: the second said to end while under way" ;;
*) ok ;;
esac
check_eq "two floods: at the stop, the second's end as the table has it" \
	"$(awk '/^watch: .* fallback_flood / { s = $2 " " $3 " " ($4 == "ended" ? $4 " " $5 : $4); print substr(s, 1, length(s) - 1) }' "$TMP/two.out")" \
"2026-03-02T10:02:00Z fallback_flood started
2026-03-02T10:02:00Z fallback_flood ended 2026-03-02T10:08:00Z
2026-03-02T10:42:00Z fallback_flood started
2026-03-02T10:42:00Z fallback_flood ended 2026-03-02T10:44:00Z"
check_has "two floods: the table's second flood" "$(cat "$TMP/two.out")" \
	"fallback_flood   2026-03-02T10:42:00Z   to 2026-03-02T10:44:00Z"

# an alert is said from instants whose window is closed (a line at or past the instant has been
# read), and said to end only when the replay that shows it over is judged: a flood in a file
# appended in three parts, each read at the next tick (a quarter second), the third half a
# second after the second, before the next replay is due (once a second).  Part 1: 120 lines 10:00:00–10:03:58 every 2 s, all fallen back; the flood fires from
# 10:01:00 (25 first calls in [09:56, 10:01), 100%) and at 10:04:00 with the part's last line
# at 10:03:58.  Part 2: 120 more, 10:04:00–10:07:58; part 3: normal lines 10:08:00–10:19:58
# every 2 s (30 a minute).  At 10:11:00 the window [10:06, 10:11) holds 60 fallbacks and 90
# normal (40%, fires); at 10:12:00, [10:07, 10:12): 30 and 120 (20%, not above 20%).  So one
# flood, 10:01:00 to 10:11:00, said to end once, at 10:11:00; judged against each part's lines
# before its replay, the last replay's flood looked over at 10:04:00 or 10:08:00
python3 - "$TMP/parts" <<'EOF2'
import json, sys
def line(s, fb):
    o = {"ts": "2026-03-02T%02d:%02d:%02dZ" % (10 + s // 3600, s // 60 % 60, s % 60), "tenant": "acme",
         "task": "faq_answer", "input_tokens": 1000, "output_tokens": 100}
    if fb:
        o["attempts"] = [{"model": "gpt-4.1-mini", "status": "timeout", "latency_ms": 1000},
                         {"model": "gpt-4o", "status": "ok", "latency_ms": 500}]
    else:
        o.update(model="gpt-4.1-mini", status="ok", latency_ms=400)
    return json.dumps(o) + "\n"
for n, (a, b, fb) in enumerate([(0, 240, 1), (240, 480, 1), (480, 1200, 0)]):
    open(sys.argv[1] + str(n + 1), "w").write("".join(line(s, fb) for s in range(a, b, 2)))
EOF2
P="$TMP/parts.jsonl"
cat "$TMP/parts1" >"$P"
$INT_DFL $L watch "$P" </dev/null >"$TMP/parts.out" 2>&1 &
pid=$!
following $pid
sleep 1.3
cat "$TMP/parts2" >>"$P"
sleep 0.5
cat "$TMP/parts3" >>"$P"
sleep 1.6
kill -INT $pid
wait $pid; check_eq "a flood in three parts: Ctrl-C exits 130" "$?" 130
check_eq "a flood in three parts: said to start and end once" "$(grep -c fallback_flood "$TMP/parts.out")" 3
check_has "a flood in three parts: its end, at 10:11:00" "$(cat "$TMP/parts.out")" \
	"watch: 2026-03-02T10:01:00Z fallback_flood ended 2026-03-02T10:11:00Z: peak fallback rate 100.0%"
check_has "a flood in three parts: the table" "$(cat "$TMP/parts.out")" \
	"fallback_flood   2026-03-02T10:01:00Z   to 2026-03-02T10:11:00Z"

# the flood of a file's last instant, whose window the next lines fill, is not said until they
# come: 25 lines 10:00:00–10:00:48 every 2 s, all fallen back, fire at 10:01:00 ([09:56,
# 10:01): 25 first calls, 100%), past the latest line; then 200 normal lines 10:00:50–10:00:59.95
# every 0.05 s bring that window to 25 of 225 (11%): no flood, in the table as in replay
python3 - "$TMP/late1" "$TMP/late2" <<'EOF2'
import json, sys
fb = [{"model": "gpt-4.1-mini", "status": "timeout", "latency_ms": 1000}, {"model": "gpt-4o", "status": "ok", "latency_ms": 500}]
a = [{"ts": "2026-03-02T10:00:%02dZ" % (2 * k), "tenant": "acme", "task": "t", "input_tokens": 1000,
      "output_tokens": 100, "attempts": fb} for k in range(25)]
b = [{"ts": "2026-03-02T10:00:%02d.%02dZ" % (50 + k // 20, k % 20 * 5), "tenant": "acme", "task": "t",
      "input_tokens": 1000, "output_tokens": 100, "model": "gpt-4.1-mini", "status": "ok", "latency_ms": 400} for k in range(200)]
open(sys.argv[1], "w").write("".join(json.dumps(o) + "\n" for o in a))
open(sys.argv[2], "w").write("".join(json.dumps(o) + "\n" for o in b))
EOF2
P="$TMP/late.jsonl"
cat "$TMP/late1" >"$P"
$INT_DFL $L watch "$P" </dev/null >"$TMP/late.out" 2>&1 &
pid=$!
eventually read_to $pid "$P" "$(size "$P")" # the 25 lines read first
sleep 1.3 # (and replayed)
cat "$TMP/late2" >>"$P"
sleep 1.6
kill -INT $pid
wait $pid; check_eq "the last instant's flood: Ctrl-C exits 130" "$?" 130
check_has "the last instant's flood: every line taken" "$(cat "$TMP/late.out")" "stopped: 225 requests (0 rejected)"
check_eq "the last instant's flood: never said" "$(grep -c fallback_flood "$TMP/late.out")" 0
check_has "the last instant's flood: none in the table" "$(cat "$TMP/late.out")" "recorded: no alerts"
# the 25 fallen-back lines alone, stopped: their flood is the last replay's alone (its instant,
# 10:01:00, the first at or after their last event, 10:00:48 + 1.5 s, is past the latest line,
# 10:00:48, so no replay before judges it; its window [09:56, 10:01) holds all 25, 100%): said
# to start and end before the table that lists it, as the playback of the same lines imported
# says them.  Before, only the table had it
$INT_DFL $L watch "$TMP/late1" </dev/null >"$TMP/late1.out" 2>&1 &
pid=$!
eventually read_to $pid "$TMP/late1" "$(size "$TMP/late1")"
following $pid
kill -INT $pid
wait $pid; check_eq "a flood the last replay alone has: Ctrl-C exits 130" "$?" 130
check_eq "a flood the last replay alone has: said, then the summary and the table" "$(sed -n '1,3p' "$TMP/late1.out")" \
"watch: 2026-03-02T10:01:00Z fallback_flood started: fallback rate 100.0% (first fallbacks per first call over the window; alert above 20.0%)
watch: 2026-03-02T10:01:00Z fallback_flood ended 2026-03-02T10:01:00Z: peak fallback rate 100.0% (first fallbacks per first call over the window; alert above 20.0%)
watch: $TMP/late1 stopped: 25 requests (0 rejected), the latest at 2026-03-02T10:00:48Z"
cp "$TMP/late1" "$TMP/late1.jsonl" && $L import "$TMP/late1.jsonl" >/dev/null 2>&1
check_eq "a flood the last replay alone has: the playback's lines" "$(grep fallback_flood "$TMP/late1.out")" \
	"$($L watch late1 --speed 1000000000 </dev/null 2>/dev/null | grep fallback_flood)"

# calls on a model the scenario's table lacks (v3 routes the line, so it is taken) are unpriced
# in the tenant windows, never a silent $0: line mode names the model once, with the tenant
printf '%s\n' '{"ts":"2026-03-02T10:00:00Z","tenant":"A","task":"faq_answer","input_tokens":1000,"output_tokens":100,"model":"gpt-4.1-mini"}' \
	'{"ts":"2026-03-02T10:00:10Z","tenant":"D","task":"faq_answer","input_tokens":1000,"output_tokens":100,"model":"claude-x"}' \
	'{"ts":"2026-03-02T10:00:20Z","tenant":"D","task":"faq_answer","input_tokens":1000,"output_tokens":100,"model":"claude-x"}' >"$TMP/unpriced.jsonl"
$INT_DFL $L watch "$TMP/unpriced.jsonl" -s v3 </dev/null >"$TMP/unpriced.out" 2>&1 &
pid=$!
following $pid
sleep 1.5
kill -INT $pid
wait $pid; check_eq "an unpriced model: Ctrl-C exits 130" "$?" 130
check_has "an unpriced model: named in line mode" "$(cat "$TMP/unpriced.out")" \
	"watch: claude-x is not in the scenario's pricing table ("
check_has "an unpriced model: its tenant, unpriced, not \$0" "$(cat "$TMP/unpriced.out")" \
	"calls on it (tenant D's first) are unpriced in the tenants' spend, not \$0"
check_eq "an unpriced model: said once" "$(grep -c claude-x "$TMP/unpriced.out")" 1

# Ctrl-C: the lines taken since the last replay (at most once a second) are replayed before
# the alerts table.  The incident's normal lines first (replayed at once), one more 1.5 s in
# (replayed at the next tick), then its 40 flood lines 0.6 s later and Ctrl-C 0.1 s after them,
# before the next replay is due: the table still holds the flood
H="$TMP/stop.jsonl"
sed -n '41,140p' "$TMP/mini.jsonl" >"$H"
$INT_DFL $L watch "$H" </dev/null >"$TMP/stop.out" 2>&1 &
pid=$!
following $pid
sleep 1.5
sed -n '41p' "$TMP/mini.jsonl" >>"$H"
sleep 0.6
head -n 40 "$TMP/mini.jsonl" >>"$H"
sleep 0.1
kill -INT $pid
wait $pid; check_eq "lines just before Ctrl-C: exit 130" "$?" 130
check_has "lines just before Ctrl-C: all taken" "$(cat "$TMP/stop.out")" "stopped: 141 requests (0 rejected)"
check_has "lines just before Ctrl-C: in the alerts table" "$(cat "$TMP/stop.out")" \
	"fallback_flood   2026-03-02T10:02:00Z   to 2026-03-02T10:08:00Z"

# a line dated ahead of the clock (a day) does not move now ahead: the watch stays on the clock,
# the line enters the tenant windows at its time, and line mode says once how many such lines
# it read and the latest one's time
past_ts=$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:%SZ); ahead_ts=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
printf '{"ts":"%s","tenant":"%s","task":"t","input_tokens":10,"output_tokens":10,"model":"gpt-4.1-mini"}\n' \
	"$past_ts" now "$ahead_ts" later >"$TMP/ahead.jsonl"
$INT_DFL $L watch "$TMP/ahead.jsonl" </dev/null >"$TMP/ahead.out" 2>&1 &
pid=$!
following $pid
sleep 1.5
kill -INT $pid
wait $pid; check_eq "a line ahead of the clock: Ctrl-C exits 130" "$?" 130
check_has "a line ahead of the clock: said, with its time" "$(cat "$TMP/ahead.out")" \
	"watch: $TMP/ahead.jsonl: 1 line dated ahead of the clock (the latest at $ahead_ts): in the tenant windows from its time"
check_eq "a line ahead of the clock: said once" "$(grep -c 'ahead of the clock' "$TMP/ahead.out")" 1

# --speed N: a stored trace plays N× faster than it happened, from its first arrival, which
# need not be its first line: 10:00:24 first, then 10:00:00 and 10:00:12; 24 s of data at 8×
# take 3 s (a playback taken from the first line's time would end at once; one at 4× in 6 s)
{
	echo '{"ts":"2026-03-02T10:00:24Z","tenant":"acme","task":"t","input_tokens":10,"output_tokens":10,"model":"gpt-4.1-mini"}'
	echo '{"ts":"2026-03-02T10:00:00Z","tenant":"acme","task":"t","input_tokens":10,"output_tokens":10,"model":"gpt-4.1-mini"}'
	echo '{"ts":"2026-03-02T10:00:12Z","tenant":"acme","task":"t","input_tokens":10,"output_tokens":10,"model":"gpt-4.1-mini"}'
} > "$TMP/late-first.jsonl"
$L import "$TMP/late-first.jsonl" >/dev/null 2>&1
t0=$(date +%s.%N)
$L watch late-first --speed 8 </dev/null >"$TMP/late.out" 2>&1
t1=$(date +%s.%N)
check_has "--speed 8: played to the end" "$(cat "$TMP/late.out")" "watch: late-first ended: 3 requests (0 rejected)"
# no sooner, on the monotonic clock, however loaded the machine (no upper bound: a busy machine
# may take longer; the speed's own arithmetic is watch_play_position's unit test)
check_eq "--speed 8: 24 s of data in no less than 3 s" \
	"$(awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; print (d >= 2.9) ? "yes" : d }')" yes

# --- the screen, in tmux
if ! command -v tmux >/dev/null 2>&1; then
	echo "cli_watch: tmux not found, the screen cases are skipped" >&2
	finish
	exit 0
fi
tmux_begin

# at 60× the flood (10:02–10:08 of data) is under way 2–8 s into the playback
T new-session -d -s w -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch mini --speed 60; echo WATCH-EXIT=\$?; sleep 30"
check "the banner while the flood is under way" wait_for w "FALLBACK FLOOD under way since 2026-03-02T10:02:00Z: fallback rate "
# whole within 100 columns: the rate and the threshold, not the rate's definition (its 121
# columns were cut at a 120-column terminal; line mode and the README define the rate)
check "the banner: the threshold beside the rate" wait_for w "%, alert above 20.0%"
check "the tenants' table" wait_for w "tenant                req 5m  req 1h     usd 5m     usd 1h   fb 5m  fb 1h    hit        usd"
check "the flood in the alerts list" wait_for w "fallback_flood  2026-03-02T10:02:00Z to"
T send-keys -t w p
check "p pauses" wait_for w "60× paused"
T send-keys -t w + p
check "+ doubles the speed" wait_for w "120×"
check "the banner goes when the flood is over" wait_for w "no fallback flood"
T send-keys -t w q
check "q quits with 0" wait_for w "WATCH-EXIT=0"
case $(screen w) in *"llmcost watch"*) bad "the screen is left after q" ;; *) ok ;; esac

# the flood through a quiet stretch (above: 10:02–10:07, the quiet 10:04–10:14) keeps its
# banner in the quiet, and it goes once the flood is over: sampled as it plays at 120× (7.5 s),
# every frame whose clock reads 10:05–10:07 shows it (the banner went at 10:05, when the
# position passed the last instant of the replay of the 40 fallen-back requests), every one
# from 10:10 on does not (the replays follow the position within a second: 2 minutes here)
T new-session -d -s quiet -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch quiet --speed 120; sleep 30"
n_in=0 n_after=0 wrong= i=0
while [ $i -lt 150 ]; do
	scr=$(screen quiet)
	hms=$(echo "$scr" | sed -n '1s/.* 2026-03-02T\([0-9:]*\)Z .*/\1/p')
	case $hms in
	10:0[5-7]:*) n_in=$((n_in + 1))
		case $scr in *"FALLBACK FLOOD under way since 2026-03-02T10:02:00Z"*) ;; *) wrong="$wrong $hms:no-banner" ;; esac ;;
	10:1[0-4]:*) n_after=$((n_after + 1))
		case $scr in *"no fallback flood"*) ;; *) wrong="$wrong $hms:banner" ;; esac ;;
	esac
	case $scr in *"120× ended"*) break ;; esac
	sleep 0.1
	i=$((i + 1))
done
check_eq "a flood through a quiet stretch: the banner as long as it is under way, then none" "$wrong" ""
check_eq "a flood through a quiet stretch: frames seen at 10:05–10:07 and from 10:10" \
	"$([ "$n_in" -ge 3 ] && [ "$n_after" -ge 3 ] && echo yes)" yes
T send-keys -t quiet q

# the stored trace out of time order (above): the screen's spend so far, at the end, is replay's
# USD total (the renumbering playback showed $0.08904 against replay's $0.09128), as replayed
# up to its latest line (1795878059 s: 2026-11-28T15:00:59Z)
T new-session -d -s ooo -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch ooo -s v3 --speed 1000000000; sleep 30"
check "out of time order: replay's USD total on the screen ($ooo_usd)" wait_for ooo "so far (replayed up to 15:00:59): $ooo_usd, 50 requests"
T send-keys -t ooo q

# a long scenario name of wide characters: the replay's line shows it whole on a wide terminal
# (40 × シ, 120 bytes; it was cut at 100 bytes, in a character, shown as \xe3)
kata=$(python3 -c 'print("\u30b7" * 40)')
printf '{"mode": "recorded", "name": "%s"}\n' "$kata" > "$TMP/kata.json"
T new-session -d -s kata -x 250 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch mini -s '$TMP/kata.json' --speed 1000000000; sleep 30"
check "a name of 40 wide characters: whole on the replay's line" wait_for kata " $kata so far (replayed up to"
case $(screen kata) in *'\x'*) bad "a wide name cut in a character" ;; *) ok ;; esac
T send-keys -t kata q

# a playback that has ended stays at its last line (the incident's, 10:30:24) and its tenants:
# 30 minutes at 3600× take half a second; 2 s later the position has not run on with the clock
T new-session -d -s ended -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch mini --speed 3600; sleep 30"
check "an ended playback: at its last line" wait_for ended "2026-03-02T10:30:24Z  3600× ended"
sleep 2
check "an ended playback: still there 2 s later" shows ended "2026-03-02T10:30:24Z  3600× ended"
check "an ended playback: its tenants still listed" shows ended " acme "
# the two counts labelled: the requests read of the trace's, and the replay's as of its latest line
check "an ended playback: the requests read" shows ended "140 of 140 requests read"
check "an ended playback: the replay's figures as of its last line" shows ended "recorded so far (replayed up to 10:30:24): "
# p once it has ended leaves it ended (before: "3600× paused"); + still doubles the speed shown,
# after p, so that its 7200 shows p was taken
T send-keys -t ended p +
check "an ended playback: p leaves it ended" wait_for ended "2026-03-02T10:30:24Z  7200× ended"
case $(screen ended) in *paused*) bad "an ended playback: p said paused" ;; *) ok ;; esac
T send-keys -t ended q

# + stops at --speed's most, 1e9, shown in digits: from 1, paused at once, thirty doublings pass
# it (2^30 = 1,073,741,824); before, 1.07374e+09×.  A playback of 1e9 shows it so too.
T new-session -d -s fast -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch mini --speed 1; sleep 30"
check "the playback at 1×" wait_for fast "  1×  "
T send-keys -t fast p
check "paused" wait_for fast "1× paused"
T send-keys -t fast + + + + + + + + + + + + + + + + + + + + + + + + + + + + + +
check "+ stops at 1e9, in digits" wait_for fast "1000000000× paused"
T send-keys -t fast -
check "- halves it from there" wait_for fast "  500000000× paused"
T send-keys -t fast q

# the windows and the header as of the lines read, at any speed: a request a minute for a week,
# played in 3 s at 200000× (a millisecond is 200 s of data).  The windows (now − 5 min, now] and
# (now − 1 h, now] of a now k requests in hold min(5, k) and min(60, k), and the header's clock,
# to the second, is in the minute of the last request read: requests read = its minute + 1.
# Before, the windows and the clock were taken after the replay, minutes of data past the lines
# read: `0 47` (no request in the last 5 minutes of a trace with one a minute), a clock a minute
# or more ahead of its count.
python3 - "$TMP/steady.jsonl" <<'EOF2'
import json, sys
out = []
for k in range(7 * 1440):
    out.append({"ts": "2026-03-%02dT%02d:%02d:00Z" % (1 + k // 1440, k // 60 % 24, k % 60), "tenant": "t",
                "task": "faq_answer", "input_tokens": 1000, "output_tokens": 100, "model": "gpt-4.1-mini"})
open(sys.argv[1], "w").write("".join(json.dumps(o) + "\n" for o in out))
EOF2
$L import "$TMP/steady.jsonl" >/dev/null 2>&1; check_eq "the steady trace imported" "$?" 0
T new-session -d -s steady -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch steady --speed 200000; sleep 30"
wrong= n=0 i=0
while [ $i -lt 100 ]; do
	scr=$(screen steady)
	case $scr in *"200000× ended"*) break ;; esac
	case $scr in *" of 10,080 requests read"*) ;; *) sleep 0.05; i=$((i + 1)); continue ;; esac
	n=$((n + 1))
	wrong="$wrong$(echo "$scr" | awk '
		NR == 1 { split($0, a, "T"); split(substr(a[2], 1, 8), c, ":"); d = substr(a[1], length(a[1]) - 1) + 0
		          split($0, r, "200000×  "); split(r[2], w, " "); read = w[1]; gsub(",", "", read)
		          if (read != (d - 1) * 1440 + c[1] * 60 + c[2] + 1) printf " [%s: %s read]", substr(a[2], 1, 8), read }
		$1 == "t" { k = $3; if ($2 != (k < 5 ? k : 5) || k > 60) printf " [windows %s %s]", $2, $3 }')"
	sleep 0.05
	i=$((i + 1))
done
check_eq "at 200000×: the windows and the clock as of the lines read" "$wrong" ""
check_eq "at 200000×: frames seen while it played" "$([ "$n" -ge 5 ] && echo yes)" yes
T send-keys -t steady q

# the screen that says "ended" shows the windows at the last line, not the last ones computed: a
# request at 10:00:30, ten at 11:00:00, played at 7200× (the hour in half a second, within a
# second of the first windows, which are recomputed once a second): ended at 11:00:00, the ten in
# (10:55, 11:00] and all eleven in (10:00, 11:00].  Before, the first second's windows stayed
# up, `1 1`, until the next second.
python3 - "$TMP/tail.jsonl" <<'EOF2'
import json, sys
def line(hms):
    return json.dumps({"ts": "2026-03-02T%sZ" % hms, "tenant": "t", "task": "faq_answer", "input_tokens": 1000,
                       "output_tokens": 100, "model": "gpt-4.1-mini"}) + "\n"
open(sys.argv[1], "w").write(line("10:00:30") + line("11:00:00") * 10)
EOF2
$L import "$TMP/tail.jsonl" >/dev/null 2>&1; check_eq "the tail trace imported" "$?" 0
T new-session -d -s tail -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch tail --speed 7200; sleep 30"
i=0
while [ $i -lt 200 ] && ! shows tail "7200× ended"; do sleep 0.02; i=$((i + 1)); done
check_eq "ended: the windows at its last line at once" "$(screen tail | awk '$1 == "t" { print $2, $3 }')" "10 11"
T send-keys -t tail q

# the lines that say several things fit the width by dropping parts whole, or saying them in
# fewer words, never cut mid-word: the header keeps the speed, the state and the requests read
# down to 60 columns, the replay's line its alerts' count with its label, an alert its figures.
# Before, at 84 columns the header ended "… of 10,080 req" (the ×, a multibyte symbol, counted
# as two columns too) and at 60 "… 2026-03-02T…Z  2000"; the replay's line ended in a bare count.
# The steady trace (a week) at 20000× plays for half a minute: paused once it has read a
# thousand requests or more (a count of four digits; the replay's line then says as many calls).
read_1000() { case $(screen "$1" | sed -n 1p) in *[0-9],[0-9][0-9][0-9]" of 10,080 "*) return 0 ;; esac; return 1; }
for cols in 84 72 60; do
	T new-session -d -s narrow$cols -x $cols -y 20 "LLMCOST_DB='$LLMCOST_DB' $L watch steady --speed 20000; sleep 30"
	check "$cols columns: playing" eventually read_1000 narrow$cols
	T send-keys -t narrow$cols p
	check "$cols columns: the state and the count in the header" wait_for narrow$cols "20000× paused  "
	case $(screen narrow$cols | sed -n 1p) in
	*"20000× paused  "*" of 10,080 requests read" | *"20000× paused  "*" of 10,080 read") ok ;;
	*) bad "$cols columns: the header cut: [$(screen narrow$cols | sed -n 1p)]" ;;
	esac
	case $(screen narrow$cols | sed -n 3p) in
	*" requests, 0 alerts") ok ;;
	*) bad "$cols columns: the replay's line cut: [$(screen narrow$cols | sed -n 3p)]" ;;
	esac
	T send-keys -t narrow$cols q
done
# at 60 columns: an ended playback's header, the replay's line, the alert with its figures
T new-session -d -s narrowend -x 60 -y 20 "LLMCOST_DB='$LLMCOST_DB' $L watch mini --speed 1000000000; sleep 30"
check "60 columns: ended, and the requests read" wait_for narrowend "ended  140 of 140 read"
check_eq "60 columns: the replay's line whole" "$(screen narrowend | sed -n 3p | sed 's/.*, //')" "1 alert"
check_eq "60 columns: the alert with its figures" \
	"$(screen narrowend | sed -n '/alerts, newest first/{n;p;}')" " fallback_flood  10:02:00-10:08:00  100.0% above 20.0%"
T send-keys -t narrowend q
# and the banner while the flood is under way, paused in it at 60×
T new-session -d -s narrowflood -x 60 -y 20 "LLMCOST_DB='$LLMCOST_DB' $L watch mini --speed 60; sleep 30"
check "60 columns: the banner" wait_for narrowflood "FALLBACK FLOOD"
T send-keys -t narrowflood p
check "60 columns: paused in the flood" wait_for narrowflood "60× paused"
case $(screen narrowflood | sed -n 2p) in
" FALLBACK FLOOD since 10:02:00: rate "*"% above 20.0%") ok ;;
*) bad "60 columns: the banner cut: [$(screen narrowflood | sed -n 2p)]" ;;
esac
# the flood under way in the list: its end is "now", where it read as ended at the latest
# instant judged
case $(screen narrowflood | sed -n '/alerts, newest first/{n;p;}') in
" fallback_flood  10:02:00 to now  rate "*"% above 20.0%") ok ;;
*) bad "60 columns: the flood under way: [$(screen narrowflood | sed -n '/alerts, newest first/{n;p;}')]" ;;
esac
T send-keys -t narrowflood q
# no alerts: one line says so (four rows stayed reserved under a title); more than three: the
# title counts them.  Four floods: mini's first 40 requests at 10:00, 11:00, 12:00 and 13:00,
# each ending in the quiet hour after it (a window with fewer than 20 first calls fires none).
python3 - "$TMP/mini.jsonl" "$TMP/four.jsonl" <<'EOF2'
import sys
lines = open(sys.argv[1]).read().splitlines()[:40]
open(sys.argv[2], "w").write("".join(l.replace("T10:", "T%02d:" % h) + "\n" for h in (10, 11, 12, 13) for l in lines))
EOF2
$L import "$TMP/four.jsonl" >/dev/null 2>&1; check_eq "the four floods imported" "$?" 0
T new-session -d -s fourfloods -x 100 -y 20 "LLMCOST_DB='$LLMCOST_DB' $L watch four --speed 1000000000; sleep 30"
check "four floods: ended" wait_for fourfloods "ended"
check "four floods: the title counts them" wait_for fourfloods " alerts, the newest 3 of 4"
check_eq "four floods: the newest first" "$(screen fourfloods | grep '^ fallback_flood' | cut -c 18-37)" \
"2026-03-02T13:02:00Z
2026-03-02T12:02:00Z
2026-03-02T11:02:00Z"
T send-keys -t fourfloods q
T new-session -d -s noalerts -x 100 -y 20 "LLMCOST_DB='$LLMCOST_DB' $L watch tail --speed 1000000000; sleep 30"
check "no alerts: ended" wait_for noalerts "ended"
check_eq "no alerts: one line says so" "$(screen noalerts | grep -c '^ no alerts *$')" 1
check_eq "no alerts: no title" "$(screen noalerts | grep -c 'newest')" 0
T send-keys -t noalerts q

# each tenant's fallback rate over 5 minutes and the hour (the traffic as recorded), and its cache
# hit rate and spend in the replay so far.  A scenario on the test prices with a cache (key:
# tenant and input, no TTL) that routes every request to small-m, which never failed in the
# trace (the recorded failures are other-m's): every call answers (200 ms), 1,000 in and 100
# out, $0.001 + $0.0002 = $0.0012.  Played to its end: now is the last line, 10:59:00;
# the windows (10:54:00, 10:59:00] and (09:59:00, 10:59:00].
#   x: 10:00 hello (recorded: other-m timed out, large-m answered), 10:10 hello, 10:20 HELLO,
#      10:58 bye, 10:58:30 bye.  First calls in the hour 5, 1 fell back: fb 1h 20.0%; in the
#      5 minutes 10:58 and 10:58:30, none fell back: 0.0%.  Replay: miss, hit, miss (another
#      input), miss, hit: 2 of 5, 40.0%; 3 calls, $0.0036.
#   y: 10:30 hello, 10:50 hello, 10:57 other (fell back), 10:59 hello.  Hour: 1 of 4, 25.0%;
#      5 minutes: 10:57 and 10:59, 1 of 2, 50.0%.  Replay: miss, hit, miss, hit: 2 of 4,
#      50.0%; 2 calls, $0.0024.
python3 - "$TMP/hits.jsonl" <<'EOF2'
import json, sys
def line(hms, tenant, text, fell_back=False):
    o = {"ts": "2026-03-02T%sZ" % hms, "tenant": tenant, "task": "faq_answer", "input": text,
         "input_tokens": 1000, "output_tokens": 100}
    if fell_back:
        o["attempts"] = [{"model": "other-m", "status": "timeout", "latency_ms": 1000},
                         {"model": "large-m", "status": "ok"}]
    else:
        o["model"] = "small-m"
    return json.dumps(o) + "\n"
open(sys.argv[1], "w").write("".join([
    line("10:00:00", "x", "hello", True), line("10:10:00", "x", "hello"), line("10:20:00", "x", "HELLO"),
    line("10:30:00", "y", "hello"), line("10:50:00", "y", "hello"), line("10:57:00", "y", "other", True),
    line("10:58:00", "x", "bye"), line("10:58:30", "x", "bye"), line("10:59:00", "y", "hello")]))
EOF2
printf '{"pricing": "%s", "routes": {"small": "small-m"}, "cache": {"enabled": true}}\n' \
	"$PWD/fixtures/tests/pricing.json" >"$TMP/hits-scen.json"
$L import "$TMP/hits.jsonl" >/dev/null 2>&1; check_eq "the hits trace imported" "$?" 0
# the replay's own figures, by the --json path, agree with the hand-worked ones
check_eq "the hits trace: replay's hit rate and spend by tenant" \
	"$($L replay hits -s "$TMP/hits-scen.json" --json 2>>"$TMP/notes" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["scenarios"][0]["by_tenant"]:
    print("%s %.1f%% $%.4f" % (g["tenant"], 100 * g["cache_hit_rate"], g["usd_total"]))')" "x 40.0% \$0.0036
y 50.0% \$0.0024"
# name, then fb 5m, fb 1h, hit and usd (to four significant digits, as amounts under $1 are
# shown): the last four fields at any width.  The requests over
# 5 minutes go first at 80 columns, then those over the hour and the spend over 5 minutes; at
# 100 every column is there.  The name is as wide as the rest leaves, 12 to 20: at 100 columns
# 20; at 80, 1 + 12 + 1 (the mark after usd 1h) + 8 + 11 + 11 + 7 + 7 + 7 + 11 (req 1h to usd,
# each with its space) = 76, so 16; at 60, without req 1h and usd 5m either, 57, so 15.
row_tail() { screen "$1" | awk -v t="$2" '$1 == t { print $(NF - 3), $(NF - 2), $(NF - 1), $NF }'; }
for cols in 100 80 60; do
	case $cols in
	100) want="req 5m  req 1h     usd 5m     usd 1h   fb 5m" ;;
	80) want=" tenant            req 1h     usd 5m     usd 1h   fb 5m" ;; # 10 + 1 + 1 spaces before req 1h
	60) want=" tenant              usd 1h   fb 5m" ;;            # 9 + 1 + 4 spaces before usd 1h
	esac
	T new-session -d -s hits$cols -x $cols -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch hits -s '$TMP/hits-scen.json' --speed 1000000000; sleep 30"
	check "$cols columns: the replay has taken every line" wait_for hits$cols " to 10:59:00"
	check "$cols columns: the heads" shows hits$cols "fb 5m  fb 1h    hit        usd"
	check_has "$cols columns: the columns that fit" "$(screen hits$cols | grep '^ tenant')" "$want"
	check "$cols columns: the recorded windows' head" shows hits$cols "recorded traffic"
	check "$cols columns: the replay's head" shows hits$cols "replay so far"
	check_eq "$cols columns: x's fallback rates, hit rate and spend" "$(row_tail hits$cols x)" "0.0% 20.0% 40.0% \$0.003600"
	check_eq "$cols columns: y's fallback rates, hit rate and spend" "$(row_tail hits$cols y)" "50.0% 25.0% 50.0% \$0.002400"
	T send-keys -t hits$cols q
done

# the unpriced calls above on the screen: D's row marked after usd 1h (whose figures the mark
# qualifies: claude-x's calls have no spend there), a note naming the model; A's row
# unmarked (gpt-4.1-mini at $0.40 and $1.60 per 1M: 1000 × 0.40e-6 + 100 × 1.60e-6 = $0.00056)
T new-session -d -s unp -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch '$TMP/unpriced.jsonl' -s v3; sleep 30"
check "an unpriced model: the note" wait_for unp " * unpriced: calls on claude-x (not in the scenario's pricing table)"
check_has "an unpriced model: D's row marked beside its spend" "$(screen unp | grep '^ D ')" "\$0.00*"
check_has "an unpriced model: A's row priced" "$(screen unp | grep '^ A ')" "\$0.0005600"
case $(screen unp | grep '^ A ') in *"*"*) bad "an unpriced model: A's row marked" ;; *) ok ;; esac
T send-keys -t unp q

# a file whose latest line is less than an hour old is watched as of the clock, not of that line
old_ts=$(date -u -d '-30 min' +%Y-%m-%dT%H:%M:%SZ); old_hms=${old_ts#*T}; old_hms=${old_hms%Z}
printf '{"ts":"%s","tenant":"acme","task":"t","input_tokens":10,"output_tokens":10,"model":"gpt-4.1-mini"}\n' \
	"$old_ts" > "$TMP/fresh.jsonl"
T new-session -d -s fresh -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch '$TMP/fresh.jsonl'; sleep 30"
# gpt-4.1-mini at $0.40 and $1.60 per 1M: 10 × 0.40e-6 + 10 × 1.60e-6 = $0.00002
check "a fresh file: its line taken, in the singular" wait_for fresh \
	"recorded so far (replayed up to $old_hms): \$0.00002000, 1 request, 1 call, 0 alerts"
check "a fresh file: the line read, labelled" shows fresh "  1 request read"
m0=$(date -u +%Y-%m-%dT%H:%M); scr=$(screen fresh); m1=$(date -u +%Y-%m-%dT%H:%M)
case $scr in *"$m0"*|*"$m1"*) ok ;; *) bad "a fresh file: now is the clock ($m0): [$scr]" ;; esac
case $scr in *"$old_ts"*) bad "a fresh file: now is its line's time" ;; *) ok ;; esac
T send-keys -t fresh q

# the file above with a line a day ahead: now is the clock, so the line of 10 minutes ago is in
# its tenant's 1 h window (a now moved to the line ahead emptied it), the one ahead in none yet,
# and a note says it
T new-session -d -s ahead -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch '$TMP/ahead.jsonl'; sleep 30"
check "a line ahead of the clock: the note" wait_for ahead " 1 line dated ahead of the clock (the latest at $ahead_ts)"
scr=$(screen ahead)
# (the name 20 wide at 100 columns, then req 5m and req 1h 7 wide each)
check_has "a line ahead of the clock: the line 10 minutes old in its tenant's hour" "$(echo "$scr" | grep '^ now ')" \
	" now                        0       1 "
# its tenant has its row (every tenant of the trace so far has one), with none in either window
check_has "a line ahead of the clock: in no window before its time" "$(echo "$scr" | grep '^ later ')" \
	" later                      0       0 "
case $scr in *"$(date -u +%Y-%m-%d)T"*) ok ;; *) bad "a line ahead of the clock: now is not the clock: [$scr]" ;; esac
T send-keys -t ahead q

# the notes on lines ahead of the clock, unpriced calls and rejected lines say less in a narrower
# terminal, dropping parts whole, never cut mid-word: each the first of its forms that fits.
# Watched from $TMP as notes.jsonl (11 columns) under v3: a line of 10 minutes ago priced, two on
# models v3's table lacks (the first's name 24 columns, so "and other models"), line 4 rejected
# (its reason 64 columns), and a line a day ahead ($ahead_ts, 20 columns).  The lengths:
#   ahead:    " 1 line dated ahead of the clock (the latest at T)" 1+31+16+20+1 = 69,
#             and ": in the tenant windows from its time" +36 = 105; " 1 line ahead of the clock
#             (latest T)" 1+25+9+20+1 = 56
#   unpriced: " * unpriced: calls on M and other models" 22+24+17 = 63, " have no spend in these
#             figures" +31 = 94, " (not in the scenario's pricing table)" +38 = 132;
#             " * unpriced: M and others" 13+24+11 = 48
#   rejected: " 1 rejected; the latest: notes.jsonl:4: R" 25+15+64 = 104, "… line 4: R" 25+8+64 = 97,
#             "… line 4" 31
# so at 140 columns all three in full; at 100 the ahead note and the rejected line without the
# windows' clause and the file, the unpriced note without why; at 80 the rejected line without
# its reason, the unpriced note without what it means; at 60 the ahead note in fewer words and
# the unpriced note the models alone.  Before, all but the full ones were cut with "…".
printf '%s\n' \
	"{\"ts\":\"$past_ts\",\"tenant\":\"A\",\"task\":\"faq_answer\",\"input_tokens\":1000,\"output_tokens\":100,\"model\":\"gpt-4.1-mini\"}" \
	"{\"ts\":\"$past_ts\",\"tenant\":\"D\",\"task\":\"faq_answer\",\"input_tokens\":1000,\"output_tokens\":100,\"model\":\"claude-sonnet-4-20250514\"}" \
	"{\"ts\":\"$past_ts\",\"tenant\":\"E\",\"task\":\"faq_answer\",\"input_tokens\":1000,\"output_tokens\":100,\"model\":\"mistral-y\"}" \
	'{"ts":"bad","tenant":"a","task":"b","input_tokens":1,"output_tokens":1,"model":"gpt-4o"}' \
	"{\"ts\":\"$ahead_ts\",\"tenant\":\"later\",\"task\":\"faq_answer\",\"input_tokens\":10,\"output_tokens\":10,\"model\":\"gpt-4.1-mini\"}" \
	>"$TMP/notes.jsonl"
a0=" 1 line dated ahead of the clock (the latest at $ahead_ts): in the tenant windows from its time"
a1=" 1 line dated ahead of the clock (the latest at $ahead_ts)"
a2=" 1 line ahead of the clock (latest $ahead_ts)"
u2=" * unpriced: calls on claude-sonnet-4-20250514 and other models"
u1="$u2 have no spend in these figures"
u0="$u2 (not in the scenario's pricing table) have no spend in these figures"
u3=" * unpriced: claude-sonnet-4-20250514 and others"
why='ts: expected an RFC 3339 time like 2026-03-02T10:00:00Z, got "bad"'
r0=" 1 rejected; the latest: notes.jsonl:4: $why"
r1=" 1 rejected; the latest: line 4: $why"
r2=" 1 rejected; the latest: line 4"
# the line of SESSION's screen that PATTERN (grep) finds is WANT
note_is() { [ "$(screen "$1" | grep -e "$2" | head -n 1)" = "$3" ]; }
for cols in 140 100 80 60; do
	case $cols in
	140) want_a=$a0 want_u=$u0 want_r=$r0 ;;
	100) want_a=$a1 want_u=$u1 want_r=$r1 ;;
	80) want_a=$a1 want_u=$u2 want_r=$r2 ;;
	60) want_a=$a2 want_u=$u3 want_r=$r2 ;;
	esac
	T new-session -d -s notes$cols -x $cols -y 24 "cd '$TMP' && LLMCOST_DB='$LLMCOST_DB' '$labs' watch notes.jsonl -s v3; sleep 30"
	check "$cols columns: the notes shown" wait_for notes$cols " 1 rejected"
	for n in a u r; do
		case $n in
		a) pat='^ 1 line.* ahead of the clock' want=$want_a ;;
		u) pat='^ \* unpriced: ' want=$want_u ;;
		r) pat='^ 1 rejected' want=$want_r ;;
		esac
		eventually note_is notes$cols "$pat" "$want"
		check_eq "$cols columns: the note ($n)" "$(screen notes$cols | grep -e "$pat" | head -n 1)" "$want"
	done
	T send-keys -t notes$cols q
done

# an empty file: waiting for its lines, as of the clock (there is no line to take the time from)
: > "$TMP/empty.jsonl"
T new-session -d -s empty -x 100 -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch '$TMP/empty.jsonl'; echo WATCH-EXIT=\$?; sleep 30"
check "an empty file: waiting for lines" wait_for empty "waiting for lines"
T send-keys -t empty q
check "an empty file: q quits with 0" wait_for empty "WATCH-EXIT=0"

# an amount wider than its column's own width widens the column: 70 tokens in and 3 out on small-m
# (test prices $1 and $2 per 1M) cost 70 + 6 = 76 µUSD, $0.00007600, 11 characters against
# usd 1h's and usd's 10.  Each figure ends under the end of its head; before, it stood a column
# right of it, and the columns after with it.
printf '{"ts": "2026-03-02T10:00:00Z", "tenant": "tiny", "task": "t", "input_tokens": 70, "output_tokens": 3, "model": "small-m"}\n' >"$TMP/tiny.jsonl"
printf '{"mode": "recorded", "pricing": "%s"}\n' "$PWD/fixtures/tests/pricing.json" >"$TMP/tiny-scen.json"
$L import "$TMP/tiny.jsonl" >/dev/null 2>&1; check_eq "the tiny trace imported" "$?" 0
# the end of NEEDLE in the line of the table (below the header, the banner and the replay's line,
# which may begin with the trace's name) of the screen of SESSION whose first field is FIRST
ends_at() { screen "$1" | awk -v f="$2" -v n="$3" 'NR > 4 && $1 == f { i = index($0, n); if (i) print i + length(n) - 1 }'; }
for cols in 100 60; do
	T new-session -d -s tiny$cols -x $cols -y 30 "LLMCOST_DB='$LLMCOST_DB' $L watch tiny -s '$TMP/tiny-scen.json' --speed 1000000000; sleep 30"
	check "$cols columns: the tiny trace played" wait_for tiny$cols "ended"
	# the first amount is usd 5m's at 100 columns, usd 1h's at 60 (usd 5m dropped); the replay's
	# usd ends the row as its head ends the heads' line
	head="usd 5m"; [ $cols = 60 ] && head="usd 1h"
	check_eq "$cols columns: $head's figure under its head" "$(ends_at tiny$cols tiny '$0.00007600')" \
		"$(ends_at tiny$cols tenant "$head")"
	check_eq "$cols columns: the replay's usd under its head" \
		"$(screen tiny$cols | awk 'NR > 4 && $1 == "tiny" { print length($0) }')" \
		"$(screen tiny$cols | awk '$1 == "tenant" { print length($0) }')"
	T send-keys -t tiny$cols q
done

# the screen names only the latest rejected line; once it is closed, the rejects are named on
# standard error as line mode names them (FILE:LINE: reason), the first 20 and then how many
# more, as import names its rejects on a terminal: 25 lines that are no JSON, then one request
# (10:00:00).  Before, standard error stayed empty
{ awk 'BEGIN { for (i = 0; i < 25; i++) print "oops" }'; head -n 1 "$TMP/mini.jsonl"; } >"$TMP/rej25.jsonl"
T new-session -d -s rej -x 100 -y 30 "cd '$TMP' && LLMCOST_DB='$LLMCOST_DB' '$labs' watch rej25.jsonl 2>rej25.err; echo WATCH-EXIT=\$?; sleep 30"
check "rejects on the screen: the latest" wait_for rej " 25 rejected; the latest: rej25.jsonl:25: not JSON"
check "rejects on the screen: the request read" wait_for rej "  1 request read"
T send-keys -t rej q
check "rejects on the screen: q quits with 0" wait_for rej "WATCH-EXIT=0"
check_eq "rejects on the screen: named on stderr once it is closed, the first 20 and a count" \
	"$(sed 's/^… /... /' "$TMP/rej25.err")" \
	"$(awk 'BEGIN { for (i = 1; i <= 20; i++) print "llmcost: rej25.jsonl:" i ": not JSON: unexpected character (column 1)"
	            print "... and 5 more rejected lines" }')"

# a terminal that cannot move the cursor (TERM=dumb) gets an error, as the console does (README:
# "llmcost watch says the same"), and exit 1; before, the file was followed on a garbled line
T new-session -d -s dumb -x 250 -y 20 "TERM=dumb LLMCOST_DB='$LLMCOST_DB' $L watch '$TMP/mini.jsonl'; echo WATCH-EXIT=\$?; sleep 30"
check "TERM=dumb: exits 1" wait_for dumb "WATCH-EXIT=1"
check_has "TERM=dumb: says why, as the console does" "$(screen dumb)" \
	"llmcost: watch: the terminal \"dumb\" cannot move the cursor, which watch needs (set TERM to your terminal's type, such as xterm-256color; for a report use llmcost replay)"

# a tiny terminal says so, with its size and that q quits, as the console does (wrapped to the
# width: the words joined across lines); before, at 40 columns the size was cut off
T new-session -d -s small -x 40 -y 10 "LLMCOST_DB='$LLMCOST_DB' $L watch mini --speed 60; echo WATCH-EXIT=\$?; sleep 30"
check "below 60x15 it says so" wait_for small "this one is 40x10"
check_has "with the size it is and that q quits" "$(screen small | tr -s ' \n' '  ')" \
	"terminal too small: watch needs 60x15, this one is 40x10; q quits"
T send-keys -t small q
check "and q quits with 0" wait_for small "WATCH-EXIT=0"

finish
