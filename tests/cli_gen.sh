# Command-line tests of `llmcost gen`: help and usage errors (exit 2, listing the
# recipes), -o FILE / stdout / -o -, gzip output readable by zcat, byte-identical
# output for the same seed, generated traces importing cleanly with --strict, and
# the bundled traces made again by the lines fixtures/traces/README.md gives.
SUITE=cli_gen
. tests/lib.sh

L=$LLMCOST

# --- help and usage errors
out=$($L gen --help); rc=$?
check_eq "gen --help exits 0" "$rc" 0
for r in faq docs flood mixed; do check_has "--help explains $r" "$out" "  $r "; done
for o in --requests --tenants --days --seed examples:; do check_has "--help has $o" "$out" "$o"; done
# -o has a long form, --output, listed as other commands list theirs (-s, --scenario S)
check_has "--help lists -o with its long form" "$out" "  -o, --output FILE  write to FILE"
out=$($L help gen); check_has "help gen" "$out" "usage: llmcost gen RECIPE"

out=$($L gen nope 2>&1); rc=$?
check_eq "unknown recipe exits 2" "$rc" 2
check_has "unknown recipe is named" "$out" 'unknown recipe "nope"'
for r in faq docs flood mixed; do check_has "unknown recipe lists $r" "$out" "  $r "; done
out=$($L gen 2>&1); rc=$?
check_eq "no recipe exits 2" "$rc" 2
check_has "no recipe lists the recipes" "$out" "the recipes are:"
# The recipes listed by the error (the registry) are those --help explains.
listed=$($L gen 2>&1 | awk '/^  [a-z]+ / { print $1 }' | tr '\n' ' ')
helped=$($L gen --help | awk '/^recipes:/ { on = 1; next } /^$/ { on = 0 } on && /^  [a-z]+ / { print $1 }' | tr '\n' ' ')
check_eq "registry and --help agree" "$listed" "$helped"

$L gen faq --bogus 2>/dev/null; check_eq "unknown option exits 2" "$?" 2
$L gen faq --requests 0 2>/dev/null; check_eq "--requests 0 exits 2" "$?" 2
$L gen faq --requests lots 2>/dev/null; check_eq "--requests lots exits 2" "$?" 2
$L gen faq --tenants 10001 2>/dev/null; check_eq "--tenants 10001 exits 2" "$?" 2
# 2^32 + 1 and 2^32 + 366 are refused, not taken modulo 2^32 as 1 tenant or 366 days
$L gen faq --tenants 4294967297 --requests 1 2>/dev/null; check_eq "--tenants 4294967297 exits 2" "$?" 2
$L gen faq --days 4294967662 --requests 1 2>/dev/null; check_eq "--days 4294967662 exits 2" "$?" 2
$L gen faq --days 0 2>/dev/null; check_eq "--days 0 exits 2" "$?" 2
$L gen faq --seed -3 2>/dev/null; check_eq "--seed -3 exits 2" "$?" 2
# a second --seed (or any option of one value) is a usage error naming both: the last was kept
# without a word; and one of gen's options where -o's file goes (-o --seed wrote a file so named)
$L gen faq --requests 5 --seed 1 --seed 2 >"$TMP/out" 2>"$TMP/err"; check_eq "two --seed exit 2" "$?" 2
check_eq "... naming both, nothing written" "$(cat "$TMP/err" "$TMP/out")" "llmcost gen: --seed given twice (--seed 1, then --seed 2): choose one
(see: llmcost gen --help)"
Labs=$(cd "$(dirname "$L")" && pwd)/$(basename "$L")
(mkdir "$TMP/gen-o" && cd "$TMP/gen-o" && "$Labs" gen faq --requests 5 -o --seed 3 2>"$TMP/err"; echo "$? $(ls -A | wc -l | tr -d ' ')") > "$TMP/out"
check_eq "-o --seed: exit 2, no file" "$(cat "$TMP/out")" "2 0"
check_has "... naming both" "$(cat "$TMP/err")" "llmcost gen: -o needs a value, but got the option --seed (for a value so spelled: --output=--seed)"
# hex is for --seed alone, as --help says: 0x10 is no count of requests, tenants or days
$L gen faq --requests 0x10 >/dev/null 2>&1; check_eq "--requests 0x10 exits 2" "$?" 2
$L gen faq --tenants 0x10 --requests 1 >/dev/null 2>&1; check_eq "--tenants 0x10 exits 2" "$?" 2
$L gen faq --days 0x10 --requests 1 >/dev/null 2>&1; check_eq "--days 0x10 exits 2" "$?" 2
check_eq "--seed 0x10 is seed 16" "$($L gen faq --seed 0x10 --requests 3 2>/dev/null)" "$($L gen faq --seed 16 --requests 3 2>/dev/null)"
$L gen faq -o 2>/dev/null; check_eq "-o without a value exits 2" "$?" 2
$L gen faq docs 2>/dev/null; check_eq "two recipes exit 2" "$?" 2
out=$($L gen faq --requests 0 2>&1); check_has "--requests 0 says the range" "$out" "expected 1 to"

