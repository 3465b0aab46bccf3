# Command-line tests of `llmcost replay`: usage errors (exit 2), scenario and pricing
# errors (exit 3, naming the file), unknown traces (exit 1), import on first use, the
# --json shape and exact amounts on a four-line trace worked out by hand, CSV
# rows, the table, and the billed-versus-priced warning at its 0.5% boundary.
SUITE=cli_replay
. tests/lib.sh

L=$LLMCOST
# $TMP/err but the note every trace of under an hour gets (the projections', tested below)
errs() { grep -v '^llmcost: note: the trace spans ' "$TMP/err"; }

# A line: ts second, tenant, task, model, input, output, latency_ms, cost_usd.
line() {
	printf '{"ts":"2026-03-02T10:%s","tenant":"%s","task":"%s","model":"%s","input_tokens":%s,"output_tokens":%s,"latency_ms":%s,"cost_usd":%s}\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8"
}
# Prices (fixtures/pricing/openai.json, pico-USD per token): gpt-4.1-mini in 400000, out 1600000;
# gpt-4.1 in 2000000, out 8000000.
#   1: 1000 × 400000 + 100 × 1600000 =   560,000,000 pUSD = 0.00056
#   2: 2000 × 2000000 + 50 × 8000000 = 4,400,000,000 pUSD = 0.0044
#   3:  500 × 400000 +  20 × 1600000 =   232,000,000 pUSD = 0.000232
#   4: as line 1                      =   560,000,000 pUSD
#   total 5,752,000,000 pUSD = 0.005752 USD; span 10:00:00 → 10:02:00 = 120 s
{
	line 00:00Z acme faq_answer gpt-4.1-mini 1000 100 400 0.00056
	line 00:30Z beta faq_answer gpt-4.1 2000 50 800 0.0044
	line 01:00Z acme policy_check gpt-4.1-mini 500 20 300 0.000232
	line 02:00Z acme faq_answer gpt-4.1-mini 1000 100 500 0.00056
} > "$TMP/day.jsonl"

# --- usage errors: exit 2
$L replay 2>/dev/null; check_eq "no trace exits 2" "$?" 2
$L replay "$TMP/day.jsonl" --json --csv 2>/dev/null; check_eq "--json with --csv exits 2" "$?" 2
$L replay "$TMP/day.jsonl" --by colour 2>"$TMP/err"; check_eq "bad --by exits 2" "$?" 2
check_has "bad --by names the choices" "$(cat "$TMP/err")" "tenant, task, model or time"
# a second --by is a usage error naming both (the last was kept without a word), as is a second
# --top or --db (every command's option that takes one value: tui/cli.c cli_getopt); -s is
# repeatable (several scenarios)
$L replay "$TMP/day.jsonl" --by tenant --by task 2>"$TMP/err"; check_eq "two --by exit 2" "$?" 2
check_eq "... naming both" "$(cat "$TMP/err")" "llmcost replay: --by given twice (--by tenant, then --by task): choose one
(see: llmcost replay --help)"
$L replay "$TMP/day.jsonl" --by tenant --top 3 --top=5 2>"$TMP/err"; check_eq "two --top exit 2" "$?" 2
check_eq "... naming both" "$(head -1 "$TMP/err")" "llmcost replay: --top given twice (--top 3, then --top 5): choose one"
$L replay "$TMP/day.jsonl" --db "$TMP/a.db" --db "$TMP/b.db" 2>"$TMP/err"; check_eq "two --db exit 2" "$?" 2
check_has "... naming both" "$(cat "$TMP/err")" "--db given twice (--db $TMP/a.db, then --db $TMP/b.db)"
check "... neither store made" test ! -e "$TMP/a.db" -a ! -e "$TMP/b.db"
# one of replay's options where a value goes: a usage error naming both (-s --json read a
# scenario file named --json, exit 3, and the JSON asked for was lost)
$L replay "$TMP/day.jsonl" -s v3 -s --json 2>"$TMP/err"; check_eq "-s --json exits 2" "$?" 2
check_eq "... naming both" "$(head -1 "$TMP/err")" "llmcost replay: -s needs a value, but got the option --json (for a value so spelled: --scenario=--json)"
$L replay "$TMP/day.jsonl" --bogus 2>/dev/null; check_eq "unknown option exits 2" "$?" 2
$L replay "$TMP/day.jsonl" -s 2>/dev/null; check_eq "-s without a value exits 2" "$?" 2
$L replay a b 2>/dev/null; check_eq "two traces exit 2" "$?" 2
# an empty trace (an unset variable in a script) is no name of anything (it exited 1)
$L replay "" 2>"$TMP/err"; check_eq "an empty trace exits 2" "$?" 2
check_eq "an empty trace: said" "$(cat "$TMP/err")" "llmcost replay: TRACE is empty: name a stored trace or a trace file
(see: llmcost replay --help)"
# options before the command: a usage error that gives the line with the command first (a
# command's name as an option's value is that value: the store named "replay" here)
$L --db "$TMP/x.db" replay day -s v3 2>"$TMP/err"; check_eq "options before the command exit 2" "$?" 2
check_eq "... and say the line to type" "$(cat "$TMP/err")" "llmcost: the command comes first: llmcost replay --db $TMP/x.db day -s v3"
$L -s v3 replay 'a b' 2>"$TMP/err"; check_has "... quoted for sh" "$(cat "$TMP/err")" "llmcost replay -s v3 'a b'"
$L --db replay nosuch 2>"$TMP/err"; check_has "a command's name as --db's value is the store" "$(cat "$TMP/err")" "no store replay"
out=$($L replay --help); check_has "--help" "$out" "--by G"
out=$($L help); check_has "help lists replay" "$out" "llmcost replay"

# --- scenario errors: exit 3, the file named; nothing imported yet
$L replay "$TMP/day.jsonl" -s "$TMP/nope.json" 2>"$TMP/err"; check_eq "missing scenario file exits 3" "$?" 3
check_has "missing scenario file named" "$(cat "$TMP/err")" "$TMP/nope.json"
$L replay "$TMP/day.jsonl" -s nosuch 2>"$TMP/err"; check_eq "unknown scenario name exits 3" "$?" 3
check_has "unknown scenario name named" "$(cat "$TMP/err")" "nosuch"
check_has "unknown scenario lists the bundled ones" "$(cat "$TMP/err")" "v3"
printf '{\n  "cache": {"ttl_s": {"large": "1h"}}\n}\n' > "$TMP/bad.json"
$L replay "$TMP/day.jsonl" -s "$TMP/bad.json" 2>"$TMP/err"; check_eq "invalid scenario exits 3" "$?" 3
# the key "large" opens at byte 23 of line 2
check_has "invalid scenario names file, line, column and key" "$(cat "$TMP/err")" "bad.json: cache.ttl_s.large: expected a positive integer, got \"1h\" (line 2, column 23)"
# an invalid pricing file named by a scenario's "pricing" (relative to the scenario's folder):
# exit 3, the pricing file named (the first lacks its closing brace); a wrong type also
# names its key path
echo '{"models": {"gpt-4.1-mini": {"tier": "small", "input": 0.4, "output": 1.6}}' > "$TMP/prices-json.json"
echo '{"pricing": "prices-json.json"}' > "$TMP/badprices-json.json"
$L replay "$TMP/day.jsonl" -s "$TMP/badprices-json.json" 2>"$TMP/err"; check_eq "pricing file not JSON exits 3" "$?" 3
check_has "pricing file not JSON named" "$(cat "$TMP/err")" "$TMP/prices-json.json:"
echo '{"models": {"gpt-4.1-mini": {"tier": "small", "input": "cheap", "output": 1.6}}}' > "$TMP/prices-type.json"
echo '{"pricing": "prices-type.json"}' > "$TMP/badprices-type.json"
$L replay "$TMP/day.jsonl" -s "$TMP/badprices-type.json" 2>"$TMP/err"; check_eq "pricing wrong type exits 3" "$?" 3
check_has "pricing wrong type names file and key" "$(cat "$TMP/err")" "$TMP/prices-type.json: models.gpt-4.1-mini.input: expected"
# a route that a file takes away while a file it extends still names it: the error names the
# file that took it away, and its null's place (it named v3.json alone, which has the route)
echo '{"extends": "v3", "routes": {"large": null}}' > "$TMP/k3.json"
$L replay "$TMP/day.jsonl" -s "$TMP/k3.json" 2>"$TMP/err"; check_eq "a route taken away and still named exits 3" "$?" 3
check_has "... names the file that took it away" "$(cat "$TMP/err")" "llmcost: $TMP/k3.json: routes.large: null takes route \"large\" away, and routing.rules[0].route in "
check_has "... and the one that names it, and where the null is" "$(cat "$TMP/err")" "scenarios/v3.json names it (routes left: \"small\") (line 1, column 30)"
printf '{"extends": "v3",\n "routes": null}\n' > "$TMP/k4.json"
$L replay "$TMP/day.jsonl" -s "$TMP/k4.json" 2>"$TMP/err"; check_eq "every route taken away exits 3" "$?" 3
check_has "... names the file that took them" "$(cat "$TMP/err")" "llmcost: $TMP/k4.json: routes: null takes every route away, and routing.default in "
check_has "... and where" "$(cat "$TMP/err")" 'names route "small" (without routes every call runs on the recorded model) (line 2, column 2)'
# a null of a route no file defines takes nothing away: the route is unknown, as before
echo '{"routes": {"large": "gpt-4.1", "small": null}}' > "$TMP/k7.json"
$L replay "$TMP/day.jsonl" -s "$TMP/k7.json" 2>"$TMP/err"
check_eq "a null of a route no file has: unknown" "$(cat "$TMP/err")" "llmcost: $TMP/k7.json: routing.default: route \"small\" is not a key of routes (\"large\") (the default)"
out=$($L traces 2>/dev/null); case $out in *day*) bad "a scenario error imported the trace" ;; *) ok ;; esac
# a scenario or price file holds at most 16 MiB: one byte more says so (it said "too large or
# out of memory"), exit 3; 16 MiB exactly loads (it was refused within 4 KiB of the limit)
{ printf '{"mode": "recorded"}'; head -c $((16777216 - 20)) /dev/zero | tr '\0' ' '; } > "$TMP/16mib.json"
{ cat "$TMP/16mib.json"; printf ' '; } > "$TMP/over.json"
$L replay "$TMP/day.jsonl" -s "$TMP/over.json" 2>"$TMP/err"; check_eq "a scenario file over 16 MiB exits 3" "$?" 3
check_eq "... saying so" "$(cat "$TMP/err")" "llmcost: $TMP/over.json: larger than 16 MiB, the most a scenario or price file may hold"
echo '{"pricing": "over.json"}' > "$TMP/overprices.json"
$L replay "$TMP/day.jsonl" -s "$TMP/overprices.json" 2>"$TMP/err"; check_eq "a price file over 16 MiB exits 3" "$?" 3
check_has "... saying so" "$(cat "$TMP/err")" "$TMP/over.json: larger than 16 MiB, the most a scenario or price file may hold"
$L replay nosuchtrace -s "$TMP/16mib.json" 2>"$TMP/err"; check_eq "a scenario file of 16 MiB loads (the trace then unknown)" "$?" 1
check_has "... and the trace is what is wrong" "$(cat "$TMP/err")" 'no trace file named "nosuchtrace"'
rm -f "$TMP/16mib.json" "$TMP/over.json"

# --- unknown trace: exit 1
$L replay nosuchtrace 2>"$TMP/err"; check_eq "unknown trace exits 1" "$?" 1
check_has "unknown trace named" "$(cat "$TMP/err")" "nosuchtrace"

