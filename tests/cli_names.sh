# Command-line tests of names that are not plain text and of command-line misuse: control
# characters, bidirectional overrides and bytes that are not UTF-8 never reach a terminal raw
# (tables, lists, error messages show escapes; JSON and CSV carry names exactly), wide and
# combining characters keep the table aligned, NUL in a name is rejected, trace names are
# checked before anything is written, options are named as typed, and output that cannot be
# written fails.
SUITE=cli_names
. tests/lib.sh

L=$(cd "$(dirname "$LLMCOST")" && pwd)/$(basename "$LLMCOST") # absolute: one case runs elsewhere
ESC=$(printf '\033'); BEL=$(printf '\007'); C1=$(printf '\302\233'); RLO=$(printf '\342\200\256')

# One line per tenant; the names are JSON escapes, so the file itself is plain ASCII.
line() {
	printf '{"ts":"2026-03-02T10:00:%02dZ","tenant":"%s","task":"faq","model":"gpt-4.1-mini","input_tokens":100,"output_tokens":10}\n' "$1" "$2"
}
{
	line 1 'plain'
	line 2 '\u001b[31mred\u001b[0m'
	line 3 '\u001b]0;title\u0007'
	line 4 'c1\u009b31m'
	line 5 'abc\u202eevil'
	line 6 'line1\nline2'
	line 7 '\u6f22\u5b57\u6f22\u5b57'
	line 8 'e\u0301\u0301'
	line 9 'zw\u200bx'
} > "$TMP/names.jsonl"
$L import "$TMP/names.jsonl" > /dev/null; check_eq "names import" "$?" 0

# --- the table: escapes, never the raw bytes
$L replay names --by tenant 2>>"$TMP/notes" > "$TMP/table"; check_eq "table exits 0" "$?" 0
table=$(cat "$TMP/table")
for raw in "$ESC" "$BEL" "$C1" "$RLO"; do
	case $table in *"$raw"*) bad "the table holds a raw control ($(printf '%s' "$raw" | od -An -tx1))" ;; *) ok ;; esac
done
check_has "ESC shown as an escape" "$table" '\u001b[31mred\u001b[0m'
check_has "C1 shown as an escape" "$table" 'c1\u009b31m'
check_has "RLO shown as an escape" "$table" 'abc\u202eevil'
check_has "newline shown as an escape" "$table" 'line1\u000aline2'
# Alignment in terminal columns, counted independently (Python's unicodedata): the
# requests column of every tenant row ends where its header does.  漢字漢字 is 8 columns
# (East Asian wide), e + two combining acutes 1, zw + ZERO WIDTH SPACE + x 3.
aligned=$(python3 - "$TMP/table" <<'EOF'
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) == "Cf"
               else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = next(i for i, l in enumerate(lines) if "requests" in l)
ends = {width(lines[head][:lines[head].index("requests") + len("requests")])}
for l in lines[head + 1:]:
    if not l.strip():
        break
    m = re.search(r"\s{3,}(\d+)\s", l)
    ends.add(width(l[:m.end(1)]))
print("aligned" if len(ends) == 1 else "misaligned %s" % sorted(ends))
EOF
)
check_eq "wide, combining and zero-width names keep the columns aligned" "$aligned" aligned

# --- a name past 60 columns loses its middle, not its end: tenants of one long prefix stay
# apart (all three were "P…" cut at the same column). 60 columns: "…" and 59, the start 30
# (59 - 59/2) and the end 29
P=tenant-with-a-very-long-name-tenant-with-a-very-long-name-tenant-with-a-very-long-name
{ line 1 "$P-one"; line 2 "$P-two"; line 3 "$P-three"; } > "$TMP/long.jsonl"
table=$($L replay "$TMP/long.jsonl" --by tenant --db "$TMP/long.db" 2>/dev/null)
for end in one two three; do
	name=$P-$end
	check_has "a long name keeps its end: -$end" "$table" "  $(printf %.30s "$name")…$(printf %s "$name" | tail -c 29)  "
done
# ... in traces' list too, as a trace's name (a 255-character name made a row of ~350 columns)
$L import "$TMP/long.jsonl" --name "$P-$P-end" --db "$TMP/long.db" >/dev/null 2>&1
name=$P-$P-end
row=$($L traces --db "$TMP/long.db" | grep -e '-end ')
check_has "traces: a long name loses its middle" "$row" "$(printf %.30s "$name")…$(printf %s "$name" | tail -c 29)  "
# ... and is then given whole after the table, as a command takes it (it could be read nowhere
# but in the store); a name with a space quoted for the shell. The list: the long.jsonl trace
# (8 characters, whole) and the two cut (P is 86 characters: 86 + 4 = 90 and 86 × 2 + 5 = 177)
$L import "$TMP/long.jsonl" --name "$P two" --db "$TMP/long.db" >/dev/null 2>&1
check_eq "traces: the names cut, whole after the table" "$($L traces --db "$TMP/long.db" | sed '1,/^$/d')" \
	"the names cut above, whole:
  '$P two'
  $P-$P-end"