# --- each recipe's defaults, as --help gives them (requests, tenants, days; seed 1), read from
# the lines themselves: their count, their distinct tenants (every tenant of a Zipf share
# this large shows up) and their first and last dates (7 days from 2026-03-01; flood's 3 end
# on its outage day, 2026-03-02)
for r in "faq 100,000 8 7 2026-03-01 2026-03-07" "docs 5,000 6 7 2026-03-01 2026-03-07" \
	"flood 80,000 10 3 2026-02-28 2026-03-02" "mixed 100,000 12 7 2026-03-01 2026-03-07"; do
	set -- $r
	$L gen "$1" -o "$TMP/def.jsonl" 2>"$TMP/err"
	check_eq "$1: the defaults said" "$(cat "$TMP/err")" "llmcost gen: wrote $2 $1 requests ($3 tenants, $4 days, seed 1) to $TMP/def.jsonl"
	check_eq "$1: the default number of lines" "$(wc -l < "$TMP/def.jsonl" | tr -d ' ')" "$(echo "$2" | tr -d ,)"
	check_eq "$1: the default tenants" "$(grep -o '"tenant":"[^"]*"' "$TMP/def.jsonl" | sort -u | wc -l | tr -d ' ')" "$3"
	check_eq "$1: the default days" "$(cut -c8-17 "$TMP/def.jsonl" | sort -u | sed -n '1p;$p' | tr '\n' ' ')" "$5 $6 "
done

# --- -o FILE, stdout, -o -
$L gen faq --requests 2k -o "$TMP/faq.jsonl" 2>"$TMP/err"; rc=$?
check_eq "-o FILE exits 0" "$rc" 0
check_eq "-o FILE has 2000 lines" "$(wc -l < "$TMP/faq.jsonl" | tr -d ' ')" 2000
check_has "-o FILE reports what it wrote" "$(cat "$TMP/err")" "wrote 2,000 faq requests"
$L gen faq --requests 2000 > "$TMP/stdout.jsonl"
check "stdout is the same trace" cmp -s "$TMP/faq.jsonl" "$TMP/stdout.jsonl"
$L gen faq --requests 2000 -o - > "$TMP/dash.jsonl"
check "-o - is stdout" cmp -s "$TMP/faq.jsonl" "$TMP/dash.jsonl"
check_has "lines are trace v1" "$(head -1 "$TMP/faq.jsonl")" '"task":"faq_answer"'

# --- gzip
$L gen flood --requests 3000 -o "$TMP/flood.jsonl.gz" 2>/dev/null; rc=$?
check_eq ".gz exits 0" "$rc" 0
$L gen flood --requests 3000 -o "$TMP/flood.jsonl" 2>/dev/null
zcat "$TMP/flood.jsonl.gz" > "$TMP/unzipped.jsonl"; rc=$?
check_eq "zcat reads the .gz" "$rc" 0
check ".gz holds the same trace" cmp -s "$TMP/flood.jsonl" "$TMP/unzipped.jsonl"
# in either case (A.GZ was written plain)
$L gen flood --requests 3000 -o "$TMP/FLOOD.JSONL.GZ" 2>/dev/null
check ".GZ is gzip too" cmp -s "$TMP/flood.jsonl" "$(zcat "$TMP/FLOOD.JSONL.GZ" > "$TMP/UNZIPPED"; echo "$TMP/UNZIPPED")"

# --- determinism
for r in faq docs flood mixed; do
	$L gen $r --requests 1500 --seed 11 -o "$TMP/a.jsonl" 2>/dev/null
	$L gen $r --requests 1500 --seed 11 -o "$TMP/b.jsonl" 2>/dev/null
	$L gen $r --requests 1500 --seed 12 -o "$TMP/c.jsonl" 2>/dev/null
	check "$r: same seed, same bytes" cmp -s "$TMP/a.jsonl" "$TMP/b.jsonl"
	if cmp -s "$TMP/a.jsonl" "$TMP/c.jsonl"; then bad "$r: another seed gave the same bytes"; else ok; fi
done
$L gen mixed --requests 100 --seed 0x1f > "$TMP/hex.jsonl"
$L gen mixed --requests 100 --seed 31 > "$TMP/dec.jsonl"
check "--seed 0x1f is --seed 31" cmp -s "$TMP/hex.jsonl" "$TMP/dec.jsonl"

# --- failures
out=$($L gen faq --requests 10 -o "$TMP/missing/x.jsonl" 2>&1); rc=$?
check_eq "unwritable -o exits 1" "$rc" 1
check_has "unwritable -o names the path" "$out" "$TMP/missing/x.jsonl"
if [ -e "$TMP/missing/x.jsonl" ]; then bad "unwritable -o left a file"; else ok; fi
# a write that fails part way (a file-size limit with SIGXFSZ ignored: EFBIG) removes what it
# wrote, plain or gzip (traces/gen.h: "a file left half-written by a failure is removed")
for f in big.jsonl big.jsonl.gz; do
	sh -c "trap '' XFSZ; ulimit -f 8; exec \"$L\" gen faq --requests 10000 -o \"$TMP/$f\"" 2>"$TMP/err"
	check_eq "a write failing part way exits 1 ($f)" "$?" 1
	check_has "it names the file ($f)" "$(cat "$TMP/err")" "$TMP/$f: cannot write: File too large; $TMP/$f was not made"
	check "and leaves no half-written $f" [ ! -e "$TMP/$f" ]
done

# --- the traces import cleanly
for r in faq docs flood mixed; do
	$L gen $r --requests 500 -o "$TMP/imp-$r.jsonl" 2>/dev/null
	$L import --strict --quiet "$TMP/imp-$r.jsonl" >/dev/null 2>"$TMP/err"; rc=$?
	check_eq "$r imports with --strict" "$rc" 0
done

# --- on a terminal, a generation that takes more than a second shows a progress line (a
# reader that waits 1.5 s before draining the pipe holds the writer back); none when the
# lines themselves go to the terminal, and none left behind at the end
if command -v script >/dev/null 2>&1; then
	script -qec "\"$L\" gen faq --requests 100000 | { sleep 1.5; cat >/dev/null; }" /dev/null > "$TMP/tty.out" 2>&1
	check_has "progress line on a terminal" "$(cat "$TMP/tty.out")" "generating: "
	check_has "progress shows the total" "$(cat "$TMP/tty.out")" "of 100,000 lines"
	script -qec "\"$L\" gen faq --requests 2000 -o $TMP/quiet.jsonl" /dev/null > "$TMP/tty2.out" 2>&1
	check_has "the summary on a terminal" "$(cat "$TMP/tty2.out")" "wrote 2,000 faq requests"
	case $(cat "$TMP/tty2.out") in *generating*) bad "a quick generation showed progress" ;; *) ok ;; esac
