# Command-line tests of `llmcost import`, `traces`, `rejects` and the dispatcher:
# exit codes, messages naming file and line, the summary, stdin and gzip, huge
# and garbage lines, --strict, --replace, and Ctrl-C leaving the store unchanged.
SUITE=cli_import
. tests/lib.sh

L=$LLMCOST
line() { printf '{"ts":"2026-03-02T10:00:%02dZ","tenant":"%s","task":"faq_answer","input_tokens":%s,"output_tokens":5}\n' "$1" "$2" "$3"; }

# --- the dispatcher
out=$($L 2>&1); check_has "no args prints help" "$out" "llmcost import"
out=$($L help import); check_has "help import" "$out" "--strict"
out=$($L import --help); check_has "import --help" "$out" "--replace"
$L frobnicate 2>/dev/null; check_eq "unknown command exits 2" "$?" 2
$L help frobnicate 2>"$TMP/err"; check_eq "help of an unknown command exits 2" "$?" 2
check_has "help of an unknown command says so" "$(cat "$TMP/err")" "unknown command \"frobnicate\""
out=$($L frobnicate 2>&1); check_has "unknown command lists commands" "$out" "import traces rejects"
out=$($L --version); check_eq "--version exits 0" "$?" 0
check_eq "--version: the program's, as x.y.z" "$(echo "$out" | head -n 1 | grep -cE '^llmcost [0-9]+\.[0-9]+\.[0-9]+$')" 1
# the libraries as pkg-config knows them (Debian's packages: the library and its headers agree)
libs="SQLite $(pkg-config --modversion sqlite3), libcurl $(pkg-config --modversion libcurl),"
libs="$libs ncurses $(pkg-config --modversion ncursesw), readline $(pkg-config --modversion readline),"
libs="$libs cJSON $(pkg-config --modversion libcjson), zlib $(pkg-config --modversion zlib)"
check_eq "--version: the libraries'" "$(echo "$out" | sed -n 2p)" "$libs"
check_eq "version is --version" "$($L version)" "$out"
# help and version are commands too: `llmcost help` lists them, as the unknown-command message
check_has "help lists help" "$($L help)" "  llmcost help     [CMD|TOPIC]"
check_has "help lists version" "$($L help)" "  llmcost version"
check_eq "help explains version" "$($L help | grep -c '^  version   ')" 1
check_has "unknown command lists help and version" "$($L frobnicate 2>&1)" " watch help version"
# a slip of one or two edits (an adjacent swap is one) is named; "frobnicate" is close to none
check_has "unknown command: a swap suggests the command" "$($L replya 2>&1)" \
	'unknown command "replya" (did you mean "replay"?); the commands are: import'
check_has "unknown command: a short name, one edit away" "$($L tuo 2>&1)" '"tuo" (did you mean "tui"?)'
check_eq "unknown command: two edits from a short name (xy, rm) suggest nothing" \
	"$($L xy 2>&1 | grep -c 'did you mean')" 0
# the names other tools give them (they suggested nothing, or "live" for list)
for pair in remove:rm delete:rm ls:traces list:traces; do
	check_has "unknown command: ${pair%:*} suggests ${pair#*:}" "$($L "${pair%:*}" 2>&1)" \
		"unknown command \"${pair%:*}\" (did you mean \"${pair#*:}\"?)"
done
check_eq "unknown command: far from every name suggests nothing" "$($L frobnicate 2>&1 | grep -c 'did you mean')" 0
# a terminal's escape in the name is shown as an escape, not sent to the terminal
check_has "unknown command: control characters escaped" "$($L "$(printf 're\033[31mplay')" 2>&1)" \
	'unknown command "re\u001b[31mplay"'
# --help on every command (SPEC §6), help and version too: their own usage, exit 0; version
# takes no argument
out=$($L help --help); check_eq "help --help exits 0" "$?" 0
check_eq "help --help: help's usage" "$(echo "$out" | head -n 1)" "usage: llmcost help [CMD|TOPIC]"
check_eq "help -h: the same" "$($L help -h)" "$out"
check_eq "help help: the same" "$($L help help)" "$out"
out=$($L version --help); check_eq "version --help exits 0" "$?" 0
check_eq "version --help: version's usage" "$(echo "$out" | head -n 1)" "usage: llmcost version"
check_has "version --help: what it prints" "$(echo "$out" | tr '\n' ' ')" "the versions of the libraries it runs with"
check_eq "help version: the same" "$($L help version)" "$out"
$L version bogus >"$TMP/out" 2>"$TMP/err"; check_eq "version bogus: a usage error, exit 2" "$?" 2
check_eq "version bogus: said, nothing printed" "$(cat "$TMP/out")$(head -n 1 "$TMP/err")" 'llmcost version: unexpected argument "bogus"'
# one wording of --db in every command's help (README "The store"), its lines joined
for c in import traces rejects rm replay tui live watch; do
	check_eq "$c --help: --db as every command says it" \
		"$($L $c --help | awk '/^  --db PATH/ { on = 1 } on && (/^  -/ && !/^  --db/ || /^$/) { on = 0 } on' | tr -s ' \n' ' ')" \
		' --db PATH the store (default $LLMCOST_DB, else $XDG_DATA_HOME/llmcost/llmcost.db, else ~/.local/share/llmcost/llmcost.db) '
done
# SIGTERM leaves the store as Ctrl-C does (README), and import --help says so
check_has "import --help: SIGTERM and SIGHUP too" "$($L import --help | tr '\n' ' ')" \
	"on failure, Ctrl-C, SIGTERM or SIGHUP (its terminal closed) the store is left unchanged"
# `make help` names the folder bench builds in, not the make variable (a make running this
# suite passes its own settings on: none of them here)
if command -v make >/dev/null; then
	out=$(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s --no-print-directory help BUILD=build/elsewhere 2>&1)
	# its lines joined: a description wraps at 80 columns, continued under itself
	check_has "make help: bench's folder" "$(printf '%s\n' "$out" | tr -s ' \n' ' ')" "built apart in build/elsewhere/release with"
	check_eq "make help: no variable left as written" "$(printf '%s\n' "$out" | grep -c '\$(')" 0
	check_eq "make help: no line over 80 columns" "$(printf '%s\n' "$out" | awk 'length($0) > 80' | wc -l | tr -d ' ')" 0
fi
$L import 2>/dev/null; check_eq "import without files exits 2" "$?" 2
$L import --bogus x 2>/dev/null; check_eq "unknown option exits 2" "$?" 2
$L import - 2>/dev/null </dev/null; check_eq "stdin without --name exits 2" "$?" 2
# a second --name or --format is a usage error naming both (the last was kept without a word),
# as is one of import's options where a value goes (--name --quiet stored a trace "--quiet");
# nothing imported, no store made
echo '{"ts":"2026-03-02T10:00:00Z","tenant":"a","input_tokens":1,"output_tokens":1}' > "$TMP/twice.jsonl"
$L import "$TMP/twice.jsonl" --name a --name b --db "$TMP/twice.db" 2>"$TMP/err"; check_eq "two --name exit 2" "$?" 2
check_eq "... naming both" "$(cat "$TMP/err")" "llmcost import: --name given twice (--name a, then --name b): choose one
(see: llmcost import --help)"
$L import "$TMP/twice.jsonl" --format jsonl --format=otlp --db "$TMP/twice.db" 2>"$TMP/err"; check_eq "two --format exit 2" "$?" 2
check_has "... naming both" "$(cat "$TMP/err")" "--format given twice (--format jsonl, then --format otlp)"
$L import --name --quiet "$TMP/twice.jsonl" --db "$TMP/twice.db" 2>"$TMP/err"; check_eq "--name --quiet exits 2" "$?" 2
check_has "... naming both" "$(cat "$TMP/err")" "--name needs a value, but got the option --quiet (for a value so spelled: --name=--quiet)"
check "... no store made" test ! -e "$TMP/twice.db"

# --- traces, rejects and rm never create a store (a mistyped --db leaves no file)
out=$($L traces --db "$TMP/typo.db" 2>"$TMP/err"); check_eq "traces without a store exits 0" "$?" 0
# on stderr, as a note: a script reading the list gets an empty one, not a sentence
check_eq "traces without a store: nothing on stdout" "$out" ""
check_eq "traces says there is no store" "$(cat "$TMP/err")" \
	"llmcost: note: there is no store $TMP/typo.db yet, so no traces (llmcost import FILE makes it)"
$L rejects day --db "$TMP/typo.db" 2>"$TMP/err"; check_eq "rejects without a store exits 1" "$?" 1
check_has "rejects names the missing store" "$(cat "$TMP/err")" "there is no store $TMP/typo.db"
$L rm day --db "$TMP/typo.db" 2>/dev/null; check_eq "rm without a store exits 1" "$?" 1
$L replay day --db "$TMP/typo.db" 2>"$TMP/err"; check_eq "replay of a name without a store exits 1" "$?" 1
check_has "replay names the missing store" "$(cat "$TMP/err")" "no trace file named \"day\", and there is no store $TMP/typo.db"
check "no store file was made" test ! -e "$TMP/typo.db"
# a --db in a folder that does not exist: import makes no folder for it, so the hint says the
# folder is missing (it said "llmcost import FILE makes it", which import refuses)
$L traces --db "$TMP/nodir/x.db" 2>"$TMP/err"; check_eq "traces, the store's folder missing: exit 0" "$?" 0
check_eq "... the hint says the folder is missing" "$(cat "$TMP/err")" \
	"llmcost: note: there is no store $TMP/nodir/x.db yet, so no traces (its folder $TMP/nodir does not exist; llmcost import FILE makes the store once it does)"
$L rm day --db "$TMP/nodir/x.db" 2>"$TMP/err"; check_eq "rm, the store's folder missing: exit 1" "$?" 1
check_has "... the hint says the folder is missing" "$(cat "$TMP/err")" "(its folder $TMP/nodir does not exist;"
check "... and makes none" test ! -e "$TMP/nodir"
# a --db under a file (file/x.db): said so, where the hint said "llmcost import FILE makes it"
: > "$TMP/afile"
$L traces --db "$TMP/afile/x.db" 2>"$TMP/err"; check_eq "traces, the store's folder a file: exit 0" "$?" 0
check_has "... the hint says it is no folder" "$(cat "$TMP/err")" "($TMP/afile is not a folder, so no store can be made in it)"
# an empty file is a store not made yet, as a missing one: they read it as none and leave it
# as it was (they wrote a 983,040-byte store into it)
: > "$TMP/empty.db"
out=$($L traces --db "$TMP/empty.db" 2>"$TMP/err"); check_eq "traces of an empty file exits 0" "$?" 0
check_eq "... as without a store" "$(cat "$TMP/err")" \
	"llmcost: note: there is no store $TMP/empty.db yet, so no traces (llmcost import FILE makes it)"