# --- a file is imported on first use (summary on stderr), then the stored copy is used
$L replay "$TMP/day.jsonl" --json >"$TMP/r1.json" 2>"$TMP/err"; check_eq "first replay exits 0" "$?" 0
check_eq "first replay imports" "$(errs)" "day: imported 4 requests"
$L replay "$TMP/day.jsonl" --json >"$TMP/r2.json" 2>"$TMP/err"; check_eq "second replay exits 0" "$?" 0
check_eq "second replay uses the stored trace" "$(errs)" ""
cmp -s "$TMP/r1.json" "$TMP/r2.json"; check_eq "same input, same bytes" "$?" 0
out=$($L traces); check_has "the source is the file's absolute name" "$out" "$TMP/day.jsonl"
labs=$(realpath "$L"); (cd "$TMP" && "$labs" replay day.jsonl --json >"$TMP/r3.json" 2>"$TMP/err"); check_eq "same file by another path" "$?" 0
check_eq "same file by another path: no note" "$(errs)" ""
# another folder's day.jsonl is refused, not replayed as the stored one, and the store keeps the first
mkdir -p "$TMP/other"; line 00:00Z acme faq_answer gpt-4.1-mini 1 1 1 0 > "$TMP/other/day.jsonl"
$L replay "$TMP/other/day.jsonl" >/dev/null 2>"$TMP/err"; check_eq "another file of the same name exits 1" "$?" 1
check_has "another file of the same name: both named" "$(cat "$TMP/err")" \
	"stored, from $TMP/day.jsonl, not from $TMP/other/day.jsonl"
check_has "another file of the same name: what to do" "$(cat "$TMP/err")" "--name NAME"
out=$($L replay day --json 2>>"$TMP/notes"); check_eq "the stored trace is unchanged" "$out" "$(cat "$TMP/r1.json")"
# a file changed after its import: a note, and the stored copy is replayed
touch -d "@$(($(date +%s) + 5))" "$TMP/day.jsonl"
$L replay "$TMP/day.jsonl" --json >"$TMP/r4.json" 2>"$TMP/err"; check_eq "changed file exits 0" "$?" 0
check_has "changed file: a note" "$(cat "$TMP/err")" "day.jsonl was modified or replaced after it was imported"
cmp -s "$TMP/r1.json" "$TMP/r4.json"; check_eq "changed file: the stored copy replayed" "$?" 0
# so too a file replaced by one whose mtime is older than the import, as cp -p, tar x and rsync -t
# leave it: its status-change time is the replacement's (it said nothing, the stale copy replayed)
mkdir -p "$TMP/rsync"; head -n 1 "$TMP/day.jsonl" > "$TMP/rsync/req.jsonl"; cp "$TMP/rsync/req.jsonl" "$TMP/rsync/mode.jsonl"
$L replay "$TMP/rsync/req.jsonl" >/dev/null 2>&1; $L replay "$TMP/rsync/mode.jsonl" >/dev/null 2>&1
$L replay "$TMP/rsync/req.jsonl" >/dev/null 2>"$TMP/err"; check_eq "an unchanged file: no note" "$(cat "$TMP/err")" ""
cp "$TMP/day.jsonl" "$TMP/rsync/req.new" && touch -d 2020-01-01 "$TMP/rsync/req.new" && mv "$TMP/rsync/req.new" "$TMP/rsync/req.jsonl"
$L replay "$TMP/rsync/req.jsonl" >/dev/null 2>"$TMP/err"; check_eq "a file replaced by an older one exits 0" "$?" 0
check_has "a file replaced by an older one: the note" "$(cat "$TMP/err")" "req.jsonl was modified or replaced after it was imported"
# a chmod sets that time too, so the note says "modified or replaced" (not "changed"); (the
# import some runs back: a file's times come from a clock that lags by up to a tick)
chmod 600 "$TMP/rsync/mode.jsonl"
$L replay "$TMP/rsync/mode.jsonl" >/dev/null 2>"$TMP/err"
check_has "a chmod after the import: the note too" "$(cat "$TMP/err")" "mode.jsonl was modified or replaced after it was imported"
# the commands those two messages suggest quote a path with a space or a quote for sh: pasted,
# the first imports the file under the name given, the second imports the changed file again
mkdir -p "$TMP/bob's dir"; line 00:00Z acme faq_answer gpt-4.1-mini 1 1 1 0 > "$TMP/bob's dir/day.jsonl"
$L replay "$TMP/bob's dir/day.jsonl" >/dev/null 2>"$TMP/err"
check_has "another file of the same name: its path quoted" "$(cat "$TMP/err")" \
	"(llmcost import '$TMP/bob'\\''s dir/day.jsonl' --name NAME)"
hint=$(sed -n 's/.*(\(llmcost import .*\) --name NAME)$/\1/p' "$TMP/err")
check_eq "... and the hint, run by sh with a name, imports the file" "$(sh_llmcost "$hint --name bobs-day")" \
	"bobs-day: imported 1 request"
touch -d "@$(($(date +%s) + 5))" "$TMP/bob's dir/day.jsonl"
$L replay "$TMP/bob's dir/day.jsonl" --db "$TMP/bob.db" >/dev/null 2>&1
touch -d "@$(($(date +%s) + 10))" "$TMP/bob's dir/day.jsonl"
$L replay "$TMP/bob's dir/day.jsonl" --db "$TMP/bob.db" >/dev/null 2>"$TMP/err"
# (the store named with --db, the hint names it too)
check_has "changed file: its path quoted in the note" "$(cat "$TMP/err")" \
	"(llmcost import --replace '$TMP/bob'\\''s dir/day.jsonl' --db $TMP/bob.db imports it again)"
hint=$(sed -n 's/.*(\(llmcost import --replace .*\) imports it again)$/\1/p' "$TMP/err")
check_eq "... and the hint, run by sh, imports it again there" "$(sh_llmcost "$hint")" "day: imported 1 request"
# a bare name a stored trace has is that trace, whatever file or folder of that name is here;
# ./NAME is the file (which is then refused as another file of the name)
mkdir -p "$TMP/here/day"
(cd "$TMP/here" && "$labs" replay day --json >"$TMP/r5.json" 2>"$TMP/err"); check_eq "a folder of the name: exits 0" "$?" 0
cmp -s "$TMP/r1.json" "$TMP/r5.json"; check_eq "a folder of the name: the stored trace" "$?" 0
check_eq "a folder of the name: no note" "$(errs)" ""
rmdir "$TMP/here/day"; echo notes > "$TMP/here/day"
(cd "$TMP/here" && "$labs" replay day --json >"$TMP/r5.json" 2>"$TMP/err"); check_eq "a file of the name: exits 0" "$?" 0
cmp -s "$TMP/r1.json" "$TMP/r5.json"; check_eq "a file of the name: the stored trace" "$?" 0
check_eq "a file of the name: a note says which is which" "$(errs)" \
	"llmcost: note: \"day\" is the stored trace, imported from $TMP/day.jsonl; the file of that name here is ./day"
(cd "$TMP/here" && "$labs" replay ./day >/dev/null 2>"$TMP/err"); check_eq "./NAME is the file: another file of the name" "$?" 1
check_has "./NAME is the file: refused as such" "$(cat "$TMP/err")" "not from ./day"
# a file imported and gone since (a rotated log): the stored copy, with a note
mv "$TMP/day.jsonl" "$TMP/day.moved"
(cd "$TMP/here" && "$labs" replay ../day.jsonl --json >"$TMP/r6.json" 2>"$TMP/err"); check_eq "a gone file: exits 0" "$?" 0
cmp -s "$TMP/r1.json" "$TMP/r6.json"; check_eq "a gone file: its stored copy" "$?" 0
check_has "a gone file: a note" "$(cat "$TMP/err")" "llmcost: note: ../day.jsonl is gone; replaying the copy stored as \"day\""
$L replay "$TMP/other/gone.jsonl" 2>"$TMP/err"; check_eq "a gone file never imported exits 1" "$?" 1
check_has "a gone file never imported: named" "$(cat "$TMP/err")" "no trace file or stored trace named \"$TMP/other/gone.jsonl\""
rm "$TMP/other/day.jsonl"
$L replay "$TMP/other/day.jsonl" 2>"$TMP/err"; check_eq "a gone file whose name another file's copy has exits 1" "$?" 1
mv "$TMP/day.moved" "$TMP/day.jsonl"
# "-" is not standard input for replay: said, with the import that stores it (it said only "no
# trace file or stored trace named "-""), a usage error as a pipe is (it exited 1)
$L replay - </dev/null 2>"$TMP/err"; check_eq "replay - exits 2" "$?" 2
check_eq "replay -: how to replay standard input" "$(cat "$TMP/err")" "llmcost: \"-\": a trace is a file or a stored name, not standard input; store standard input first with llmcost import - --name NAME, then use NAME"
$L replay - --db "$TMP/none.db" </dev/null 2>"$TMP/err"; check_eq "replay - with no store exits 2" "$?" 2
check_has "replay - with no store: the same, with its --db" "$(cat "$TMP/err")" "llmcost import - --name NAME --db $TMP/none.db, then"
check "and makes no store" [ ! -e "$TMP/none.db" ]
$L tui - --frames 1 </dev/null >/dev/null 2>"$TMP/err"; check_eq "tui - exits 2" "$?" 2
check_has "tui -: the import" "$(cat "$TMP/err")" "llmcost import - --name NAME"
# a trace file is a regular file: a pipe (/dev/stdin on one, the /dev/fd/N of <(cmd), a FIFO) or
# a device is a usage error (exit 2) that says how to store its lines, and nothing is imported:
# stored under its path's name ("stdin"), the next pipe of other lines replayed the first's
line 00:00Z acme faq_answer gpt-4.1-mini 1 1 1 0 > "$TMP/pipe1.jsonl"
cat "$TMP/pipe1.jsonl" | $L replay /dev/stdin >/dev/null 2>"$TMP/err"; check_eq "replay /dev/stdin on a pipe exits 2" "$?" 2
check_eq "replay /dev/stdin on a pipe: why, and the import that stores it" "$(cat "$TMP/err")" \
	"llmcost: /dev/stdin: a pipe, not a regular file: a trace file is imported on first use and its stored copy replayed after, and a pipe gives its lines once; store them first with llmcost import - --name NAME (the pipe on standard input), then use NAME"
case $($L traces) in *stdin*) bad "replay /dev/stdin on a pipe: a trace stored" ;; *) ok ;; esac
cat "$TMP/pipe1.jsonl" | $L replay /dev/fd/0 >/dev/null 2>"$TMP/err"; check_eq "replay /dev/fd/0 on a pipe exits 2" "$?" 2
check_has "replay /dev/fd/0 on a pipe: why" "$(cat "$TMP/err")" "/dev/fd/0: a pipe, not a regular file"
mkfifo "$TMP/pipe.jsonl"
timeout 5 $L replay "$TMP/pipe.jsonl" >/dev/null 2>"$TMP/err"; check_eq "replay FIFO exits 2 (not waiting for a writer: timeout says 124)" "$?" 2
check_has "replay FIFO: why" "$(cat "$TMP/err")" "$TMP/pipe.jsonl: a pipe, not a regular file"
$L replay /dev/null >/dev/null 2>"$TMP/err"; check_eq "replay a device exits 2" "$?" 2
check_has "replay a device: why, and the import that stores it" "$(cat "$TMP/err")" \
	"/dev/null: a character device, not a regular file: a trace file is imported on first use and its stored copy replayed after; store its lines first with llmcost import /dev/null --name NAME, then use NAME"
# a socket cannot be opened as a file: its lines come through a pipe (nc -U SOCK | …)
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$TMP/sock.jsonl"
$L replay "$TMP/sock.jsonl" >/dev/null 2>"$TMP/err"; check_eq "replay a socket exits 2" "$?" 2
check_has "replay a socket: the import from standard input" "$(cat "$TMP/err")" \
	"$TMP/sock.jsonl: a socket, not a regular file: a trace file is imported on first use and its stored copy replayed after, and a socket gives its lines once; store them first with llmcost import - --name NAME (the socket on standard input)"