fi
$L gen faq --requests 100000 2>"$TMP/err" | { sleep 1.5; cat >/dev/null; }
check_eq "no progress line off a terminal" "$(cat "$TMP/err")" ""

# streaming: 2M requests are written with the address space capped at 64 MiB, which
# would not hold even the 2M timestamps if the generator kept its lines (16 MB) plus
# the text; an ASan build reserves terabytes of address space, so it is skipped there
# -o: a store is never written over; a run stopped early leaves no file; counts in words
$L import fixtures/traces/docs.jsonl --db "$TMP/keep.db" >/dev/null 2>&1
cp "$TMP/keep.db" "$TMP/keep-before.db"
$L gen docs --requests 10 -o "$TMP/keep.db" 2>"$TMP/err"; check_eq "-o on a store exits 1" "$?" 1
check_has "it says why" "$(cat "$TMP/err")" "is an SQLite database"
check "and the store is as it was" cmp -s "$TMP/keep.db" "$TMP/keep-before.db"
$L gen docs -o "" 2>/dev/null; check_eq "-o '' exits 2" "$?" 2
$L gen faq --requests 1 -o "$TMP/one.jsonl" 2>"$TMP/err"
check_has "one request, in words" "$(cat "$TMP/err")" "wrote 1 faq request (8 tenants, 7 days, seed 1)"
# the lines go to a hidden file beside FILE (.FILE.XXXXXX), renamed over it once whole
writing() { for f in "$TMP"/.$1.??????; do [ -s "$f" ] && return 0; done; return 1; }
$INT_DFL $L gen faq --requests 100M -o "$TMP/stopped.jsonl" 2>"$TMP/gen.err" &
pid=$!
i=0; while ! writing stopped.jsonl && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "gen writes a hidden file beside FILE" writing stopped.jsonl
check "and not FILE itself" [ ! -e "$TMP/stopped.jsonl" ]
kill -INT $pid; wait $pid; check_eq "Ctrl-C ends gen with 130" "$?" 130
check "and leaves no unfinished file" [ ! -e "$TMP/stopped.jsonl" ]
check "nor the hidden one" [ -z "$(ls -A "$TMP" | grep '^\.stopped')" ]
# off a terminal, no terminal control (no "\r\033[K" clearing a progress line never shown);
# the signal named as the import names it: interrupted (Ctrl-C), terminated (SIGTERM)
check_eq "Ctrl-C: the message alone" "$(od -An -c "$TMP/gen.err" | tr -d ' \n')" \
	"$(printf 'llmcost gen: interrupted; the unfinished file is removed\n' | od -An -c | tr -d ' \n')"