sh_llmcost "llmcost rm --db '$TMP/long.db' $($L traces --db "$TMP/long.db" | tail -n 1)" >/dev/null 2>&1
check_eq "... which a command takes as written" "$?" 0
check_eq "... and one name cut is said so" "$($L traces --db "$TMP/long.db" | sed '1,/^$/d')" \
	"the name cut above, whole:
  '$P two'"

# --- on a locale that is not UTF-8 (C, POSIX, ISO-8859-1) the program's own symbols are
# ASCII: "..." for "…", "-" for "—", "x" for "×" (it printed UTF-8 whatever the locale); a name
# is data, and --csv carries it exactly still
nonascii() { LC_ALL=C grep -c '[^ -~]'; } # lines with a byte that is not printable ASCII
for loc in C POSIX; do
	check_eq "LC_ALL=$loc: help is ASCII" "$(LC_ALL=$loc $L help | nonascii)" 0
	check_eq "LC_ALL=$loc: import --help is ASCII" "$(LC_ALL=$loc $L import --help | nonascii)" 0
	check_eq "LC_ALL=$loc: help's first line" "$(LC_ALL=$loc $L help | head -1)" \
		"llmcost - replay LLM request traces through cost policies"
	table=$(LC_ALL=$loc $L replay "$TMP/long.jsonl" --by tenant --db "$TMP/long.db" 2>/dev/null)
	name=$P-one
	# "..." is 3 columns: 57 left, the start 29 (57 - 57/2) and the end 28
	check_has "LC_ALL=$loc: a long name cut with ..." "$table" "  $(printf %.29s "$name")...$(printf %s "$name" | tail -c 28)  "
	check_eq "LC_ALL=$loc: the table is ASCII" "$(printf '%s\n' "$table" | nonascii)" 0
done
i=1; while [ $i -le 21 ]; do echo "bad $i"; i=$((i + 1)); done > "$TMP/bad21.jsonl"
LC_ALL=C $L import "$TMP/bad21.jsonl" --db "$TMP/bad21.db" >/dev/null 2>"$TMP/err"
check_eq "LC_ALL=C: the rejected lines past 20 counted with ..." "$(tail -1 "$TMP/err")" "... and 1 more rejected line"
check_eq "LC_ALL=C: --csv carries 漢字漢字 exactly" \
	"$(LC_ALL=C $L replay names --by tenant --csv 2>>"$TMP/notes" | grep -c "$(printf '\346\274\242\345\255\227\346\274\242\345\255\227')")" 1
check_has "a UTF-8 locale keeps …" "$(LC_ALL=C.UTF-8 $L help | head -1)" "llmcost — replay"