case $($L traces) in *pipe*|*null*|*sock*) bad "replay of a pipe, device or socket: a trace stored" ;; *) ok ;; esac
cat "$TMP/pipe1.jsonl" | $L replay /dev/stdin --db "$TMP/none.db" >/dev/null 2>"$TMP/err"
check_eq "a pipe with no store exits 2" "$?" 2
check_has "a pipe with no store: its --db in the import" "$(cat "$TMP/err")" "llmcost import - --name NAME --db $TMP/none.db (the pipe"
check "and makes no store" [ ! -e "$TMP/none.db" ]
# tui and live find their trace as replay does
cat "$TMP/pipe1.jsonl" | $L tui /dev/stdin --frames 1 >/dev/null 2>"$TMP/err"; check_eq "tui /dev/stdin on a pipe exits 2" "$?" 2
check_has "tui /dev/stdin on a pipe: why" "$(cat "$TMP/err")" "/dev/stdin: a pipe, not a regular file"
cat "$TMP/pipe1.jsonl" | $L live /dev/stdin -s v3 --max-usd 1 --dry-run >/dev/null 2>"$TMP/err"
check_eq "live /dev/stdin on a pipe exits 2" "$?" 2
check_has "live /dev/stdin on a pipe: why" "$(cat "$TMP/err")" "/dev/stdin: a pipe, not a regular file"
# a bare name that a stored trace has is still that trace beside a FIFO of the name
(cd "$TMP" && mkfifo day && timeout 5 "$labs" replay day --json >"$TMP/r7.json" 2>"$TMP/err"); check_eq "a FIFO of a stored name: exits 0" "$?" 0
cmp -s "$TMP/r1.json" "$TMP/r7.json"; check_eq "a FIFO of a stored name: the stored trace" "$?" 0
rm "$TMP/day" "$TMP/pipe.jsonl"
# a scenario from a pipe loads (it said "/dev/stdin: No such file or directory", exit 3, having
# read it): it has no folder, so its relative extends and pricing are the current directory's,
# else (extends) a bundled name; so too /dev/stdin on a file elsewhere, the name as typed
v3_rows=$($L replay day -s v3 --csv 2>>"$TMP/notes" | cut -d, -f2-)
echo '{"name": "piped", "extends": "v3"}' | $L replay day -s /dev/stdin --csv >"$TMP/out" 2>"$TMP/err"
check_eq "-s /dev/stdin on a pipe exits 0" "$?" 0
check_eq "-s /dev/stdin on a pipe: its name" "$(sed -n 2p "$TMP/out" | cut -d, -f1)" "piped"
check_eq "-s /dev/stdin on a pipe: extends a bundled name, v3's figures" "$(cut -d, -f2- "$TMP/out")" "$v3_rows"
mkdir -p "$TMP/scpipe"
echo '{"name": "base"}' > "$TMP/scpipe/base.json" # the defaults: not v3's figures
cp fixtures/pricing/openai.json "$TMP/scpipe/prices.json" # the bundled table: base's figures
base_rows=$($L replay day -s "$TMP/scpipe/base.json" --csv 2>>"$TMP/notes" | cut -d, -f2-)
echo '{"extends": "base.json", "pricing": "prices.json"}' > "$TMP/scpipe/child.json"
(cd "$TMP/scpipe" && cat child.json | "$labs" replay day -s /dev/stdin --csv >"$TMP/out" 2>"$TMP/err")
check_eq "a piped scenario's relative extends and pricing: the current directory's" "$?" 0
check_eq "... with base's figures" "$(cut -d, -f2- "$TMP/out")" "$base_rows"
check "... which are not v3's" [ "$base_rows" != "$v3_rows" ]
# without a "name", such a scenario is named by its path as typed: the descriptor's last part
# named nothing the user wrote (-s <(cmd) was "63")
check_eq "... named /dev/stdin" "$(sed -n 2p "$TMP/out" | cut -d, -f1)" "/dev/stdin"
(cd "$TMP/scpipe" && "$labs" replay day -s /dev/fd/3 -s /dev/fd/4 --csv 3<child.json 4<child.json >"$TMP/out" 2>"$TMP/err")
check_eq "-s /dev/fd/3 -s /dev/fd/4: named so" "$(cut -d, -f1 "$TMP/out" | tr '\n' ' ')" "scenario /dev/fd/3 /dev/fd/4 "
# a scenario and a price file that are FIFOs (what -s <(cmd) and LLMCOST_PRICING=<(cmd) name),
# each written once by a writer in the background, are read to their end; the price file, which
# every scenario without "pricing" reads (here recorded and base), is read once: the second read
# waited for a writer gone (timeout: 124 before)
mkfifo "$TMP/scpipe/base.fifo" "$TMP/scpipe/prices.fifo"
cat "$TMP/scpipe/base.json" > "$TMP/scpipe/base.fifo" & w1=$!
cat fixtures/pricing/openai.json > "$TMP/scpipe/prices.fifo" & w2=$!
LLMCOST_PRICING="$TMP/scpipe/prices.fifo" timeout 20 $L replay day -s recorded -s "$TMP/scpipe/base.fifo" \
	--csv >"$TMP/out" 2>>"$TMP/notes"; rc=$?
kill $w1 $w2 2>/dev/null; wait $w1 $w2 2>/dev/null
check_eq "a FIFO scenario and price file: exit 0" "$rc" 0
check_eq "... read whole: as from the files" "$(cat "$TMP/out")" \
	"$($L replay day -s recorded -s "$TMP/scpipe/base.json" --csv 2>>"$TMP/notes")"
# recorded's usd_total, as worked out at the top: 5,752,000,000 pUSD = 0.005752 USD
col=$(head -1 "$TMP/out" | tr , '\n' | grep -n '^usd_total$' | cut -d: -f1)
check_eq "... the prices read whole: recorded's usd_total" "$(sed -n 2p "$TMP/out" | cut -d, -f"$col")" 0.005752000000
(cd "$TMP" && "$labs" replay day -s /dev/stdin --csv <"$TMP/scpipe/child.json" >/dev/null 2>"$TMP/err")
check_eq "/dev/stdin on a file elsewhere: relative to the current directory, exit 3" "$?" 3
check_has "... its extends named" "$(cat "$TMP/err")" "llmcost: /dev/stdin: extends: no file \"base.json\""
# a file in a folder under /dev (a tmpfs at /dev/shm) is no descriptor: its names are its folder's
if [ -d /dev/shm ] && [ -w /dev/shm ] && shm=$(mktemp -d /dev/shm/llmcost-test.XXXXXX); then
	cp "$TMP/scpipe/base.json" "$TMP/scpipe/prices.json" "$TMP/scpipe/child.json" "$shm/"
	(cd "$TMP" && "$labs" replay day -s "$shm/child.json" --csv >"$TMP/out" 2>"$TMP/err")
	check_eq "a scenario file under /dev/shm: its relative names beside it" "$(cut -d, -f2- "$TMP/out")" "$base_rows"
	rm -rf "$shm"
else
	echo "cli_replay: note: no writable /dev/shm; the case of a scenario file there is skipped" >&2
fi
# extends naming a folder names the file and key (it said only "…/sub: cannot read: Is a
# directory"); a bare name that is a folder is a bundled scenario's, as -s takes it
mkdir -p "$TMP/scdir/sub" "$TMP/scdir/v3"
echo '{"extends": "sub"}' > "$TMP/scdir/ext.json"
$L replay day -s "$TMP/scdir/ext.json" 2>"$TMP/err"; check_eq "extends a folder exits 3" "$?" 3
check_eq "extends a folder: file and key named" "$(cat "$TMP/err")" \
	"llmcost: $TMP/scdir/ext.json: extends: \"$TMP/scdir/sub\" is a folder, not a scenario file"
echo '{"extends": "v3"}' > "$TMP/scdir/mine.json"
$L replay day -s "$TMP/scdir/mine.json" --csv >"$TMP/out" 2>"$TMP/err"; check_eq "extends v3 beside a folder v3 exits 0" "$?" 0
check_eq "... the bundled v3" "$(cut -d, -f2- "$TMP/out")" "$v3_rows"

# --- the JSON shape: keys present and in the SPEC §5 order
if command -v python3 >/dev/null; then
	out=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
totals = ["requests", "resolved", "failed", "degraded", "rejected", "cache_hits", "cache_hit_rate",
    "cache_tokens_saved", "cache_usd_saved", "calls", "input_tokens", "output_tokens",
    "cached_input_tokens", "input_tokens_per_request", "output_tokens_per_request", "large_share",
    "retries", "retry_tokens", "retry_usd", "fallbacks", "fallback_rate", "fallbacks_denied",
    "breaker_rejections", "budget_violations", "budget_violation_rate", "truncated", "summarized",
    "async", "batched", "output_capped", "usd_total", "billed_usd", "usd_per_hour_peak",
    "usd_per_resolved", "projected_monthly_usd", "latency_p50_ms", "latency_p95_ms"]
assert list(d) == ["trace", "scenarios"], list(d)
assert list(d["trace"]) == ["name", "requests", "tenants", "first_ts", "last_ts", "span_s"], list(d["trace"])
s = d["scenarios"][0]
assert list(s) == ["name", "totals", "by_tenant", "by_task", "by_model", "timeline", "alerts"], list(s)
assert list(s["totals"]) == totals, list(s["totals"])
assert [list(g)[0] for g in s["by_tenant"]] == ["tenant"] * 2
assert [g["tenant"] for g in s["by_tenant"]] == ["acme", "beta"]
assert list(s["by_tenant"][0])[1:] == totals
assert [g["task"] for g in s["by_task"]] == ["faq_answer", "policy_check"]
assert list(s["by_model"][0]) == ["model", "calls", "input_tokens", "output_tokens", "usd"]
assert [m["model"] for m in s["by_model"]] == ["gpt-4.1", "gpt-4.1-mini"]
assert list(s["timeline"]) == ["bucket_s", "t0", "requests", "cache_hits", "calls", "calls_large",
    "fallbacks", "retries", "usd", "retry_usd", "first_calls", "first_fallbacks"], list(s["timeline"])
assert isinstance(s["alerts"], list)
t = d["trace"]
print(t["name"], t["requests"], t["tenants"], t["first_ts"], t["last_ts"], t["span_s"], s["name"],
      s["totals"]["requests"], s["totals"]["large_share"], s["timeline"]["bucket_s"],
      s["timeline"]["t0"], s["timeline"]["requests"])
' "$TMP/r1.json" 2>&1)
	# 4 requests, 2 tenants, 120 s; 1 of 4 calls on gpt-4.1 (large); buckets of 60 s from
	# 10:00: arrivals at 0 s and 30 s, 60 s, 120 s → [2, 1, 1]
	check_eq "JSON shape" "$out" \
		"day 4 2 2026-03-02T10:00:00Z 2026-03-02T10:02:00Z 120 recorded 4 0.25 60 2026-03-02T10:00:00Z [2, 1, 1]"
else
	bad "python3 is needed to check the JSON shape"