$L rejects day --db "$TMP/empty.db" 2>"$TMP/err"; check_eq "rejects of an empty file exits 1" "$?" 1
check_has "... as without a store" "$(cat "$TMP/err")" "there is no store $TMP/empty.db"
$L rm day --db "$TMP/empty.db" 2>/dev/null; check_eq "rm of an empty file exits 1" "$?" 1
$L replay day --db "$TMP/empty.db" 2>"$TMP/err"; check_eq "replay of a name in an empty file exits 1" "$?" 1
check_has "... as without a store" "$(cat "$TMP/err")" "and there is no store $TMP/empty.db"
check_eq "and the empty file is left empty" "$(stat -c %s "$TMP/empty.db")" 0
# import makes its store in it, 0600 as a new store whatever the file's mode was (it kept 0666)
chmod 666 "$TMP/empty.db"
$L import "$TMP/twice.jsonl" --db "$TMP/empty.db" >/dev/null 2>&1; check_eq "import into an empty file exits 0" "$?" 0
check_eq "... and makes it 0600" "$(stat -c %a "$TMP/empty.db")" 600
check_has "... a store" "$($L traces --db "$TMP/empty.db")" "twice"

# --- a file with bad lines: reported with FILE:LINE, kept, counted
{ line 1 acme 10; echo; line 2 beta -3; echo 'not json'; line 4 acme 7 | tr -d '\n'; } > "$TMP/day.jsonl"
out=$($L import "$TMP/day.jsonl" 2>"$TMP/err"); rc=$?
check_eq "import with rejects exits 0" "$rc" 0
check_eq "summary" "$out" "day: imported 2 requests, rejected 2 lines (see: llmcost rejects day)"
check_has "reject names file and line" "$(cat "$TMP/err")" "$TMP/day.jsonl:3: input_tokens: expected a non-negative integer, got -3"
check_has "not JSON names line 4" "$(cat "$TMP/err")" "$TMP/day.jsonl:4: not JSON"
# the hint is a command to paste as it is: a name with a space or a quote comes quoted for sh
{ line 1 acme 10; echo 'not json'; } > "$TMP/q3.jsonl"
out=$($L import "$TMP/q3.jsonl" --name "q3 prod trace" 2>/dev/null)
check_eq "a name with a space: quoted in the hint" "$out" \
	"q3 prod trace: imported 1 request, rejected 1 line (see: llmcost rejects 'q3 prod trace')"
check_has "... and the hint, run by sh, lists the rejected line" \
	"$(sh_llmcost "$(printf '%s\n' "$out" | sed -n 's/.*(see: \(.*\))$/\1/p')")" "q3.jsonl:2: not JSON"
out=$($L import "$TMP/q3.jsonl" --name "bob's day" 2>/dev/null)
check_eq "a name with a quote: ' written as '\\''" "$out" \
	"bob's day: imported 1 request, rejected 1 line (see: llmcost rejects 'bob'\\''s day')"
check_has "... and the hint, run by sh, lists the rejected line" \
	"$(sh_llmcost "$(printf '%s\n' "$out" | sed -n 's/.*(see: \(.*\))$/\1/p')")" "q3.jsonl:2: not JSON"
# into a store named with --db, the hint names it too, so that it reaches that store
out=$($L import "$TMP/q3.jsonl" --name q3 --db "$TMP/other store.db" 2>/dev/null)
check_eq "--db: named in the hint" "$out" \
	"q3: imported 1 request, rejected 1 line (see: llmcost rejects q3 --db '$TMP/other store.db')"
check_has "... and the hint, run by sh, lists the rejected line there" \
	"$(sh_llmcost "$(printf '%s\n' "$out" | sed -n 's/.*(see: \(.*\))$/\1/p')")" "q3.jsonl:2: not JSON"
# the terminal gets the first 20 rejected lines, then a count of the rest; the store keeps all
i=1; while [ $i -le 25 ]; do echo "bad $i"; i=$((i + 1)); done > "$TMP/bad25.jsonl"
$L import "$TMP/bad25.jsonl" >/dev/null 2>"$TMP/err"
check_eq "20 rejected lines shown" "$(grep -c 'bad25.jsonl:[0-9]*: not JSON' "$TMP/err")" 20
check_has "the 20th is line 20" "$(grep 'bad25.jsonl:[0-9]*: not JSON' "$TMP/err" | tail -1)" "$TMP/bad25.jsonl:20: not JSON"
check_eq "then the rest counted (25 - 20)" "$(tail -1 "$TMP/err")" "… and 5 more rejected lines"
check_eq "the store keeps all 25" "$($L rejects bad25 | grep -c 'bad25.jsonl:[0-9]*: not JSON')" 25
# one more than 20: "1 more rejected line" (it said "lines")
head -n 21 "$TMP/bad25.jsonl" > "$TMP/bad21.jsonl"
$L import "$TMP/bad21.jsonl" >/dev/null 2>"$TMP/err"
check_eq "one more rejected: the count in the singular" "$(tail -1 "$TMP/err")" "… and 1 more rejected line"
check_has "rejects lists them in file order: line 1 first" "$($L rejects bad25 | head -1)" "bad25.jsonl:1: not JSON"
check_has "... and line 25 last" "$($L rejects bad25 | tail -2 | head -1)" "bad25.jsonl:25: not JSON"
out=$($L rejects day); check_has "rejects shows the line verbatim" "$out" "not json"
check_has "rejects shows the reason" "$out" ":3: input_tokens"
out=$($L traces); check_has "traces lists it" "$out" "day"
check_has "traces shows the first arrival" "$out" "2026-03-02T10:00:01Z"
[ -f "$LLMCOST_DB" ]; check_eq "store at \$LLMCOST_DB" "$?" 0
$L traces extra 2>"$TMP/err"; check_eq "traces with an operand exits 2" "$?" 2
check_has "traces names the operand" "$(cat "$TMP/err")" 'unexpected argument "extra"'
$L rejects day day 2>"$TMP/err"; check_eq "rejects of two names exits 2" "$?" 2
# ... saying two were given, which (it said "name one stored trace", as with none)
check_has "... saying so" "$(cat "$TMP/err")" "llmcost rejects: one stored trace at a time, but 2 were given (\"day\", \"day\")"
$L rejects 2>/dev/null; check_eq "rejects of no name exits 2" "$?" 2

# --- the same name again is refused, --replace overwrites
$L import "$TMP/day.jsonl" >/dev/null 2>"$TMP/err"; check_eq "re-import refused" "$?" 1
check_has "re-import message" "$(cat "$TMP/err")" "already stored"
out=$($L import --replace --quiet "$TMP/day.jsonl" 2>&1); check_has "--replace" "$out" "imported 2 requests"
# ... but not by a trace of no request (every line rejected, or an empty file): exit 3, the
# stored trace (2 requests, 2 rejects) kept as it was; before, it was replaced by nothing
$L import --replace --quiet --name day "$TMP/bad25.jsonl" >"$TMP/out" 2>"$TMP/err"
check_eq "--replace by 25 rejected lines exits 3" "$?" 3
check_eq "it says why, what is kept, and how to remove it" "$(cat "$TMP/err")" "llmcost: $TMP/bad25.jsonl: \
no request to import, 25 lines rejected; --replace would leave the trace \"day\" empty, so the stored \
one is kept as it was (llmcost rm day removes it)"
check_eq "and no summary" "$(cat "$TMP/out")" ""
check_eq "the trace keeps its requests (2) and rejects (2)" "$($L traces | awk '$1 == "day" { print $2, $3 }')" "2 2"
check_eq "and its rejects" "$($L rejects day | grep -c 'day.jsonl:')" 2
: > "$TMP/empty.jsonl"
$L import --replace --name day "$TMP/empty.jsonl" 2>"$TMP/err"; check_eq "--replace by an empty file exits 3" "$?" 3
check_eq "it names the file" "$(cat "$TMP/err")" "llmcost: $TMP/empty.jsonl: no request to import; \
--replace would leave the trace \"day\" empty, so the stored one is kept as it was (llmcost rm day removes it)"
check_eq "the trace keeps its requests (2) and rejects (2)" "$($L traces | awk '$1 == "day" { print $2, $3 }')" "2 2"
# a trace of rejected lines alone holds nothing to lose: it may be replaced by another
out=$($L import --replace --quiet "$TMP/bad25.jsonl" 2>&1); check_eq "--replace of a trace of rejects alone" "$out" \
	"bad25: imported 0 requests, rejected 25 lines (see: llmcost rejects bad25)"

# --- --strict: exit 3, nothing written
$L import --strict --name strict "$TMP/day.jsonl" >/dev/null 2>"$TMP/err"; check_eq "--strict exits 3" "$?" 3
check_has "--strict names the line" "$(cat "$TMP/err")" "day.jsonl:3:"
out=$($L traces); case $out in *strict*) bad "--strict left a trace" ;; *) ok ;; esac