# --- JSON and CSV carry the names exactly
$L replay names --json 2>>"$TMP/notes" > "$TMP/names.json"
got=$(python3 -c 'import json, sys
got = sorted(t["tenant"] for t in json.load(open(sys.argv[1]))["scenarios"][0]["by_tenant"])
want = sorted(json.loads(l)["tenant"] for l in open(sys.argv[2]))
print(got == want)' "$TMP/names.json" "$TMP/names.jsonl")
check_eq "--json holds every name exactly" "$got" True
# --csv as the README warns spreadsheet users: a name beginning with = + - @ is written as it is
# (the formula a spreadsheet would run), quoted only where RFC 4180 needs it (a comma, a quote)
{ line 1 '=1+1'; line 2 '+cmd'; line 3 '-2'; line 4 '@SUM(A1)'; line 5 '=HYPERLINK(\"http://x\",\"c\")'; } > "$TMP/formula.jsonl"
csv=$($L replay "$TMP/formula.jsonl" --by tenant --csv --db "$TMP/formula.db" 2>/dev/null | cut -d, -f1-2)
for name in '=1+1' '+cmd' '-2' '@SUM(A1)'; do
	check_has "--csv: $name as it is" "$csv" "recorded,$name"
done
check_has "--csv: a quote doubled, the field quoted" "$csv" 'recorded,"=HYPERLINK(""http://x""'

# --- NUL in a name: rejected with its line, not cut short
{ line 1 'a\u0000x'; line 2 'a'; } > "$TMP/nul.jsonl"
$L import "$TMP/nul.jsonl" 2> "$TMP/err" > /dev/null
check_has "NUL in a tenant is rejected with its line" "$(cat "$TMP/err")" 'nul.jsonl:1: tenant: expected a string without \u0000'

# --- error messages and lists
printf '{"ts":"2026-03-02T10:00:00Z","tenant":"\\u001b]0;x\\u0007t","task":"faq","input_tokens":1,"output_tokens":1}\n' > "$TMP/nomodel.jsonl"
$L replay "$TMP/nomodel.jsonl" > /dev/null 2> "$TMP/err"; check_eq "recorded without a model exits 3" "$?" 3
case $(cat "$TMP/err") in *"$ESC"*|*"$BEL"*) bad "an error message holds a raw control" ;; *) ok ;; esac
check_has "the error shows the name's escapes" "$(cat "$TMP/err")" 'tenant \u001b]0;x\u0007t'
$L import "$TMP/names.jsonl" --name "$(printf 'list\033[2Jed')" > /dev/null
out=$($L traces); check_has "traces shows a name's escapes" "$out" 'list\u001b[2Jed'
case $out in *"$ESC"*) bad "traces holds a raw ESC" ;; *) ok ;; esac
printf '{"ts": "\033[31m\n' > "$TMP/raw.jsonl"
$L import "$TMP/raw.jsonl" > /dev/null 2>&1
out=$($L rejects raw); check_has "rejects shows a raw ESC as an escape" "$out" '{"ts": "\u001b[31m'
case $out in *"$ESC"*) bad "rejects holds a raw ESC" ;; *) ok ;; esac
# a newline in a name or path is shown as \u000a in messages too, as traces shows it: it began a
# line of its own ("llmcost: no trace named "nl" then "nam" (nothing removed)"), a faked output line
NL=$(printf 'nl\nname')
out=$($L import "$TMP/names.jsonl" --name "$NL" --db "$TMP/nl.db" 2>&1)
check_eq "import's summary: a name's newline escaped" "$out" 'nl\u000aname: imported 9 requests'
out=$($L rm "$(printf 'nl\nnam')" --db "$TMP/nl.db" 2>&1)
check_eq "rm's error: a name's newline escaped" "$out" "llmcost: $TMP/nl.db: no trace named \"nl\\u000anam\" (nothing removed)"
out=$($L rm "$NL" --db "$TMP/nl.db" 2>&1); check_eq "rm's word: a name's newline escaped" "$out" 'removed nl\u000aname'
out=$(cd "$TMP" && $L gen faq --requests 3 -o "$(printf 'n\001l\n.jsonl')" 2>&1)
check_eq "gen's word: a path's newline escaped" "$out" 'llmcost gen: wrote 3 faq requests (8 tenants, 7 days, seed 1) to n\u0001l\u000a.jsonl'
out=$($L gen faq --requests 3 -o "$(printf '%s/no\ndir/x.jsonl' "$TMP")" 2>&1)
case $out in *"no\u000adir"*) ok ;; *) bad "gen's -o error: a path's newline escaped: [$out]" ;; esac
check_eq "... on one line" "$(printf "%s\\n" "$out" | wc -l)" 1

# --- trace names are checked before anything is written
long=$(printf '%0256d' 0)
$L import "$TMP/names.jsonl" --name "$long" 2> "$TMP/err"; check_eq "a 256-byte --name exits 2" "$?" 2
check_has "it says why" "$(cat "$TMP/err")" "--name is longer than 255 bytes"
# 255 bytes is the longest name, and fits
long=$(printf '%0255d' 0)
$L import "$TMP/names.jsonl" --name "$long" >/dev/null 2>"$TMP/err"; check_eq "a 255-byte --name imports" "$?" 0
$L import "$TMP/names.jsonl" --name "$(printf 'n\303')" 2> "$TMP/err"; check_eq "--name not UTF-8 exits 2" "$?" 2
check_has "it says why" "$(cat "$TMP/err")" "--name is not UTF-8"
cp "$TMP/names.jsonl" "$TMP/$(printf 'bad\377').jsonl"
# a usage error, as a --name not UTF-8 is: the command wants a --name (it exited 1)
$L import "$TMP/$(printf 'bad\377').jsonl" 2> "$TMP/err"; check_eq "a file name not UTF-8 exits 2" "$?" 2
check_has "it asks for --name" "$(cat "$TMP/err")" 'the trace name "bad\xff" of'
check_has "... choose another with --name" "$(cat "$TMP/err")" 'is not UTF-8: choose another with --name'
# replay, which has no --name, gives the import that names it (it said "choose another with --name")
$L replay "$TMP/$(printf 'bad\377').jsonl" 2> "$TMP/err"; check_eq "replay of a file name not UTF-8 exits 1" "$?" 1
check_eq "... the import that names it" "$(cat "$TMP/err")" "llmcost: the trace name \"bad\\xff\" of $TMP/bad\\xff.jsonl is not UTF-8: store it under another with llmcost import '$TMP/bad\\xff.jsonl' --name NAME, then use NAME"
mkdir -p "$TMP/other" && cp "$TMP/names.jsonl" "$TMP/other/twice.jsonl" && cp "$TMP/names.jsonl" "$TMP/twice.jsonl"
$L import "$TMP/twice.jsonl" "$TMP/other/twice.jsonl" --db "$TMP/twice.db" 2> "$TMP/err"
check_eq "two files of one name exit 2, a usage error" "$?" 2
check_has "it names both" "$(cat "$TMP/err")" 'would both be the trace "twice"'
check "and no store is made" [ ! -e "$TMP/twice.db" ]