$L gen faq --requests 100M -o "$TMP/stopped.jsonl" 2>"$TMP/gen.err" &
pid=$!
i=0; while ! writing stopped.jsonl && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid; wait $pid 2>/dev/null; check_eq "SIGTERM ends gen with 143" "$?" 143 # (without the shell's "Terminated")
check "and leaves no unfinished file either" [ ! -e "$TMP/stopped.jsonl" ]
check "nor the hidden one" [ -z "$(ls -A "$TMP" | grep '^\.stopped')" ]
# SIGHUP (the terminal closed) as SIGTERM: 129, said, no unfinished file; before, SIGHUP's
# default action left the hidden file (hundreds of MB) behind
$L gen faq --requests 100M -o "$TMP/stopped.jsonl" 2>"$TMP/gen-hup.err" &
pid=$!
i=0; while ! writing stopped.jsonl && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -HUP $pid; wait $pid 2>/dev/null; check_eq "SIGHUP ends gen with 129" "$?" 129
check "and leaves no unfinished file" [ ! -e "$TMP/stopped.jsonl" ]
check "nor the hidden one" [ -z "$(ls -A "$TMP" | grep '^\.stopped')" ]
check_eq "SIGHUP: hung up, said" "$(cat "$TMP/gen-hup.err")" "llmcost gen: hung up; the unfinished file is removed"
# ... but a SIGHUP inherited as ignored (nohup) stays ignored: the run goes on and makes its file;
# before, the handler was installed all the same (129, the file removed). Gzip (1M lines, ~30
# MB) keeps it busy a few seconds; held stopped while the signal is sent, so that it is still
# running when the signal lands
(trap '' HUP; exec $L gen faq --requests 1M -o "$TMP/nohup.jsonl.gz") 2>"$TMP/gen-nohup.err" &
pid=$!
i=0; while ! writing nohup.jsonl.gz && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -STOP $pid; kill -HUP $pid; kill -CONT $pid
wait $pid; check_eq "SIGHUP ignored (nohup): gen goes on, exit 0" "$?" 0
check_eq "SIGHUP ignored: the summary" "$(cat "$TMP/gen-nohup.err")" \
	"llmcost gen: wrote 1,000,000 faq requests (8 tenants, 7 days, seed 1) to $TMP/nohup.jsonl.gz"
check_eq "SIGHUP ignored: every line" "$(zcat "$TMP/nohup.jsonl.gz" | wc -l | tr -d ' ')" 1000000
rm -f "$TMP/nohup.jsonl.gz"
# an existing FILE keeps what it held until the new one is whole: a run stopped by SIGTERM, or
# one that fails (a file-size limit, as a full disk), leaves it as it was; before, it was gone
printf 'kept\n' > "$TMP/old.jsonl"
$L gen faq --requests 100M -o "$TMP/old.jsonl" 2>/dev/null &
pid=$!
i=0; while ! writing old.jsonl && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid; wait $pid 2>/dev/null; check_eq "SIGTERM with FILE there: 143" "$?" 143
check_eq "FILE is as it was" "$(cat "$TMP/old.jsonl")" kept
check "no hidden file left" [ -z "$(ls -A "$TMP" | grep '^\.old')" ]
(ulimit -f 1000; $L gen faq --requests 20000 -o "$TMP/old.jsonl") 2>"$TMP/err"
check_eq "past a file-size limit with FILE there: exit 1" "$?" 1
check_eq "it names FILE and says it is kept" "$(cat "$TMP/err")" \
	"llmcost: gen faq: $TMP/old.jsonl: cannot write: File too large; $TMP/old.jsonl keeps what it held"