fi
# exact amounts in the raw text (white space removed): usd_total 5,752,000,000 pUSD;
# billed (Σ cost_usd) the same; usd_per_hour_peak: all calls within one hour;
# usd_per_resolved 5,752,000,000 ÷ 4 = 1,438,000,000; projected × (30 × 86400 ÷ 120 = 21600)
# = 124,243,200,000,000 pUSD; latencies [300, 400, 500, 800] ms: nearest rank p50 = 2nd = 400,
# p95 = 4th = 800
raw=$(tr -d ' \t\n' < "$TMP/r1.json")
check_has "exact amounts" "$raw" '"usd_total":0.005752000000,"billed_usd":0.005752000000,"usd_per_hour_peak":0.005752000000,"usd_per_resolved":0.001438000000,"projected_monthly_usd":124.243200000000,"latency_p50_ms":400,"latency_p95_ms":800}'
check_has "by_model amounts" "$raw" '{"model":"gpt-4.1","calls":1,"input_tokens":2000,"output_tokens":50,"usd":0.004400000000}'
# digits a double does not hold are read from the scenario's text (python3: repr(12345678.000000001)
# is '12345678.000000002'): projected 124.2432 USD (above) × 12345678.000000001 =
# 124.2432 × 12345678 + 124.2432 × 10^-9 = 1533866540.8896 + 0.0000001242432 USD, to a pico-USD
# 1533866540.889600124243 (0.2 pico-USD dropped; the double's multiplier gives ...600248486)
echo '{"mode": "recorded", "projection": {"traffic_multiplier": 12345678.000000001}}' > "$TMP/mult.json"
raw=$($L replay day -s "$TMP/mult.json" --json 2>>"$TMP/notes" | tr -d ' \t\n')
check_has "a multiplier of 17 digits, exactly" "$raw" '"projected_monthly_usd":1533866540.889600124243,'
# the same for a price file and usd_per_hour_cap: the first call, 4294967295 input tokens at
# 2147 USD per 1M, fails (injected, a timeout billed in full) and costs 4294967295 × 2147 ÷ 10^6
# = 9221294.782365 USD, above a cap of 9221294.782364999999 (a double reads it as 9221294.782365):
# its fallback is denied; at a cap of 9221294.782365 it is not (the spend is not above it).
# A price of 1234567890123.123456 USD per 1M (a double's 1234567890123.1235) on 1 token is
# 1234567.890123123456 USD
echo '{"date": "2026-01-01", "models": {"s": {"tier": "small", "input": 2147, "output": 2147},
 "l": {"tier": "large", "input": 1, "output": 1}, "odd": {"input": 1234567890123.123456, "output": 0}}}' > "$TMP/big-prices.json"
echo '{"ts":"2026-03-02T00:00:00Z","tenant":"t","task":"faq","input_tokens":4294967295,"output_tokens":0,"model":"s"}' > "$TMP/bigcall.jsonl"
$L import "$TMP/bigcall.jsonl" >/dev/null # stored first: the replays below say nothing of it
for cap in 9221294.782364999999:1 9221294.782365:0; do
	echo '{"pricing": "big-prices.json", "routes": {"small": "s", "large": "l"}, "retry": {"max_attempts": 1},
 "fallback": {"usd_per_hour_cap": '"${cap%:*}"'}, "faults": {"recorded": false,
 "inject": [{"model": "s", "from": "2026-01-01T00:00:00Z", "to": "2027-01-01T00:00:00Z", "rate": 1}]}}' > "$TMP/cap.json"
	raw=$($L replay "$TMP/bigcall.jsonl" -s "$TMP/cap.json" --json | tr -d ' \t\n')
	check_has "usd_per_hour_cap ${cap%:*}, exactly" "$raw" '"fallbacks_denied":'"${cap#*:}"','
done
echo '{"ts":"2026-03-02T00:00:00Z","tenant":"t","task":"faq","input_tokens":1,"output_tokens":0,"model":"odd"}' > "$TMP/oddcall.jsonl"
$L import "$TMP/oddcall.jsonl" >/dev/null
echo '{"mode": "recorded", "pricing": "big-prices.json"}' > "$TMP/odd.json"
raw=$($L replay "$TMP/oddcall.jsonl" -s "$TMP/odd.json" --json | tr -d ' \t\n')
check_has "a price of 19 digits, exactly" "$raw" '"usd_total":1234567.890123123456,'
# a trace of blank lines only: no arrival, so no first or last time, no span (it was 0 beside
# the two nulls it is the difference of), no t0 and no bucket
printf '\n  \n' > "$TMP/blank.jsonl"
got=$($L replay "$TMP/blank.jsonl" --json 2>/dev/null | python3 -c 'import json, sys
d = json.load(sys.stdin); t = d["trace"]; tl = d["scenarios"][0]["timeline"]
print(t["requests"], t["first_ts"], t["last_ts"], t["span_s"], tl["t0"], tl["requests"], tl["usd"])')
check_eq "an empty trace: nulls and empty arrays" "$got" "0 None None None None [] []"

# --- an empty fallback chain falls back to no model (README): every call fails (rate 1,
# faults.recorded off); retry's defaults (3 attempts on server_error) give 3 calls each, 2 of
# them retries; server_error is billed none: $0; faq gives up degraded, other failed
printf '%s\n' '{"ts":"2026-03-02T10:10:00Z","tenant":"a","task":"faq","model":"gpt-4.1-mini","input_tokens":100,"output_tokens":10}' \
	'{"ts":"2026-03-02T10:10:01Z","tenant":"a","task":"other","model":"gpt-4.1-mini","input_tokens":100,"output_tokens":10}' > "$TMP/nochain.jsonl"
echo '{"routes": {"small": "gpt-4.1-mini"}, "fallback": {"chain": [], "degrade_tasks": ["faq"]},
 "faults": {"recorded": false, "inject": [{"model": "gpt-4.1-mini", "from": "2026-03-02T10:00:00Z",
 "to": "2026-03-02T11:00:00Z", "status": "server_error", "rate": 1}]}}' > "$TMP/nochain.json"
got=$($L replay "$TMP/nochain.jsonl" -s "$TMP/nochain.json" --json 2>/dev/null | python3 -c 'import json, sys
t = json.load(sys.stdin)["scenarios"][0]["totals"]
print(t["calls"], t["retries"], t["usd_total"], t["fallbacks"], t["degraded"], t["failed"])')
check_eq "an empty fallback chain: degraded or failed, no fallback" "$got" "6 4 0.0 0 1 1"

# --- CSV: header and a row per scenario; --by tenant a row per scenario × tenant
out=$($L replay day -s recorded -s v3 --csv 2>>"$TMP/notes"); check_eq "csv exits 0" "$?" 0
check_eq "csv rows" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3
check_has "csv header" "$(printf '%s\n' "$out" | head -1)" "scenario,requests,resolved,failed,"
check_has "csv billed column" "$(printf '%s\n' "$out" | head -1)" ",usd_total,billed_usd,usd_per_hour_peak,"
check_has "csv recorded row" "$out" "
recorded,4,4,0,0,0,0,0,0,0.000000000000,4,4500,270,0,1125,67.5,0.25,"
check_has "csv v3 row" "$out" "
v3 cache+routing,4,"
out=$($L replay day -s recorded -s v3 --csv --by tenant 2>>"$TMP/notes")
check_eq "csv --by tenant rows" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 5
check_has "csv --by tenant header" "$out" "scenario,tenant,requests,"
check_has "csv --by tenant row" "$out" "
recorded,beta,1,1,"
out=$($L replay day --csv --by model 2>>"$TMP/notes")
check_eq "csv --by model" "$out" "scenario,model,calls,input_tokens,output_tokens,usd
recorded,gpt-4.1,1,2000,50,0.004400000000
recorded,gpt-4.1-mini,3,2500,220,0.001352000000"
out=$($L replay day --csv --by time 2>>"$TMP/notes" | head -2 | tail -1)
check_eq "csv --by time" "$out" "recorded,2026-03-02T10:00:00Z,2,0,2,1,0,0,0.004960000000,0.000000000000,2,0"

# --- the table: the trace line, deltas against the first scenario, alerts, same bytes twice
$L replay day -s recorded -s baseline >"$TMP/t1" 2>&1; check_eq "table exits 0" "$?" 0
$L replay day -s recorded -s baseline >"$TMP/t2" 2>&1
cmp -s "$TMP/t1" "$TMP/t2"; check_eq "table: same input, same bytes" "$?" 0
out=$(cat "$TMP/t1")
check_has "table trace line" "$out" "trace day: 4 requests, 2 tenants, span 00:02:00"
check_has "table header" "$out" "recorded"
check_has "table billed row" "$out" "billed USD (cost_usd)"
check_has "table alerts" "$out" "alerts"
# baseline runs everything on gpt-4.1: 4500 × 2000000 + 270 × 8000000 = 11,160,000,000 pUSD
# = $0.01116 against $0.005752: (11160 − 5752) ÷ 5752 = +94.02…%
check_eq "table delta" "$(grep '^USD total' "$TMP/t1" | tr -s ' ')" 'USD total $0.005752 $0.01116 +94.0%'
# against a reference of 0 (a count, or USD) no change is a percentage: the cell is blank (README);
# a scenario that rejects every request (input_max 1, overflow reject) resolves 0 and costs $0
echo '{"name": "none", "budget": {"*": {"input_max": 1, "overflow": "reject"}}}' > "$TMP/none.json"
$L replay day -s "$TMP/none.json" -s recorded >"$TMP/t0" 2>&1
check_eq "table: no change against a USD total of 0" "$(grep '^USD total' "$TMP/t0" | tr -s ' ')" 'USD total $0.00 $0.005752'
check_eq "table: no change against a count of 0" "$(grep '^resolved' "$TMP/t0" | tr -s ' ')" 'resolved 0 4'
check_eq "table: a change to 0 is -100%" "$(grep '^rejected' "$TMP/t0" | tr -s ' ')" 'rejected 4 0 -100.0%'
# $LLMCOST_PRICING is the table of every bundled scenario, not only of recorded: under a
# table with every price × 10, recorded 5,752,000,000 → 57,520,000,000 pUSD; baseline
# 11,160,000,000 (above) → 111,600,000,000; v3 runs all four on gpt-4.1-mini (no rule or
# budget applies, no input text to cache): 4500 × 400000 + 270 × 1600000 = 2,232,000,000
# → 22,320,000,000
python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))
for m in t["models"].values():
    for k in ("input", "cached_input", "output"):
        m[k] = round(m[k] * 10, 6)
json.dump(t, open(sys.argv[2], "w"))' fixtures/pricing/openai.json "$TMP/dear.json"
out=$(LLMCOST_PRICING="$TMP/dear.json" $L replay day -s recorded -s baseline -s v3 2>/dev/null | grep '^USD total' | tr -s ' ')
check_eq "LLMCOST_PRICING prices every bundled scenario" "$out" 'USD total $0.05752 $0.1116 +94.0% $0.02232 -61.2%'
out=$($L replay day --by tenant 2>>"$TMP/notes"); check_has "table --by tenant" "$out" "recorded, by tenant"
check_has "table --by tenant row" "$out" "  beta "
# degraded and rejected columns come when the scenario has any, so that each row's outcomes
# add up to its requests (flood-guard degrades non-critical tasks on the bundled incident)
$L import fixtures/traces/flood.jsonl.gz >/dev/null 2>&1
out=$($L replay flood -s flood-guard --by tenant)
check_has "table --by tenant: a degraded column" "$(printf '%s\n' "$out" | grep '^  tenant')" "failed   degraded   hit rate"
check_eq "table --by tenant: requests = resolved + failed + degraded, row by row" "$(printf '%s\n' "$out" |
	awk '/^  tenant/ { on = 1; next } on && NF == 0 { exit } on { gsub(",", ""); if ($2 != $3 + $4 + $5) bad++; n++ }
	     END { print n, bad + 0 }')" "10 0"
out=$($L replay flood -s v3 --by tenant)
case $(printf '%s\n' "$out" | grep '^  tenant') in *degraded*) bad "table --by tenant: a degraded column of zeros" ;; *) ok ;; esac
# --- a --by table of many groups lists them by USD total, highest first (ties by name), the
# first 20 unless --top N says otherwise (0: all), then counts the others; --csv lists every one
$L gen faq --requests 3000 --tenants 1000 -o "$TMP/many.jsonl" 2>/dev/null
$L import --quiet "$TMP/many.jsonl" >/dev/null
csv=$($L replay many --csv --by tenant)
n=$(($(printf '%s\n' "$csv" | wc -l) - 1))
check "many tenants in the CSV, every one ($n)" test "$n" -gt 100
# the order worked out from the CSV: its usd_total column, highest first, then the name (bytes)
col=$(printf '%s\n' "$csv" | head -1 | tr , '\n' | grep -n '^usd_total$' | cut -d: -f1)
by_usd=$(printf '%s\n' "$csv" | tail -n +2 | awk -F, -v c="$col" '{ print $c "," $2 }' |
	LC_ALL=C sort -t, -k1,1gr -k2,2 | cut -d, -f2)