# --- a scenario named by a file name that is not UTF-8, or at length
printf '{"cache": {}}' > "$TMP/$(printf 'sc\377').json"
$L replay names -s "$TMP/$(printf 'sc\377').json" --json 2>>"$TMP/notes" > "$TMP/out.json"
got=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["scenarios"][0]["name"])' "$TMP/out.json")
check_eq "a byte that is not UTF-8 becomes U+FFFD in --json" "$got" "sc�"
printf '{"name": "%0200d"}' 0 > "$TMP/longname.json"
width=$($L replay names -s "$TMP/longname.json" 2>>"$TMP/notes" | awk 'length > w { w = length } END { print w }')
check "a 200-character scenario name is cut in the table" [ "$width" -lt 100 ]

# --- options, named as typed
$L replay names -xyz 2> "$TMP/err"; check_eq "unknown short option exits 2" "$?" 2
check_has "it names the letter" "$(cat "$TMP/err")" "unknown option -x"
$L replay names --json=1 2> "$TMP/err"; check_eq "a value for --json exits 2" "$?" 2
check_has "it says --json takes none" "$(cat "$TMP/err")" "--json takes no value"
$L replay names --by 2> "$TMP/err"; check_has "--by without a value" "$(cat "$TMP/err")" "--by needs a value"
(cd "$TMP" && $L import -dash.jsonl 2> err); check_eq "import -dash.jsonl exits 2" "$?" 2
check "and makes no store ./ash.jsonl" [ ! -e "$TMP/ash.jsonl" ]
check_has "it says how to name such a file" "$(cat "$TMP/err")" "./-NAME"
check_has "... naming the word typed" "$(cat "$TMP/err")" "unknown option -dash.jsonl (a file whose name begins with - is ./-NAME, or follows --)"
# rm and rejects take trace names, not files: the name after -- (they said "unknown option -d
# (a file whose name begins with - is ./-NAME ...)")
for c in rm rejects; do
	$L $c -dash 2> "$TMP/err"; check_eq "$c -dash exits 2" "$?" 2
	check_has "... the name after --" "$(cat "$TMP/err")" "llmcost $c: unknown option -dash (a trace whose name begins with - follows --: llmcost $c -- -dash)"
done
# a word of one unknown letter is the word named, not the next word that begins with that letter
# (rm -d -dx named -dx, and its -- advice pointed at the wrong name) ...
$L rm -d -dx 2> "$TMP/err"; check_eq "rm -d -dx exits 2" "$?" 2
check_eq "... naming -d, the word at fault" "$(head -1 "$TMP/err")" \
	"llmcost rm: unknown option -d (a trace whose name begins with - follows --: llmcost rm -- -d)"
# ... unless that word was an option's value: -s takes "-d", and -dx is at fault
$L replay names -s -d -dx 2> "$TMP/err"; check_eq "replay -s -d -dx exits 2" "$?" 2
check_eq "... naming -dx" "$(head -1 "$TMP/err")" \
	"llmcost replay: unknown option -dx (a file whose name begins with - is ./-NAME, or follows --)"
$L import "$TMP/names.jsonl" --name=-dash >/dev/null 2>&1
sh_llmcost "llmcost rm -- -dash" >/dev/null 2>&1; check_eq "... which removes it" "$?" 0
$L replay names --db '' 2> "$TMP/err"; check_eq "--db '' exits 2" "$?" 2
check_has "it says why" "$(cat "$TMP/err")" "--db needs a path"
$L traces --db= 2> /dev/null; check_eq "--db= exits 2" "$?" 2
# a store is a file path: SQLite's :memory: would import and keep nothing (exit 0 before), and
# y.db/ was imported into y.db, which traces --db y.db/ then did not find; every command's --db
for c in "import $TMP/names.jsonl" traces "rejects names" "rm names" "replay names" "watch names" \
         "live names -s recorded --max-usd 1 --dry-run" "tui names"; do
	$L $c --db :memory: 2> "$TMP/err"; check_eq "${c%% *} --db :memory: exits 2" "$?" 2
	check_has "${c%% *}: it says why" "$(cat "$TMP/err")" "--db :memory: would keep nothing: a store is a file path"
	$L $c --db "$TMP/y.db/" 2> "$TMP/err"; check_eq "${c%% *} --db y.db/ exits 2" "$?" 2
	check_has "${c%% *}: it says why" "$(cat "$TMP/err")" "--db $TMP/y.db/ ends in /: a store is a file path, not a folder"