# --- stdin, gzip, --db
{ line 1 a 1; line 2 b 2; } | $L import - --name piped >/dev/null; check_eq "stdin import" "$?" 0
# a closed standard input is no empty trace: SQLite puts /dev/null on descriptor 0 when it
# opens the store, which read as 0 requests stored with exit 0
$L import - --name closed-in <&- >/dev/null 2>"$TMP/err"; check_eq "stdin closed exits 1" "$?" 1
check_has "stdin closed: said" "$(cat "$TMP/err")" "llmcost: -: standard input is closed (Bad file descriptor)"
case $($L traces) in *closed-in*) bad "stdin closed: a trace stored" ;; *) ok ;; esac
{ line 1 a 1; line 2 b 2; line 3 c 3; } | gzip > "$TMP/z.jsonl.gz"
out=$($L import "$TMP/z.jsonl.gz"); check_eq "gzip import" "$out" "z: imported 3 requests"
out=$($L import --db "$TMP/other.db" "$TMP/z.jsonl.gz"); check_eq "--db" "$out" "z: imported 3 requests"
# gzip data damaged or cut short is bad input (3), as a file whose format cannot be told
printf '\037\213 not deflate at all' > "$TMP/bad.jsonl.gz"
$L import "$TMP/bad.jsonl.gz" 2>"$TMP/err"; check_eq "damaged gzip exits 3" "$?" 3
check_has "damaged gzip: named" "$(cat "$TMP/err")" "$TMP/bad.jsonl.gz: damaged gzip data"
head -c 20 "$TMP/z.jsonl.gz" > "$TMP/cut.jsonl.gz"
$L replay "$TMP/cut.jsonl.gz" 2>"$TMP/err"; check_eq "gzip cut short, replayed: exits 3" "$?" 3
check_has "gzip cut short: named" "$(cat "$TMP/err")" "$TMP/cut.jsonl.gz: the gzip data ends early"
# --name makes one trace of all the files, in order, and says so in one line (2 + 3 requests)
{ line 1 a 1; line 2 b 2; } > "$TMP/n1.jsonl"
out=$($L import --db "$TMP/other.db" "$TMP/n1.jsonl" "$TMP/z.jsonl.gz" --name joined); check_eq "--name of two files: one summary" "$out" "joined: imported 5 requests"
out=$($L traces --db "$TMP/other.db"); check_has "--db traces" "$out" "z"
# ... of 8,000 files (a year of hourly logs is 8,760): before, their infos were an array on the
# stack, 8,000 × 1,368 B ≈ 10.9 MB, past the usual 8 MiB stack (SIGSEGV, exit 139); one line each
mkdir "$TMP/hourly"
i=0; while [ $i -lt 8000 ]; do line $((i % 60)) a 1 > "$TMP/hourly/h$i.jsonl"; i=$((i + 1)); done
out=$(ulimit -s 8192 2>/dev/null; $L import --db "$TMP/hourly.db" --name year "$TMP"/hourly/h*.jsonl 2>&1); rc=$?
check_eq "--name of 8,000 files: exit 0" "$rc" 0
check_eq "--name of 8,000 files: one trace of 8,000 requests" "$out" "year: imported 8,000 requests"
rm -rf "$TMP/hourly" "$TMP/hourly.db"
$L import "$TMP/nope.jsonl" 2>"$TMP/err"; check_eq "missing file exits 1" "$?" 1
check_has "missing file named" "$(cat "$TMP/err")" "nope.jsonl: No such file"
# a store given where a trace goes is refused, and nothing of it is imported
cp "$TMP/other.db" "$TMP/store-copy.db"
$L replay "$TMP/store-copy.db" 2>"$TMP/err"; check_eq "a store as TRACE exits 1" "$?" 1
check_has "a store as TRACE says what it is" "$(cat "$TMP/err")" "store-copy.db: is an SQLite database"
check_has "a store as TRACE says how to use it" "$(cat "$TMP/err")" "pass --db $TMP/store-copy.db"
out=$($L traces); case $out in *store-copy*) bad "a store as TRACE left a trace" ;; *) ok ;; esac
# ... and its hint quotes a path with a space for sh: run, it lists the store's traces (joined, z)
mkdir -p "$TMP/my stores"; cp "$TMP/other.db" "$TMP/my stores/a.db"
$L replay "$TMP/my stores/a.db" 2>"$TMP/err"
check_has "a store as TRACE: the path quoted" "$(cat "$TMP/err")" "pass --db '$TMP/my stores/a.db'"
check_has "... and the hint, run by sh, lists the store's traces" \
	"$(sh_llmcost "$(sed -n 's/.*(`\(llmcost traces --db .*\)` lists them)$/\1/p' "$TMP/err")")" "joined"
$L import - --name piped-store < "$TMP/store-copy.db" 2>"$TMP/err"; check_eq "a store on stdin exits 1" "$?" 1
check_has "a store on stdin says what it is" "$(cat "$TMP/err")" "standard input: is an SQLite database"

# --- the views write times to the microsecond, RFC 3339, before 1970 too (floor division:
# −750,000 µs is 23:59:59 and 250,000 µs); a store whose views an older llmcost made (SQLite's
# %f, milliseconds rounded: .601496 read as .602) gets today's views when next opened
printf '%s\n' '{"ts":"2026-03-02T10:00:00.601496Z","tenant":"a","task":"t","model":"gpt-4.1","input_tokens":1,"output_tokens":1}' \
	'{"ts":"1969-12-31T23:59:59.25Z","tenant":"a","task":"t","model":"gpt-4.1","input_tokens":1,"output_tokens":1}' > "$TMP/micro.jsonl"
$L import --quiet "$TMP/micro.jsonl" >/dev/null 2>&1
want="2026-03-02T10:00:00.601496Z|1772445600601496
1969-12-31T23:59:59.250000Z|-750000"
check_eq "views: microsecond times" "$(sqlite3 "$LLMCOST_DB" "SELECT ts, ts_us FROM requests_v WHERE trace = 'micro' ORDER BY idx")" "$want"
sqlite3 "$LLMCOST_DB" "DROP VIEW requests_v; CREATE VIEW requests_v AS SELECT t.name AS trace, r.idx,
  strftime('%Y-%m-%dT%H:%M:%fZ', r.ts_us / 1e6, 'unixepoch') AS ts, r.ts_us FROM requests r JOIN traces t ON t.id = r.trace_id"
check_has "views: an older store's, before" "$(sqlite3 "$LLMCOST_DB" "SELECT ts FROM requests_v WHERE trace = 'micro'")" ".602Z"
$L traces >/dev/null
check_eq "views: an older store's, made again" "$(sqlite3 "$LLMCOST_DB" "SELECT ts, ts_us FROM requests_v WHERE trace = 'micro' ORDER BY idx")" "$want"

# --- a 10 MB single line imports; a 70 MB line of garbage is rejected in bounded memory
python3 -c "
import json
print(json.dumps({'ts':'2026-03-02T10:00:00Z','tenant':'a','task':'t','input':'x'*10_000_000,'output_tokens':1}))
" > "$TMP/long.jsonl"
out=$($L import "$TMP/long.jsonl"); check_eq "10 MB line imports" "$out" "long: imported 1 request"
out=$(sqlite3 "$LLMCOST_DB" "SELECT input_tokens FROM requests_v WHERE trace='long'")
check_eq "10 MB line estimated tokens (10^7 / 4)" "$out" 2500000
{ head -c 70000000 /dev/zero | tr '\0' 'g'; echo; } > "$TMP/garbage.jsonl"
line 1 a 1 >> "$TMP/garbage.jsonl"
if [ -z "$SANITIZED" ]; then lim="ulimit -v 800000;"; else lim=; fi
out=$(sh -c "$lim \"$L\" import \"$TMP/garbage.jsonl\"" 2>"$TMP/err"); rc=$?
check_eq "garbage line: exit 0" "$rc" 0
check_eq "garbage line: the good line still imports" "$out" "garbage: imported 1 request, rejected 1 line (see: llmcost rejects garbage)"
check_has "garbage line: reason" "$(cat "$TMP/err")" "garbage.jsonl:1: line longer than 64 MiB (70000000 bytes)"
# its first 1 MiB is kept, and its whole length: 70,000,000 bytes, so `rejects` marks it cut
out=$(sqlite3 "$LLMCOST_DB" "SELECT length, length(text) FROM rejects JOIN traces t ON t.id = trace_id WHERE t.name = 'garbage'")
check_eq "garbage line: stored length and the kept 1 MiB (1048576)" "$out" "70000000|1048576"
check_has "garbage line: rejects marks it cut" "$($L rejects garbage)" "gggg [cut]"
# its 1 MiB written where it cannot be: the reason as every command gives it (the store's reads
# after the failed write overwrote errno, and the message read "writing the output failed")
if [ -w /dev/full ]; then
	$L rejects garbage > /dev/full 2> "$TMP/err"; check_eq "rejects of a cut line to a full disk exits 1" "$?" 1
	check_eq "rejects of a cut line to a full disk: the reason" "$(cat "$TMP/err")" \
		"llmcost: writing the output: No space left on device"
fi
$L rejects garbage >&- 2> "$TMP/err"; check_eq "rejects of a cut line to a closed standard output exits 1" "$?" 1
check_eq "rejects of a cut line to a closed standard output: the reason" "$(cat "$TMP/err")" \
	"llmcost: writing the output: Bad file descriptor"
# a line of exactly 64 MiB (67,108,864 bytes) is parsed; one byte more is too long
{ head -c 67108864 /dev/zero | tr '\0' 'g'; echo; head -c 67108865 /dev/zero | tr '\0' 'g'; echo; } > "$TMP/edge.jsonl"
$L import --name edge "$TMP/edge.jsonl" >/dev/null 2>"$TMP/err"
check_has "a 64 MiB line is parsed (not JSON)" "$(cat "$TMP/err")" "edge.jsonl:1: not JSON"
check_has "a 64 MiB + 1 line is too long" "$(cat "$TMP/err")" "edge.jsonl:2: line longer than 64 MiB (67108865 bytes)"
# a malformed line up to 64 MiB is kept verbatim, however long (SPEC §2); the longer one, its
# first 1 MiB (1,048,576 bytes) and its length
out=$(sqlite3 "$LLMCOST_DB" "SELECT line, length, length(text), text NOT GLOB '*[^g]*' FROM rejects JOIN traces t ON t.id = trace_id WHERE t.name = 'edge' ORDER BY line")
check_eq "a malformed 64 MiB line is kept whole; a longer one, its first 1 MiB" "$out" "1|67108864|67108864|1
2|67108865|1048576|1"
rm -f "$TMP/edge.jsonl"
# a first line longer than 64 MiB (67,108,865 NUL bytes, no newline) tells no format as a short
# one does, by the part of it kept, its first 1 MiB (1,048,576 bytes): no JSON, in a file not
# named .jsonl: exit 3 naming the file (it was stored as a trace of 1 reject); one that opens an
# object and is JSON up to the cut is trace v1, rejected as too long, as is the NUL line in a
# file named .jsonl
head -c 67108865 /dev/zero > "$TMP/zeros.bin"
$L import "$TMP/zeros.bin" >/dev/null 2>"$TMP/err"; check_eq "a 64 MiB + 1 first line of NULs: exit 3" "$?" 3
check_eq "a 64 MiB + 1 first line of NULs: no format, the file named" "$(cat "$TMP/err")" \
	"llmcost: $TMP/zeros.bin: cannot tell the format: its first line is not JSON (unexpected character at column 1); name it with --format (jsonl, otlp, litellm, openai-batch, helicone, langfuse)"