rows() { awk '/^  tenant / { on = 1; next } on && (NF == 0 || /^  … /) { exit } on { print $1 }'; }
out=$($L replay many --by tenant)
check_eq "--by tenant: the first 20 by USD" "$(printf '%s\n' "$out" | rows)" "$(printf '%s\n' "$by_usd" | head -20)"
check_has "--by tenant: the others counted" "$out" "
  … $((n - 20)) more tenants (--top 0 lists all; --csv and --json list every group)
"
out=$($L replay many --by tenant --top 5)
check_eq "--top 5: the first 5 by USD" "$(printf '%s\n' "$out" | rows)" "$(printf '%s\n' "$by_usd" | head -5)"
check_has "--top 5: the others counted" "$out" "  … $((n - 5)) more tenants ("
out=$($L replay many --by tenant --top 0)
check_eq "--top 0: every tenant by USD" "$(printf '%s\n' "$out" | rows)" "$by_usd"
case $out in *" more tenant"*) bad "--top 0 counts others" ;; *) ok ;; esac
check_eq "--csv: every tenant, in the order it had" "$(printf '%s\n' "$csv" | tail -n +2 | cut -d, -f2 | sort | uniq | wc -l)" "$n"
$L replay many --csv --by tenant --top 5 >/dev/null 2>"$TMP/err"; check_eq "--top with --csv: exit 2" "$?" 2
check_has "--top with --csv: why" "$(cat "$TMP/err")" "--top is for the table: --csv and --json list every group"
$L replay many --by time --top 5 >/dev/null 2>"$TMP/err"; check_eq "--top with --by time: exit 2" "$?" 2
$L replay many --top 5 >/dev/null 2>"$TMP/err"; check_eq "--top without --by: exit 2" "$?" 2
check_has "--top without --by: why" "$(cat "$TMP/err")" "--top is for --by tenant, task or model"
for v in -1 x 5x ""; do
	$L replay many --by tenant --top "$v" >/dev/null 2>"$TMP/err"; check_eq "--top '$v': exit 2" "$?" 2
done
check_has "--top x: why" "$(cat "$TMP/err")" "--top takes a number of groups (0: all)"
check_has "replay --help: --top" "$($L replay --help)" "--top N           the table's first N groups"
rm -f "$TMP/many.jsonl"
out=$($L replay day -s v3 -s flood-guard 2>>"$TMP/notes"); check_eq "bundled scenario names" "$?" 0
# the bundled scenarios and prices are found next to the program: in fixtures/ of its folder or
# up to three above it, or in ../share/llmcost (an installed copy); the same figures either way
want=$($L replay day -s v3 --csv 2>>"$TMP/notes")
mkdir -p "$TMP/inst/a/b/c" "$TMP/pfx/bin" "$TMP/pfx/share/llmcost"
cp "$L" "$TMP/inst/a/b/c/llmcost" && cp "$L" "$TMP/pfx/bin/llmcost"
ln -s "$PWD/fixtures" "$TMP/inst/fixtures"
ln -s "$PWD/fixtures/scenarios" "$TMP/pfx/share/llmcost/scenarios"
ln -s "$PWD/fixtures/pricing" "$TMP/pfx/share/llmcost/pricing"
out=$("$TMP/inst/a/b/c/llmcost" replay day -s v3 --csv 2>"$TMP/err"); check_eq "fixtures three folders up: exit 0" "$?" 0
check_eq "fixtures three folders up: the same figures" "$out" "$want"
out=$("$TMP/pfx/bin/llmcost" replay day -s v3 --csv 2>"$TMP/err"); check_eq "../share/llmcost: exit 0" "$?" 0
check_eq "../share/llmcost: the same figures" "$out" "$want"
rm -rf "$TMP/inst" "$TMP/pfx"
# a scenario elsewhere extends a bundled one by name: v3 under another name, the same figures
mkdir -p "$TMP/own" && echo '{"extends": "v3", "name": "mine"}' > "$TMP/own/mine.json"
out=$($L replay day -s v3 -s "$TMP/own/mine.json" --csv 2>>"$TMP/notes"); check_eq "extends v3 exits 0" "$?" 0
v3row=$(echo "$out" | grep '^v3 cache+routing,' | cut -d, -f2-)
check "extends v3: a v3 row" test -n "$v3row"
check_eq "extends v3: v3's figures" "$(echo "$out" | grep '^mine,' | cut -d, -f2-)" "$v3row"

# two scenarios of one name that differ are told apart by their -s arguments, in the table,
# the CSV and the JSON; one scenario given twice (by name and by path) keeps its name
echo '{"extends": "baseline", "name": "mine"}' > "$TMP/own/other.json"
out=$($L replay day -s "$TMP/own/mine.json" -s "$TMP/own/other.json" --csv 2>>"$TMP/notes" | cut -d, -f1 | tail -n +2)
check_eq "same name: the -s argument added" "$out" "$(printf 'mine (%s)\nmine (%s)' "$TMP/own/mine.json" "$TMP/own/other.json")"
out=$($L replay day -s "$TMP/own/mine.json" -s "$TMP/own/other.json" 2>>"$TMP/notes" | head -3 | tail -1)
check_has "same name: the table's titles" "$out" "mine (/"
out=$($L replay day -s "$TMP/own/mine.json" -s "$TMP/own/other.json" --json 2>>"$TMP/notes" |
	python3 -c 'import json,sys; print(",".join(s["name"] for s in json.load(sys.stdin)["scenarios"]))')
check_eq "same name: the JSON's names" "$out" "mine ($TMP/own/mine.json),mine ($TMP/own/other.json)"
out=$($L replay day -s v3 -s fixtures/scenarios/v3.json -s v3 --csv 2>>"$TMP/notes" | cut -d, -f1 | tail -n +2 | sort -u)
check_eq "one scenario twice: its name as it is" "$out" "v3 cache+routing"

# --- billed against priced: a warning beyond 0.5% (200 × |diff| > priced), none at it
# priced 560,000,000 pUSD; 0.0005628 is 2,800,000 off: 200 × 2,800,000 = 560,000,000, not more
line 00:00Z acme faq_answer gpt-4.1-mini 1000 100 400 0.0005628 > "$TMP/edge.jsonl"
$L replay "$TMP/edge.jsonl" >/dev/null 2>"$TMP/err"; check_eq "edge replay exits 0" "$?" 0
check_eq "no warning at 0.5%" "$(cat "$TMP/err")" "edge: imported 1 request"
check_has "one request, singular" "$($L replay edge)" "trace edge: 1 request, 1 tenant, span 00:00:00"
# `traces` sizes its columns to their cells: a long name and a time with milliseconds
line 00:00.125Z acme faq_answer gpt-4.1-mini 1000 100 400 0.00056 > "$TMP/a-rather-long-trace-name.jsonl"
$L import "$TMP/a-rather-long-trace-name.jsonl" >/dev/null 2>&1; check_eq "long name imported" "$?" 0
out=$($L traces); check_has "traces: the time with milliseconds" "$out" "2026-03-02T10:00:00.125Z"
check_eq "traces: every row's source under SOURCE" \
	"$(echo "$out" | awk 'NR == 1 { p = index($0, "SOURCE") } NR > 1 && substr($0, p, 1) != "/" { n++ } END { print n + 0 }')" 0
# 0.000562801 is 2,801,000 off: 200 × 2,801,000 = 560,200,000 > 560,000,000
line 00:00Z acme faq_answer gpt-4.1-mini 1000 100 400 0.000562801 > "$TMP/stale.jsonl"
$L replay "$TMP/stale.jsonl" >/dev/null 2>"$TMP/err"; check_eq "a warning still exits 0" "$?" 0
check_has "warning beyond 0.5%" "$(cat "$TMP/err")" "warning: scenario \"recorded\": the billed cost (cost_usd) 0.000562801000 USD differs from the priced cost 0.000560000000 USD"
check_has "no cause the run sees: the price table asked about" "$(cat "$TMP/err")" "of the same lines by more than 0.5%: is the price table "
# the causes the run counts, named before the price table: a line billed $0 though priced
# 1000 × 0.40 + 100 × 1.60 = 560 µUSD (a proxy's cache), and a realtime false line billed
# 0.00028 (half of 560 µUSD: a batch API); billed 0.00028 against 1120 µUSD priced
{ line 00:00Z acme faq_answer gpt-4.1-mini 1000 100 400 0
  printf '{"ts":"2026-03-02T10:00:01Z","tenant":"acme","task":"faq_answer","model":"gpt-4.1-mini","input_tokens":1000,"output_tokens":100,"cost_usd":0.00028,"realtime":false}\n'; } > "$TMP/causes.jsonl"
$L replay "$TMP/causes.jsonl" >/dev/null 2>"$TMP/err"; check_eq "causes: exits 0" "$?" 0
check_has "causes: named, the price table last" "$(cat "$TMP/err")" "warning: scenario \"recorded\": the billed cost (cost_usd) 0.000280000000 USD differs from the priced cost 0.001120000000 USD of the same lines by more than 0.5%: 1 request was billed \$0 though its calls have tokens: answered by a proxy's cache?; 1 request is realtime false: billed at a batch API's discount, which the price table does not apply?; or is the price table "
check_eq "causes: one message" "$(errs | grep -c .)" 2 # the import's line, the warning
# exact past the pico-USD: 0.0005628000000004 is 2,800,000.0004 pUSD off: 200 × that =
# 560,000,080 > 560,000,000 (rounded to a pico-USD first, it would not be); billed_usd is the
# exact sum rounded once: 0.000562800000
line 00:00Z acme faq_answer gpt-4.1-mini 1000 100 400 0.0005628000000004 > "$TMP/subpico.jsonl"
$L replay "$TMP/subpico.jsonl" >/dev/null 2>"$TMP/err"
check_has "a warning just past 0.5%, below a pico-USD" "$(cat "$TMP/err")" "the billed cost (cost_usd) 0.000562800000 USD differs"
# two lines of 0.5 pUSD: each rounds to 0 (half to even), their exact sum is 1 pUSD
{ line 00:00Z acme t gpt-4.1-mini 0 0 400 0.0000000000005; line 00:01Z beta t gpt-4.1-mini 0 0 400 5e-13; } > "$TMP/halves.jsonl"
got=$($L replay "$TMP/halves.jsonl" --json 2>/dev/null | python3 -c 'import json, sys
s = json.load(sys.stdin)["scenarios"][0]
print(s["totals"]["billed_usd"], [g["billed_usd"] for g in s["by_tenant"]], [g["billed_usd"] for g in s["by_task"]])')
check_eq "billed_usd sums the exact costs, each group rounded once" "$got" "1e-12 [0.0, 0.0] [1e-12]"

# --- a model the pricing file lacks: exit 3, named
{ line 00:00Z acme faq_answer gpt-4.1-mini 10 10 400 0.1; echo 'not json'
  line 00:05Z beta faq_answer no-such-model 10 10 400 0.1; } > "$TMP/unpriced.jsonl"
$L replay "$TMP/unpriced.jsonl" >/dev/null 2>"$TMP/err"; check_eq "unpriced model exits 3" "$?" 3
# the request by its time, tenant and task (it is the file's line 3, the trace's 2nd accepted line)
check_has "unpriced model named, with the request to find" "$(cat "$TMP/err")" \
	"model \"no-such-model\" (of the request at 2026-03-02T10:00:05Z, tenant beta, task faq_answer; accepted line 2 of the trace)"
# a dated snapshot name whose alias the table prices: a trace v1 line keeps its name as written
# (the other formats' readers take the alias), and the error names the alias to write
line 00:00Z acme faq_answer gpt-4.1-mini-2025-04-14 10 10 400 0.1 > "$TMP/dated.jsonl"
$L replay "$TMP/dated.jsonl" >/dev/null 2>"$TMP/err"; check_eq "a dated model name exits 3" "$?" 3
check_has "a dated model name: its alias named" "$(cat "$TMP/err")" \
	'model "gpt-4.1-mini-2025-04-14" (of the request at 2026-03-02T10:00:00Z, tenant acme, task faq_answer; accepted line 1 of the trace) is not in '
check_has "a dated model name: the alias to write" "$(cat "$TMP/err")" \
	'openai.json, which prices its alias "gpt-4.1-mini": write the alias in the trace'
# a date on a name the table lacks anyway: the plain message
line 00:00Z acme faq_answer gpt-9-2025-04-14 10 10 400 0.1 > "$TMP/dated9.jsonl"
$L replay "$TMP/dated9.jsonl" >/dev/null 2>"$TMP/err"
check_has "a dated name without a priced alias: the plain message" "$(cat "$TMP/err")" \
	'openai.json: add its prices there, or give the scenario a "pricing" file that has them'

# --- a trace whose arrivals span more days than the timeline holds (1,000,000): exit 3, the
# two arrivals named, not a hint about the scenario's durations
{
	printf '{"ts":"0001-01-01T00:00:00Z","tenant":"a","task":"b","input_tokens":5,"output_tokens":1}\n'
	printf '{"ts":"9999-12-31T23:59:59Z","tenant":"a","task":"b","input_tokens":5,"output_tokens":1}\n'
} > "$TMP/span.jsonl"
$L replay "$TMP/span.jsonl" -s v3 >/dev/null 2>"$TMP/err"; check_eq "a 10,000-year trace exits 3" "$?" 3
check_has "the span is named" "$(cat "$TMP/err")" \
	"arrivals span 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, more than the timeline's 1000000 days"

# --- the caches' normalized inputs: the first replay of a trace under a set of steps keeps
# them in the store, one id per distinct input; the next reads them (a kept set that maps each
# input to itself, so that case and spacing variants no longer meet, shows that it is read) or,
# when they cannot be the trace's, makes its own
$L gen faq --requests 3000 --seed 5 -o "$TMP/faq.jsonl" 2>/dev/null
$L replay "$TMP/faq.jsonl" -s v3 --json > "$TMP/faq1.json" 2>/dev/null; check_eq "a first replay of faq exits 0" "$?" 0
kept() { sqlite3 "$LLMCOST_DB" "SELECT n.flags, length(n.data) / 4, (SELECT count(*) FROM inputs i
	WHERE i.trace_id = t.id) FROM normalized n JOIN traces t ON t.id = n.trace_id WHERE t.name = 'faq'"; }
n_in=$(sqlite3 "$LLMCOST_DB" "SELECT count(*) FROM inputs i JOIN traces t ON t.id = i.trace_id WHERE t.name = 'faq'")
check_eq "the first replay keeps v3's normalized inputs (lower|strip_punct|collapse_space = 7)" "$(kept)" "7|$n_in|$n_in"
$L replay faq -s v3 --json > "$TMP/faq2.json"
check_eq "a replay reading them reports the same" "$(cmp "$TMP/faq1.json" "$TMP/faq2.json" && echo same)" same
set_kept() { python3 -c '
import sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2]); ids = list(range(n))
if sys.argv[3] == "later": ids[1] = n - 1
db.execute("UPDATE normalized SET data = ? WHERE trace_id = (SELECT id FROM traces WHERE name = \x27faq\x27)",
           (struct.pack("<%dI" % n, *ids),)); db.commit()' "$LLMCOST_DB" "$n_in" "$1"; }