done
check "and no y.db was made" [ ! -e "$TMP/y.db" ]
# $LLMCOST_DB is checked as --db is (LLMCOST_DB=:memory: imported and kept nothing, exit 0, and
# LLMCOST_DB=x/ imported into a file x that traces then did not find): named as LLMCOST_DB, exit 2
for c in "import $TMP/names.jsonl" traces "rejects names" "rm names" "replay names" "watch names" \
         "live names -s v3 --max-usd 1 --dry-run" "tui names"; do
	LLMCOST_DB=:memory: $L $c 2> "$TMP/err"; check_eq "${c%% *}: LLMCOST_DB=:memory: exits 2" "$?" 2
	check_eq "${c%% *}: it says why, naming LLMCOST_DB" "$(cat "$TMP/err")" \
		"llmcost: LLMCOST_DB=:memory: would keep nothing: a store is a file path"
	LLMCOST_DB="$TMP/x/" $L $c 2> "$TMP/err"; check_eq "${c%% *}: LLMCOST_DB=x/ exits 2" "$?" 2
	check_eq "${c%% *}: it says why, naming LLMCOST_DB" "$(cat "$TMP/err")" \
		"llmcost: LLMCOST_DB=$TMP/x/ ends in /: a store is a file path, not a folder"
done
check "and no x was made" [ ! -e "$TMP/x" ]
LLMCOST_DB=:memory: $L traces --db "$LLMCOST_DB" > "$TMP/out" 2>&1
check_eq "--db given: LLMCOST_DB is not used, nor checked" "$?" 0
check_has "and the --db store is read" "$(cat "$TMP/out")" "names"
LLMCOST_DB=:memory: $L gen faq --requests 1 > /dev/null
check_eq "a command without a store runs whatever LLMCOST_DB is" "$?" 0
LLMCOST_DB= XDG_DATA_HOME="$TMP/xdg-empty" $L import "$TMP/names.jsonl" > /dev/null 2>&1
check_eq "an empty LLMCOST_DB is unset: the default store" "$?" 0
check "it is \$XDG_DATA_HOME/llmcost/llmcost.db" [ -f "$TMP/xdg-empty/llmcost/llmcost.db" ]
$L replay names --json --by tenant 2> /dev/null; check_eq "--json with --by exits 2" "$?" 2
mkdir -p "$TMP/adir"
$L replay "$TMP/adir" 2> "$TMP/err"; check_has "a directory as the trace" "$(cat "$TMP/err")" "is a directory"
$L replay names -s "$TMP/adir" 2> "$TMP/err"; check_has "a directory as a scenario" "$(cat "$TMP/err")" "is a directory"
# -s NAME: a file of that name in the current folder comes first, else the bundled scenario
# ("v3" or "v3.json"); a file that shadows a bundled name and is no scenario says that the
# bundled one exists, and where
mkdir -p "$TMP/shadow"
out=$(cd "$TMP/shadow" && $L replay names -s v3.json --csv 2>/dev/null | cut -d, -f1 | sed -n 2p)
check_eq "-s v3.json with no such file: the bundled v3" "$out" "v3 cache+routing"
echo '{"name": "mine"}' > "$TMP/shadow/v3"
out=$(cd "$TMP/shadow" && $L replay names -s v3 --csv 2>/dev/null | cut -d, -f1 | sed -n 2p)
check_eq "-s v3 beside a file v3: the file" "$out" "mine"
echo 'not json' > "$TMP/shadow/v3"
(cd "$TMP/shadow" && $L replay names -s v3 2>"$TMP/err"); check_eq "a file v3 that is no scenario exits 3" "$?" 3
check_has "... and says the bundled v3 exists" "$(cat "$TMP/err")" \
	"; the file v3 here comes before the bundled scenario of that name, which is /"
check_has "... and where" "$(cat "$TMP/err")" "/scenarios/v3.json"

# --- more misuse, said plainly
$L --verbose 2>"$TMP/err"; check_eq "an unknown top-level option exits 2" "$?" 2
check_has "naming it, not a command the user did not type" "$(cat "$TMP/err")" "llmcost: unknown option --verbose"
# an unknown long option close to one of the command's own (or --help, or llmcost's --version)
# gets it suggested, as a mistyped command does (they said only "unknown option --jsno")
slip() { # WANT ARG...: llmcost ARG... exits 2 saying WANT on its first line
	want=$1; shift
	$L "$@" </dev/null >/dev/null 2>"$TMP/err"; check_eq "$*: exits 2" "$?" 2
	check_eq "$*: the suggestion" "$(head -1 "$TMP/err")" "$want"
}
slip 'llmcost replay: unknown option --jsno (did you mean --json?)' replay names --jsno
slip 'llmcost replay: unknown option --jsno=1 (did you mean --json?)' replay names --jsno=1
slip 'llmcost import: unknown option --stict (did you mean --strict?)' import x --stict
slip 'llmcost live: unknown option --dryrun (did you mean --dry-run?)' live names -s v3 --max-usd 1 --dryrun
slip 'llmcost watch: unknown option --sped (did you mean --speed?)' watch names --sped 60
slip 'llmcost tui: unknown option --frmaes (did you mean --frames?)' tui names --frmaes 1
slip 'llmcost gen: unknown option --sed (did you mean --seed?)' gen faq --sed 1
for cmd in traces rejects rm; do slip "llmcost $cmd: unknown option --bd (did you mean --db?)" $cmd --bd x; done
# an option of one value given twice, and an option where a value goes, in the commands whose
# suites test no other (replay, gen, import, live, watch: theirs): usage errors naming both, as
# replay's second --by; the last was kept without a word, the option taken for a value
# (tui/cli.c cli_getopt)
slip 'llmcost tui: --frames given twice (--frames 1, then --frames 2): choose one' tui names --frames 1 --frames 2
for cmd in traces "rejects names" "rm names"; do
	slip "llmcost ${cmd%% *}: --db given twice (--db a.db, then --db b.db): choose one" $cmd --db a.db --db b.db