check_eq "a 64 MiB + 1 first line of NULs: nothing stored" "$($L traces | grep -c zeros)" 0
mv "$TMP/zeros.bin" "$TMP/zeros.jsonl"
out=$($L import "$TMP/zeros.jsonl" 2>/dev/null); check_eq "a 64 MiB + 1 line of NULs in .jsonl: rejected" "$out" \
	"zeros: imported 0 requests, rejected 1 line (see: llmcost rejects zeros)"
rm -f "$TMP/zeros.jsonl"
{ printf '{"input":"'; head -c 67108865 /dev/zero | tr '\0' g; } > "$TMP/cutjson.log"
out=$($L import "$TMP/cutjson.log" 2>"$TMP/err"); check_eq "a cut JSON first line: exit 0" "$?" 0
check_eq "a cut JSON first line: trace v1, rejected" "$out" \
	"cutjson.log: imported 0 requests, rejected 1 line (see: llmcost rejects cutjson.log)"
check_has "a cut JSON first line: too long (10 + 67108865 bytes)" "$(cat "$TMP/err")" \
	"cutjson.log:1: line longer than 64 MiB (67108875 bytes)"
rm -f "$TMP/cutjson.log"
# JSON up to the cut is what counts, wherever it breaks: a number cut after its '.' (the kept
# 1 MiB: 6 bytes of {"n":1, 1,048,569 digits, the '.'; 64 MiB of digits follow) is trace v1;
# one that is no JSON 5 bytes before the cut (10 bytes of {"input":", 1,048,558 g, then
# `", x` and 4 bytes more: the x at column 10 + 1,048,558 + 3 + 1 = 1,048,572) is no format
{ printf '{"n":1'; head -c 1048569 /dev/zero | tr '\0' 1; printf .; head -c 67108864 /dev/zero | tr '\0' 1; } > "$TMP/cutnum.log"
out=$($L import "$TMP/cutnum.log" 2>"$TMP/err"); check_eq "a first line cut after a number's '.': exit 0" "$?" 0
check_eq "a first line cut after a number's '.': trace v1, rejected" "$out" \
	"cutnum.log: imported 0 requests, rejected 1 line (see: llmcost rejects cutnum.log)"
rm -f "$TMP/cutnum.log"
{ printf '{"input":"'; head -c 1048558 /dev/zero | tr '\0' g; printf '", xyzw'; head -c 67108864 /dev/zero | tr '\0' g; } > "$TMP/cutbad.log"
$L import "$TMP/cutbad.log" >/dev/null 2>"$TMP/err"; check_eq "a first line no JSON just before the cut: exit 3" "$?" 3
check_eq "a first line no JSON just before the cut: no format" "$(cat "$TMP/err")" \
	"llmcost: $TMP/cutbad.log: cannot tell the format: its first line is not JSON (expected a string key at column 1048572); name it with --format (jsonl, otlp, litellm, openai-batch, helicone, langfuse)"
check_eq "a first line no JSON just before the cut: nothing stored" "$($L traces | grep -c cutbad)" 0
rm -f "$TMP/cutbad.log"
# a first line of 64 MiB + 1 digits: its kept 1 MiB a whole number, which opens no object or
# array, so a JSON value of no format, as a short line of digits is (it was trace v1, exit 0)
head -c 67108865 /dev/zero | tr '\0' 1 > "$TMP/digits.log"
$L import "$TMP/digits.log" >/dev/null 2>"$TMP/err"; check_eq "a first line of 64 MiB + 1 digits: exit 3" "$?" 3
check_has "a first line of 64 MiB + 1 digits: no format" "$(cat "$TMP/err")" \
	"digits.log: cannot tell the format from line 1 (a JSON value of none of the formats)"
rm -f "$TMP/digits.log"
head -c 30000000 /dev/urandom > "$TMP/noise.bin"
$L import --quiet --format jsonl "$TMP/noise.bin" >/dev/null 2>&1; check_eq "binary noise: no crash" "$?" 0
# without --format, noise under a name that is not .jsonl/.json is no format at all (exit 3);
# under a name of its own, as noise.bin is stored now, and a stored name is refused first
$L import --quiet "$TMP/noise.bin" --name noise-auto >/dev/null 2>"$TMP/err"; check_eq "binary noise: no format, bad input" "$?" 3
check_has "binary noise: the file named" "$(cat "$TMP/err")" "$TMP/noise.bin: cannot tell the format"

# --- rm: all or nothing
$L rm 2>/dev/null; check_eq "rm without names exits 2" "$?" 2
$L rm piped nosuch >/dev/null 2>"$TMP/err"; check_eq "rm with an unknown name exits 1" "$?" 1
check_has "rm names the unknown trace" "$(cat "$TMP/err")" 'no trace named "nosuch" (nothing removed)'
check_has "rm removed nothing" "$($L traces)" "piped"
out=$($L rm piped z); check_eq "rm two traces" "$out" "removed piped
removed z"
case $($L traces) in *piped*|*" z "*) bad "rm left a trace" ;; *) ok ;; esac
check_eq "rm removed the rows" "$(sqlite3 "$LLMCOST_DB" "SELECT count(*) FROM requests_v WHERE trace IN ('piped', 'z')")" 0

# --- Ctrl-C (130) or SIGTERM (143) during an import leaves the store as it was, even as the
# import waits on a quiet pipe
# caught PID SIG (tests/lib.sh): PID runs llmcost and has its handler for SIG
alive() { case $(ps -o stat= -p "$1" 2>/dev/null) in "" | Z*) return 1 ;; esac; }
# stop_import SIG NAME: SIG to an import of a FIFO that gets five lines and then stays open and
# quiet, sent as soon as the import catches it (no pause: the signal lands as early as it can);
# the import must end within 10 s (else it is killed); sets rc
stop_import() {
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	$INT_DFL $L import - --name "$2" < "$TMP/fifo" > /dev/null 2>"$TMP/err" &
	pid=$!
	exec 3>"$TMP/fifo"
	for i in 1 2 3 4 5; do line $i a 1 >&3; done
	printf '{"ts":"2026-03-02T10:00:06Z","ten' >&3 # half a line: the signal cuts it
	i=0
	while [ $i -lt 2000 ] && ! caught $pid "$1"; do i=$((i + 1)); done
	[ -r "/proc/$pid/status" ] || sleep 0.5 # no /proc: a moment
	kill -"$1" $pid
	i=0
	while [ $i -lt 100 ] && alive $pid; do sleep 0.1; i=$((i + 1)); done
	if alive $pid; then bad "signal $1 left the import waiting on its input"; kill -9 $pid; else ok; fi
	wait $pid; rc=$?
	exec 3>&-
}
before=$($L traces | wc -l)
stop_import 2 interrupted
check_eq "Ctrl-C exits 130" "$rc" 130
check_eq "Ctrl-C message, and no reject for the line it cut" "$(cat "$TMP/err")" "llmcost: interrupted: nothing was imported"
check_eq "Ctrl-C wrote nothing" "$($L traces | wc -l)" "$before"
stop_import 15 terminated
check_eq "SIGTERM exits 143" "$rc" 143
check_eq "SIGTERM message: terminated, as its exit status is named" "$(cat "$TMP/err")" \
	"llmcost: terminated: nothing was imported"
check_eq "SIGTERM wrote nothing" "$($L traces | wc -l)" "$before"
# SIGHUP (its terminal closed) as SIGTERM: rolled back, said, 129; before, it killed the import
# without a word (the store was left as it was all the same)
stop_import 1 hungup
check_eq "SIGHUP exits 129" "$rc" 129
check_eq "SIGHUP message: hung up" "$(cat "$TMP/err")" "llmcost: hung up: nothing was imported"
check_eq "SIGHUP wrote nothing" "$($L traces | wc -l)" "$before"
# Ctrl-\ (SIGQUIT) as Ctrl-C, but 131: rolled back and said; before, it killed the import
stop_import 3 quit
check_eq "Ctrl-\\ exits 131" "$rc" 131
check_eq "Ctrl-\\ message: quit" "$(cat "$TMP/err")" "llmcost: quit: nothing was imported"
check_eq "Ctrl-\\ wrote nothing" "$($L traces | wc -l)" "$before"
# ... but Ctrl-C and SIGHUP inherited as ignored (a job a script starts with &, nohup) stay
# ignored: the import goes on to the end of its input (5 + 1 lines); before, its handlers were
# installed all the same and it stopped (130). Sent once it runs (its SIGTERM handler is there)
rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
(trap '' INT HUP; exec $L import - --name ignored < "$TMP/fifo") > "$TMP/out" 2>"$TMP/err" &
pid=$!
exec 3>"$TMP/fifo"
for i in 1 2 3 4 5; do line $i a 1 >&3; done
i=0
while [ $i -lt 2000 ] && ! caught $pid 15; do i=$((i + 1)); done
[ -r "/proc/$pid/status" ] || sleep 0.5 # no /proc: a moment
kill -INT $pid; kill -HUP $pid
sleep 0.2
(trap '' PIPE; line 6 a 1 >&3) 2>/dev/null # (an import the signal ended reads it no more)
exec 3>&-
wait $pid; rc=$?
check_eq "SIGINT and SIGHUP ignored: the import goes on, exit 0" "$rc" 0
check_eq "SIGINT and SIGHUP ignored: all six lines imported" "$(cat "$TMP/out")" "ignored: imported 6 requests"
# hold_lock DB MODE SECONDS: the sqlite3 shell holds a MODE (IMMEDIATE, EXCLUSIVE) lock on DB
# for SECONDS, in the background ($holder); back once it holds it (its .shell runs after BEGIN)
hold_lock() {
	rm -f "$TMP/held"
	sqlite3 "$1" "BEGIN $2;" ".shell touch '$TMP/held'; sleep $3" "COMMIT;" >/dev/null 2>&1 &
	holder=$!
	eventually test -e "$TMP/held"
}
# said_wait FILE: a command's stderr in FILE says it waits for a lock (once it has waited a second)
said_wait() { grep -q "^llmcost: waiting for another process's lock on " "$1"; }
# ... and at once while it waits for another process's lock on the store (not after 5 s): sent
# once it says it waits (a second in), so that it surely waits
{ line 1 a 1; line 2 b 2; } > "$TMP/locked.jsonl"
hold_lock "$LLMCOST_DB" IMMEDIATE 5
$INT_DFL $L import "$TMP/locked.jsonl" >/dev/null 2>"$TMP/err" &
pid=$!
eventually said_wait "$TMP/err"
start=$(date +%s%N)
kill -INT $pid; wait $pid; rc=$?
waited=$((($(date +%s%N) - start) / 1000000))
check_eq "Ctrl-C during a lock wait exits 130" "$rc" 130
check "Ctrl-C during a lock wait ends it at once (${waited} ms)" test "$waited" -lt 1500
check_eq "Ctrl-C during a lock wait: the messages" "$(cat "$TMP/err")" \
	"llmcost: waiting for another process's lock on $LLMCOST_DB (an import?); Ctrl-C stops