hits() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["scenarios"][0]["totals"]["cache_hits"])' "$1"; }
set_kept own
$L replay faq -s v3 --json > "$TMP/faq3.json"
h1=$(hits "$TMP/faq1.json"); h3=$(hits "$TMP/faq3.json")
check "kept ids are read: fewer hits when each input is its own ($h3 < $h1)" [ "$h3" -lt "$h1" ]
set_kept later
$L replay faq -s v3 --json > "$TMP/faq4.json"
check_eq "kept ids that name a later input are not read" "$(cmp "$TMP/faq1.json" "$TMP/faq4.json" && echo same)" same
$L rm faq >/dev/null; check_eq "rm removes them" "$(sqlite3 "$LLMCOST_DB" \
	"SELECT count(*) FROM normalized WHERE trace_id NOT IN (SELECT id FROM traces)")" 0

# --- progress: none off a terminal; on one, a replay that takes more than a second shows a
# line on stderr, then clears it; the report on stdout is the same either way.  The process is
# held stopped for 1.2 s once its line's thread has started (it has a second thread), so the
# line is due when it goes on.
$L gen flood --requests 100000 --seed 3 -o "$TMP/big.jsonl" 2>/dev/null
$L import "$TMP/big.jsonl" --quiet >/dev/null 2>&1; check_eq "a 100,000-request trace imported" "$?" 0
sixteen="-s v3 -s v3 -s v3 -s v3 -s v3 -s v3 -s v3 -s v3 -s v3 -s v3 -s v3 -s v3 -s v3 -s v3 -s v3 -s v3"
$L replay big $sixteen > "$TMP/big-pipe.out" 2>"$TMP/err"; check_eq "a long replay exits 0" "$?" 0
check_eq "no progress line off a terminal" "$(cat "$TMP/err")" ""
if command -v script >/dev/null 2>&1; then
	# held-replay.sh OUT ACTION: the replay, writing OUT; once it has a second thread, ACTION
	# (pause: stopped for 1.2 s; else a signal to send); then its exit status
	cat > "$TMP/held-replay.sh" <<HELD
"$L" replay big $sixteen > "\$1" &
pid=\$!
while [ "\$(ls /proc/\$pid/task 2>/dev/null | wc -l)" -lt 2 ] && kill -0 \$pid 2>/dev/null; do :; done
if [ "\$2" = pause ]; then kill -STOP \$pid; sleep 1.2; kill -CONT \$pid; else kill -"\$2" \$pid; fi
wait \$pid
HELD
	script -qec "sh $TMP/held-replay.sh $TMP/big-tty.out pause" /dev/null > "$TMP/tty.out" 2>&1
	check_has "progress line on a terminal" "$(cat "$TMP/tty.out")" " big"
	check_eq "the line names its phase" "$(grep -c -e 'loading big' -e 'preparing big: 100,000 requests' \
		-e 'replaying big: 16 scenarios × 100,000 requests on ' "$TMP/tty.out")" 1
	check_eq "the line is cleared at the end" "$(tail -c 4 "$TMP/tty.out" | od -An -c | tr -d ' ')" '\r033[K'
	check_eq "the report is the same on a terminal" "$(cmp "$TMP/big-pipe.out" "$TMP/big-tty.out" && echo same)" same
	# on a locale that is not UTF-8, the line is ASCII: "x" for "×", "..." for "…"
	LC_ALL=C script -qec "sh $TMP/held-replay.sh /dev/null pause" /dev/null > "$TMP/tty.out" 2>&1
	check_eq "LC_ALL=C: the line in ASCII" "$(grep -c -e 'loading big\.\.\.' -e 'preparing big: 100,000 requests\.\.\.' \
		-e 'replaying big: 16 scenarios x 100,000 requests on ' "$TMP/tty.out")" 1
	check_eq "LC_ALL=C: no byte past ASCII" "$(LC_ALL=C grep -c '[^ -~[:cntrl:]]' "$TMP/tty.out")" 0
	# SIGTERM during the replay clears the line and ends the process as the signal does
	script -qec "sh $TMP/held-replay.sh /dev/null TERM; printf 'status %s' \$?" /dev/null > "$TMP/term.out" 2>&1
	out=$(od -An -c "$TMP/term.out" | tr -d ' \n')
	check_eq "SIGTERM clears the line first" "$(printf %s "$out" | cut -c1-7)" '\r033[K'
	check_has "SIGTERM then ends the process as the signal does" "$out" "status143"
fi

# --- notes on stderr for figures that mean less than they seem (stdout, table, CSV or JSON, as
# without them): a simulated scenario whose routes name none of the trace's models (the bundled
# v3 routes to gpt-4.1-mini and gpt-4.1, so on a gpt-4o-mini trace its change is the models'
# prices), a cache that can never hit (no request has input text or input_hash: README "Replay
# semantics", such a request is not cached), and a trace of under an hour, which the
# projection scales to a month all the same (SPEC §5); once per scenario
mini() { # ts, then the line's other fields
	printf '{"ts":"2026-03-02T%s","tenant":"acme","task":"faq_answer","model":"gpt-4o-mini","input_tokens":400,"output_tokens":90%s}\n' "$1" "$2"
}
{ mini 10:00:00.000Z; mini 10:00:00.035Z; } > "$TMP/mini.jsonl"
$L replay "$TMP/mini.jsonl" -s recorded -s v3 -s v3 --json >"$TMP/out" 2>"$TMP/err"; check_eq "notes: exit 0" "$?" 0
check "notes: the JSON on stdout whole" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/out"
check_eq "notes: each once per scenario, then the span's once" "$(grep -v 'imported 2 requests' "$TMP/err")" \
'llmcost: note: scenario "v3 cache+routing": its routes (gpt-4.1-mini, gpt-4.1) name none of the trace'"'"'s models (gpt-4o-mini): part of its change is those models'"'"' prices; set "routes" to the trace'"'"'s models to see its policies alone
llmcost: note: scenario "v3 cache+routing": its cache can never hit: no request of the trace has "input" text or an "input_hash", and a request with neither is not cached
llmcost: note: scenario "v3 cache+routing": its routes (gpt-4.1-mini, gpt-4.1) name none of the trace'"'"'s models (gpt-4o-mini): part of its change is those models'"'"' prices; set "routes" to the trace'"'"'s models to see its policies alone
llmcost: note: scenario "v3 cache+routing": its cache can never hit: no request of the trace has "input" text or an "input_hash", and a request with neither is not cached
llmcost: note: the trace spans 35.0 ms: projected monthly USD scales it to 30 days as if they were all like it'
$L replay mini --csv >"$TMP/out" 2>"$TMP/err"
check_eq "notes: recorded alone gets the span's only" "$(cat "$TMP/err")" \
	"llmcost: note: the trace spans 35.0 ms: projected monthly USD scales it to 30 days as if they were all like it"
# routes on the trace's model, and a cache with texts (or hashes) to key: no such note
mkdir -p "$TMP/own4o"
echo '{"extends": "v3", "routes": {"small": "gpt-4o-mini", "large": "gpt-4o"}}' > "$TMP/own4o/mine.json"
{ mini 10:00:00Z ',"input":"hi"'; mini 11:30:00Z ',"input_hash":"h1"'; } > "$TMP/mini-keyed.jsonl"
$L replay "$TMP/mini-keyed.jsonl" -s "$TMP/own4o/mine.json" >/dev/null 2>"$TMP/err"
check_eq "notes: routes on the trace's models, keys, 90 min: none" "$(grep -v 'imported 2 requests' "$TMP/err")" ""
{ mini 10:00:00Z ',"input_hash":"h1"'; mini 10:20:00Z; } > "$TMP/mini-hashed.jsonl"
$L replay "$TMP/mini-hashed.jsonl" -s "$TMP/own4o/mine.json" >/dev/null 2>"$TMP/err"
check_eq "notes: an input_hash is a key; 20 minutes" "$(grep -v 'imported 2 requests' "$TMP/err")" \
	"llmcost: note: the trace spans 20 min: projected monthly USD scales it to 30 days as if they were all like it"
# a span of whole minutes and a tenth: 10:00:00 to 10:01:50 is 110 s = 1.8333 min, 1.8 min
# (it said "1 min", cut down); 10:00:00 to 10:49:57 is 2997 s = 49.95 min, 50 min (half up)
{ mini 10:00:00Z ',"input_hash":"h1"'; mini 10:01:50Z; } > "$TMP/mini-110s.jsonl"
$L replay "$TMP/mini-110s.jsonl" -s "$TMP/own4o/mine.json" >/dev/null 2>"$TMP/err"
check_eq "notes: 110 s is 1.8 min" "$(grep -v 'imported 2 requests' "$TMP/err")" \
	"llmcost: note: the trace spans 1.8 min: projected monthly USD scales it to 30 days as if they were all like it"
{ mini 10:00:00Z ',"input_hash":"h1"'; mini 10:49:57Z; } > "$TMP/mini-2997s.jsonl"
$L replay "$TMP/mini-2997s.jsonl" -s "$TMP/own4o/mine.json" >/dev/null 2>"$TMP/err"
check_eq "notes: 2997 s is 50 min" "$(grep -v 'imported 2 requests' "$TMP/err")" \
	"llmcost: note: the trace spans 50 min: projected monthly USD scales it to 30 days as if they were all like it"