done
slip 'llmcost rm: --db needs a value, but got the option --db (for a value so spelled: --db=--db)' rm names --db --db x.db
# the console's options alone: --help or -h after --db (a store was made so named), in $TMP
for h in --help -h; do
	(cd "$TMP" && mkdir -p db-help && cd db-help && "$L" --db $h </dev/null >/dev/null 2>"$TMP/err"; echo "$? $(ls -A | wc -l | tr -d ' ')") >"$TMP/out"
	check_eq "--db $h: exit 2, no store made" "$(cat "$TMP/out")" "2 0"
	check_eq "--db $h: both named" "$(head -1 "$TMP/err")" "llmcost: --db needs a value, but got the option $h (for a value so spelled: --db=$h)"
done
slip 'llmcost replay: unknown option --hlep (did you mean --help?)' replay names --hlep
slip 'llmcost help: unknown option --hlep (did you mean --help?)' help --hlep
slip 'llmcost: unknown option --versoin (did you mean --version?)' --versoin
# and none when nothing is that close: two edits at most (one for up to 4 letters)
slip 'llmcost replay: unknown option --zzzz' replay names --zzzz
slip 'llmcost replay: unknown option --jsonify' replay names --jsonify
# a prefix of two options is neither (getopt refuses it): both named, not one suggested
slip 'llmcost live: ambiguous option --d: --dry-run or --db' live names -s v3 --max-usd 1 --d
check_has "help help is help's own usage, as for every command" "$($L help help)" "usage: llmcost help [CMD|TOPIC]"
# help takes one CMD, as other commands take their operands: more is a usage error (it printed
# import's help and exited 0), and an option is called one (it was "unknown command")
$L help import extra >"$TMP/out" 2>"$TMP/err"; check_eq "help CMD ARG exits 2" "$?" 2
check_eq "... says the argument, and prints no help" "$(cat "$TMP/err")$(cat "$TMP/out")" 'llmcost help: unexpected argument "extra"
(see: llmcost help --help)'
$L help --nosuch 2>"$TMP/err"; check_eq "help --nosuch exits 2" "$?" 2
check_eq "... an unknown option" "$(head -1 "$TMP/err")" "llmcost help: unknown option --nosuch"
check_has "help CMD --help is CMD's help" "$($L help import --help)" "usage: llmcost import"
# every help fits a terminal of 80 columns, counted in characters, not bytes ("…" is one):
# `llmcost help` (its synopses and one-liners wrapped, continuation lines indented under them)
# and each command's --help, the commands read from help's own list; in the C locale too (its
# "-" for "—"). Lines of up to 120 columns (live's synopsis) were broken by the terminal anywhere.
wider80() { python3 -c 'import sys
for n, l in enumerate(sys.stdin.buffer.read().decode("utf-8", "replace").split("\n"), 1):
    if len(l) > 80: print("line %d: %d columns" % (n, len(l)))'; }
cmds=$($L help | awk '/^commands:/ { on = 1; next } /^$/ { on = 0 } on && /^  [a-z]+ / { print $1 }')
check_eq "help lists every command" "$(echo $cmds)" "import traces rejects rm gen replay tui live watch help version"
check_has "a synopsis breaks between options, not inside one" "$($L replay --help | sed -n 2p)" \
	"  [--by tenant|task|model|time] [--top N]"
for loc in C.UTF-8 C; do
	check_eq "LC_ALL=$loc: help fits 80 columns" "$(LC_ALL=$loc $L help | wider80)" ""
	check_eq "LC_ALL=$loc: --help fits 80 columns" "$(LC_ALL=$loc $L --help | wider80)" ""
	for c in $cmds; do
		check_eq "LC_ALL=$loc: $c --help fits 80 columns" "$(LC_ALL=$loc $L $c --help | wider80)" ""
	done
	check_eq "LC_ALL=$loc: help scenario fits 80 columns" "$(LC_ALL=$loc $L help scenario | wider80)" ""
done
# `llmcost help scenario` (a topic, listed by help) is every key of the scenario key table, in
# its order: the paths read here from sim/scenario.c's table itself, its billing.failed keys
# made by BILLING_KEY; the page shows each as "PATH: VALUE" at the start of a line
check_has "help lists its topics" "$($L help | sed -n '/^topics:/,/^$/p')" "  scenario  every key"
table=$(sed -n -e '/^const struct scenario_key scenario_keys\[\]/,/^};/{' \
	-e 's/^	{ "\([^"]*\)", SKEY_.*/\1/p' -e 's/^	BILLING_KEY("\([a-z_]*\)".*/billing.failed.\1/p' -e '}' sim/scenario.c)
check "the key table read from sim/scenario.c is whole" [ "$(echo "$table" | wc -l)" -gt 90 ]
check_has "... and holds the last key" "$table" "projection.traffic_multiplier
seed"
$L help scenario >"$TMP/out" 2>"$TMP/err"; check_eq "help scenario exits 0" "$?" 0
check_eq "help scenario lists every key of the table, in order" \
	"$(sed -n 's/^\([a-z][a-z_.*]*\(\[\][a-z_.*]*\)*\): .*/\1/p' "$TMP/out")" "$table"
check_has "... each with its value and help" "$(cat "$TMP/out")" 'cache.capacity: a positive integer of at most 9007199254740991
    entries held before eviction (default null: unbounded)'
# ... and its bounds, the checker's own (README: "every key with its default and its bounds";
# it said "a positive integer" of keys that refuse past 10^10): 10^10 s, and 10^13 ms for
# retry.backoff_ms, as the message of a value past it quotes
check_has "help scenario: a duration's bound" "$(cat "$TMP/out")" 'breaker.open_s: a positive integer of at most 10000000000
'
check_has "help scenario: backoff_ms's bound" "$(cat "$TMP/out")" 'retry.backoff_ms: a non-negative integer of at most 10000000000000
'
echo '{"retry": {"backoff_ms": 10000000000001}}' > "$TMP/backoff.json"
$L replay names -s "$TMP/backoff.json" 2>"$TMP/err"
check_has "... the bound the checker refuses past" "$(cat "$TMP/err")" 'retry.backoff_ms: expected a non-negative integer of at most 10000000000000, got 10000000000001'
check_has "help scenaro suggests the topic" "$($L help scenaro 2>&1)" '"scenaro" (did you mean "scenario"?)'
$L replay names -s "" 2>/dev/null; check_eq "-s '' exits 2" "$?" 2
# so is an empty operand, as an unset variable in a script gives: exit 2, the operand named (it
# said "no trace file or stored trace named \"\"", exit 1; import "the trace name \"\" of  is empty")
empty_operand() { # CMD OPERAND [ARG...]: CMD with "" as its operand, then the ARGs
	cmd=$1 op=$2; shift 2
	$L "$cmd" "" "$@" </dev/null >/dev/null 2>"$TMP/err"; check_eq "$cmd '' exits 2" "$?" 2
	check_has "$cmd '': it names the operand" "$(cat "$TMP/err")" "llmcost $cmd: $op is empty: "
}
empty_operand replay TRACE
empty_operand tui TRACE --frames 1
empty_operand live TRACE -s v3 --max-usd 1 --dry-run
empty_operand watch 'FILE|TRACE'
empty_operand import FILE
empty_operand rejects NAME
empty_operand rm NAME
# among others, before any is acted on: nothing imported, nothing removed
printf '{"ts":1,"tenant":"a","task":"t","input_tokens":1,"output_tokens":1,"model":"gpt-4.1-mini"}\n' > "$TMP/first.jsonl"
$L import "$TMP/first.jsonl" "" >/dev/null 2>&1; check_eq "import FILE '' exits 2" "$?" 2
case $($L traces) in *first*) bad "import FILE '': FILE imported" ;; *) ok ;; esac
$L rm names "" >/dev/null 2>&1; check_eq "rm NAME '' exits 2" "$?" 2
case $($L traces) in *names*) ok ;; *) bad "rm NAME '': NAME removed" ;; esac
LLMCOST_DB="$TMP/typo.db" $L tui nosuchtrace --frames 1 2>/dev/null </dev/null; check_eq "tui of a typo exits 1" "$?" 1
check "and makes no store" [ ! -e "$TMP/typo.db" ]
# nor the default store's folder: with no store yet, a mistyped name leaves HOME as it was (they
# made an empty ~/.local/share/llmcost); a trace file's first use makes the folder and the store
for cmd in "replay nosuch" "replay nosuch -s v3" "tui nosuch --frames 1" "live nosuch -s v3 --max-usd 1 --dry-run"; do
	rm -rf "$TMP/fresh"; mkdir "$TMP/fresh"
	(unset LLMCOST_DB XDG_DATA_HOME; HOME="$TMP/fresh" $L $cmd </dev/null >/dev/null 2>"$TMP/err")
	check_eq "$cmd, no store yet: exits 1" "$?" 1
	check_has "$cmd, no store yet: says so" "$(cat "$TMP/err")" "there is no store $TMP/fresh/.local/share/llmcost/llmcost.db"
	check_eq "$cmd, no store yet: makes no folder" "$(ls -A "$TMP/fresh")" ""