check_eq "FILE is as it was" "$(cat "$TMP/old.jsonl")" kept
check "no hidden file left" [ -z "$(ls -A "$TMP" | grep '^\.old')" ]
(ulimit -f 1000; $L gen faq --requests 20000 -o "$TMP/old.jsonl.gz") 2>/dev/null
check_eq "gzip past the limit: exit 1" "$?" 1
check "and no file" [ -z "$(ls -A "$TMP" | grep '^\.\?old.jsonl.gz')" ]
# a run that ends well replaces FILE, with FILE's mode (a new file: 0666 less the umask, 022
# here), through a symbolic link to its target
chmod 640 "$TMP/old.jsonl"
$L gen faq --requests 3 -o "$TMP/old.jsonl" 2>/dev/null; check_eq "then FILE is replaced" "$(wc -l < "$TMP/old.jsonl")" 3
check_eq "keeping its mode" "$(stat -c %a "$TMP/old.jsonl")" 640
(umask 022; $L gen faq --requests 3 -o "$TMP/new-mode.jsonl" 2>/dev/null)
check_eq "a new FILE: 0666 less the umask" "$(stat -c %a "$TMP/new-mode.jsonl")" 644
ln -s old.jsonl "$TMP/link.jsonl"
$L gen faq --requests 2 -o "$TMP/link.jsonl" 2>/dev/null
check "a link stays a link" [ -L "$TMP/link.jsonl" ]
check_eq "and its target is written" "$(wc -l < "$TMP/old.jsonl")" 2
# a link into another folder: the target is replaced there (its hidden file beside it), the
# link stays; before, the hidden file was made beside the link and renamed across
mkdir -p "$TMP/there" && printf 'x\n' > "$TMP/there/t.jsonl" && ln -s there/t.jsonl "$TMP/far.jsonl"
$L gen faq --requests 4 -o "$TMP/far.jsonl" 2>/dev/null; check_eq "a link to another folder: exit 0" "$?" 0
check "the link stays a link" [ -L "$TMP/far.jsonl" ]
check_eq "and its target there is written" "$(wc -l < "$TMP/there/t.jsonl")" 4
# a link to nothing is refused, not followed to make a file (nor replaced by one)
ln -s nowhere.jsonl "$TMP/dangling.jsonl"
$L gen faq --requests 2 -o "$TMP/dangling.jsonl" 2>"$TMP/err"; check_eq "a dangling link: exit 1" "$?" 1
check_eq "it says so" "$(cat "$TMP/err")" "llmcost: gen faq: $TMP/dangling.jsonl: cannot write: a symbolic link to nowhere.jsonl, which does not exist; the link is left as it was"
check "the link is as it was" [ -L "$TMP/dangling.jsonl" ]
check "and made nothing" [ ! -e "$TMP/nowhere.jsonl" ]
# a write-protected FILE (0444) is refused as a shell's > would refuse it (even for root, who
# may write it: nobody is meant to), not replaced by a new file
printf 'kept\n' > "$TMP/ro.jsonl" && chmod 444 "$TMP/ro.jsonl"
$L gen faq --requests 2 -o "$TMP/ro.jsonl" 2>"$TMP/err"; check_eq "a write-protected FILE: exit 1" "$?" 1
check_eq "Permission denied" "$(cat "$TMP/err")" \
	"llmcost: gen faq: $TMP/ro.jsonl: cannot write: Permission denied; $TMP/ro.jsonl keeps what it held"
check_eq "it keeps what it held" "$(cat "$TMP/ro.jsonl")" kept
# a missing folder is named as such (before: "cannot make a temporary file beside it")
$L gen faq --requests 2 -o "$TMP/nodir/x.jsonl" 2>"$TMP/err"
check_eq "a missing folder is said" "$(cat "$TMP/err")" \
	"llmcost: gen faq: $TMP/nodir/x.jsonl: cannot write: folder $TMP/nodir does not exist; $TMP/nodir/x.jsonl was not made"