# 10:00:00 to 10:59:58 is 3598 s = 59.97 min: 59.9 min, not the hour the note is under
{ mini 10:00:00Z ',"input_hash":"h1"'; mini 10:59:58Z; } > "$TMP/mini-3598s.jsonl"
$L replay "$TMP/mini-3598s.jsonl" -s "$TMP/own4o/mine.json" >/dev/null 2>"$TMP/err"
check_eq "notes: 3598 s is 59.9 min" "$(grep -v 'imported 2 requests' "$TMP/err")" \
	"llmcost: note: the trace spans 59.9 min: projected monthly USD scales it to 30 days as if they were all like it"
# a cost_guard that judged no instant says so under its scenario's count of alerts (SPEC §10:
# an instant e is judged on a baseline range [max(first, e − w − b), e − w) at least w long, so
# from first + 2w on; e runs to the first 60 s instant at or after the last event).  The
# default w = 3600 s, calls of 1 s (mini's latency_ms):
#   first 09:00:01, last arrival 10:59:30, its call ends 10:59:31: the last instant 11:00:00,
#     before 09:00:01 + 7200 s = 11:00:01: none judged;
#   first 09:00:00: 11:00:00 ≥ 09:00:00 + 7200 s: judged at 11:00:00 (no alert: a spend of $0
#     in the window [10:00, 11:00) is none above its baseline), nothing said;
#   window 600 s on the first trace: from 09:20:01 on, judged; it fires at 11:00:00 alone: each
#     call costs 400 × 0.15 + 90 × 0.60 = 114 µUSD (gpt-4o-mini), the window [10:50, 11:00)
#     holds the second, $0.000684/h, against the first over [09:00:01, 10:50:00), 6599 s:
#     114 × 3600 ÷ 6599 = 62.19 µUSD/h, 11 times as much;
#   baseline_s 600 < window_s 3600: never judged, on either trace.
{ mini 09:00:01Z ',"latency_ms":1000'; mini 10:59:30Z ',"latency_ms":1000'; } > "$TMP/guard-short.jsonl"
{ mini 09:00:00Z ',"latency_ms":1000'; mini 10:59:30Z ',"latency_ms":1000'; } > "$TMP/guard-long.jsonl"
echo '{"mode": "recorded", "name": "w600", "alerts": {"cost_guard": {"window_s": 600}}}' > "$TMP/guard-w600.json"
echo '{"mode": "recorded", "name": "b600", "alerts": {"cost_guard": {"baseline_s": 600}}}' > "$TMP/guard-b600.json"
$L replay "$TMP/guard-short.jsonl" -s recorded -s "$TMP/guard-w600.json" -s "$TMP/guard-b600.json" >"$TMP/out" 2>/dev/null
check_eq "cost_guard unjudged: said under the count, as the run's or the baseline's" \
	"$(sed -n '/^alerts$/,$p' "$TMP/out" | grep -v '^    cost_guard ')" \
"alerts
  recorded: no alerts
    (cost_guard judged no instant: the run is under twice its window_s)
  w600: 1 alert
  b600: no alerts
    (cost_guard judges no instant: its baseline_s is under its window_s)"
check_has "cost_guard judged: its alert at 11:00:00" "$(cat "$TMP/out")" \
	"cost_guard   2026-03-02T11:00:00Z   to 2026-03-02T11:00:00Z   value \$0.0006840/h   baseline \$0.00006219/h   peak 11.00x"
$L replay "$TMP/guard-long.jsonl" -s recorded -s "$TMP/guard-b600.json" >"$TMP/out" 2>/dev/null
check_eq "cost_guard judged at the run's last instant: nothing said" "$(sed -n '/^alerts$/,$p' "$TMP/out")" \
"alerts
  recorded: no alerts
  b600: no alerts
    (cost_guard judges no instant: its baseline_s is under its window_s)"
echo '{"mode": "recorded", "name": "off", "alerts": {"cost_guard": null}}' > "$TMP/guard-off.json"
$L replay "$TMP/guard-short.jsonl" -s "$TMP/guard-off.json" >"$TMP/out" 2>/dev/null
check_eq "cost_guard off: nothing said" "$(sed -n '/^alerts$/,$p' "$TMP/out")" "alerts
  off: no alerts"
# one route on a trace's model is enough; scenarios of other months get a note each
echo '{"extends": "v3", "routes": {"large": "gpt-4o-mini"}, "projection": {"days": 7.5}}' > "$TMP/own4o/week.json"
$L replay mini -s "$TMP/own4o/week.json" -s v3 >/dev/null 2>"$TMP/err"
check_eq "notes: one route on the trace's model; a span note per projection" "$(grep -v -e 'its cache can never hit' -e 'its routes' "$TMP/err")" \
'llmcost: note: scenario "week": the trace spans 35.0 ms: projected monthly USD scales it to 7.5 days as if they were all like it
llmcost: note: scenario "v3 cache+routing": the trace spans 35.0 ms: projected monthly USD scales it to 30 days as if they were all like it'
check_eq "... and the routes note for v3 alone" "$(grep -c 'its routes' "$TMP/err")" 1
# a projection too large to compute is a null that a warning explains (it was a null, "-" in
# the table, without a word): two requests 1 µs apart, each 4294967295 input tokens of gpt-4.1
# at 2000000 pUSD: usd_total 2 × 8,589,934,590,000,000 = 17,179,869,180,000,000 pUSD; × 36600
# days × 86400 × 10^6 µs ÷ 1 µs × 10^6 = 5.43 × 10^37 pUSD, below 2^127 ≈ 1.70 × 10^38:
# 54326869515763200000000000 USD; × 10^7, 5.43 × 10^38 pUSD, past it: null
{
	printf '{"ts":"2026-03-02T10:00:00.000000Z","tenant":"a","task":"t","model":"gpt-4.1","input_tokens":4294967295,"output_tokens":0}\n'
	printf '{"ts":"2026-03-02T10:00:00.000001Z","tenant":"a","task":"t","model":"gpt-4.1","input_tokens":4294967295,"output_tokens":0}\n'
} > "$TMP/tiny.jsonl"
$L import "$TMP/tiny.jsonl" >/dev/null 2>&1
echo '{"mode": "recorded", "projection": {"days": 36600, "traffic_multiplier": 1000000}}' > "$TMP/m6.json"
echo '{"mode": "recorded", "projection": {"days": 36600, "traffic_multiplier": 10000000}}' > "$TMP/m7.json"
$L replay tiny -s "$TMP/m6.json" -s "$TMP/m7.json" --json >"$TMP/out" 2>"$TMP/err"
check_eq "a projection of 5.4 × 10^25 USD, and one past 1.7 × 10^26: null" "$(python3 -c 'import json, sys
print([(s["name"], s["totals"]["projected_monthly_usd"] is None) for s in json.load(open(sys.argv[1]))["scenarios"]])' "$TMP/out")" \
	"[('m6', False), ('m7', True)]"
check_has "... the first exactly" "$(tr -d ' \t\n' < "$TMP/out")" '"usd_per_resolved":8589.934590000000,"projected_monthly_usd":54326869515763200000000000.000000000000,'
check_eq "... which a warning explains, for that scenario alone" "$(grep -v 'the trace spans' "$TMP/err")" \
	'llmcost: warning: scenario "m7": its projected monthly USD is too large to compute, over USD 1.7 × 10^26 (usd_total × 36600 days ÷ a span of 1 µs × traffic_multiplier 10000000): the report gives it as null ("-" in the table, empty in --csv)'
$L replay tiny -s "$TMP/m7.json" 2>"$TMP/err" | grep '^projected monthly USD' >"$TMP/out"
check_eq "... \"-\" in the table" "$(tr -s ' ' < "$TMP/out")" "projected monthly USD -"
check_has "... with the warning" "$(cat "$TMP/err")" 'scenario "m7": its projected monthly USD is too large'
check_has "the span's note: a span under a millisecond in µs (it said 0.0 ms)" "$(cat "$TMP/err")" \
	'llmcost: note: the trace spans 1 µs: projected monthly USD scales it to 36600 days'
# -s NAME beside NAME.json: the file was meant
(cd "$TMP/own4o" && "$labs" replay mini -s mine >/dev/null 2>"$TMP/err"); check_eq "-s mine beside mine.json exits 3" "$?" 3
check_has "... and suggests the file" "$(cat "$TMP/err")" "llmcost: mine: no such scenario file (did you mean mine.json?), and no bundled scenario of that name"
(cd "$TMP" && "$labs" replay mini -s mine >/dev/null 2>"$TMP/err")
check_eq "... and nothing without it" "$(grep -c 'did you mean' "$TMP/err")" 0