llmcost: interrupted: nothing was imported"
wait $holder
# the same under an EXCLUSIVE lock (another import's commit), which the opening of the store
# waits for: it exited 130 without a word; SIGTERM likewise (143)
for sig in INT TERM; do
	hold_lock "$LLMCOST_DB" EXCLUSIVE 5
	$INT_DFL $L import "$TMP/locked.jsonl" >/dev/null 2>"$TMP/err" &
	pid=$!
	eventually said_wait "$TMP/err"
	kill -$sig $pid; wait $pid; rc=$?
	if [ $sig = INT ]; then want=130 word=interrupted; else want=143 word=terminated; fi
	check_eq "SIG$sig during an EXCLUSIVE lock wait exits $want" "$rc" $want
	check_eq "SIG$sig during an EXCLUSIVE lock wait: the messages" "$(cat "$TMP/err")" \
		"llmcost: waiting for another process's lock on $LLMCOST_DB (an import?); Ctrl-C stops
llmcost: $word: nothing was imported"
	wait $holder
done
# the first-use import of `replay FILE` meets the same wait in its opening of the store, and
# exited 130 (143) without a word: it says so as `import` does
for sig in INT TERM; do
	hold_lock "$LLMCOST_DB" EXCLUSIVE 5
	$INT_DFL $L replay "$TMP/locked.jsonl" --csv >/dev/null 2>"$TMP/err" &
	pid=$!
	eventually said_wait "$TMP/err"
	kill -$sig $pid; wait $pid; rc=$?
	if [ $sig = INT ]; then want=130 word=interrupted; else want=143 word=terminated; fi
	check_eq "replay FILE: SIG$sig during an EXCLUSIVE lock wait exits $want" "$rc" $want
	check_eq "replay FILE: SIG$sig during an EXCLUSIVE lock wait: the messages" "$(cat "$TMP/err")" \
		"llmcost: waiting for another process's lock on $LLMCOST_DB (an import?); Ctrl-C stops
llmcost: $word: nothing was imported"
	wait $holder
done
case $($L traces) in *locked*) bad "a lock wait stopped: the trace is stored" ;; *) ok ;; esac
# a command waits for another process's lock as long as it is held (before: 5 s, then "the
# store is busy"), saying once on stderr, after a second, what it waits for; a lock held 6.5 s
# (EXCLUSIVE: readers wait too), the command started once it is held, is waited past 5 s
waits() { # waits NAME COMMAND...: runs it while a lock is held for 6.5 s, in $out, $rc, $waited
	what=$1; shift
	hold_lock "$LLMCOST_DB" EXCLUSIVE 6.5
	start=$(date +%s%N)
	out=$("$@" 2>"$TMP/err"); rc=$?
	waited=$((($(date +%s%N) - start) / 1000000))
	wait $holder
	check_eq "$what waits for the lock, then succeeds" "$rc" 0
	check "$what waited past 5 s (${waited} ms)" test "$waited" -ge 5500
	check_eq "$what said once what it waits for" "$(cat "$TMP/err")" \
		"llmcost: waiting for another process's lock on $LLMCOST_DB (an import?); Ctrl-C stops"
}
waits traces $L traces; check_has "traces lists the store's traces" "$out" "day"
waits import $L import --name locked2 "$TMP/locked.jsonl"; check_eq "the import is done" "$out" "locked2: imported 2 requests"
waits rm $L rm locked2; check_eq "rm is done" "$out" "removed locked2"
$L gen faq --requests 50 -o "$TMP/faq50.jsonl" 2>/dev/null && $L import --quiet "$TMP/faq50.jsonl" >/dev/null
waits replay $L replay faq50 --csv; check_has "replay is done" "$out" "recorded"
# Ctrl-C ends the wait at once: exit 130, as the signal does (timeout sends SIGINT after 1.5 s)
hold_lock "$LLMCOST_DB" EXCLUSIVE 4
start=$(date +%s%N)
timeout --preserve-status -s INT 1.5 $L traces >/dev/null 2>&1; rc=$?
waited=$((($(date +%s%N) - start) / 1000000))
check_eq "Ctrl-C while traces waits for the lock: 130" "$rc" 130
check "and at once (${waited} ms, the lock held 2.5 s more)" test "$waited" -lt 2500
wait $holder

# --- rm of a big trace (300k requests, ~0.3 s to remove): Ctrl-C and SIGTERM midway remove
# nothing (the transaction rolled back), and so does Ctrl-C in a wait for another's lock; on a
# terminal a progress line after a second; the space it frees inside the store is told, with a
# command that gives it back (quoted for sh), and given back at once when no trace is left
R="$TMP/rm store.db"
$L gen faq --requests 300k -o "$TMP/big.jsonl" 2>/dev/null
$L import --quiet --db "$R" --name big "$TMP/big.jsonl" >/dev/null
$L import --quiet --db "$R" --name small "$TMP/locked.jsonl" >/dev/null
pages=$(sqlite3 "$R" "PRAGMA page_count")
# stop_rm SIG: rm big, stopped (SIGSTOP) as soon as it catches SIG, sent SIG while stopped and
# continued, so the signal is there as the removal goes on; sets rc
stop_rm() {
	$INT_DFL $L rm big --db "$R" >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	i=0
	while [ $i -lt 2000 ] && ! caught $pid "$1"; do i=$((i + 1)); done
	[ -r "/proc/$pid/status" ] || sleep 0.1 # no /proc: a moment
	kill -STOP $pid; kill -"$1" $pid; kill -CONT $pid
	wait $pid; rc=$?
}
kept() { # what a stopped rm must leave: big's 300,000 requests, the store's pages
	check_eq "$1: big is still listed" "$($L traces --db "$R" | grep -c '^big ')" 1
	check_eq "$1: its requests are all there" "$(sqlite3 "$R" "SELECT count(*) FROM requests_v WHERE trace = 'big'")" 300000
	check_eq "$1: the store as it was" "$(sqlite3 "$R" "PRAGMA page_count")" "$pages"
}
stop_rm 2
check_eq "Ctrl-C during rm: 130" "$rc" 130
check_eq "Ctrl-C during rm: the message" "$(cat "$TMP/err")" "llmcost: interrupted: nothing was removed"
check_eq "Ctrl-C during rm: nothing said removed" "$(cat "$TMP/out")" ""
kept "Ctrl-C during rm"
stop_rm 15
check_eq "SIGTERM during rm: 143" "$rc" 143
check_eq "SIGTERM during rm: the message" "$(cat "$TMP/err")" "llmcost: terminated: nothing was removed"
kept "SIGTERM during rm"
# a removal whose write fails (a file-size limit of 100 blocks, at most 100 KiB, far below the
# journal of big's pages: as a full disk) is rolled back and says so; before, only SQLite's
# error was said ("database or disk is full"), not that nothing was removed
(ulimit -f 100; $L rm big --db "$R") >"$TMP/out" 2>"$TMP/err"; rc=$?
check_eq "rm failing to write: exit 1" "$rc" 1
check_has "it says nothing was removed" "$(cat "$TMP/err")" "; nothing was removed"
check_eq "and does not say removed" "$(cat "$TMP/out")" ""
kept "rm failing to write"
hold_lock "$R" EXCLUSIVE 5
$INT_DFL $L rm big --db "$R" >/dev/null 2>"$TMP/err" &
pid=$!
eventually said_wait "$TMP/err"
start=$(date +%s%N)
kill -INT $pid; wait $pid; rc=$?
waited=$((($(date +%s%N) - start) / 1000000))
check_eq "Ctrl-C while rm waits for a lock: 130" "$rc" 130
check "and at once (${waited} ms)" test "$waited" -lt 1500
check_eq "Ctrl-C while rm waits for a lock: the messages" "$(cat "$TMP/err")" \
	"llmcost: waiting for another process's lock on $R (an import?); Ctrl-C stops
llmcost: interrupted: nothing was removed"
wait $holder
kept "Ctrl-C while rm waits for a lock"
# held 1.2 s (SIGSTOP), the removal says on a terminal what it does, then clears the line
cat > "$TMP/rmtty.sh" <<RMTTY
. "$TMP/caught.sh"
"$L" rm big --db "\$1" & pid=\$!
i=0; while [ \$i -lt 2000 ] && ! caught \$pid; do i=\$((i + 1)); done
kill -STOP \$pid; sleep 1.2; kill -CONT \$pid; wait \$pid
RMTTY
size=$(stat -c %s "$R")
if command -v script >/dev/null 2>&1; then
	script -qec "sh $TMP/rmtty.sh '$R'" /dev/null > "$TMP/tty.out" 2>&1
	check_has "rm on a terminal: a progress line" "$(cat "$TMP/tty.out")" "removing big… "
	check_has "rm on a terminal: the line cleared, then the result" "$(cat "$TMP/tty.out")" \
		"$(printf ' s\033[K\r\033[Kremoved big')"
	note=$(tr -d '\r' < "$TMP/tty.out" | grep '^llmcost: note: ')
else
	$L rm big --db "$R" >/dev/null 2>"$TMP/err"
	note=$(grep '^llmcost: note: ' "$TMP/err")
fi
check_eq "rm big: big is gone, small kept" "$($L traces --db "$R" | awk 'NR > 1 { print $1 }')" "small"
# the figure is the free pages times the page size, as the sqlite3 shell reads them
free=$(($(sqlite3 "$R" "PRAGMA freelist_count") * $(sqlite3 "$R" "PRAGMA page_size")))
check "rm big: over 16 MiB freed ($free bytes)" test "$free" -ge 16777216
check_eq "rm big: the note's figure" "$(echo "$note" | sed -n 's/^llmcost: note: \([0-9,]*\) bytes .*/\1/p' | tr -d ,)" "$free"
check_has "rm big: later imports reuse it" "$note" "are free inside the store's file; later imports reuse them"
check_eq "rm big: the file keeps its size" "$(stat -c %s "$R")" "$size"
hint=$(echo "$note" | sed -n 's/.*to shrink the file now: \(sqlite3 .* VACUUM\) (it rewrites the store)$/\1/p')
check_eq "rm big: the command it gives, quoted for sh" "$hint" "sqlite3 '$R' VACUUM"
sh -c "$hint"
check "the command shrinks the file below a tenth ($(stat -c %s "$R") of $size bytes)" \
	test $(($(stat -c %s "$R") * 10)) -lt "$size"