# names of 248 to 255 bytes can be made: the hidden name (".NAME.XXXXXX", 8 bytes more) is cut
# to 255; before, mkstemp failed "File name too long"
for n in 248 255; do
	name=$(printf "%0${n}d" 0 | tr 0 n)
	$L gen faq --requests 2 -o "$TMP/$name" 2>/dev/null; check_eq "a $n-byte name: exit 0" "$?" 0
	check_eq "and the file has the lines" "$(wc -l < "$TMP/$name")" 2
	rm -f "$TMP/$name"
done
check_eq "SIGTERM: terminated, said without terminal control" "$(cat "$TMP/gen.err")" \
	"llmcost gen: terminated; the unfinished file is removed"
# on a terminal, the progress line (shown after a second) is cleared before the message
if command -v script >/dev/null 2>&1; then
	script -qec "$INT_DFL \"$L\" gen faq --requests 100M -o $TMP/stopped.jsonl & sleep 2; kill -INT \$!; wait" /dev/null \
		> "$TMP/tty-stop.out" 2>&1
	check_has "on a terminal: the progress line cleared, then the message" \
		"$(od -An -c "$TMP/tty-stop.out" | tr -d ' \n')" \
		"$(printf '\r\033[Kllmcost gen: interrupted' | od -An -c | tr -d ' \n')"
	check "on a terminal: no unfinished file" [ ! -e "$TMP/stopped.jsonl" ]
fi
mkfifo "$TMP/pipe" && { wc -l < "$TMP/pipe" > "$TMP/count" & }
timeout 20 $L gen faq --requests 10 -o "$TMP/pipe" 2>/dev/null; check_eq "-o a named pipe writes to it" "$?" 0
wait; check_eq "every line through the pipe" "$(tr -d ' ' < "$TMP/count")" 10
# a file-size limit (ulimit -f 1000: at most 1,024,000 bytes, whether the shell counts blocks
# of 512 or 1024 bytes) fails the write of 20,000 faq lines (over 4 MB) with EFBIG: before,
# SIGXFSZ killed gen silently (exit 153) and left the file cut at the limit
(ulimit -f 1000; $L gen faq --requests 20000 -o "$TMP/limit.jsonl") 2>"$TMP/err"
check_eq "past a file-size limit: exit 1" "$?" 1
check_eq "it says why" "$(cat "$TMP/err")" \
	"llmcost: gen faq: $TMP/limit.jsonl: cannot write: File too large; $TMP/limit.jsonl was not made"
check "and leaves no file cut short" [ ! -e "$TMP/limit.jsonl" ]

if [ -z "$SANITIZED" ]; then
	sh -c "ulimit -v 65536; \"$LLMCOST\" gen mixed --requests 2000000 -o /dev/null" 2>/dev/null
	check_eq "gen streams in constant memory (2M requests under a 64 MiB cap)" "$?" 0
fi
# --- the bundled traces: each "made by" line of fixtures/traces/README.md, run as written
# (pasted into sh from a folder of its own, whose fixtures/traces/ it writes), gives the bundled
# file's lines exactly (a .gz compared decompressed: the README allows other bytes for another
# zlib)
mkdir -p "$TMP/remake/fixtures/traces"
sed -n 's/^| `\([^`]*\)` | `\(llmcost gen [^`]*\)` | .*/\1|\2/p' fixtures/traces/README.md > "$TMP/remake.lines"
check_eq "the README names 4 bundled traces made by llmcost gen" "$(wc -l < "$TMP/remake.lines" | tr -d ' ')" 4
while IFS='|' read -r file line; do
	sh_llmcost "cd '$TMP/remake' && $line" 2>/dev/null
	check_eq "$line: exit 0" "$?" 0
	case $file in
	*.gz) gzip -dc "$TMP/remake/fixtures/traces/$file" > "$TMP/remake.got" 2>/dev/null
	      gzip -dc "fixtures/traces/$file" > "$TMP/remake.want" ;;
	*) cp "$TMP/remake/fixtures/traces/$file" "$TMP/remake.got" 2>/dev/null
	   cp "fixtures/traces/$file" "$TMP/remake.want" ;;
	esac
	check "$line: the lines of the bundled $file" cmp -s "$TMP/remake.got" "$TMP/remake.want"
done < "$TMP/remake.lines"
finish