done
(unset LLMCOST_DB XDG_DATA_HOME; HOME="$TMP/fresh" $L replay "$TMP/first.jsonl" >/dev/null 2>&1)
check_eq "a file's first use: imported" "$?" 0
check "a file's first use: the default store made" [ -f "$TMP/fresh/.local/share/llmcost/llmcost.db" ]
LLMCOST_PRICING="$TMP/nosuch.json" $L replay names 2>"$TMP/err"
check_has "a bad LLMCOST_PRICING is named" "$(cat "$TMP/err")" "cannot read \"$TMP/nosuch.json\" (LLMCOST_PRICING)"
out=$($L rm names names); check_eq "rm of a name given twice removes it once" "$out" "removed names"
printf '{"ts":1,"tenant":"a","task":"t","input_tokens":1,"output_tokens":1,"model":"gpt-4.1-mini"}\n' > "$TMP/clean.jsonl"
$L import "$TMP/clean.jsonl" >/dev/null
check_eq "rejects of a trace without any says so" "$($L rejects clean)" "trace clean has no rejected lines"
# a file rewritten in the second of its import is seen as changed (times to the µs)
printf '{"ts":2,"tenant":"a","task":"t","input_tokens":1,"output_tokens":1,"model":"gpt-4.1-mini"}\n' >> "$TMP/clean.jsonl"
$L replay "$TMP/clean.jsonl" 2>"$TMP/err" >/dev/null
check_has "a file changed right after its import gets the note" "$(cat "$TMP/err")" "was modified or replaced after it was imported"