check_eq "and leaves no free page" "$(sqlite3 "$R" "PRAGMA freelist_count")" 0
# a removal that leaves no trace compacts the store itself, and says nothing of it (stderr no
# terminal: no progress line either, the rm held 1.2 s)
$L import --quiet --db "$R" --name big "$TMP/big.jsonl" >/dev/null
size=$(stat -c %s "$R")
$L rm big small --db "$R" >"$TMP/out" 2>"$TMP/err" &
pid=$!
i=0
while [ $i -lt 2000 ] && ! caught $pid; do i=$((i + 1)); done
kill -STOP $pid; sleep 1.2; kill -CONT $pid; wait $pid
check_eq "rm of every trace: exit 0" "$?" 0
check_eq "rm of every trace: the result" "$(cat "$TMP/out")" "removed big
removed small"
check_eq "rm of every trace: nothing on stderr" "$(cat "$TMP/err")" ""
check "rm of every trace: the file below a tenth ($(stat -c %s "$R") of $size bytes)" \
	test $(($(stat -c %s "$R") * 10)) -lt "$size"
check_eq "rm of every trace: no free page left" "$(sqlite3 "$R" "PRAGMA freelist_count")" 0
check_has "rm --help: a stop removes nothing" "$($L rm --help | tr '\n' ' ')" "Ctrl-C or SIGTERM (even midway) removes nothing"
check_has "rm --help: the space, the compaction" "$($L rm --help | tr '\n' ' ')" "When no trace is left, rm compacts the store (VACUUM)"
rm -f "$TMP/big.jsonl"

# --- a UTF-8 byte order mark before a file's first line is skipped (a later one is no JSON)
{ printf '\357\273\277'; line 1 a 1; printf '\357\273\277'; line 2 b 2; line 3 c 3; } > "$TMP/bom.jsonl"
out=$($L import "$TMP/bom.jsonl" 2>"$TMP/err"); check_eq "BOM: the first line imports" "$out" \
	"bom: imported 2 requests, rejected 1 line (see: llmcost rejects bom)"
check_has "BOM: a second one is rejected on its line" "$(cat "$TMP/err")" "bom.jsonl:2: not JSON"

# --- a trace spanning more than 366 days gets a note (a mistyped year stretches the span
#     every projection divides by); 2026-03-02 to 2027-03-02 is 365 days, to 2027-03-05 368
yr() { printf '{"ts":"%s","tenant":"a","task":"b","input_tokens":1,"output_tokens":1}\n' "$1"; }
{ yr 2026-03-02T10:00:00Z; yr 2027-03-05T10:00:00Z; } > "$TMP/years.jsonl"
{ yr 2026-03-02T10:00:00Z; yr 2027-03-02T10:00:00Z; } > "$TMP/year.jsonl"
$L import "$TMP/years.jsonl" >/dev/null 2>"$TMP/err"; check_eq "a 368-day trace imports" "$?" 0
# every note begins "llmcost: note:", as replay's and the errors do (import's and rm's began "note:")
check_eq "the note names the span" "$(cat "$TMP/err")" "llmcost: note: years's arrivals span 368d 00:00:00, \
2026-03-02T10:00:00Z to 2027-03-05T10:00:00Z; projected costs divide by that span, so check for a mistyped timestamp"
$L import "$TMP/year.jsonl" >/dev/null 2>"$TMP/err"; check_eq "a 365-day trace: no note" "$(cat "$TMP/err")" ""
# at the boundary: 2026-03-02T10:00 to 2027-03-03T10:00 is 366 days exactly (no note); a second
# more is past it (a note), and so is 366 days 23:59:59, which whole days round down to 366
{ yr 2026-03-02T10:00:00Z; yr 2027-03-03T10:00:00Z; } > "$TMP/y366.jsonl"
{ yr 2026-03-02T10:00:00Z; yr 2027-03-03T10:00:01Z; } > "$TMP/y366s.jsonl"
{ yr 2026-03-02T00:00:00Z; yr 2027-03-03T23:59:59Z; } > "$TMP/y367.jsonl"
$L import "$TMP/y366.jsonl" >/dev/null 2>"$TMP/err"; check_eq "a 366-day trace: no note" "$(cat "$TMP/err")" ""
$L import "$TMP/y366s.jsonl" >/dev/null 2>"$TMP/err"; check_has "366 days and a second: a note" "$(cat "$TMP/err")" "y366s's arrivals span 366d 00:00:01"
$L import "$TMP/y367.jsonl" >/dev/null 2>"$TMP/err"; check_has "366 days 23:59:59: a note" "$(cat "$TMP/err")" "y367's arrivals span 366d 23:59:59"
$L import --quiet --name quiet "$TMP/years.jsonl" >/dev/null 2>"$TMP/err"; check_eq "--quiet: no note" "$(cat "$TMP/err")" ""

# --- on a terminal, an import that takes more than a second shows a progress line
if command -v script >/dev/null 2>&1; then
	cat > "$TMP/slow.sh" <<SLOW
{ i=0; while [ \$i -lt 5000 ]; do echo '{"ts":1,"tenant":"a","task":"b","input_tokens":1,"output_tokens":1}'; i=\$((i+1)); done
  sleep 1.3
  i=0; while [ \$i -lt 12000 ]; do echo '{"ts":2,"tenant":"a","task":"b","input_tokens":1,"output_tokens":1}'; i=\$((i+1)); done
} | "$L" import - --name slow
SLOW
	script -qec "sh $TMP/slow.sh" /dev/null > "$TMP/tty.out" 2>&1
	check_has "progress line on a terminal" "$(cat "$TMP/tty.out")" "importing: "
	check_has "progress shows the rate" "$(cat "$TMP/tty.out")" "lines/s"
	check_has "the summary follows" "$(cat "$TMP/tty.out")" "slow: imported 17,000 requests"
fi
# ... and, from a file (its size known), the time left once the rate is known, after 3 s: the
# import of 300k lines (~0.9 s) held 3.2 s by SIGSTOP 0.1 s in (a pipe's total is unknown:
# unit case in test_progress)
if command -v script >/dev/null 2>&1; then
	$L gen faq --requests 300k -o "$TMP/left.jsonl" 2>/dev/null
	cat > "$TMP/left.sh" <<LEFT
. "$TMP/caught.sh"
"$L" import --quiet "$TMP/left.jsonl" & pid=\$!
i=0; while [ \$i -lt 2000 ] && ! caught \$pid; do i=\$((i + 1)); done
sleep 0.1; kill -STOP \$pid; sleep 3.2; kill -CONT \$pid; wait \$pid
LEFT
	script -qec "sh $TMP/left.sh" /dev/null > "$TMP/tty.out" 2>&1
	check "a file's progress line: the time left" grep -qE \
		'importing: [0-9,]+ lines, [0-9,]+ lines/s, [0-9]+%, about [0-9]+ (s|min) left.\[K' "$TMP/tty.out"
	check_has "the summary follows" "$(cat "$TMP/tty.out")" "left: imported 300,000 requests"
	rm -f "$TMP/left.jsonl"
fi
# ... and none off a terminal, however long the import takes
sed 's/--name slow/--name slow2/' "$TMP/slow.sh" > "$TMP/slow2.sh" 2>/dev/null || true
if [ -f "$TMP/slow2.sh" ]; then
	sh "$TMP/slow2.sh" >/dev/null 2>"$TMP/err"; check_eq "a slow import off a terminal: exit 0" "$?" 0
	check_eq "a slow import off a terminal: no progress line" "$(cat "$TMP/err")" ""
fi


# --- what is not a store is left as it is; a failed import leaves no store and no folder
printf '{"ts":1,"tenant":"a","task":"t","input_tokens":1,"output_tokens":1}\n' > "$TMP/tiny.jsonl"
python3 -c 'import sqlite3, sys
for path, version in ((sys.argv[1], 1), (sys.argv[2], 3)):
    c = sqlite3.connect(path); c.execute("PRAGMA journal_mode=WAL"); c.execute("CREATE TABLE accounts(x)")
    c.execute("PRAGMA user_version=%d" % version); c.commit(); c.close()' "$TMP/app1.db" "$TMP/app3.db"
cp "$TMP/app1.db" "$TMP/app1-before.db"
$L traces --db "$TMP/app1.db" 2>"$TMP/err"; check_eq "another program's database (user_version 1): exit 1" "$?" 1
check_has "it says what it is" "$(cat "$TMP/err")" "an SQLite database of something else"
$L import "$TMP/tiny.jsonl" --db "$TMP/app1.db" 2>/dev/null
check "and leaves it as it was, journal mode too" cmp -s "$TMP/app1.db" "$TMP/app1-before.db"
$L traces --db "$TMP/app3.db" 2>"$TMP/err"
check_has "user_version 3 without our tables is not a newer llmcost" "$(cat "$TMP/err")" "an SQLite database of something else"
# a folder or a device as the store is said as what it is, from a stat before SQLite opens it
# (before: "unable to open database file (…must be writable)", "disk I/O error")
mkdir "$TMP/d.db"
$L traces --db "$TMP/d.db" 2>"$TMP/err"; check_eq "a folder as the store: exit 1" "$?" 1
check_eq "it says so" "$(cat "$TMP/err")" "llmcost: $TMP/d.db: is a folder, not a store file"
$L import "$TMP/tiny.jsonl" --db "$TMP/d.db" 2>"$TMP/err"; check_eq "an import into a folder: exit 1" "$?" 1
check_eq "it says so" "$(cat "$TMP/err")" "llmcost: $TMP/d.db: is a folder, not a store file"
$L traces --db /dev/null 2>"$TMP/err"; check_eq "a device as the store: exit 1" "$?" 1
check_eq "it says so" "$(cat "$TMP/err")" "llmcost: /dev/null: not a regular file"
$L rm tiny --db /dev/null 2>"$TMP/err"; check_eq "rm on a device: exit 1" "$?" 1
check_eq "it says so" "$(cat "$TMP/err")" "llmcost: /dev/null: not a regular file"
printf 'x' > "$TMP/byte.db"
$L import "$TMP/tiny.jsonl" --db "$TMP/byte.db" 2>"$TMP/err"; check_eq "a 1-byte file as the store: exit 1" "$?" 1
check_eq "and it is left as it was" "$(cat "$TMP/byte.db")" "x"
$L import "$TMP/nosuch.jsonl" --db "$TMP/new.db" 2>/dev/null; check_eq "a failed import exits 1" "$?" 1
check "and leaves no store" [ ! -e "$TMP/new.db" ]
$L import "$TMP/tiny.jsonl" --db "$TMP/no/such/folder/s.db" 2>"$TMP/err"; check_eq "a store in a missing folder: exit 1" "$?" 1
check_has "it names the folder" "$(cat "$TMP/err")" "its folder $TMP/no/such/folder does not exist"
check "and makes none" [ ! -e "$TMP/no" ]
# a "folder" that is a file is said so, not in SQLite's words ("unable to open database file")
$L import "$TMP/tiny.jsonl" --db "$TMP/byte.db/s.db" 2>"$TMP/err"; check_eq "a store under a file: exit 1" "$?" 1
check_eq "it says the folder is a file" "$(cat "$TMP/err")" \
	"llmcost: $TMP/byte.db/s.db: cannot make the store: $TMP/byte.db is a file, not a folder"