# --- --from/--to: the requests arriving in [from, to), each drawing as in the whole trace
# win.jsonl: day.jsonl's four lines (priced above).  [10:00:30, 10:02:00) holds lines 2 and 3:
# line 2 at from is in, line 4 at to is out.  4,400,000,000 + 232,000,000 = 4,632,000,000 pUSD
# = 0.004632 USD; 2 requests (beta, acme), span 10:00:30 → 10:01:00 = 30 s; projected over 30
# days: 0.004632 × (30 × 86400 ÷ 30) = 0.004632 × 86400 = 400.2048.
{
	line 00:00Z acme faq_answer gpt-4.1-mini 1000 100 400 0.00056
	line 00:30Z beta faq_answer gpt-4.1 2000 50 800 0.0044
	line 01:00Z acme policy_check gpt-4.1-mini 500 20 300 0.000232
	line 02:00Z acme faq_answer gpt-4.1-mini 1000 100 500 0.00056
} > "$TMP/win.jsonl"
got=$($L replay "$TMP/win.jsonl" --from 2026-03-02T10:00:30Z --to 2026-03-02T10:02:00Z --json 2>>"$TMP/notes" |
	python3 -c 'import json, sys
d = json.load(sys.stdin); t = d["trace"]; s = d["scenarios"][0]["totals"]
print(t["requests"], t["tenants"], t["first_ts"], t["last_ts"], t["span_s"], t["from"], t["to"],
      s["requests"], s["usd_total"], s["projected_monthly_usd"], list(t))')
check_eq "--from/--to: the range's totals and trace figures, the range in the trace object" "$got" \
	"2 2 2026-03-02T10:00:30Z 2026-03-02T10:01:00Z 30 2026-03-02T10:00:30Z 2026-03-02T10:02:00Z 2 0.004632 400.2048 ['name', 'requests', 'tenants', 'first_ts', 'last_ts', 'span_s', 'from', 'to']"
# without a range, the trace object is SPEC §5's, no from or to
got=$($L replay win --json 2>>"$TMP/notes" | python3 -c 'import json, sys; print(list(json.load(sys.stdin)["trace"]))')
check_eq "no range: no from or to in the trace object" "$got" "['name', 'requests', 'tenants', 'first_ts', 'last_ts', 'span_s']"
# the table says it under the trace line
$L replay win --from 2026-03-02T10:00:30Z --to 2026-03-02T10:02:00Z >"$TMP/out" 2>>"$TMP/notes"
check_eq "--from/--to: the table's first lines" "$(head -2 "$TMP/out")" \
"trace win: 2 requests, 2 tenants, span 00:00:30 (2026-03-02T10:00:30Z to 2026-03-02T10:01:00Z)
replayed: the requests arriving from 2026-03-02T10:00:30Z (included) to 2026-03-02T10:02:00Z (excluded)"
check_has "... its USD total" "$(cat "$TMP/out")" '$0.004632'
# one bound: --from 10:00:30 takes lines 2, 3, 4: 4,400,000,000 + 232,000,000 + 560,000,000 =
# 5,192,000,000 pUSD; --to 10:00:30 line 1 alone: 560,000,000 pUSD.  The CSV ends with from, to
# (a bound not given empty).
got=$($L replay win --from 2026-03-02T10:00:30Z --csv 2>>"$TMP/notes" | python3 -c 'import csv, sys
rows = list(csv.DictReader(sys.stdin)); print(rows[0]["requests"], rows[0]["usd_total"], repr(rows[0]["from"]), repr(rows[0]["to"]))')
check_eq "--from alone: lines 2 to 4, the range in the CSV" "$got" "3 0.005192000000 '2026-03-02T10:00:30Z' ''"
check_eq "--to alone, --csv --by model: line 1, the range at each row's end" \
	"$($L replay win --to 2026-03-02T10:00:30Z --csv --by model 2>>"$TMP/notes")" \
	"scenario,model,calls,input_tokens,output_tokens,usd,from,to
recorded,gpt-4.1-mini,1,1000,100,0.000560000000,,2026-03-02T10:00:30Z"
check_eq "--to alone, the table" "$($L replay win --to 2026-03-02T10:00:30Z 2>>"$TMP/notes" | sed -n 2p)" \
	"replayed: the requests arriving from the start of the trace to 2026-03-02T10:00:30Z (excluded)"
# TIME as trace ts is written: fractions (a µs before line 2 takes it, a µs after does not) and
# offsets (11:00:30+01:00 is 10:00:30Z, which the output writes)
got=$($L replay win --from 2026-03-02T10:00:29.999999Z --to 2026-03-02T10:00:30.000001Z --json 2>>"$TMP/notes" |
	python3 -c 'import json, sys; t = json.load(sys.stdin)["trace"]; print(t["requests"], t["first_ts"], t["from"], t["to"])')
check_eq "fractions: a µs either side of line 2" "$got" "1 2026-03-02T10:00:30Z 2026-03-02T10:00:29.999999Z 2026-03-02T10:00:30.000001Z"
got=$($L replay win --from 2026-03-02T10:00:30.000001Z --json 2>>"$TMP/notes" | python3 -c 'import json, sys; print(json.load(sys.stdin)["trace"]["requests"])')
check_eq "fractions: a µs after line 2 leaves it out" "$got" 2
got=$($L replay win --from 2026-03-02T11:00:30+01:00 --json 2>>"$TMP/notes" | python3 -c 'import json, sys; t = json.load(sys.stdin)["trace"]; print(t["requests"], t["from"], t["to"])')
check_eq "an offset: the same instant, written in UTC" "$got" "3 2026-03-02T10:00:30Z None"
# a range holding no request: the report of none, as an empty trace's (exit 0), and a note
$L replay win --from 2026-03-02T11:00:00Z --json >"$TMP/out" 2>"$TMP/err"; check_eq "an empty range exits 0, as an empty trace" "$?" 0
check_eq "... saying so, with the trace's arrivals" "$(cat "$TMP/err")" \
	'llmcost: note: no request of trace "win" arrives at or after 2026-03-02T11:00:00Z (its arrivals run from 2026-03-02T10:00:00Z to 2026-03-02T10:02:00Z): the report is of no request'
check_eq "... a report of no request" "$(python3 -c 'import json, sys; t = json.load(sys.stdin)["trace"]; print(t["requests"], t["first_ts"], t["span_s"])' <"$TMP/out")" "0 None None"
$L replay win --from 2026-03-02T10:00:10Z --to 2026-03-02T10:00:20Z >/dev/null 2>"$TMP/err"
check_has "... between two arrivals" "$(cat "$TMP/err")" "arrives from 2026-03-02T10:00:10Z to before 2026-03-02T10:00:20Z ("
# usage errors: exit 2, naming the option, with an example
$L replay win --from 14:00 2>"$TMP/err"; check_eq "a bad --from exits 2" "$?" 2
check_has "... naming it, with an example" "$(head -1 "$TMP/err")" \
	'llmcost replay: --from takes a time in RFC 3339, as a trace'"'"'s ts is written (--from 2026-03-02T14:00:00Z, or 2026-03-02T14:00:00.5+01:00), not "14:00": '
$L replay win --to 2026-03-02T14:00:00 2>"$TMP/err"; check_eq "a --to without a zone exits 2" "$?" 2
check_has "... naming --to" "$(cat "$TMP/err")" 'llmcost replay: --to takes a time in RFC 3339'
$L replay win --to "" 2>/dev/null; check_eq "an empty --to exits 2" "$?" 2
$L replay win --from 2026-03-02T10:01:00Z --to 2026-03-02T10:01:00Z 2>"$TMP/err"; check_eq "from = to exits 2" "$?" 2
check_eq "... saying so" "$(head -1 "$TMP/err")" \
	"llmcost replay: --from 2026-03-02T10:01:00Z is not before --to 2026-03-02T10:01:00Z: the range [from, to) holds no time"
$L replay win --from 2026-03-02T10:02:00Z --to 2026-03-02T11:01:00+01:00 2>/dev/null; check_eq "from after to exits 2" "$?" 2
$L replay win --from 2026-03-02T10:00:00Z --from 2026-03-02T10:01:00Z 2>/dev/null; check_eq "two --from exit 2" "$?" 2

# Each request draws as in the whole trace (SPEC §10: its index among the trace's lines): on a
# trace whose requests do not interact (no cache, breaker, gates or batch; faults injected at
# fixed rates, so no recorded rate either; a tenant per request), a range's per-request figures
# are the whole replay's.  The same lines as a file of their own, renumbered from 0, draw
# otherwise: the check can tell.
awk 'BEGIN { for (i = 0; i < 40; i++) printf "{\"ts\":\"2026-03-02T%02d:%02d:00Z\",\"tenant\":\"t%02d\",\"task\":\"faq_answer\",\"input_tokens\":1000,\"output_tokens\":100}\n", 10 + int(3 * i / 60), (3 * i) % 60, i }' > "$TMP/noisy.jsonl"
sed -n '11,25p' "$TMP/noisy.jsonl" > "$TMP/noisy-cut.jsonl" # 10:30 to 11:12, t10 to t24
cat > "$TMP/noisy.json" <<'JSON'
{"routes": {"small": "gpt-4.1-mini", "large": "gpt-4.1"}, "routing": {"default": "small"},
 "retry": {"max_attempts": 2, "on": ["server_error"], "backoff_ms": 500},
 "fallback": {"chain": ["small", "large"], "on": ["server_error"]},
 "faults": {"inject": [
   {"model": "gpt-4.1-mini", "from": "2026-03-02T00:00:00Z", "to": "2026-03-03T00:00:00Z", "status": "server_error", "rate": 0.5},
   {"model": "gpt-4.1", "from": "2026-03-02T00:00:00Z", "to": "2026-03-03T00:00:00Z", "status": "server_error", "rate": 0.4}]},
 "seed": 7}
JSON
$L replay "$TMP/noisy.jsonl" -s "$TMP/noisy.json" --json >"$TMP/full.json" 2>>"$TMP/notes"
$L replay noisy -s "$TMP/noisy.json" --from 2026-03-02T10:30:00Z --to 2026-03-02T11:15:00Z --json >"$TMP/range.json" 2>>"$TMP/notes"
$L replay "$TMP/noisy-cut.jsonl" -s "$TMP/noisy.json" --json >"$TMP/cut.json" 2>>"$TMP/notes"
got=$(python3 -c 'import json, sys
def tenants(p):
    return {g["tenant"]: {k: v for k, v in g.items() if k != "projected_monthly_usd"}
            for g in json.load(open(p))["scenarios"][0]["by_tenant"]}
full, rng, cut = (tenants(p) for p in sys.argv[1:])
varied = len({(g["calls"], g["failed"]) for g in rng.values()}) > 1
print(sorted(rng) == ["t%02d" % i for i in range(10, 25)], all(rng[k] == full[k] for k in rng), cut != rng, varied)' \
	"$TMP/full.json" "$TMP/range.json" "$TMP/cut.json")
check_eq "a range's requests: t10 to t24, each as in the whole replay; renumbered, otherwise" "$got" "True True True True"

# A range's inputs are numbered apart from the whole trace's: the caches' normalized inputs that
# the store keeps for the whole trace are not the range's.  Inputs X (09:00), y (10:00, tenant
# a), x (10:01, b), X (10:02, b); the whole trace's are X, y, x: lowered, input 2 is input 0's.
# From 10:00 they are y, x, X: input 2 is input 1's, and b's X hits b's x (answered at
# 10:01 + 400 + 8 × 10 ms): 1 hit.  Read with the whole trace's, X would be y, and miss.
for l in "09:00:00 a X" "10:00:00 a y" "10:01:00 b x" "10:02:00 b X"; do
	set -- $l
	printf '{"ts":"2026-03-02T%sZ","tenant":"%s","task":"t","input":"%s","input_tokens":10,"output_tokens":10}\n' "$1" "$2" "$3"
done > "$TMP/norms.jsonl"
echo '{"routes": {"small": "gpt-4.1-mini", "large": "gpt-4.1"}, "routing": {"default": "small"}, "cache": {"normalize": ["lower"]}}' > "$TMP/lower.json"
$L replay "$TMP/norms.jsonl" -s "$TMP/lower.json" >/dev/null 2>>"$TMP/notes" # keeps the whole trace's
got=$($L replay norms -s "$TMP/lower.json" --from 2026-03-02T10:00:00Z --json 2>>"$TMP/notes" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["scenarios"][0]["totals"]["cache_hits"])')
check_eq "a range's cache normalizes its own inputs, not the stored ones of the whole trace" "$got" 1

# three first replays of one file at once on a new store: one imports it, the others find it
# stored meanwhile and replay it (they told the user to --replace it)
$L gen mixed --requests 60000 --seed 4 -o "$TMP/conc.jsonl" 2>/dev/null
for i in 1 2 3; do $L replay "$TMP/conc.jsonl" -s v3 --db "$TMP/conc.db" >"$TMP/conc$i.out" 2>"$TMP/conc$i.err" & done
wait
for i in 1 2 3; do
	# a wait past a second (a slow or sanitized build's import) is told, and is no error
	check_eq "concurrent first replay $i: no error" \
		"$(grep -v -e 'imported 60,000 requests' -e "waiting for another process's lock" "$TMP/conc$i.err")" ""
done
check "concurrent first replays: the same report" cmp -s "$TMP/conc1.out" "$TMP/conc2.out"
check "concurrent first replays: the same report (3)" cmp -s "$TMP/conc1.out" "$TMP/conc3.out"
check_eq "concurrent first replays: one trace stored" "$($L traces --db "$TMP/conc.db" | wc -l)" 2

# a run out of memory is a failure (exit 1), not bad input (3): 200,000 tenants, whose counters
# a scenario's run keeps (about 0.7 KB each, 140 MB), within 100 MB of address space, which the
# program and the trace's 200,000 rows fit (they need under 50 MB)
if [ -z "$SANITIZED" ]; then
	awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{\"ts\":%d,\"tenant\":\"t%d\",\"task\":\"faq_answer\",\"input_tokens\":10,\"output_tokens\":10,\"model\":\"gpt-4.1-mini\"}\n", 1772000000 + i, i }' > "$TMP/tenants.jsonl"
	$L import --db "$TMP/oom.db" "$TMP/tenants.jsonl" >/dev/null 2>&1
	(ulimit -v 100000; $L replay --db "$TMP/oom.db" tenants -s v3 >/dev/null 2>"$TMP/err"); rc=$?
	check_eq "a scenario's run out of memory: exit 1" "$rc" 1
	check_eq "... saying so" "$(cat "$TMP/err")" 'llmcost: scenario "v3 cache+routing": out of memory'
	rm -f "$TMP/tenants.jsonl" "$TMP/oom.db"
fi

finish