# --- output that cannot be written fails
if [ -w /dev/full ]; then
	$L --help > /dev/full 2> /dev/null; check_eq "--help to a full disk exits 1" "$?" 1
	$L traces > /dev/full 2> /dev/null; check_eq "traces to a full disk exits 1" "$?" 1
	$L rejects raw > /dev/full 2> "$TMP/err"; check_eq "rejects to a full disk exits 1" "$?" 1
	check_has "it says so" "$(cat "$TMP/err")" "writing the output"
	# in the same words from every command: replay's report and gen's lines said "writing the
	# report: …" and "gen faq: stdout: …"
	$L replay "$TMP/clean.jsonl" > /dev/full 2> "$TMP/err"; check_eq "replay to a full disk exits 1" "$?" 1
	check_has "replay to a full disk: the words" "$(cat "$TMP/err")" "llmcost: writing the output: No space left on device"
	$L gen faq --requests 1000 > /dev/full 2> "$TMP/err"; check_eq "gen to a full disk exits 1" "$?" 1
	check_eq "gen to a full disk: the words" "$(cat "$TMP/err")" "llmcost: writing the output: No space left on device"
	# with the reason of the write that failed: rm writes "removed NAME" before it frees the
	# store's space, whose work left errno at ENOENT ("No such file or directory")
	$L import "$TMP/clean.jsonl" --name full1 >/dev/null 2>&1
	$L rm full1 > /dev/full 2> "$TMP/err"; check_eq "rm to a full disk exits 1" "$?" 1
	check_has "rm to a full disk: the write's reason, ENOSPC" "$(cat "$TMP/err")" \
		"writing the output: No space left on device"
	# the work stands and the message says so: only the summary is lost
	check_has "rm to a full disk: the removal said done" "$(cat "$TMP/err")" \
		"; the removal is done, only its summary could not be written"
	case $($L traces) in *full1*) bad "rm to a full disk: the trace is still there" ;; *) ok ;; esac
	$L import "$TMP/clean.jsonl" --name full2 > /dev/full 2> "$TMP/err"; check_eq "import to a full disk exits 1" "$?" 1
	check_eq "import to a full disk: the import said done" "$(cat "$TMP/err")" \
		"llmcost: writing the output: No space left on device; the import is done (llmcost traces lists it), only its summary could not be written"
	case $($L traces) in *full2*) ok ;; *) bad "import to a full disk: the trace is not stored" ;; esac
	check_eq "traces to a full disk: nothing said done" "$($L traces 2>&1 >/dev/full)" \
		"llmcost: writing the output: No space left on device"
fi
# a closed standard output: the write fails with EBADF
$L import "$TMP/clean.jsonl" --name closed1 >/dev/null 2>&1
$L rm closed1 >&- 2> "$TMP/err"; check_eq "rm to a closed standard output exits 1" "$?" 1
check_has "rm to a closed standard output: EBADF" "$(cat "$TMP/err")" "writing the output: Bad file descriptor"
$L traces >&- 2> "$TMP/err"; check_eq "traces to a closed standard output exits 1" "$?" 1
check_has "traces to a closed standard output: EBADF" "$(cat "$TMP/err")" "writing the output: Bad file descriptor"

finish