# a file-size limit (ulimit -f 1000: at most 1,024,000 bytes) fails the store's write of 20,000
# faq requests (over 4 MB of lines): before, SIGXFSZ killed the import silently (exit 153),
# leaving a hot journal; now a message that says nothing was imported (as a signal's does),
# exit 1, and the store as it was
$L gen faq --requests 20000 -o "$TMP/limit.jsonl" 2>/dev/null
$L import "$TMP/tiny.jsonl" --db "$TMP/limit.db" >/dev/null
cp "$TMP/limit.db" "$TMP/limit-before.db"
(ulimit -f 1000; $L import "$TMP/limit.jsonl" --db "$TMP/limit.db") >/dev/null 2>"$TMP/err"
check_eq "an import past a file-size limit: exit 1" "$?" 1
check_eq "it says why" "$(cat "$TMP/err")" "llmcost: $TMP/limit.db: import: disk I/O error (a file-size limit is set: ulimit -f); nothing was imported"
check "and the store is as it was, rolled back" cmp -s "$TMP/limit.db" "$TMP/limit-before.db"
check "with no journal left" [ ! -e "$TMP/limit.db-journal" ]
$L import "$TMP/tiny.jsonl" --db "$TMP/wal.db" >/dev/null
check_eq "the store keeps a rollback journal, not WAL" "$(sqlite3 "$TMP/wal.db" 'PRAGMA journal_mode')" delete
LLMCOST_DB="$TMP/no/such/folder/env.db" $L import "$TMP/tiny.jsonl" 2>"$TMP/err"
check_eq "\$LLMCOST_DB in a missing folder: exit 1" "$?" 1
check "and makes no folder for it (only the default store's is made)" [ ! -e "$TMP/no" ]

# --- the default store: \$XDG_DATA_HOME/llmcost/llmcost.db, else ~/.local/share/llmcost/llmcost.db,
# its folders made; an empty \$LLMCOST_DB or \$XDG_DATA_HOME counts as unset
LLMCOST_DB= XDG_DATA_HOME="$TMP/xdg-home" $L import "$TMP/tiny.jsonl" >/dev/null 2>"$TMP/err"
check_eq "the default store under \$XDG_DATA_HOME: exit 0" "$?" 0
check "it is \$XDG_DATA_HOME/llmcost/llmcost.db" [ -f "$TMP/xdg-home/llmcost/llmcost.db" ]
LLMCOST_DB= XDG_DATA_HOME= HOME="$TMP/home" $L import "$TMP/tiny.jsonl" >/dev/null 2>"$TMP/err"
check_eq "the default store under \$HOME: exit 0" "$?" 0
check "it is ~/.local/share/llmcost/llmcost.db" [ -f "$TMP/home/.local/share/llmcost/llmcost.db" ]
check_has "and it is the one traces reads" "$(LLMCOST_DB= XDG_DATA_HOME= HOME="$TMP/home" $L traces)" "tiny"
# a relative XDG_DATA_HOME is ignored, as the XDG Base Directory spec says (it made a folder
# "rel" in the current one); with HOME unset as well, and no --db nor LLMCOST_DB, there is no
# default store: said, exit 1, nothing made (it made ./.local/share in the current folder)
mkdir -p "$TMP/cwd"
case $L in /*) LA=$L ;; *) LA=$PWD/$L ;; esac # the binary, from another folder
(cd "$TMP/cwd" && LLMCOST_DB= XDG_DATA_HOME=rel HOME="$TMP/relhome" $LA import "$TMP/tiny.jsonl" >/dev/null 2>&1)
check_eq "a relative XDG_DATA_HOME is ignored: ~/.local/share is used" \
	"$(ls "$TMP/relhome/.local/share/llmcost/llmcost.db" 2>&1)" "$TMP/relhome/.local/share/llmcost/llmcost.db"
check_eq "and nothing is made in the current folder" "$(ls -A "$TMP/cwd")" ""
(cd "$TMP/cwd" && env -u HOME LLMCOST_DB= XDG_DATA_HOME=rel $LA import "$TMP/tiny.jsonl" >/dev/null 2>"$TMP/err"); rc=$?
check_eq "no HOME, no absolute XDG_DATA_HOME, no --db: exit 1" "$rc" 1
check_eq "it says so" "$(cat "$TMP/err")" "llmcost: no store: HOME is not set and XDG_DATA_HOME is not an absolute path, so there is no default store; name one with --db PATH or LLMCOST_DB"
check_eq "and makes nothing in the current folder" "$(ls -A "$TMP/cwd")" ""
(cd "$TMP/cwd" && env -u HOME XDG_DATA_HOME= $LA import "$TMP/tiny.jsonl" --db "$TMP/cwd.db" >/dev/null 2>&1)
check_eq "with --db, HOME is not needed" "$?" 0
# a default store whose folder cannot be made names the folder and the reason (it said "its
# folder ~/.local/share/llmcost does not exist", hiding that mkdir ~/.local was refused): HOME a
# file (Not a directory, for root too), and a read-only HOME when not root (Permission denied)
: >"$TMP/homefile"
LLMCOST_DB= XDG_DATA_HOME= HOME="$TMP/homefile" $L import "$TMP/tiny.jsonl" >/dev/null 2>"$TMP/err"
check_eq "a default store's folder that cannot be made: exit 1" "$?" 1
check_eq "the folder and the reason are said" "$(cat "$TMP/err")" "llmcost: $TMP/homefile/.local/share/llmcost/llmcost.db: cannot make the store: cannot make its folder $TMP/homefile/.local: Not a directory"
LLMCOST_DB= XDG_DATA_HOME= HOME="$TMP/homefile" $L replay "$TMP/tiny.jsonl" >/dev/null 2>"$TMP/err"
check_has "replay of a file says the same" "$(cat "$TMP/err")" "cannot make its folder $TMP/homefile/.local: Not a directory"
if [ "$(id -u)" != 0 ]; then
	mkdir -p "$TMP/rohome" && chmod 555 "$TMP/rohome"
	LLMCOST_DB= XDG_DATA_HOME= HOME="$TMP/rohome" $L import "$TMP/tiny.jsonl" >/dev/null 2>"$TMP/err"
	check_has "a read-only HOME: Permission denied" "$(cat "$TMP/err")" "cannot make its folder $TMP/rohome/.local: Permission denied"
	chmod 755 "$TMP/rohome"
fi
# the store holds every request's input text: under umask 022 the folders made for the default
# store are 0700 (the XDG Base Directory spec's mode) and a new store is 0600, not 0755 and 0644;
# a folder that was there keeps its mode; a --db store made new is 0600 too
mkdir -p "$TMP/perm" && chmod 755 "$TMP/perm"
(umask 022; LLMCOST_DB= XDG_DATA_HOME= HOME="$TMP/perm" $L import "$TMP/tiny.jsonl" >/dev/null 2>&1)
for d in .local .local/share .local/share/llmcost; do
	check_eq "umask 022: ~/$d is made 0700" "$(stat -c %a "$TMP/perm/$d")" 700
done
check_eq "the store is made 0600" "$(stat -c %a "$TMP/perm/.local/share/llmcost/llmcost.db")" 600
check_eq "the folder that was there keeps its mode" "$(stat -c %a "$TMP/perm")" 755
(umask 022; $L import "$TMP/tiny.jsonl" --db "$TMP/perm/given.db" >/dev/null 2>&1)
check_eq "a --db store made new: 0600" "$(stat -c %a "$TMP/perm/given.db")" 600
# a symbolic link to a store not made yet is followed, and its target made 0600 too (it was
# 0644: O_EXCL refused the link, and SQLite made the target with the umask's mode)
ln -s target.db "$TMP/perm/link.db"
(umask 022; $L import "$TMP/tiny.jsonl" --db "$TMP/perm/link.db" >/dev/null 2>&1)
check_eq "a dangling link as the store: exit 0" "$?" 0
check_eq "its target is made 0600" "$(stat -c %a "$TMP/perm/target.db")" 600
check "the link stays a link" [ -L "$TMP/perm/link.db" ]
check_has "and the store read through it holds the trace" "$($L traces --db "$TMP/perm/target.db")" "tiny"
# one whose target's folder is missing names that folder (relative to the link's), not the link's
ln -s nowhere/target.db "$TMP/perm/lost.db"
$L import "$TMP/tiny.jsonl" --db "$TMP/perm/lost.db" 2>"$TMP/err"; check_eq "a link into a missing folder: exit 1" "$?" 1
check_eq "it names the target's folder" "$(cat "$TMP/err")" \
	"llmcost: $TMP/perm/lost.db: cannot make the store: its folder $TMP/perm/nowhere does not exist"
# a store path is a file name, though Debian's SQLite takes "file:..." for a URI: --db file:z.db
# made an empty file:z.db and the store in z.db, 0644; file:y.db?mode=memory kept nothing
mkdir -p "$TMP/uri"
(cd "$TMP/uri" && umask 022 && $LA import "$TMP/tiny.jsonl" --db file:z.db >/dev/null 2>&1)
check_eq "--db file:z.db: exit 0" "$?" 0
check_eq "it makes one store, named file:z.db" "$(ls -A "$TMP/uri")" "file:z.db"
check_eq "made 0600" "$(stat -c %a "$TMP/uri/file:z.db")" 600
check_has "and traces --db file:z.db lists its trace" "$(cd "$TMP/uri" && $LA traces --db file:z.db)" "tiny"
rm -f "$TMP/uri/file:z.db"
(cd "$TMP/uri" && $LA import "$TMP/tiny.jsonl" --db 'file:y.db?mode=memory' >/dev/null 2>&1)
check_eq "--db 'file:y.db?mode=memory': one store of that name" "$(ls -A "$TMP/uri")" "file:y.db?mode=memory"
check_has "which keeps the trace" "$(cd "$TMP/uri" && $LA traces --db 'file:y.db?mode=memory')" "tiny"
chmod 640 "$TMP/perm/given.db"
$L import "$TMP/tiny.jsonl" --name tiny2 --db "$TMP/perm/given.db" >/dev/null 2>&1
check_eq "a store that exists keeps its mode" "$(stat -c %a "$TMP/perm/given.db")" 640

# --- a store this user cannot reach or read: said as what it is, not as no store
# a store whose path stat cannot look at (a loop of links here) is not "no store" (traces said
# "there is no store ... yet", exit 0; replay "there is no store"): the path and the reason, exit 1
ln -s loop.db "$TMP/loop.db"
$L traces --db "$TMP/loop.db" 2>"$TMP/err"; check_eq "a loop of links: traces exits 1" "$?" 1
check_has "it names the store and the reason" "$(cat "$TMP/err")" "llmcost: $TMP/loop.db: cannot reach the store: "
$L replay tiny --db "$TMP/loop.db" 2>"$TMP/err"; check_eq "replay exits 1" "$?" 1
check_has "replay says the same" "$(cat "$TMP/err")" "llmcost: $TMP/loop.db: cannot reach the store: "
$L import "$TMP/tiny.jsonl" --db "$TMP/loop.db" 2>"$TMP/err"; check_eq "import exits 1" "$?" 1
check_has "import says the same" "$(cat "$TMP/err")" "llmcost: $TMP/loop.db: cannot reach the store: "
check "and the link stays as it was" [ "$(readlink "$TMP/loop.db")" = loop.db ]
# as_other COMMAND...: COMMAND run by a user whom modes shut out of what this one made: not
# root, this user itself (mode 000 shuts the owner out too); root, nobody (65534), through
# setpriv or su, $TMP made enterable for it.  Neither able to run the program: the cases are
# skipped, with a word.
if [ "$(id -u)" != 0 ]; then
	as_other() { "$@"; }; shut_dir=000; shut_file=000; read_only=444
else
	# nobody may not reach the checkout (a clone in a 0700 folder): the price table from $TMP
	chmod 711 "$TMP"; shut_dir=700; shut_file=600; read_only=644
	cp fixtures/pricing/openai.json "$TMP/prices.json" && chmod 644 "$TMP/prices.json"
	if command -v setpriv >/dev/null; then
		as_other() { LLMCOST_PRICING="$TMP/prices.json" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	else
		as_other() { LLMCOST_PRICING="$TMP/prices.json" su nobody -s /bin/sh -c 'exec "$0" "$@"' "$@"; }
	fi
fi
if as_other $LA --version >/dev/null 2>&1; then
	# a store in a folder this user cannot enter (traces said "no store yet", exit 0; replay
	# "there is no store"; import "its folder ... does not exist")
	mkdir -p "$TMP/shut/sub"
	$L import "$TMP/tiny.jsonl" --db "$TMP/shut/sub/x.db" >/dev/null 2>&1
	chmod $shut_dir "$TMP/shut"
	as_other $LA traces --db "$TMP/shut/sub/x.db" 2>"$TMP/err"; check_eq "a folder this user cannot enter: traces exits 1" "$?" 1
	check_eq "it names the store and the reason" "$(cat "$TMP/err")" \
		"llmcost: $TMP/shut/sub/x.db: cannot reach the store: Permission denied"
	as_other $LA replay tiny --db "$TMP/shut/sub/x.db" 2>"$TMP/err"; check_eq "replay exits 1" "$?" 1
	check_eq "replay says the same" "$(cat "$TMP/err")" \
		"llmcost: $TMP/shut/sub/x.db: cannot reach the store: Permission denied"
	as_other $LA import "$TMP/tiny.jsonl" --name t2 --db "$TMP/shut/sub/x.db" 2>"$TMP/err"
	check_eq "import exits 1" "$?" 1
	check_eq "import says the same" "$(cat "$TMP/err")" \
		"llmcost: $TMP/shut/sub/x.db: cannot reach the store: Permission denied"
	chmod 755 "$TMP/shut"
	# a default store in a folder this user cannot enter, ~/.local/share there: import said
	# "cannot make its folder ~/.local/share: Permission denied", as if it were not there
	mkdir -p "$TMP/shuthome/.local/share" && chmod 755 "$TMP/shuthome" && chmod $shut_dir "$TMP/shuthome/.local"
	# (the variables set before the function, not through env(1), which as nobody could not
	# run the binary of a checkout in a folder only root may enter, as setpriv itself can)
	LLMCOST_DB= XDG_DATA_HOME= HOME="$TMP/shuthome" as_other $LA import "$TMP/tiny.jsonl" 2>"$TMP/err"
	check_eq "a default store's folder this user cannot enter: import exits 1" "$?" 1
	check_eq "import says it cannot reach the store" "$(cat "$TMP/err")" \
		"llmcost: $TMP/shuthome/.local/share/llmcost/llmcost.db: cannot reach the store: Permission denied"
	chmod 755 "$TMP/shuthome/.local"
	# a store this user may not read (root's 0600 read by nobody; the owner's own at 000): said
	# so, not as "unable to open database file (the store and its folder must be writable)"
	mkdir -p "$TMP/unread" && chmod 755 "$TMP/unread"
	$L import "$TMP/tiny.jsonl" --db "$TMP/unread/x.db" >/dev/null 2>&1
	chmod $shut_file "$TMP/unread/x.db"
	for c in traces "replay tiny" "rejects tiny" "import $TMP/tiny.jsonl --name t2"; do
		as_other $LA $c --db "$TMP/unread/x.db" >/dev/null 2>"$TMP/err"
		check_eq "a store this user may not read: ${c%% *} exits 1" "$?" 1
		check_eq "${c%% *}: it says so" "$(cat "$TMP/err")" \
			"llmcost: $TMP/unread/x.db: cannot read the store: Permission denied"
	done
	# one it may read but not write: read, and an import says it cannot write (as before)
	chmod $read_only "$TMP/unread/x.db"
	check_has "a store this user may only read: traces lists it" \
		"$(as_other $LA traces --db "$TMP/unread/x.db" 2>&1)" "tiny"
	as_other $LA import "$TMP/tiny.jsonl" --name t2 --db "$TMP/unread/x.db" >/dev/null 2>"$TMP/err"
	check_eq "import into it exits 1" "$?" 1
	check_has "saying it cannot write" "$(cat "$TMP/err")" "attempt to write a readonly database"
	chmod 600 "$TMP/unread/x.db"
else
	echo "cli_import: neither setpriv nor su runs the program as another user: the cases of a store it cannot reach are skipped" >&2
fi

# --- an empty tenant, task or model is rejected, the line kept in rejects (README)
{ line 0 acme 1; line 1 "" 1
  echo '{"ts":"2026-03-02T10:00:02Z","tenant":"a","task":"","input_tokens":1,"output_tokens":1}'
  echo '{"ts":"2026-03-02T10:00:03Z","tenant":"a","task":"b","input_tokens":1,"output_tokens":1,"model":""}'; } > "$TMP/blank-names.jsonl"
out=$($L import "$TMP/blank-names.jsonl" 2>"$TMP/err"); check_eq "empty names: rejected" "$out" \
	"blank-names: imported 1 request, rejected 3 lines (see: llmcost rejects blank-names)"
check_has "empty names: tenant" "$(cat "$TMP/err")" "blank-names.jsonl:2: tenant: empty"
check_has "empty names: task" "$(cat "$TMP/err")" "blank-names.jsonl:3: task: empty"
check_has "empty names: model" "$(cat "$TMP/err")" "blank-names.jsonl:4: model: empty"
check_has "empty names: kept in rejects" "$($L rejects blank-names)" '"model":""'

# --- attempts timed before their request's ts (a skewed clock): imported, and a note counts
# them with the first one's line and index (README); none on time, none with --quiet
{ echo '{"ts":"2026-03-02T10:00:10Z","tenant":"a","task":"b","input_tokens":1,"output_tokens":1,"model":"gpt-4.1-mini","attempts":[{"ts":"2026-03-02T10:00:11Z"}]}'
  echo '{"ts":"2026-03-02T10:00:10Z","tenant":"a","task":"b","input_tokens":1,"output_tokens":1,"model":"gpt-4.1-mini","attempts":[{"status":"timeout"},{"ts":"2026-03-02T10:00:09Z"}]}'
  echo '{"ts":"2026-03-02T10:00:10Z","tenant":"a","task":"b","input_tokens":1,"output_tokens":1,"model":"gpt-4.1-mini","attempts":[{"ts":"2026-03-02T10:00:00Z"}]}'; } > "$TMP/skew.jsonl"
out=$($L import "$TMP/skew.jsonl" 2>"$TMP/err"); check_eq "skewed attempts: imported" "$out" "skew: imported 3 requests"
check_eq "skewed attempts: the note" "$(cat "$TMP/err")" \
	"$TMP/skew.jsonl: 2 attempts are timed before their request's ts (first: $TMP/skew.jsonl:2 attempts[1].ts; a skewed clock?): a replay prices them like any call, gives a request answered before it arrived latency 0, and counts a call before the first arrival's timeline bucket in the totals but in no bucket"
$L import --quiet --name skewq "$TMP/skew.jsonl" >/dev/null 2>"$TMP/err"
check_eq "skewed attempts, --quiet: no note" "$(cat "$TMP/err")" ""
sed -n 1p "$TMP/skew.jsonl" > "$TMP/ontime.jsonl"
$L import "$TMP/ontime.jsonl" >/dev/null 2>"$TMP/err"
check_eq "attempts on time: no note" "$(cat "$TMP/err")" ""

finish
