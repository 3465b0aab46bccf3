# Command-line tests of `llmcost live` against tests/fake_openai.py, a fake Responses API on
# loopback: usage errors (exit 2), the key (required, sent only in the Authorization header,
# never printed or recorded), the request body (routing, max_output_tokens, store), spend
# at the fixture prices, the cache, the budget overflows (truncate, reject, summarize),
# retries and Retry-After, the error classes, the runs that stop (quota, key refused),
# fallback (degraded or failed), the exact spend cap (exit 4), --sample, --concurrency,
# the record (in the order requests ended, followed by watch, re-imported and replayed),
# --dry-run, and TLS verification (an https fake with a self-signed certificate is refused).
# Every run goes to http://127.0.0.1:PORT/v1 (or https to the same): `live` refuses plain http
# to anything but this machine, so no case can reach the internet.
SUITE=cli_live
. tests/lib.sh

if ! command -v python3 >/dev/null || ! command -v timeout >/dev/null; then
	bad "python3 and timeout are needed to run the fake server"
	finish; exit
fi
# an absolute name: some cases run in another folder
case $LLMCOST in */*) L=$(cd "$(dirname "$LLMCOST")" && pwd)/$(basename "$LLMCOST") ;; *) L=$LLMCOST ;; esac
PRICES=$PWD/fixtures/pricing/openai.json
KEY=sk-test-cli-live-7d41c0e9b2
# nothing from the caller's environment: no key, no base, no proxy between us and loopback
unset OPENAI_API_KEY OPENAI_BASE_URL OPENAI_ORG_ID OPENAI_ORGANIZATION OPENAI_PROJECT \
	http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

FAKE_PID=
stop_fake() {
	if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; fi
	FAKE_PID=
}
trap 'stop_fake; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# fake NAME SCRIPT [HOST]: serves SCRIPT (the JSON rules of tests/fake_openai.py) on a fresh port
# of 127.0.0.1 (or HOST, a loopback address); the requests it gets are logged in $LOG =
# $TMP/NAME.log; OPENAI_BASE_URL points at it (at 127.0.0.1 whatever HOST).
fake() {
	stop_fake
	LOG=$TMP/$1.log
	printf '%s\n' "$2" > "$TMP/$1.script.json"
	# an earlier fake's port must not pass the poll before the job's redirection empties the file
	rm -f "$TMP/$1.port"
	python3 tests/fake_openai.py "$TMP/$1.script.json" "$LOG" ${3:+"$3"} > "$TMP/$1.port" 2> "$TMP/$1.fake-err" &
	FAKE_PID=$!
	i=0
	until grep -q '^[0-9][0-9]*$' "$TMP/$1.port" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$FAKE_PID" 2>/dev/null; then
			echo "cli_live: the fake server did not start:" >&2; cat "$TMP/$1.fake-err" >&2; exit 1
		fi
		sleep 0.05
	done
	: >> "$LOG"
	export OPENAI_BASE_URL="http://127.0.0.1:$(cat "$TMP/$1.port")/v1"
}

# loopback_only: the suite stops unless OPENAI_BASE_URL is http://127.0.0.1:PORT/v1 (or /v1/)
loopback_only() {
	port=${OPENAI_BASE_URL#http://127.0.0.1:}; port=${port%/}; port=${port%/v1}
	case $port in ''|*[!0-9]*) port= ;; esac
	if [ -z "$port" ] || { [ "$OPENAI_BASE_URL" != "http://127.0.0.1:$port/v1" ] &&
	                       [ "$OPENAI_BASE_URL" != "http://127.0.0.1:$port/v1/" ]; }; then
		echo "cli_live: OPENAI_BASE_URL=[${OPENAI_BASE_URL:-}] is not the loopback fake; stopping" >&2
		exit 1
	fi
}
# live ARGS...: `llmcost live ARGS` (60 s at most, then SIGTERM), only ever with the loopback
# fake; a case that signals a run starts it with live_bg and signals it once the state it needs
# is reached (signal_when), never after a fixed time
live() {
	loopback_only
	# --foreground: the signal goes to llmcost once (not to it and then its process group: a
	# second Ctrl-C kills at once, as it should)
	timeout --foreground --preserve-status 60 "$L" live "$@"
}
# run NAME ARGS...: live ARGS, stdout in $out and $TMP/NAME.out, stderr in $err and
# $TMP/NAME.err, the exit status in $rc
run() {
	run_name=$1; shift
	live "$@" > "$TMP/$run_name.out" 2> "$TMP/$run_name.err"; rc=$?
	out=$(cat "$TMP/$run_name.out"); err=$(cat "$TMP/$run_name.err")
}
# run_nokey NAME ARGS...: run without OPENAI_API_KEY in the environment
run_nokey() { (unset OPENAI_API_KEY; run "$@"; exit $rc); rc=$?; out=$(cat "$TMP/$1.out"); err=$(cat "$TMP/$1.err"); }
# check_counts NAME OUT COUNTS: OUT has the summary line "live: COUNTS", COUNTS as
# "N requests: A answered …"
check_counts() {
	check_has "$1" "$(printf '%s\n' "$2" | sed 's/^live: \([0-9]*\) requests sent: /live: \1 requests: /')" "live: $3"
}
# check_re NAME TEXT ERE: a line of TEXT matches ERE
check_re() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok; else bad "$1: [$2] does not match /$3/"; fi
}
# count FILE: its lines (the requests a log holds, the requests a record holds)
count() { if [ -f "$1" ]; then wc -l < "$1" | tr -d ' '; else echo "no file"; fi; }

# q FILE EXPR: the Python expression EXPR over L, FILE's JSON lines (numbers with a fraction
# as Decimal), and B, the "body" of each (for a server log); printed by show(): a Decimal
# without trailing zeros, a list as its items with spaces, true/false/null as in JSON.
# f(r, "k1 k2") is r's fields joined by "|" ("-" when absent); att(r) its attempts
# as model:status; ts(s) an RFC 3339 time in epoch seconds; by(text) the line whose input is text.
cat > "$TMP/q.py" <<'EOF'
import json, sys
from datetime import datetime
from decimal import Decimal
def show(v):
    if isinstance(v, Decimal): return format(v.normalize(), "f")
    if isinstance(v, bool): return "true" if v else "false"
    if v is None: return "null"
    if isinstance(v, list): return " ".join(show(x) for x in v)
    if isinstance(v, dict): return json.dumps(v, default=str)
    return str(v)
def f(r, names): return "|".join(show(r[k]) if k in r else "-" for k in names.split())
def att(r): return ",".join(a["model"] + ":" + a["status"] for a in r.get("attempts") or [])
def by(text): return [r for r in L if r.get("input") == text][0]
def ts(s): return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
try:
    L = [json.loads(l, parse_float=Decimal) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    B = [x.get("body") if isinstance(x, dict) else None for x in L]
    print(show(eval(sys.argv[2])))
except Exception as e:
    print("error: %s: %s" % (type(e).__name__, e))
EOF
q() { python3 "$TMP/q.py" "$1" "$2"; }

# replayed FILE: requests, resolved and usd_total of `llmcost replay FILE -s recorded --json`
replayed() {
	$L replay "$1" -s recorded --json 2>/dev/null | tr -d ' \t\n' |
		grep -oE '"totals":\{"requests":[0-9]+,"resolved":[0-9]+|"usd_total":[0-9.]+' | head -2 | tr '\n' ' ' | sed 's/ $//'
}
# req TS TENANT TASK INPUT_TOKENS OUTPUT_TOKENS TEXT [MORE]: a trace line at
# 2026-03-02T10:00:TS; MORE is further fields, each as ,"key":value
req() {
	printf '{"ts":"2026-03-02T10:00:%sZ","tenant":"%s","task":"%s","input_tokens":%s,"output_tokens":%s,"input":"%s"%s}\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" "${7-}"
}
# scen NAME JSON: the scenario $TMP/NAME.json, the fixture prices and JSON's keys
scen() { printf '{"pricing": "%s", %s}\n' "$PRICES" "$2" > "$TMP/$1.json"; }
# Prices (fixtures/pricing/openai.json, pico-USD per token): gpt-4.1-mini in 400000, cached
# 100000, out 1600000; gpt-4.1 in 2000000, cached 500000, out 8000000.
ROUTES='"routes": {"small": "gpt-4.1-mini", "large": "gpt-4.1"},
  "routing": {"default": "small", "rules": [{"when": {"difficulty": "hard"}, "route": "large"}]}'
RETRY='"retry": {"max_attempts": 3, "backoff_ms": 1, "timeout_ms": 5000}'
export OPENAI_API_KEY=$KEY

# --- usage errors: exit 2, nothing sent
fake usage '[]'
req 00 acme faq_answer 10 10 "hello" > "$TMP/u.jsonl"
scen u "$ROUTES, $RETRY"
S=$TMP/u.json
live 2>/dev/null; check_eq "no trace exits 2" "$?" 2
live "$TMP/u.jsonl" --max-usd 1 2>/dev/null; check_eq "no -s exits 2" "$?" 2
live "$TMP/u.jsonl" -s "$S" -s "$S" --max-usd 1 2>/dev/null; check_eq "two -s exit 2" "$?" 2
live "$TMP/u.jsonl" -s "$S" 2>"$TMP/err"; check_eq "no --max-usd exits 2" "$?" 2
check_has "no --max-usd: named" "$(cat "$TMP/err")" "--max-usd"
for v in 0 -1 abc 0.0 "" 9223373 0.0000000000001; do
	live "$TMP/u.jsonl" -s "$S" --max-usd "$v" 2>/dev/null; check_eq "--max-usd [$v] exits 2" "$?" 2
done
# (2^63 − 1 pico-dollars is $9,223,372.036854775807)
live "$TMP/u.jsonl" -s "$S" --max-usd 9223373 2>"$TMP/err"
check_has "--max-usd too large: the limit said" "$(cat "$TMP/err")" "above 0 and up to 9223372, to 12 decimals at most"
for v in 0 65 -1 x; do
	live "$TMP/u.jsonl" -s "$S" --max-usd 1 --concurrency "$v" 2>/dev/null
	check_eq "--concurrency $v exits 2" "$?" 2
done
for v in 0 -3 x 2147483649; do
	live "$TMP/u.jsonl" -s "$S" --max-usd 1 --sample "$v" 2>/dev/null; check_eq "--sample $v exits 2" "$?" 2
done
# the limits said: 1 to 2^31
live "$TMP/u.jsonl" -s "$S" --max-usd 1 --sample 99999999999 2>"$TMP/err"
check_has "--sample too large: the range said" "$(cat "$TMP/err")" "--sample takes a number of requests, 1 to 2147483648, not \"99999999999\""
# --record naming a folder: said so, not "File exists", before anything is sent
mkdir "$TMP/recdir"
live "$TMP/u.jsonl" -s "$S" --max-usd 1 --record "$TMP/recdir" 2>"$TMP/err"
check_eq "--record FOLDER: exit 1" "$?" 1
check_has "--record FOLDER: said to be a folder" "$(cat "$TMP/err")" "live: $TMP/recdir: is a folder; --record names the record file to make"
# --record naming a device or a pipe (standard output here is a pipe): not a regular file, said
# so (before: "File exists (the record is never overwritten…)"), exit 1; nothing sent, nothing
# on standard output
rm -f "$TMP/err"
out=$(live "$TMP/u.jsonl" -s "$S" --max-usd 1 --record /dev/stdout 2>"$TMP/err" | cat)
check_eq "--record /dev/stdout (a pipe): nothing on stdout" "$out" ""
check_has "--record /dev/stdout: not a regular file" "$(cat "$TMP/err")" "live: /dev/stdout: is not a regular file; --record names the record file to make"
# standard output redirected to a file, named /dev/stdout or by its own name (and standard error
# so): said to be standard output, not "File exists (the record is never overwritten…)"
for rec in /dev/stdout "$TMP/out.txt"; do
	live "$TMP/u.jsonl" -s "$S" --max-usd 1 --record "$rec" >"$TMP/out.txt" 2>"$TMP/err"
	check_eq "--record $rec (standard output, a file): exit 1" "$?" 1
	check_has "--record $rec: said to be standard output" "$(cat "$TMP/err")" \
		"live: $rec: is standard output; --record names the record file to make (the record is never written to standard output or error)"
	check_eq "--record $rec: nothing written there" "$(cat "$TMP/out.txt")" ""
done
live "$TMP/u.jsonl" -s "$S" --max-usd 1 --record /dev/stderr 2>"$TMP/err"
check_has "--record /dev/stderr (a file): said to be standard error" "$(cat "$TMP/err")" "live: /dev/stderr: is standard error; "
live "$TMP/u.jsonl" -s "$S" --max-usd 1 --record /dev/null 2>"$TMP/err"
check_eq "--record /dev/null: exit 1" "$?" 1
check_has "--record /dev/null: not a regular file" "$(cat "$TMP/err")" "live: /dev/null: is not a regular file; --record names the record file to make"
# --record -: a usage error (exit 2), no file named "-" made (which `llmcost replay - …`, as the
# summary would suggest, would not read: "-" is standard input there)
(cd "$TMP/recdir" && live "$TMP/u.jsonl" -s "$S" --max-usd 1 --record - 2>"$TMP/err"; exit $?)
check_eq "--record -: exit 2, no file \"-\"" "$? $(ls -A "$TMP/recdir" | wc -l | tr -d ' ')" "2 0"
check_has "--record -: said why" "$(cat "$TMP/err")" "--record names the record file to make; \"-\" is not one (the record is never written to standard output)"
# a trace whose every line was rejected: said so (not "no request with input text"), exit 3
echo '{"tenant": "a"}' > "$TMP/allbad.jsonl"
live "$TMP/allbad.jsonl" -s "$S" --max-usd 1 2>"$TMP/err"
check_eq "every line rejected: exit 3" "$?" 3
check_has "every line rejected: said so" "$(cat "$TMP/err")" "live: trace \"allbad\" holds no request: its file had no line, or every line was rejected (see: llmcost rejects allbad"
live "$TMP/u.jsonl" -s "$S" --max-usd 1 --bogus 2>/dev/null; check_eq "unknown option exits 2" "$?" 2
# the key is never taken from the command line
live "$TMP/u.jsonl" -s "$S" --max-usd 1 --api-key "$KEY" 2>/dev/null; check_eq "--api-key exits 2" "$?" 2
live "$TMP/u.jsonl" -s "$S" --max-usd 1 --record 2>/dev/null; check_eq "--record without a value exits 2" "$?" 2
# one of live's options where a value goes: a usage error naming both, nothing made, nothing sent
# (the next word was the value: a record named --dry-run, or a store so named here, and the run
# without --dry-run sent its requests)
(cd "$TMP/recdir" && live "$TMP/u.jsonl" -s "$S" --max-usd 1 --record --dry-run 2>"$TMP/err"; exit $?)
check_eq "--record --dry-run: exit 2, no file made" "$? $(ls -A "$TMP/recdir" | wc -l | tr -d ' ')" "2 0"
check_eq "--record --dry-run: both named" "$(cat "$TMP/err")" "llmcost live: --record needs a value, but got the option --dry-run (for a value so spelled: --record=--dry-run)
(see: llmcost live --help)"
(cd "$TMP/recdir" && live "$TMP/u.jsonl" -s "$S" --max-usd 1 --db --dry-run 2>"$TMP/err"; exit $?)
check_eq "--db --dry-run: exit 2, no store made" "$? $(ls -A "$TMP/recdir" | wc -l | tr -d ' ')" "2 0"
check_has "--db --dry-run: both named" "$(cat "$TMP/err")" "llmcost live: --db needs a value, but got the option --dry-run"
# a short option, a long one as getopt takes it (--dry for --dry-run), a beginning of two
# (--d: --db or --dry-run, which was taken as the value) or one with its value
for v in -s --dry --d --sample=3; do
	live "$TMP/u.jsonl" -s "$S" --max-usd "$v" --dry-run 2>"$TMP/err"; check_eq "--max-usd $v: exit 2" "$?" 2
	check_has "--max-usd $v: both named" "$(cat "$TMP/err")" "--max-usd needs a value, but got the option $v"
done
# a word that is no option of live is a value as before (-1 a bad amount), and one in the same
# word as its option is its value
live "$TMP/u.jsonl" -s "$S" --max-usd -1 --dry-run 2>"$TMP/err"
check_has "--max-usd -1: a bad amount" "$(cat "$TMP/err")" "--max-usd takes an amount of dollars"
live "$TMP/u.jsonl" -s "$S" --max-usd=--dry --dry-run 2>"$TMP/err"
check_has "--max-usd=--dry: its value" "$(cat "$TMP/err")" "(0.50), not \"--dry\""
# a second --max-usd, --record: a usage error naming both (the last was kept: the cap raised
# without a word)
live "$TMP/u.jsonl" -s "$S" --max-usd 0.0001 --max-usd 5 --dry-run 2>"$TMP/err"; check_eq "two --max-usd exit 2" "$?" 2
check_eq "two --max-usd: both named" "$(cat "$TMP/err")" "llmcost live: --max-usd given twice (--max-usd 0.0001, then --max-usd 5): choose one
(see: llmcost live --help)"
live "$TMP/u.jsonl" -s "$S" --max-usd 1 --record "$TMP/a.rec" --record="$TMP/b.rec" 2>"$TMP/err"
check_eq "two --record exit 2" "$?" 2
check_has "two --record: both named" "$(cat "$TMP/err")" "--record given twice (--record $TMP/a.rec, then --record $TMP/b.rec)"
check "two --record: neither made" test ! -e "$TMP/a.rec" -a ! -e "$TMP/b.rec"
out=$(live --help); check_eq "live --help exits 0" "$?" 0
for w in "llmcost live" "-s " --max-usd --sample --concurrency --record --dry-run OPENAI_API_KEY OPENAI_BASE_URL; do
	check_has "live --help teaches $w" "$out" "$w"
done
out=$($L help); check_has "help lists live" "$out" "llmcost live"
# live takes --db PATH (its options list it), so its usage line says so, here, in `llmcost help`
# and in the README's list of commands
# (the usage lines, up to the blank line, joined: a synopsis wraps at 80 columns)
check_has "live --help: the usage line has --db PATH" "$(live --help | sed '/^$/q' | tr -s ' \n' ' ')" "[--dry-run] [--db PATH]"
check_has "live --help: -s SCENARIO, as every command says it" "$(live --help | sed '/^$/q' | tr -s ' \n' ' ')" "live TRACE -s SCENARIO --max-usd X"
check_has "help: live's line has --db PATH" "$($L help | sed -n '/^  llmcost live /,/^  llmcost [a-z]/p' | sed '$d' | tr -s ' \n' ' ')" "[--dry-run] [--db PATH]"
check_has "README: live's line has --db PATH" "$(grep '^llmcost live TRACE ' README.md)" "[--dry-run] [--db PATH]"
# bad input: exit 3 (an invalid scenario) and 1 (no such trace), nothing sent
scen u-bad '"retry": {"max_attempts": 0}'
live "$TMP/u.jsonl" -s "$TMP/u-bad.json" --max-usd 1 2>"$TMP/err"; check_eq "invalid scenario exits 3" "$?" 3
check_has "invalid scenario named" "$(cat "$TMP/err")" "u-bad.json"
live nosuchtrace -s "$S" --max-usd 1 2>/dev/null; check_eq "unknown trace exits 1" "$?" 1
# a request the scenario cannot price: exit 3, named as replay names it (time, tenant, task, line)
echo '{"name": "plain"}' > "$TMP/plain.json"
printf '{"ts":"2026-03-02T10:00:00Z","tenant":"a","task":"t","input":"hi","input_tokens":1,"output_tokens":1}\n%s\n' \
	'{"ts":"2026-03-02T10:00:07Z","tenant":"b","task":"t","input":"hi","model":"gpt-9","input_tokens":1,"output_tokens":1}' > "$TMP/unpriced.jsonl"
live "$TMP/unpriced.jsonl" -s "$TMP/plain.json" --max-usd 1 2>"$TMP/err"; check_eq "a request without a model exits 3" "$?" 3
check_has "a request without a model: the request named" "$(cat "$TMP/err")" \
	"the request at 2026-03-02T10:00:00Z (tenant a, task t; accepted line 1 of the trace) has no recorded model"
sed -n 2p "$TMP/unpriced.jsonl" > "$TMP/unpriced2.jsonl"
live "$TMP/unpriced2.jsonl" -s "$TMP/plain.json" --max-usd 1 2>"$TMP/err"; check_eq "an unpriced model exits 3" "$?" 3
check_has "an unpriced model: the request named" "$(cat "$TMP/err")" \
	"model \"gpt-9\" (of the request at 2026-03-02T10:00:07Z, tenant b, task t; accepted line 1 of the trace) is not in"
check_eq "usage errors send nothing" "$(count "$LOG")" 0

# --- the key: required (exit 1, named), nothing sent without it
fake nokey '[]'
run_nokey nokey "$TMP/u.jsonl" -s "$S" --max-usd 1 --record "$TMP/nokey.rec.jsonl"
check_eq "no OPENAI_API_KEY exits 1" "$rc" 1
check_has "no OPENAI_API_KEY: named" "$err" "OPENAI_API_KEY"
(OPENAI_API_KEY=; run nokey2 "$TMP/u.jsonl" -s "$S" --max-usd 1 --record "$TMP/nokey2.rec.jsonl"; exit $rc)
check_eq "empty OPENAI_API_KEY exits 1" "$?" 1
check_has "empty OPENAI_API_KEY: named" "$(cat "$TMP/nokey2.err")" "OPENAI_API_KEY"
check_eq "no key: nothing sent" "$(count "$LOG")" 0
check "no key: no record" test ! -e "$TMP/nokey.rec.jsonl" -a ! -e "$TMP/nokey2.rec.jsonl"
# a key the Authorization header cannot carry as it is: a CR LF in it (which added a header line),
# a key file's Windows line ending (its \r was sent), only spaces (sent as "Bearer   "): refused
# before anything is sent, exit 1, saying what is wrong without the key
k=0
for v in "$(printf 'sk-abc\r\nX-Evil: 1')|holds a carriage return (byte 7 of its 17), which would go into the request's headers as it is; set it to the key alone" \
	 "$(printf 'sk-from-a-windows-file\r')|holds a carriage return (byte 23 of its 23), which would go into the request's headers as it is (a key file with Windows line endings leaves one at its end); set it to the key alone" \
	 "  |is only spaces; set it to the key alone"; do
	k=$((k + 1))
	(OPENAI_API_KEY=${v%%|*}; run badkey$k "$TMP/u.jsonl" -s "$S" --max-usd 1 --record "$TMP/badkey$k.rec.jsonl"; exit $rc)
	check_eq "a bad key ($k): exit 1, no record" "$? $(count "$TMP/badkey$k.rec.jsonl")" "1 no file"
	check_has "a bad key ($k): said" "$(cat "$TMP/badkey$k.err")" "live: OPENAI_API_KEY ${v#*|}"
	case $(cat "$TMP/badkey$k.err") in *sk-abc*|*sk-from*) bad "a bad key ($k): printed" ;; *) ok ;; esac
done
check_eq "a bad key: nothing sent" "$(count "$LOG")" 0

# --- the body, the headers, spend and the record: three requests, concurrency 3, the first
# answering last (400 ms), so recorded last: the record is in the order the requests ended.
#   1 faq_answer, recorded 1000 in / 100 out, output_max 50 → max_output_tokens 50; route
#     default small → gpt-4.1-mini (not its recorded gpt-4.1); usage 1000 in (200 cached) / 50:
#     800 × 400000 + 200 × 100000 + 50 × 1600000 = 320,000,000 + 20,000,000 + 80,000,000
#     = 420,000,000 pUSD = $0.00042
#   2 chat (no budget), hard → large → gpt-4.1; recorded output 5 → max_output_tokens 16 (the
#     minimum); usage 12 / 0 / 16: 12 × 2000000 + 16 × 8000000 = 24,000,000 + 128,000,000
#     = 152,000,000 = $0.000152
#   3 tiny, output_max 4 → 16; gpt-4.1-mini; usage 10 / 0 / 15: 4,000,000 + 24,000,000
#     = 28,000,000 = $0.000028
#   spent 600,000,000 pUSD = $0.000600
fake a '[{"contains": "refund", "responses": [{"delay_ms": 400, "text": "Refunds within 30 days.",
          "usage": {"input_tokens": 1000, "cached_tokens": 200, "output_tokens": 50}}]},
 {"contains": "hi there", "responses": [{"usage": {"input_tokens": 12, "cached_tokens": 0, "output_tokens": 16}}]},
 {"contains": "ping", "responses": [{"usage": {"input_tokens": 10, "cached_tokens": 0, "output_tokens": 15}}]}]'
{
	req 00 acme faq_answer 1000 100 "What is the refund policy?" ',"request_id":"r-1","model":"gpt-4.1"'
	req 01 beta chat 3 5 "hi there" ',"difficulty":"hard"'
	req 02 acme tiny 10 300 "ping"
} > "$TMP/a.jsonl"
scen a "$ROUTES, $RETRY, \"budget\": {\"faq_answer\": {\"output_max\": 50}, \"tiny\": {\"output_max\": 4}}"
t0=$(date +%s)
run a "$TMP/a.jsonl" -s "$TMP/a.json" --max-usd 1 --concurrency 3 --record "$TMP/arec.jsonl"
t1=$(date +%s)
check_eq "a: exit 0" "$rc" 0
check_eq "a: three requests sent" "$(count "$LOG")" 3
check_eq "a: POST /v1/responses" "$(q "$LOG" 'sorted(set((x["method"], x["path"]) for x in L))')" "('POST', '/v1/responses')"
check_eq "a: the key in the Authorization header" "$(q "$LOG" 'sorted(set(x["authorization"] for x in L))')" "Bearer $KEY"
check_eq "a: Content-Type" "$(q "$LOG" 'sorted(set(x["content_type"] for x in L))')" "application/json"
check_eq "a: the body's keys" "$(q "$LOG" 'sorted(set(tuple(sorted(b)) for b in B))')" \
	"('input', 'max_output_tokens', 'model', 'store')"
check_eq "a: body 1: routed, output_max" "$(q "$LOG" '[f(b, "model max_output_tokens store") for b in B if b["input"] == "What is the refund policy?"]')" \
	"gpt-4.1-mini|50|false"
check_eq "a: body 2: hard → large, recorded output raised to 16" "$(q "$LOG" '[f(b, "model max_output_tokens store") for b in B if b["input"] == "hi there"]')" \
	"gpt-4.1|16|false"
check_eq "a: body 3: output_max 4 raised to 16" "$(q "$LOG" '[f(b, "model max_output_tokens store") for b in B if b["input"] == "ping"]')" \
	"gpt-4.1-mini|16|false"
check_has "a: the summary line" "$out" "live: 3 requests: 3 answered (0 from the cache), 0 degraded, 0 failed, 0 rejected; 3 calls (0 retries, 0 fallbacks)"
check_counts "a: summary counts" "$out" "3 requests: 3 answered (0 from the cache), 0 degraded, 0 failed, 0 rejected; 3 calls (0 retries, 0 fallbacks)"
check_re "a: spent" "$out" '^live: spent \$0\.000600 of the \$1(\.0+)? cap$'
check_has "a: where the record is" "$out" \
	"live: recorded in $TMP/arec.jsonl; compare it with its estimate: llmcost replay $TMP/arec.jsonl -s recorded -s $TMP/a.json"
check_eq "a: record: one line per request, the slow first one last" \
	"$(q "$TMP/arec.jsonl" 'sorted(r["input"] for r in L[:2]) + [L[2]["input"]]')" "hi there ping What is the refund policy?"
check_eq "a: record line 1" "$(q "$TMP/arec.jsonl" 'f(by("What is the refund policy?"), "tenant task input_tokens cached_tokens output_tokens model status live cost_usd difficulty")')" \
	"acme|faq_answer|1000|200|50|gpt-4.1-mini|ok|answered|0.00042|-"
# request_id is the id of the API's answer (the fake numbers its answers resp_1, resp_2, … as
# they go out, in whatever order the three concurrent requests reach it)
check_eq "a: request_id: the answer's id" "$(q "$TMP/arec.jsonl" 'sorted(r.get("request_id") for r in L)')" "resp_1 resp_2 resp_3"
check_eq "a: record line 1: the answer's text, and nothing sent instead of the input" \
	"$(q "$TMP/arec.jsonl" 'f(by("What is the refund policy?"), "output input_sent")')" "Refunds within 30 days.|-"
check_eq "a: record line 1 attempt" "$(q "$TMP/arec.jsonl" 'f(by("What is the refund policy?")["attempts"][0], "model status input_tokens output_tokens cached_tokens") + " " + str(len(by("What is the refund policy?")["attempts"]))')" \
	"gpt-4.1-mini|ok|1000|50|200 1"
check_eq "a: record line 1 latency ≥ 400 ms" "$(q "$TMP/arec.jsonl" 'by("What is the refund policy?")["latency_ms"] >= 400 and by("What is the refund policy?")["attempts"][0]["latency_ms"] >= 400')" true
check_eq "a: record line 2" "$(q "$TMP/arec.jsonl" 'f(by("hi there"), "tenant task input_tokens cached_tokens output_tokens model status live cost_usd difficulty") + " " + att(by("hi there"))')" \
	"beta|chat|12|0|16|gpt-4.1|ok|answered|0.000152|hard gpt-4.1:ok"
check_eq "a: record line 3" "$(q "$TMP/arec.jsonl" 'f(by("ping"), "input_tokens output_tokens model live cost_usd")')" \
	"10|15|gpt-4.1-mini|answered|0.000028"
check_eq "a: record times: RFC 3339 UTC, during the run" \
	"$(q "$TMP/arec.jsonl" "all(__import__('re').fullmatch(r'\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?Z', t) and $t0 <= ts(t) <= $t1 + 1 for r in L for t in [r['ts']] + [a['ts'] for a in r['attempts']])")" true
# the record re-imports, and its recorded replay costs what the run spent: $0.000600
$L import "$TMP/arec.jsonl" >/dev/null 2>&1; check_eq "a: the record imports" "$?" 0
check_eq "a: the record replays to the live spend" "$(replayed "$TMP/arec.jsonl")" \
	'"totals":{"requests":3,"resolved":3 "usd_total":0.000600000000'
# the default record name: live-TRACENAME-YYYYMMDDTHHMMSSZ.jsonl in the current folder
mkdir "$TMP/cwd"
req 00 acme chat 10 10 "default name" > "$TMP/dflt.jsonl"
(cd "$TMP/cwd" && run dflt "$TMP/dflt.jsonl" -s "$TMP/a.json" --max-usd 1; exit $rc); check_eq "default record: exit 0" "$?" 0
check_re "default record: the file" "$(ls "$TMP/cwd")" '^live-dflt-20[0-9]{6}T[0-9]{6}Z\.jsonl$'
check_re "default record: named in the summary" "$(cat "$TMP/dflt.out")" '^live: recorded in live-dflt-20[0-9]{6}T[0-9]{6}Z\.jsonl; '
# another run in the same second (here: the default names of the next 10 s taken already)
# takes the name with -2, not an error
mkdir "$TMP/cwd2"; cp "$TMP/dflt.jsonl" "$TMP/dflt2.jsonl"; now=$(date +%s)
for d in 0 1 2 3 4 5 6 7 8 9; do : > "$TMP/cwd2/live-dflt2-$(date -u -d "@$((now + d))" +%Y%m%dT%H%M%SZ).jsonl"; done
(cd "$TMP/cwd2" && run dflt2 "$TMP/dflt2.jsonl" -s "$TMP/a.json" --max-usd 1; exit $rc); check_eq "default record taken: exit 0" "$?" 0
check_re "default record taken: the next name" "$(cat "$TMP/dflt2.out")" '^live: recorded in live-dflt2-20[0-9]{6}T[0-9]{6}Z-2\.jsonl; '
# an existing record file is refused before anything is sent
n=$(count "$LOG")
run again "$TMP/a.jsonl" -s "$TMP/a.json" --max-usd 1 --record "$TMP/arec.jsonl"
check_eq "existing record file exits 1" "$rc" 1
check_has "existing record file named" "$err" "$TMP/arec.jsonl"
check_eq "existing record file: nothing sent" "$(count "$LOG")" "$n"
check_eq "existing record file: unchanged" "$(count "$TMP/arec.jsonl")" 3

# the record is the one file the run makes: a file of the user's named like a temporary one
# (FILE.partial, once opened with "w", and a symbolic link followed) is left as it was, and no
# other file is left beside the record
printf 'precious\n' > "$TMP/precious.txt"
ln -s "$TMP/precious.txt" "$TMP/keep.rec.jsonl.partial"
printf 'mine\n' > "$TMP/keep2.rec.jsonl.partial"
run keep "$TMP/dflt.jsonl" -s "$TMP/a.json" --max-usd 1 --record "$TMP/keep.rec.jsonl"
run keep2 "$TMP/dflt.jsonl" -s "$TMP/a.json" --max-usd 1 --record "$TMP/keep2.rec.jsonl"
check_eq "a file named FILE.partial: both runs recorded their request" \
	"$(q "$TMP/keep.rec.jsonl" '[r["input"] for r in L]') $(q "$TMP/keep2.rec.jsonl" '[r["input"] for r in L]')" "default name default name"
check_eq "a symbolic link named FILE.partial: its target unchanged, the link still there" \
	"$(cat "$TMP/precious.txt") $(readlink "$TMP/keep.rec.jsonl.partial")" "precious $TMP/precious.txt"
check_eq "a file named FILE.partial: unchanged" "$(cat "$TMP/keep2.rec.jsonl.partial")" "mine"
check_eq "no temporary file left beside the record" "$(ls -A "$TMP" | grep -c '^\.keep')" 0

# --- a bundled scenario by name: v3 routes policy_check to small (gpt-4.1-mini) with output_max
# 300; a scenario without routes sends the recorded model, with the recorded output (50)
fake named '[]'
req 00 acme policy_check 100 50 "Is this allowed?" ',"model":"gpt-4.1"' > "$TMP/named.jsonl"
run named "$TMP/named.jsonl" -s v3 --max-usd 1 --record "$TMP/named.rec.jsonl"
check_eq "-s v3: exit 0" "$rc" 0
check_eq "-s v3: the body" "$(q "$LOG" 'f(B[0], "model max_output_tokens input")')" "gpt-4.1-mini|300|Is this allowed?"
echo "{\"pricing\": \"$PRICES\"}" > "$TMP/plain.json"
req 00 acme chat 100 50 "Plain question" ',"model":"gpt-4o-mini"' > "$TMP/plain.jsonl"
run plain "$TMP/plain.jsonl" -s "$TMP/plain.json" --max-usd 1 --record "$TMP/plain.rec.jsonl"
check_eq "no routes: exit 0" "$rc" 0
check_eq "no routes: the recorded model" "$(q "$LOG" 'f(B[1], "model max_output_tokens")')" "gpt-4o-mini|50"
# the replay it suggests quotes a record and a scenario whose names need it for sh; pasted, it
# replays the record beside the estimate
cp "$TMP/plain.json" "$TMP/bob's plain.json"
run quoted "$TMP/plain.jsonl" -s "$TMP/bob's plain.json" --max-usd 1 --record "$TMP/my rec.jsonl"
check_eq "quoted names: exit 0" "$rc" 0
check_has "quoted names: the replay hint" "$out" \
	"llmcost replay '$TMP/my rec.jsonl' -s recorded -s '$TMP/bob'\\''s plain.json'"
hint=$(printf '%s\n' "$out" | sed -n 's/^live: recorded in .*; compare it with its estimate: //p')
check_re "... and the hint, run by sh, replays the record under both" "$(sh_llmcost "$hint --json" 2>/dev/null | tr -d '\t\n')" \
	'"scenarios":\[\{"name":"recorded".*\{"name":"bob'"'"'s plain"'

# --- the cache: tenant + normalized input; concurrency 1, so the second request of acme asks
# after the first answered: a hit, no call. beta's same text is another key. A trailing "/" on
# the base URL is dropped. Each call answers 1000 / 0 / 50 on gpt-4.1-mini: 400,000,000 +
# 80,000,000 = 480,000,000 pUSD; two calls: 960,000,000 = $0.000960
fake cache '[{"contains": "policy", "responses": [{"usage": {"input_tokens": 1000, "cached_tokens": 0, "output_tokens": 50}}]}]'
{
	req 00 acme faq_answer 1000 100 "What is the refund policy???"
	req 01 acme faq_answer 1000 100 "  what is the REFUND policy "
	req 02 beta faq_answer 1000 100 "What is the refund policy???"
} > "$TMP/c.jsonl"
scen c "$ROUTES, $RETRY, \"cache\": {\"key\": [\"tenant\", \"input\"], \"normalize\": [\"lower\", \"strip_punct\", \"collapse_space\"]}"
base=$OPENAI_BASE_URL; OPENAI_BASE_URL=$base/
run c "$TMP/c.jsonl" -s "$TMP/c.json" --max-usd 1 --concurrency 1 --record "$TMP/crec.jsonl"
OPENAI_BASE_URL=$base
check_eq "cache: exit 0" "$rc" 0
check_eq "cache: two calls" "$(count "$LOG")" 2
check_eq "cache: the trailing / dropped" "$(q "$LOG" '[x["path"] for x in L]')" "/v1/responses /v1/responses"
check_counts "cache: summary" "$out" "3 requests: 3 answered (1 from the cache), 0 degraded, 0 failed, 0 rejected; 2 calls (0 retries, 0 fallbacks)"
check_re "cache: spent" "$out" '^live: spent \$0\.000960 of the \$1(\.0+)? cap$'
# a hit sent nothing: it is counted in the summary, not recorded (a line without a call could
# not be priced by `replay -s recorded`; README)
check_eq "cache: record: the two calls" "$(q "$TMP/crec.jsonl" '[r["live"] for r in L]')" "answered answered"
check_eq "cache: the hit is not in the record" \
	"$(q "$TMP/crec.jsonl" '[r["input"] == "  what is the REFUND policy " for r in L]')" "false false"
# a dry run of the same: no key, nothing sent, no record; the cache applies (2 calls). Worst
# case of a call: (28 bytes + 32) = 60 input tokens × 400000 + 100 output × 1600000
# = 24,000,000 + 160,000,000 = 184,000,000; two: 368,000,000 pUSD = $0.000368 (a whole
# number of micro-dollars, so that any rounding to 6 decimals prints it as it is)
mkdir "$TMP/dry"
(cd "$TMP/dry" && run_nokey cdry "$TMP/c.jsonl" -s "$TMP/c.json" --max-usd 1 --dry-run; exit $rc)
check_eq "dry run: exit 0" "$?" 0
check_re "dry run: the line" "$(cat "$TMP/cdry.out")" \
	'^live: dry run: 3 requests would send 2 calls; worst case \$0\.000368(0*) of the \$1(\.0+)? cap$'
check_eq "dry run: nothing sent" "$(count "$LOG")" 2
check_eq "dry run: no record" "$(ls "$TMP/dry")" ""
# --record with --dry-run: a note says it is not used (before: silently ignored), no file made
(cd "$TMP/dry" && run_nokey cdryrec "$TMP/c.jsonl" -s "$TMP/c.json" --max-usd 1 --dry-run --record "$TMP/dry/r.jsonl"; exit $rc)
check_eq "dry run with --record: exit 0, no record" "$? $(ls "$TMP/dry")" "0 "
check_has "dry run with --record: said" "$(cat "$TMP/cdryrec.err")" \
	"llmcost: live: --record is not used by a dry run: nothing is sent, so nothing is recorded"
# a dry run takes the requests on one worker, so that its cache hits come out the same each
# time: eight requests of one 3 MB text make one call, whatever --concurrency says, in each of
# ten runs (with workers side by side, one would often miss while another normalizes the text
# under the runner's lock: a race, so seen in most runs, not all)
python3 -c '
import json
for k in range(8):
    print(json.dumps({"ts": "2026-03-02T10:00:0%dZ" % k, "tenant": "acme", "task": "faq_answer",
                      "input_tokens": 1000, "output_tokens": 10, "input": "Same question? " * 200000}))' > "$TMP/same.jsonl"
calls=
for i in 1 2 3 4 5 6 7 8 9 10; do
	(cd "$TMP/dry" && run_nokey same "$TMP/same.jsonl" -s "$TMP/c.json" --max-usd 100 --concurrency 8 --dry-run; exit $rc)
	calls="$calls $? $(sed -n 's/^live: dry run: 8 requests would send \([0-9]*\) calls*;.*/\1/p' "$TMP/same.out")"
done
check_eq "dry run on one worker: one call for eight requests, each time" "$calls" " 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1"

# --- budget overflow: truncate to input_max × 4 bytes at a character boundary, reject, async.
# policy_check: input_max 5 (20 bytes), output_max 20; long_report: input_max 10, reject;
# batch_report: input_max 10, async (which needs the batch section; live has no queue).
#   1 recorded 50 > 5: "abcdefghijklmnopqrs" + "é" (bytes 20-21) + …: cut to the 19 bytes
#     before the é
#   2 50 > 5: the first 20 bytes; its first call fails (500): the attempt is recorded with the
#     5 input tokens it was sent as, then two retries (the second ok)
#   3 recorded 5, not over: sent whole however long the text
#   4 long_report 50 > 10: rejected, nothing sent
#   5 long_report 10, not over: sent whole; no output_max: recorded 10 → 16
#   6 batch_report 50 > 10, async: sent whole at once, max_output_tokens 16
fake b '[{"contains": "0123", "responses": [{"status": 500}, {"status": 500}, {}]}]'
{
	req 00 acme policy_check 50 10 "abcdefghijklmnopqrsé tail of a long text"
	req 01 acme policy_check 50 10 "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	req 02 acme policy_check 5 10 "this text is longer than twenty bytes"
	req 03 acme long_report 50 10 "REJECT me please"
	req 04 beta long_report 10 10 "short report"
	req 05 beta batch_report 50 10 "ASYNC whole text here"
} > "$TMP/b.jsonl"
scen b "$ROUTES, $RETRY, \"budget\": {\"policy_check\": {\"input_max\": 5, \"output_max\": 20, \"overflow\": \"truncate\"},
  \"long_report\": {\"input_max\": 10, \"overflow\": \"reject\"},
  \"batch_report\": {\"input_max\": 10, \"overflow\": \"async\"}}, \"batch\": {\"enabled\": true}"
run b "$TMP/b.jsonl" -s "$TMP/b.json" --max-usd 1 --concurrency 1 --record "$TMP/brec.jsonl"
check_eq "budget: exit 0" "$rc" 0
check_eq "budget: sent texts" "$(q "$LOG" '"/".join(b["input"] for b in B)')" \
	"abcdefghijklmnopqrs/0123456789ABCDEFGHIJ/0123456789ABCDEFGHIJ/0123456789ABCDEFGHIJ/this text is longer than twenty bytes/short report/ASYNC whole text here"
check_eq "budget: max_output_tokens" "$(q "$LOG" '[b["max_output_tokens"] for b in B]')" "20 20 20 20 20 16 16"
check_counts "budget: summary" "$out" "6 requests: 5 answered (0 from the cache), 0 degraded, 0 failed, 1 rejected; 7 calls (2 retries, 0 fallbacks)"
check_eq "budget: record: the five requests that called" "$(q "$TMP/brec.jsonl" '[r["live"] for r in L]')" "answered answered answered answered answered"
check_eq "budget: the record keeps the original text" "$(q "$TMP/brec.jsonl" 'L[0]["input"]')" "abcdefghijklmnopqrsé tail of a long text"
check_eq "budget: and what was sent instead" "$(q "$TMP/brec.jsonl" 'L[0]["input_sent"]')" "abcdefghijklmnopqrs"
check_eq "budget: a failed attempt of a truncated request" "$(q "$TMP/brec.jsonl" 'f(L[1]["attempts"][0], "model status input_tokens output_tokens cached_tokens") + " " + att(L[1])')" \
	"gpt-4.1-mini|server_error|5|0|0 gpt-4.1-mini:server_error,gpt-4.1-mini:server_error,gpt-4.1-mini:ok"
check_eq "budget: the reject sent nothing and is not recorded" \
	"$(q "$TMP/brec.jsonl" '[r["input"] for r in L if r["task"] == "long_report"]')" "short report"

# --- summarize (faq_answer: input_max 100, output_max 40; summarize on small = gpt-4.1-mini,
# ratio 0.1; the main call on the default route, large = gpt-4.1). Concurrency 1.
#   A 451 tokens: K = max(16, min(100, ceil(45.1) = 46)) = 46
#     summary 451 / 0 / 40 on mini: 180,400,000 + 64,000,000 = 244,400,000
#     main 40 / 0 / 30 on gpt-4.1: 80,000,000 + 240,000,000 = 320,000,000; A = 564,400,000
#   B 130 tokens: ceil(13) = 13 → K = 16
#     summary 130 / 0 / 16: 52,000,000 + 25,600,000 = 77,600,000
#     main 16 / 0 / 10: 32,000,000 + 80,000,000 = 112,000,000; B = 189,600,000
#   C 2000 tokens: ceil(200) = 200 → K = min(100, 200) = 100
#     summary 2000 / 0 / 100: 800,000,000 + 160,000,000 = 960,000,000
#     main 100 / 0 / 40: 200,000,000 + 320,000,000 = 520,000,000; C = 1,480,000,000
#   D: its summary fails 3 times (server_error, max_attempts 3): no fallback for a summary
#     (though the scenario has one), no main call: failed
#   spent 564,400,000 + 189,600,000 + 1,480,000,000 = 2,234,000,000 pUSD = $0.002234
fake s '[{"model": "gpt-4.1-mini", "contains": "DOC-A", "responses": [{"text": "SUM-A", "usage": {"input_tokens": 451, "cached_tokens": 0, "output_tokens": 40}}]},
 {"model": "gpt-4.1", "contains": "SUM-A", "responses": [{"usage": {"input_tokens": 40, "cached_tokens": 0, "output_tokens": 30}}]},
 {"model": "gpt-4.1-mini", "contains": "DOC-B", "responses": [{"text": "SUM-B", "usage": {"input_tokens": 130, "cached_tokens": 0, "output_tokens": 16}}]},
 {"model": "gpt-4.1", "contains": "SUM-B", "responses": [{"usage": {"input_tokens": 16, "cached_tokens": 0, "output_tokens": 10}}]},
 {"model": "gpt-4.1-mini", "contains": "DOC-C", "responses": [{"text": "SUM-C", "usage": {"input_tokens": 2000, "cached_tokens": 0, "output_tokens": 100}}]},
 {"model": "gpt-4.1", "contains": "SUM-C", "responses": [{"usage": {"input_tokens": 100, "cached_tokens": 0, "output_tokens": 40}}]},
 {"contains": "DOC-D", "responses": [{"status": 500}]}]'
{
	req 00 acme faq_answer 451 80 "DOC-A the long document"
	req 01 acme faq_answer 130 80 "DOC-B another document"
	req 02 acme faq_answer 2000 80 "DOC-C a third document"
	req 03 acme faq_answer 2000 80 "DOC-D a document nobody summarizes"
} > "$TMP/s.jsonl"
scen s "\"routes\": {\"small\": \"gpt-4.1-mini\", \"large\": \"gpt-4.1\"}, \"routing\": {\"default\": \"large\"}, $RETRY,
  \"budget\": {\"faq_answer\": {\"input_max\": 100, \"output_max\": 40, \"overflow\": \"summarize\"}},
  \"summarize\": {\"route\": \"small\", \"ratio\": 0.1},
  \"fallback\": {\"chain\": [\"small\", \"large\"]}"
run s "$TMP/s.jsonl" -s "$TMP/s.json" --max-usd 1 --concurrency 1 --record "$TMP/srec.jsonl"
check_eq "summarize: exit 0" "$rc" 0
check_eq "summarize: the calls' models" "$(q "$LOG" '[b["model"] for b in B]')" \
	"gpt-4.1-mini gpt-4.1 gpt-4.1-mini gpt-4.1 gpt-4.1-mini gpt-4.1 gpt-4.1-mini gpt-4.1-mini gpt-4.1-mini"
check_eq "summarize: the calls' inputs" "$(q "$LOG" '"/".join(b["input"] for b in B[:6])')" \
	"DOC-A the long document/SUM-A/DOC-B another document/SUM-B/DOC-C a third document/SUM-C"
check_eq "summarize: max_output_tokens" "$(q "$LOG" '[b["max_output_tokens"] for b in B]')" "46 40 16 40 100 40 100 100 100"
for i in 0:46 2:16 4:100; do
	check_eq "summarize: instructions of call ${i%:*}" "$(q "$LOG" "B[${i%:*}].get('instructions')")" \
		"Summarize the user's text in at most ${i#*:} tokens, keeping every fact needed to answer it."
done
check_eq "summarize: main calls have no instructions" "$(q "$LOG" '[k for b in B[1:6:2] for k in b if k == "instructions"]')" ""
check_counts "summarize: summary" "$out" "4 requests: 3 answered (0 from the cache), 0 degraded, 1 failed, 0 rejected; 9 calls (2 retries, 0 fallbacks)"
check_re "summarize: spent" "$out" '^live: spent \$0\.002234 of the \$1(\.0+)? cap$'
check_eq "summarize: record costs" "$(q "$TMP/srec.jsonl" '[r["cost_usd"] for r in L]')" "0.0005644 0.0001896 0.00148 0"
# input_tokens, model and status are the first call's (the summary), output_tokens the answer's
check_eq "summarize: record A" "$(q "$TMP/srec.jsonl" 'f(L[0], "input_tokens output_tokens model status live") + " " + att(L[0])')" \
	"451|30|gpt-4.1-mini|ok|answered gpt-4.1-mini:ok,gpt-4.1:ok"
check_eq "summarize: record D" "$(q "$TMP/srec.jsonl" 'f(L[3], "live cost_usd") + " " + att(L[3])')" \
	"failed|0 gpt-4.1-mini:server_error,gpt-4.1-mini:server_error,gpt-4.1-mini:server_error"

# a summarize call's attempt is marked "summary": true, and `replay -s recorded` reads it so:
# the request is summarized, its summary is neither a fallback (A, B, C: summary on gpt-4.1-mini,
# main call on gpt-4.1) nor, repeated, a retry of the main call; D's summary retried twice is 2
# retries.  Recorded: 9 calls, 2 retries, 0 fallbacks, 4 summarized, at the live spend $0.002234
# (D's server errors billed nothing)
check_eq "summarize: the summary attempts marked" "$(q "$TMP/srec.jsonl" '[",".join(show(a.get("summary", False)) for a in r["attempts"]) for r in L]')" \
	"true,false true,false true,false true,true,true"
check_eq "summarize: the recorded replay: summarized, no fallback" \
	"$($L replay "$TMP/srec.jsonl" -s recorded --json 2>/dev/null | python3 -c 'import json, sys; t = json.load(sys.stdin)["scenarios"][0]["totals"]; print(*(t[k] for k in ("calls", "retries", "fallbacks", "summarized", "usd_total")))')" \
	"9 2 0 4 0.002234"

# --- retries (max_attempts 3, backoff 1 ms, no fallback), concurrency 1:
#   1 500 then ok; 2 503 with retry-after-ms 400, then ok; 3 429 with retry-after 1 (s), then ok;
#   4 429 with retry-after 600 s (over 120 s): not waited for, the model gives up: failed
#   each ok answers 100 / 0 / 20 on gpt-4.1-mini: 40,000,000 + 32,000,000 = 72,000,000;
#   three: 216,000,000 pUSD = $0.000216
fake r '[{"contains": "RETRY-1", "responses": [{"status": 500}, {"usage": {"input_tokens": 100, "cached_tokens": 0, "output_tokens": 20}}]},
 {"contains": "RETRY-2", "responses": [{"status": 503, "headers": {"retry-after-ms": "400"}}, {"usage": {"input_tokens": 100, "cached_tokens": 0, "output_tokens": 20}}]},
 {"contains": "RETRY-3", "responses": [{"status": 429, "error": {"type": "requests", "code": "rate_limit_exceeded"}, "headers": {"retry-after": "1"}},
   {"usage": {"input_tokens": 100, "cached_tokens": 0, "output_tokens": 20}}]},
 {"contains": "RETRY-4", "responses": [{"status": 429, "error": {"type": "requests", "code": "rate_limit_exceeded"}, "headers": {"retry-after": "600"}}]}]'
{
	req 00 acme faq_answer 100 20 "RETRY-1 five hundred"
	req 01 acme faq_answer 100 20 "RETRY-2 retry-after-ms"
	req 02 acme faq_answer 100 20 "RETRY-3 retry-after"
	req 03 acme faq_answer 100 20 "RETRY-4 too long to wait"
} > "$TMP/r.jsonl"
scen r "$ROUTES, $RETRY"
t0=$(date +%s)
run r "$TMP/r.jsonl" -s "$TMP/r.json" --max-usd 1 --concurrency 1 --record "$TMP/rrec.jsonl"
t1=$(date +%s)
check_eq "retry: exit 0" "$rc" 0
check_eq "retry: seven calls on one model" "$(q "$LOG" '[b["model"] for b in B]')" \
	"gpt-4.1-mini gpt-4.1-mini gpt-4.1-mini gpt-4.1-mini gpt-4.1-mini gpt-4.1-mini gpt-4.1-mini"
check_eq "retry: retry-after-ms 400 waited" "$(q "$LOG" 'L[3]["t"] - L[2]["t"] >= Decimal("0.4")')" true
check_eq "retry: retry-after 1 s waited" "$(q "$LOG" 'L[5]["t"] - L[4]["t"] >= 1')" true
check "retry: retry-after 600 s not waited for" test $((t1 - t0)) -lt 30
check_counts "retry: summary" "$out" "4 requests: 3 answered (0 from the cache), 0 degraded, 1 failed, 0 rejected; 7 calls (3 retries, 0 fallbacks)"
check_re "retry: spent" "$out" '^live: spent \$0\.000216 of the \$1(\.0+)? cap$'
check_eq "retry: record attempts" "$(q "$TMP/rrec.jsonl" '[att(r) for r in L]')" \
	"gpt-4.1-mini:server_error,gpt-4.1-mini:ok gpt-4.1-mini:server_error,gpt-4.1-mini:ok gpt-4.1-mini:rate_limited,gpt-4.1-mini:ok gpt-4.1-mini:rate_limited"
check_eq "retry: record 1: the first call's status, the answer's output" \
	"$(q "$TMP/rrec.jsonl" 'f(L[0], "status model input_tokens output_tokens live cost_usd") + " " + f(L[0]["attempts"][0], "input_tokens output_tokens cached_tokens")')" \
	"server_error|gpt-4.1-mini|100|20|answered|0.000072 100|0|0"
# request_id is the answering call's id (the fake numbers its replies by arrival: calls 2, 4 and 6
# answered), not absent because the first call failed; the unanswered request has none
check_eq "retry: request_id of the answer" "$(q "$TMP/rrec.jsonl" '[r.get("request_id") for r in L]')" \
	"resp_2 resp_4 resp_6 null"
# each attempt keeps its own start: RETRY-2's retry waited the 400 ms of its retry-after-ms
check_eq "retry: each attempt's own ts" \
	"$(q "$TMP/rrec.jsonl" 'ts(L[1]["attempts"][1]["ts"]) - ts(L[1]["attempts"][0]["ts"]) >= 0.4')" true
check_eq "retry: record 4: failed, the source's tokens" "$(q "$TMP/rrec.jsonl" 'f(L[3], "status input_tokens output_tokens live cost_usd")')" \
	"rate_limited|100|20|failed|0"
# the request's size at the top of its line is what the API measured, from its first answered
# call that sent the text as it is: a 500 (which keeps the source's 100) then an answer of 12
# input tokens (4 cached) gives 12 and 4, so that a replay of the record prices the real size
fake sz '[{"contains": "SIZE-1", "responses": [{"status": 500}, {"usage": {"input_tokens": 12, "cached_tokens": 4, "output_tokens": 20}}]}]'
req 00 acme faq_answer 100 20 "SIZE-1 measured" > "$TMP/sz.jsonl"
run sz "$TMP/sz.jsonl" -s "$TMP/r.json" --max-usd 1 --concurrency 1 --record "$TMP/szrec.jsonl"
check_eq "measured size: the top of the line, and the failed call's own" \
	"$(q "$TMP/szrec.jsonl" 'f(L[0], "status input_tokens cached_tokens live") + " " + f(L[0]["attempts"][0], "status input_tokens")')" \
	"server_error|12|4|answered server_error|100"
$L import "$TMP/rrec.jsonl" >/dev/null 2>&1; check_eq "retry: the record imports" "$?" 0
check_eq "retry: the record replays to the live spend" "$(replayed "$TMP/rrec.jsonl")" \
	'"totals":{"requests":4,"resolved":3 "usd_total":0.000216000000'
# Retry-After as an HTTP date (RFC 9110) is the wait until then: a date 3 s after the fake starts
# is waited for: the retry comes at that second or later (unless the 429 came after it, on a
# machine slow enough to take 3 s to start); one over 120 s ahead (here 121 s, in seconds) is
# not: the model gives up, and the summary says why
at_s=$(($(date +%s) + 3))
at=$(date -u -d "@$at_s" '+%a, %d %b %Y %H:%M:%S GMT')
fake ra '[{"contains": "RA-DATE", "responses": [{"status": 429, "headers": {"retry-after": "'"$at"'"}}, {}]},
 {"contains": "RA-LONG", "responses": [{"status": 429, "headers": {"retry-after": "121"}}]}]'
req 00 acme faq_answer 100 20 "RA-DATE" > "$TMP/ra.jsonl"
req 00 acme faq_answer 100 20 "RA-LONG" > "$TMP/ra2.jsonl"
run ra "$TMP/ra.jsonl" -s "$TMP/r.json" --max-usd 1 --record "$TMP/rarec.jsonl"
check_eq "Retry-After date: waited for" \
	"$(q "$LOG" '[len(L), L[1]["t"] >= '"$at_s"' - 0.05 or L[0]["t"] >= '"$at_s"']')" "2 true"
run ra2 "$TMP/ra2.jsonl" -s "$TMP/r.json" --max-usd 1 --record "$TMP/ra2rec.jsonl"
check_has "Retry-After over 120 s: the reason said" "$out" \
	"live: 1 call rate_limited, the first: HTTP 429: fake error (Retry-After 121 s, over 120 s: not waited for, the model gives up)"
# backoff_ms × 2^(k−1): 200 ms before the first retry, 400 ms before the second
fake r2 '[{"responses": [{"status": 500}, {"status": 500}, {}]}]'
req 00 acme faq_answer 100 20 "BACKOFF" > "$TMP/r2.jsonl"
scen r2 "$ROUTES, \"retry\": {\"max_attempts\": 3, \"backoff_ms\": 200, \"timeout_ms\": 5000}"
run r2 "$TMP/r2.jsonl" -s "$TMP/r2.json" --max-usd 1 --record "$TMP/r2rec.jsonl"
check_eq "backoff: exit 0, three calls" "$rc $(count "$LOG")" "0 3"
check_eq "backoff: 200 ms, then 400 ms" "$(q "$LOG" '[L[1]["t"] - L[0]["t"] >= Decimal("0.2"), L[2]["t"] - L[1]["t"] >= Decimal("0.4")]')" "true true"

# --- error classes, no retry, no fallback (max_attempts 1; timeout 500 ms), all failed.
# Only the timeouts (408 and the client's) are spent, at their worst case: (9 bytes + 32)
# = 41 input tokens × 400000 + max(16, 5) = 16 output × 1600000 = 16,400,000 + 25,600,000
# = 42,000,000 each; two: 84,000,000 pUSD = $0.000084
fake k '[{"contains": "CLS-408", "responses": [{"status": 408}]},
 {"contains": "CLS-TMO", "responses": [{"delay_ms": 1500}]},
 {"contains": "CLS-409", "responses": [{"status": 409}]},
 {"contains": "CLS-NOUSE", "responses": [{"body": {"id": "resp_x", "object": "response", "status": "completed", "output": []}}]},
 {"contains": "CLS-FAILD", "responses": [{"body": {"id": "resp_y", "object": "response", "status": "failed", "output": [],
   "usage": {"input_tokens": 9, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 0}}}]},
 {"contains": "CLS-404", "responses": [{"status": 404, "error": {"type": "invalid_request_error", "code": "context_length_exceeded"}}]},
 {"contains": "CLS-422", "responses": [{"status": 422, "error": {"type": "invalid_request_error", "code": "invalid_value"}}]},
 {"contains": "CLS-CPV", "responses": [{"status": 400, "error": {"type": "invalid_request_error", "code": "content_policy_violation"}}]},
 {"contains": "CLS-429", "responses": [{"status": 429, "error": {"type": "requests", "code": "rate_limit_exceeded"}}]}]'
for t in "CLS-408 a" "CLS-TMO a" "CLS-409 a" CLS-NOUSE CLS-FAILD CLS-404 CLS-422 CLS-CPV CLS-429; do
	req 00 acme chat 100 5 "$t"
done > "$TMP/k.jsonl"
scen k "$ROUTES, \"retry\": {\"max_attempts\": 1, \"backoff_ms\": 1, \"timeout_ms\": 500}"
run k "$TMP/k.jsonl" -s "$TMP/k.json" --max-usd 1 --record "$TMP/krec.jsonl"
check_eq "classes: exit 0" "$rc" 0
# why the calls failed: per class, how many, and the first reason in trace order (the fake's
# "fake error" message after the HTTP status; the client's own timeout comes second)
check_eq "classes: the reasons" "$(echo "$out" | grep ', the first: ')" "live: 2 calls timeout, the first: HTTP 408: fake error
live: 1 call rate_limited, the first: HTTP 429: fake error
live: 3 calls server_error, the first: HTTP 409: fake error
live: 1 call invalid_request, the first: HTTP 422: fake error
live: 1 call content_filter, the first: HTTP 400: fake error
live: 1 call context_length, the first: HTTP 404: fake error"
check_eq "classes: one call each" "$(count "$LOG")" 9
# the record's lines in trace order (they are in the order the requests ended)
K='[by(t) for t in ("CLS-408 a", "CLS-TMO a", "CLS-409 a", "CLS-NOUSE", "CLS-FAILD", "CLS-404", "CLS-422", "CLS-CPV", "CLS-429")]'
check_eq "classes: statuses" "$(q "$TMP/krec.jsonl" "[r['status'] for r in $K]")" \
	"timeout timeout server_error server_error server_error context_length invalid_request content_filter rate_limited"
# an error reply is not billed: cost 0; what a timeout or a content filter cost is not known
# (the API may have finished and billed the call): no cost_usd, so that a recorded replay
# compares its prices only with known bills, and does not call the price table stale
check_eq "classes: all failed; cost 0 where the bill is known, none where it is not" \
	"$(q "$TMP/krec.jsonl" "[f(r, 'live status cost_usd') for r in $K]")" \
	"failed|timeout|- failed|timeout|- failed|server_error|0 failed|server_error|0 failed|server_error|0 failed|context_length|0 failed|invalid_request|0 failed|content_filter|- failed|rate_limited|0"
$L replay "$TMP/krec.jsonl" -s recorded -s "$TMP/k.json" >/dev/null 2>"$TMP/kreplay.err"
check_eq "classes: the record replays" "$?" 0
case $(cat "$TMP/kreplay.err") in *stale*) bad "classes: the replay of the record calls the price table stale" ;; *) ok ;; esac
# a timed-out call is recorded with the tokens it sent and the output it was allowed, so that the
# recorded replay bills it in full (SPEC §10, timeout's default billing): 100 input × 400000 + 16
# output × 1600000 = 40,000,000 + 25,600,000 = 65,600,000 pUSD each, two 131,200,000; with the
# content filter's input (100 × 400000 = 40,000,000): 171,200,000 pUSD = $0.0001712 (before, the
# timeouts were recorded with no output: $0.00012)
check_eq "classes: the timeouts recorded with their allowed output" \
	"$(q "$TMP/krec.jsonl" "[f(r['attempts'][0], 'input_tokens output_tokens') for r in $K[:2]]")" "100|16 100|16"
check_eq "classes: the record replays, the timeouts billed in full" "$(replayed "$TMP/krec.jsonl")" \
	'"totals":{"requests":9,"resolved":0 "usd_total":0.000171200000'
# (a timer may fire a hair early; the answer would have come at 1500 ms)
check_eq "classes: the client timeout after 500 ms" \
	"$(q "$TMP/krec.jsonl" '"in time" if 490 <= by("CLS-TMO a")["latency_ms"] < 1500 else by("CLS-TMO a")["latency_ms"]')" "in time"
check_counts "classes: summary" "$out" "9 requests: 0 answered (0 from the cache), 0 degraded, 9 failed, 0 rejected; 9 calls (0 retries, 0 fallbacks)"
check_re "classes: spent (the timeouts' worst cases)" "$out" '^live: spent \$0\.000084 of the \$1(\.0+)? cap$'
# a connection refused reaches no server: the set-up is wrong, and the run stops there (exit 1,
# as for a key refused) with the reason; no call was made, so none is counted nor recorded
# (before: each request retried as server_error, exit 0, a record of calls never made)
fake dead '[]'; stop_fake
scen dead "$ROUTES, \"retry\": {\"max_attempts\": 2, \"backoff_ms\": 1, \"timeout_ms\": 2000}"
{ req 00 acme chat 100 5 "nobody listens"; req 01 acme chat 100 5 "nobody listens either"; } > "$TMP/dead.jsonl"
run dead "$TMP/dead.jsonl" -s "$TMP/dead.json" --max-usd 1 --concurrency 1 --record "$TMP/deadrec.jsonl"
check_eq "connection refused: exit 1, no record" "$rc $(count "$TMP/deadrec.jsonl")" "1 no file"
check_has "connection refused: says why" "$err" "live: the run stopped: cannot reach $OPENAI_BASE_URL/responses: "
check_has "connection refused: no call counted" "$out" "0 calls (0 retries, 0 fallbacks)"
check_has "connection refused: the requests not sent" "$err" "; requests not sent: 2 of 2"
# once a call has reached the server, a connection refused is taken as passing (a restarting
# proxy): nothing was sent, so it is no call (not counted, billed nor recorded), and it is tried
# again after 0.5 s, 1 s and 2 s (at 0.5, 1.5 and 3.5 s) before the run stops. CONN-1's first call
# gets a 500 asking for a retry in 1.5 s; the fake is killed as that call arrives, so the retry
# finds no connection. Started again (same port) 2 s after: a try at 1.5 + 1.5 = 3 s or
# 1.5 + 3.5 = 5 s from the 500 finds it, so CONN-1 is answered by its third call, and CONN-2 by
# its first: 3 calls, 1 retry; each answer 10 in / 10 out on gpt-4.1-mini: 10 × 400000 + 10 ×
# 1600000 = 20,000,000 pUSD, two: 40,000,000 = $0.000040 (before: the run stopped, exit 1)
CONN='[{"contains": "CONN-1", "responses": [{"status": 500, "headers": {"retry-after-ms": "1500"}},
  {"usage": {"input_tokens": 10, "cached_tokens": 0, "output_tokens": 10}}]},
 {"contains": "CONN-2", "responses": [{"usage": {"input_tokens": 10, "cached_tokens": 0, "output_tokens": 10}}]}]'
{ req 00 acme chat 100 5 "CONN-1"; req 01 acme chat 100 5 "CONN-2"; } > "$TMP/conn.jsonl"
scen conn "$ROUTES, \"retry\": {\"max_attempts\": 2, \"backoff_ms\": 1, \"timeout_ms\": 2000}"
# conn_run NAME RESTART: live on conn.jsonl, the fake killed at its first request and, when
# RESTART is yes, started again 2 s later on its port, answering every call (logging to
# $TMP/NAME.log2)
conn_run() {
	fake "$1" "$CONN"
	live "$TMP/conn.jsonl" -s "$TMP/conn.json" --max-usd 1 --concurrency 1 --record "$TMP/$1.rec.jsonl" \
		> "$TMP/$1.out" 2> "$TMP/$1.err" &
	cpid=$!
	i=0; while [ "$(count "$LOG")" = 0 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	stop_fake
	if [ "$2" = yes ]; then
		sleep 2
		echo '[{"responses": [{"usage": {"input_tokens": 10, "cached_tokens": 0, "output_tokens": 10}}]}]' > "$TMP/$1.script2.json"
		port=$(cat "$TMP/$1.port")
		python3 tests/fake_openai.py "$TMP/$1.script2.json" "$TMP/$1.log2" 127.0.0.1 "$port" \
			> "$TMP/$1.port2" 2> "$TMP/$1.fake-err2" &
		FAKE_PID=$!
		# until it listens (a signal before its exec would reach this shell's traps)
		i=0; until grep -q "^$port\$" "$TMP/$1.port2" 2>/dev/null || [ $i -gt 200 ]; do sleep 0.05; i=$((i + 1)); done
	fi
	wait $cpid; rc=$?
	stop_fake
	out=$(cat "$TMP/$1.out"); err=$(cat "$TMP/$1.err")
}
conn_run connback yes
check_eq "connection back: exit 0, both answered" "$rc" 0
check_counts "connection back: the tries that reached nothing are no calls" "$out" \
	"2 requests: 2 answered (0 from the cache), 0 degraded, 0 failed, 0 rejected; 3 calls (1 retry, 0 fallbacks)"
check_re "connection back: spent" "$out" '^live: spent \$0\.000040 of the \$1 cap$'
check_eq "connection back: the record" "$(q "$TMP/connback.rec.jsonl" '[att(by("CONN-1")), att(by("CONN-2"))]')" \
	"gpt-4.1-mini:server_error,gpt-4.1-mini:ok gpt-4.1-mini:ok"
check_eq "connection back: the restarted fake got the retry and CONN-2" "$(q "$TMP/connback.log2" '[b["input"] for b in B]')" "CONN-1 CONN-2"
# never back: the run stops after the 3 more tries (3.5 s), exit 1, saying so; the one call made
# (the 500) is counted and recorded, at $0; CONN-2 is not sent
conn_run conngone no
check_eq "connection gone: exit 1" "$rc" 1
check_has "connection gone: says why, and the tries" "$err" \
	"live: the run stopped: cannot reach $OPENAI_BASE_URL/responses: "
check_has "connection gone: the tries" "$err" "(tried again 3 times over 3.5 s)"
check_has "connection gone: the requests not sent" "$err" "(tried again 3 times over 3.5 s); requests not sent: 1 of 2"
check_counts "connection gone: one call" "$out" \
	"1 request: 0 answered (0 from the cache), 0 degraded, 1 failed, 0 rejected; 1 call (0 retries, 0 fallbacks)"
check_re "connection gone: nothing spent" "$out" '^live: spent \$0\.000000 of the \$1 cap$'
check_eq "connection gone: the record" "$(q "$TMP/conngone.rec.jsonl" '[r["input"] + " " + att(r) for r in L]')" "CONN-1 gpt-4.1-mini:server_error"
# TLS that cannot be set up (here: https to a server that speaks plain http) is the same
fake tls '[]'
(OPENAI_BASE_URL="https://127.0.0.1:$(cat "$TMP/tls.port")/v1"
 "$L" live "$TMP/dead.jsonl" -s "$TMP/dead.json" --max-usd 1 --record "$TMP/tlsrec.jsonl" > "$TMP/tls.out" 2> "$TMP/tls.err")
check_eq "TLS refused: exit 1, nothing sent, no record" "$? $(count "$LOG") $(count "$TMP/tlsrec.jsonl")" "1 0 no file"
check_has "TLS refused: says why" "$(cat "$TMP/tls.err")" "live: the run stopped: cannot reach https://127.0.0.1:"
stop_fake

# an answer that is not UTF-8 (Latin-1 "caf\xe9", and its id too) is recorded as UTF-8, each byte
# that begins no valid sequence as U+FFFD, so that the record imports and the call is priced: 3
# input and 4 output tokens on gpt-4.1-mini, 3 × 400000 + 4 × 1600000 = 7,600,000 pUSD
fake latin1 '[{"responses": [{"body_latin1": "{\"id\": \"resp_\u00e9\", \"status\": \"completed\", \"output\": [{\"content\": [{\"type\": \"output_text\", \"text\": \"caf\u00e9\"}]}], \"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}}"}]}]'
req 00 acme chat 100 5 "answer in latin-1" > "$TMP/latin1.jsonl"
run latin1 "$TMP/latin1.jsonl" -s "$TMP/k.json" --max-usd 1 --record "$TMP/latin1.rec.jsonl"
check_eq "not UTF-8: exit 0, answered" "$rc $(q "$TMP/latin1.rec.jsonl" 'L[0]["live"]')" "0 answered"
check_eq "not UTF-8: the text and id with U+FFFD" "$(q "$TMP/latin1.rec.jsonl" '[L[0]["output"] == "caf\ufffd", L[0]["request_id"] == "resp_\ufffd"]')" "true true"
check_eq "not UTF-8: the record replays, the call priced" "$(replayed "$TMP/latin1.rec.jsonl")" \
	'"totals":{"requests":1,"resolved":1 "usd_total":0.000007600000'

# a 200 whose usage lacks input_tokens and output_tokens as numbers (empty; null and a string) is
# a 200 without usage: a server_error, not an answer at $0 recorded as a known bill of 0
fake nousage '[{"contains": "EMPTY", "responses": [{"body": {"id": "resp_e", "status": "completed", "output": [], "usage": {}}}]},
 {"contains": "NULL", "responses": [{"body": {"id": "resp_n", "status": "completed", "output": [], "usage": {"input_tokens": null, "output_tokens": "20"}}}]}]'
{ req 00 acme chat 100 5 "EMPTY usage"; req 01 acme chat 100 5 "NULL usage"; } > "$TMP/nousage.jsonl"
run nousage "$TMP/nousage.jsonl" -s "$TMP/k.json" --max-usd 1 --record "$TMP/nousage.rec.jsonl"
check_counts "usage without counts: failed" "$out" "2 requests: 0 answered (0 from the cache), 0 degraded, 2 failed, 0 rejected; 2 calls (0 retries, 0 fallbacks)"
check_has "usage without counts: a server_error without a usage" "$out" "live: 2 calls server_error, the first: HTTP 200 without a usage"
check_eq "usage without counts: recorded as server errors" "$(q "$TMP/nousage.rec.jsonl" '[f(r, "status live") for r in L]')" \
	"server_error|failed server_error|failed"

# a 200 whose body is not JSON (a proxy's page) is a server_error said to be so, not "without a
# usage", and so is an empty one
fake notjson '[{"contains": "HTML", "responses": [{"body": "<html><body>Bad gateway</body></html>"}]},
 {"contains": "EMPTY", "responses": [{"body": ""}]}]'
{ req 00 acme chat 100 5 "HTML body"; req 01 acme chat 100 5 "EMPTY body"; } > "$TMP/notjson.jsonl"
run notjson "$TMP/notjson.jsonl" -s "$TMP/k.json" --max-usd 1 --concurrency 1 --record "$TMP/notjson.rec.jsonl"
check_counts "not JSON: failed" "$out" "2 requests: 0 answered (0 from the cache), 0 degraded, 2 failed, 0 rejected; 2 calls (0 retries, 0 fallbacks)"
check_has "not JSON: a server_error said to be so" "$out" "live: 2 calls server_error, the first: HTTP 200 with a body that is not JSON"
check_eq "not JSON: recorded as server errors" "$(q "$TMP/notjson.rec.jsonl" '[f(r, "status live") for r in L]')" \
	"server_error|failed server_error|failed"

# an answer whose text or id echoes the key is recorded with the key masked, as a message's is
# (before: in clear in `output`)
fake echo '[{"responses": [{"body": {"id": "resp_'"$KEY"'", "status": "completed", "output": [{"content": [{"type": "output_text", "text": "your key is '"$KEY"'."}]}], "usage": {"input_tokens": 3, "output_tokens": 4}}}]}]'
req 00 acme chat 100 5 "ECHO the key" > "$TMP/echo.jsonl"
run echo "$TMP/echo.jsonl" -s "$TMP/k.json" --max-usd 1 --record "$TMP/echo.rec.jsonl"
check_eq "an answer echoing the key: answered, the key masked in output and request_id" \
	"$rc $(q "$TMP/echo.rec.jsonl" 'f(L[0], "live output request_id")')" "0 answered|your key is [the key].|resp_[the key]"
check_eq "an answer echoing the key: not in the record" "$(grep -c -- "$KEY" "$TMP/echo.rec.jsonl")" 0

# a usage is read as a trace line's counts are (SPEC §10: an integer from 0 to 4294967295, 100.0
# being 100): one past it (2^32 output, 4e12 input, 2.5 output) is a server_error that says which
# count, as a 200 without a usage is (before: counted and recorded, and `replay RECORD` rejected
# the line, leaving the costliest request out; 2.5 was recorded as 2). 100.0 / 10 on gpt-4.1-mini:
# 100 × 400000 + 10 × 1600000 = 40,000,000 + 16,000,000 = 56,000,000 pUSD = $0.000056
fake range '[{"contains": "U-OUT32", "responses": [{"usage": {"input_tokens": 3, "output_tokens": 4294967296}}]},
 {"contains": "U-IN4T", "responses": [{"usage": {"input_tokens": 4000000000000, "output_tokens": 4}}]},
 {"contains": "U-FRAC", "responses": [{"usage": {"input_tokens": 3, "output_tokens": 2.5}}]},
 {"contains": "U-100", "responses": [{"usage": {"input_tokens": 100.0, "output_tokens": 10}}]}]'
for t in U-OUT32 U-IN4T U-FRAC U-100; do req 00 acme chat 100 5 "$t"; done > "$TMP/range.jsonl"
run range "$TMP/range.jsonl" -s "$TMP/k.json" --max-usd 1 --concurrency 1 --record "$TMP/range.rec.jsonl"
check_eq "usage out of range: exit 0" "$rc" 0
check_counts "usage out of range: failed, 100.0 answered" "$out" "4 requests: 1 answered (0 from the cache), 0 degraded, 3 failed, 0 rejected; 4 calls (0 retries, 0 fallbacks)"
check_has "usage out of range: the first reason says the count" "$out" \
	"live: 3 calls server_error, the first: HTTP 200 with a usage a trace cannot hold: output_tokens is 4294967296, not an integer from 0 to 4294967295"
check_re "usage out of range: spent" "$out" '^live: spent \$0\.000056 of the \$1 cap$'
check_eq "usage out of range: recorded as server errors" "$(q "$TMP/range.rec.jsonl" '[f(r, "status live") for r in L]')" \
	"server_error|failed server_error|failed server_error|failed ok|answered"
check_eq "usage out of range: every line of the record replays" "$(replayed "$TMP/range.rec.jsonl")" \
	'"totals":{"requests":4,"resolved":1 "usd_total":0.000056000000'

# a redirect is not followed (the key would go where it leads), and the reason says it was one
fake redir '[{"responses": [{"status": 307, "headers": {"location": "http://127.0.0.1:9/v1/responses"}}]}]'
req 00 acme chat 100 5 "REDIRECTED" > "$TMP/redir.jsonl"
run redir "$TMP/redir.jsonl" -s "$TMP/k.json" --max-usd 1 --record "$TMP/redir.rec.jsonl"
check_has "a redirect: said, not followed" "$out" "live: 1 call invalid_request, the first: HTTP 307 (a redirect, not followed: OPENAI_BASE_URL should be where it leads): fake error"
check_eq "a redirect: one call" "$(count "$LOG")" 1

# --- runs that stop: exit 1 (insufficient_quota as error.code or error.type, a key refused
# with 401 or 403); nothing retried, no later request sent (concurrency 1)
scen halt "$ROUTES, $RETRY"
{ req 00 acme chat 100 5 "STOP first"; req 01 acme chat 100 5 "STOP second"; } > "$TMP/halt.jsonl"
for v in 'quota1|429|{"type": "insufficient_quota", "code": "insufficient_quota"}' \
	 'quota2|429|{"type": "requests", "code": "insufficient_quota"}' \
	 'quota3|429|{"type": "insufficient_quota", "code": null}' \
	 "key401|401|{\"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\", \"message\": \"Incorrect API key provided: $KEY (key $KEY)\"}" \
	 'key403|403|{"type": "invalid_request_error", "code": "unsupported_country_region_territory"}'; do
	n=${v%%|*}; v=${v#*|}; st=${v%%|*}; e=${v#*|}
	fake "$n" "[{\"responses\": [{\"status\": $st, \"error\": $e}]}]"
	run "$n" "$TMP/halt.jsonl" -s "$TMP/halt.json" --max-usd 1 --concurrency 1 --record "$TMP/$n.rec.jsonl"
	check_eq "$n: exit 1" "$rc" 1
	check_eq "$n: one call" "$(count "$LOG")" 1
	case $n in key*) check_has "$n: the HTTP code said" "$err" "$st" ;; esac
	# (the 401's own message names a key; the 403's does not: llmcost must say it)
	case $n in key403) check_has "$n: the key refused, said" "$err" "key" ;; esac
	# the requests the stop left out, as the cap and Ctrl-C say them (before: not said)
	check_has "$n: the requests not sent" "$err" "; requests not sent: 1 of 2"
done

# --- fallback: chain small → large; max_attempts 2; faq_answer degrades. Concurrency 1.
#   1 faq FB-OK: mini 500, 500, gpt-4.1 ok: 3 calls, 1 retry, 1 fallback; 100 / 0 / 20 on
#     gpt-4.1: 200,000,000 + 160,000,000 = 360,000,000 pUSD = $0.000360, all the spend
#   2 faq FB-BAD: mini ×2, gpt-4.1 ×2, all 502: degraded (4 calls, 2 retries, 1 fallback)
#   3 chat FB-BAD: the same, failed
#   4-6 chat, 400 invalid_request / context_length / content_filter: not retried, no
#     fallback: failed, 1 call each
#   14 calls, 5 retries, 3 fallbacks
fake f '[{"model": "gpt-4.1-mini", "contains": "FB-OK", "responses": [{"status": 500}]},
 {"model": "gpt-4.1", "contains": "FB-OK", "responses": [{"usage": {"input_tokens": 100, "cached_tokens": 0, "output_tokens": 20}}]},
 {"contains": "FB-BAD", "responses": [{"status": 502}]},
 {"contains": "FB-400", "responses": [{"status": 400, "error": {"type": "invalid_request_error", "code": "invalid_value"}}]},
 {"contains": "FB-CTX", "responses": [{"status": 400, "error": {"type": "invalid_request_error", "code": "context_length_exceeded"}}]},
 {"contains": "FB-CF", "responses": [{"status": 400, "error": {"type": "invalid_request_error", "code": "content_filter"}}]}]'
{
	req 00 acme faq_answer 100 20 "FB-OK one"
	req 01 acme faq_answer 100 20 "FB-BAD two"
	req 02 acme chat 100 20 "FB-BAD three"
	req 03 acme chat 100 20 "FB-400 four"
	req 04 acme chat 100 20 "FB-CTX five"
	req 05 acme chat 100 20 "FB-CF six"
} > "$TMP/f.jsonl"
scen f "$ROUTES, \"retry\": {\"max_attempts\": 2, \"backoff_ms\": 1, \"timeout_ms\": 5000},
  \"fallback\": {\"chain\": [\"small\", \"large\"], \"on\": [\"timeout\", \"rate_limited\", \"server_error\"], \"degrade_tasks\": [\"faq_answer\"]}"
run f "$TMP/f.jsonl" -s "$TMP/f.json" --max-usd 1 --concurrency 1 --record "$TMP/frec.jsonl"
check_eq "fallback: exit 0" "$rc" 0
check_eq "fallback: calls" "$(count "$LOG")" 14
check_counts "fallback: summary" "$out" "6 requests: 1 answered (0 from the cache), 1 degraded, 4 failed, 0 rejected; 14 calls (5 retries, 3 fallbacks)"
check_re "fallback: spent" "$out" '^live: spent \$0\.000360 of the \$1(\.0+)? cap$'
check_eq "fallback: record" "$(q "$TMP/frec.jsonl" '[f(r, "live cost_usd") for r in L]')" \
	"answered|0.00036 degraded|0 failed|0 failed|0 failed|0 failed|-"
check_eq "fallback: record 1" "$(q "$TMP/frec.jsonl" 'f(L[0], "model status output_tokens") + " " + att(L[0])')" \
	"gpt-4.1-mini|server_error|20 gpt-4.1-mini:server_error,gpt-4.1-mini:server_error,gpt-4.1:ok"
check_eq "fallback: record 2" "$(q "$TMP/frec.jsonl" 'f(L[1], "input_tokens output_tokens") + " " + att(L[1])')" \
	"100|20 gpt-4.1-mini:server_error,gpt-4.1-mini:server_error,gpt-4.1:server_error,gpt-4.1:server_error"
check_eq "fallback: records 4-6" "$(q "$TMP/frec.jsonl" '[att(r) for r in L[3:]]')" \
	"gpt-4.1-mini:invalid_request gpt-4.1-mini:context_length gpt-4.1-mini:content_filter"
# its recorded replay counts the requests as the run did: the degraded one (its line says "live":
# "degraded", which `-s recorded` reads) is degraded, not failed (before: 1 resolved, 0 degraded,
# 5 failed); the same from the store the first replay imported it into
for k in import store; do
	check_eq "fallback: the recorded replay's counts ($k)" "$($L replay "$TMP/frec.jsonl" -s recorded --json 2>/dev/null |
		python3 -c 'import json, sys; t = json.load(sys.stdin)["scenarios"][0]["totals"]; print(*(t[k] for k in ("requests", "resolved", "degraded", "failed", "calls", "fallbacks")))')" \
		"6 1 1 4 14 3"
done

# --- the spend cap, concurrency 1: five requests of 8 bytes, recorded output 100, each
# answering 10 / 0 / 10 on gpt-4.1-mini.
#   worst case of a call = (8 + 32) × 400000 + 100 × 1600000 = 16,000,000 + 160,000,000
#     = 176,000,000 pUSD
#   spent per call = 10 × 400000 + 10 × 1600000 = 20,000,000
#   call k is sent iff 20,000,000 × (k − 1) + 176,000,000 ≤ cap
#   cap $0.000216 = 216,000,000: k = 3 fits exactly (216,000,000), k = 4 (236,000,000) does not
#   cap $0.000255999999: k = 5 needs 256,000,000: 4 calls
#   cap $0.000256: all 5; spent 100,000,000 = $0.000100
fake cap '[{"contains": "CAP-", "responses": [{"usage": {"input_tokens": 10, "cached_tokens": 0, "output_tokens": 10}}]}]'
for i in 1 2 3 4 5; do req 0$i acme chat 10 100 "CAP-$i ab"; done > "$TMP/cap.jsonl"
scen cap "$ROUTES, $RETRY"
run cap3 "$TMP/cap.jsonl" -s "$TMP/cap.json" --max-usd 0.000216 --concurrency 1 --record "$TMP/cap3.rec.jsonl"
check_eq "cap: exit 4" "$rc" 4
check_has "cap: said on stderr" "$err" "cap"
check_has "cap: the requests not sent, 5 − 3" "$err" "requests not sent: 2 of 5"
# refused at the 4th call: 3 × 20,000,000 spent, none in flight, 176,000,000 more > 216,000,000
check_has "cap: the books when it refused" "$err" \
	"a call whose worst case is \$0.000176 would take the spend past \$0.000216 (\$0.000060 spent and \$0.000000 in flight then)"
check_eq "cap: three calls" "$(q "$LOG" '[b["input"] for b in B]')" "CAP-1 ab CAP-2 ab CAP-3 ab"
check_eq "cap: the record holds the started requests" "$(q "$TMP/cap3.rec.jsonl" '[r["input"] for r in L]')" "CAP-1 ab CAP-2 ab CAP-3 ab"
check_counts "cap: summary" "$out" "3 requests: 3 answered (0 from the cache), 0 degraded, 0 failed, 0 rejected; 3 calls (0 retries, 0 fallbacks)"
check_re "cap: spent" "$out" '^live: spent \$0\.000060 of the \$0\.000216(0*) cap$'
# with three at once, the calls in flight count too: spent + in flight + the refused worst case
# is over the cap, whichever call was refused
: > "$LOG"
run cap3c "$TMP/cap.jsonl" -s "$TMP/cap.json" --max-usd 0.000216 --concurrency 3 --record "$TMP/cap3c.rec.jsonl"
check_eq "cap, three at once: exit 4" "$rc" 4
check_eq "cap, three at once: the books add up past the cap" "$(printf '%s\n' "$err" | python3 -c '
import re, sys
from decimal import Decimal
m = re.search(r"worst case is \$([0-9.]+) would take the spend past \$([0-9.]+) \(\$([0-9.]+) spent and \$([0-9.]+) in flight then\)", sys.stdin.read())
w, cap, spent, flight = (Decimal(x) for x in m.groups())
print(spent + flight + w > cap)')" "True"
: > "$LOG"
run cap4 "$TMP/cap.jsonl" -s "$TMP/cap.json" --max-usd 0.000255999999 --concurrency 1 --record "$TMP/cap4.rec.jsonl"
check_eq "cap a pico-USD short: exit 4, four calls" "$rc $(count "$LOG") $(count "$TMP/cap4.rec.jsonl")" "4 4 4"
: > "$LOG"
run cap5 "$TMP/cap.jsonl" -s "$TMP/cap.json" --max-usd 0.000256 --concurrency 1 --record "$TMP/cap5.rec.jsonl"
check_eq "cap that fits all: exit 0, five calls" "$rc $(count "$LOG") $(count "$TMP/cap5.rec.jsonl")" "0 5 5"
check_re "cap that fits all: spent" "$out" '^live: spent \$0\.000100 of the \$0\.000256(0*) cap$'
# a cap below the first call's worst case (176,000,000 > 175,000,000): no call is made, so no
# record is left and the summary says so instead of a replay of it; the same command again is
# stopped by the cap again (before, an empty record stayed, and the second run failed on it)
: > "$LOG"
run cap0 "$TMP/cap.jsonl" -s "$TMP/cap.json" --max-usd 0.000175 --concurrency 1 --record "$TMP/cap0.rec.jsonl"
check_eq "cap before any call: exit 4, no call" "$rc $(count "$LOG")" "4 0"
check "cap before any call: no record left" test ! -e "$TMP/cap0.rec.jsonl"
check_has "cap before any call: the summary says nothing was recorded" "$out" \
	"live: nothing recorded: no request made a call, so no record file is left"
case $out in *"recorded in"*) bad "cap before any call: a replay of a record that is not there" ;; *) ok ;; esac
run cap0b "$TMP/cap.jsonl" -s "$TMP/cap.json" --max-usd 0.000175 --concurrency 1 --record "$TMP/cap0.rec.jsonl"
check_eq "cap before any call, the same command again: exit 4, no record" "$rc $(count "$TMP/cap0.rec.jsonl")" "4 no file"
# a run that ends with no call (each request rejected by its budget) leaves no record either,
# under the default name too: the folder stays empty
scen cap-reject "$ROUTES, $RETRY, \"budget\": {\"chat\": {\"input_max\": 5, \"overflow\": \"reject\"}}"
mkdir "$TMP/cwd0"
(cd "$TMP/cwd0" && run rej0 "$TMP/cap.jsonl" -s "$TMP/cap-reject.json" --max-usd 1; exit $rc)
check_eq "every request rejected: exit 0, no call, no record" "$? $(count "$LOG") $(ls "$TMP/cwd0")" "0 0 "
check_has "every request rejected: nothing recorded" "$(cat "$TMP/rej0.out")" "live: nothing recorded"
# a request in progress sends its later calls only if they fit: a summary fits, its main
# call does not → "capped", exit 4. Summary worst: (10 bytes + 87 of instructions + 32)
# = 129 × 400000 + 46 × 1600000 = 51,600,000 + 73,600,000 = 125,200,000 ≤ 200,000,000;
# it answers 20 / 0 / 10: 8,000,000 + 16,000,000 = 24,000,000 spent (= the record's cost);
# main worst on gpt-4.1: (8 + 32) × 2000000 + 40 × 8000000 = 400,000,000:
# 24,000,000 + 400,000,000 > 200,000,000
fake capsum '[{"contains": "CAPSUM-DOC", "responses": [{"text": "SUMMARY!", "usage": {"input_tokens": 20, "cached_tokens": 0, "output_tokens": 10}}]}]'
req 00 acme faq_answer 451 80 "CAPSUM-DOC" > "$TMP/capsum.jsonl"
run capsum "$TMP/capsum.jsonl" -s "$TMP/s.json" --max-usd 0.0002 --record "$TMP/capsum.rec.jsonl"
check_eq "capped: exit 4, one call" "$rc $(count "$LOG")" "4 1"
check_eq "capped: record" "$(q "$TMP/capsum.rec.jsonl" 'f(L[0], "live cost_usd") + " " + att(L[0])')" "capped|0.000024 gpt-4.1-mini:ok"
check_re "capped: spent" "$out" '^live: spent \$0\.000024 of the \$0\.0002(0*) cap$'
check_counts "capped: counted as failed, and said to be cut short by the cap" "$out" "1 request: 0 answered (0 from the cache), 0 degraded, 1 failed (1 cut short by the cap, 0 by the stop), 0 rejected; 1 call (0 retries, 0 fallbacks)"
# dry runs: every call costs its worst case, 176,000,000: $0.000528 fits 3 → exit 4; five need
# 880,000,000 = $0.00088 → exit 0. Nothing sent, no key, no record.
: > "$LOG"
(cd "$TMP/dry" && run_nokey capdry1 "$TMP/cap.jsonl" -s "$TMP/cap.json" --max-usd 0.000528 --dry-run; exit $rc)
check_eq "dry run stopped by the cap: exit 4" "$?" 4
(cd "$TMP/dry" && run_nokey capdry2 "$TMP/cap.jsonl" -s "$TMP/cap.json" --max-usd 0.00088 --dry-run; exit $rc)
check_eq "dry run within the cap: exit 0" "$?" 0
(cd "$TMP/dry" && run_nokey capdry3 "$TMP/cap.jsonl" -s "$TMP/cap.json" --max-usd .00088 --dry-run; exit $rc)
check_eq "--max-usd .00088 is 0.00088" "$? $(cat "$TMP/capdry3.out")" "0 $(cat "$TMP/capdry2.out")"
check_re "dry run within the cap: the line" "$(cat "$TMP/capdry2.out")" \
	'^live: dry run: 5 requests would send 5 calls; worst case \$0\.00088(0*) of the \$0\.00088(0*) cap$'
# a worst case short of a whole micro-dollar is shown rounded up (a bound is never shown below
# itself): "ten bytes!" (10 bytes), chat without output_max, recorded 5 → 16: (10 + 32) × 400000
# + 16 × 1600000 = 16,800,000 + 25,600,000 = 42,400,000 pUSD = $0.0000424 → $0.000043
req 00 acme chat 10 5 "ten bytes!" > "$TMP/round.jsonl"
(cd "$TMP/dry" && run_nokey round "$TMP/round.jsonl" -s "$TMP/cap.json" --max-usd 1 --dry-run; exit $rc)
check_re "dry run: a worst case rounded up" "$(cat "$TMP/round.out")" \
	'^live: dry run: 1 request would send 1 call; worst case \$0\.000043 of the \$1(\.0+)? cap$'
# the cap is shown as given, exactly (before: rounded up to $0.000043, the same as the worst case
# it refused): a cap of $0.0000423 refuses the $0.0000424 worst case above
(cd "$TMP/dry" && run_nokey roundcap "$TMP/round.jsonl" -s "$TMP/cap.json" --max-usd 0.0000423 --dry-run; exit $rc)
check_eq "the cap as given: exit 4" "$?" 4
check_has "the cap as given: the stop" "$(cat "$TMP/roundcap.err")" "would take the worst case past \$0.0000423 ("
check_re "the cap as given: the summary" "$(cat "$TMP/roundcap.out")" 'of the \$0\.0000423 cap$'
check_eq "dry runs: nothing sent, no record" "$(count "$LOG") $(ls "$TMP/dry")" "0 "

# an answer whose usage is past what the call allowed (100000 output tokens when it asked for at
# most 16) breaks the bound the cap relies on: said in a warning naming the request. Worst case
# of "OVER the top" (12 bytes): 44 × 400000 + 16 × 1600000 = 17,600,000 + 25,600,000 = 43,200,000
# pUSD, shown rounded up as $0.000044; the answer, 10 in / 100000 out: 4,000,000 +
# 160,000,000,000 = 160,004,000,000 pUSD = $0.160004, past the $0.001 cap
fake over '[{"responses": [{"usage": {"input_tokens": 10, "cached_tokens": 0, "output_tokens": 100000}}]}]'
req 00 acme chat 100 5 "OVER the top" > "$TMP/over.jsonl"
scen over "$ROUTES"
run over "$TMP/over.jsonl" -s "$TMP/over.json" --max-usd 0.001 --record "$TMP/over.rec.jsonl"
check_has "usage past the worst case: a warning" "$err" "live: warning: 1 answer cost more than its worst case, so the cap could not hold: the API reported more tokens than the call allowed; the first, at the request of 2026-03-02T10:00:00Z (tenant acme, task chat), cost \$0.160004 for a worst case of \$0.000044"
stop_fake

# an amount beside a cap of more than six decimals is rounded up on the cap's last decimal, not
# to the micro-dollar, so that a spend within the cap never reads above it (before: "spent
# $0.000042 of the $0.0000416 cap", and "$0.000042 spent" in the stop). Concurrency 1, two
# requests of 7 bytes on gpt-4.1-mini, recorded output 16: worst case (7 + 32) × 400000 + 16 ×
# 1600000 = 15,600,000 + 25,600,000 = 41,200,000 pUSD ≤ the cap $0.0000416 = 41,600,000. The
# first answers 39 / 0 / 16: 15,600,000 + 25,600,000 = 41,200,000 = $0.0000412 spent (to the
# micro-dollar, rounded up: $0.000042, above the cap); the second's worst case would take it to
# 82,400,000 > 41,600,000: refused, exit 4
fake rnd '[{"contains": "RND-", "responses": [{"usage": {"input_tokens": 39, "cached_tokens": 0, "output_tokens": 16}}]}]'
{ req 00 acme chat 10 16 "RND-1ab"; req 01 acme chat 10 16 "RND-2ab"; } > "$TMP/rnd.jsonl"
run rnd "$TMP/rnd.jsonl" -s "$TMP/cap.json" --max-usd 0.0000416 --concurrency 1 --record "$TMP/rnd.rec.jsonl"
check_eq "spend beside the cap: exit 4, one call" "$rc $(count "$LOG")" "4 1"
check_re "spend beside the cap: the summary" "$out" '^live: spent \$0\.0000412 of the \$0\.0000416 cap$'
check_has "spend beside the cap: the stop" "$err" \
	"a call whose worst case is \$0.0000412 would take the spend past \$0.0000416 (\$0.0000412 spent and \$0.000000 in flight then)"
check_eq "spend beside the cap: the record's cost" "$(q "$TMP/rnd.rec.jsonl" 'f(L[0], "live cost_usd")')" "answered|0.0000412"
# and the progress line, on a terminal: "RNDT-ab" (7 bytes, the same worst case) times out after
# 1 s, counted at its worst case, $0.0000412; the retry waits 2 s (shown, as a wait is, from a
# second in), then does not fit (82,400,000): capped, exit 4
fake rndt '[{"contains": "RNDT-", "responses": [{"delay_ms": 3000}]}]'
req 00 acme chat 10 16 "RNDT-ab" > "$TMP/rndt.jsonl"
scen rndt "$ROUTES, \"retry\": {\"max_attempts\": 2, \"backoff_ms\": 2000, \"timeout_ms\": 1000}"
loopback_only
python3 - "$L" "$TMP" <<'EOF2' > "$TMP/rndt.pty"
import os, pty, subprocess, sys
L, tmp = sys.argv[1], sys.argv[2]
master, slave = pty.openpty()
p = subprocess.Popen([L, "live", tmp + "/rndt.jsonl", "-s", tmp + "/rndt.json", "--max-usd", "0.0000416",
                      "--record", tmp + "/rndt.rec.jsonl"], stdin=subprocess.DEVNULL,
                     stdout=open(tmp + "/rndt.out", "w"), stderr=slave)
os.close(slave)
got = b""
while True:
    try:
        b = os.read(master, 4096)
    except OSError:
        break
    if not b:
        break
    got += b
sys.stdout.write("EXITED %d\n" % p.wait())
sys.stdout.write(got.decode("utf-8", "replace"))
EOF2
check_has "spend beside the cap, on a terminal: exit 4" "$(head -n 1 "$TMP/rndt.pty")" "EXITED 4"
check_has "spend beside the cap, on a terminal: the progress line" "$(cat "$TMP/rndt.pty")" \
	"live: 0 of 1 requests done, 1 in flight, \$0.0000412 spent"
case $(cat "$TMP/rndt.pty") in *'$0.000042 spent'*) bad "spend beside the cap, on a terminal: read above the cap" ;; *) ok ;; esac
check_re "spend beside the cap, on a terminal: the summary" "$(cat "$TMP/rndt.out")" '^live: spent \$0\.0000412 of the \$0\.0000416 cap$'
stop_fake

# --- --sample N: of the n = 10 requests with text, positions floor(k × 10 / N); two requests
# without text are skipped and counted. N = 4: 0, 2, 5, 7 (10/4 = 2.5, 5, 7.5); N = 20 ≥ n: all.
fake sample '[]'
{
	req 00 acme chat 10 10 S0
	printf '{"ts":"2026-03-02T10:00:00Z","tenant":"acme","task":"chat","input_tokens":10,"output_tokens":10}\n'
	req 01 acme chat 10 10 S1
	req 02 acme chat 10 10 S2
	printf '{"ts":"2026-03-02T10:00:02Z","tenant":"acme","task":"chat","input_tokens":10,"output_tokens":10}\n'
	for i in 3 4 5 6 7 8 9; do req 0$i acme chat 10 10 S$i; done
} > "$TMP/sample.jsonl"
scen sample "$ROUTES, $RETRY"
run sample4 "$TMP/sample.jsonl" -s "$TMP/sample.json" --max-usd 1 --sample 4 --concurrency 1 --record "$TMP/sample4.rec.jsonl"
check_eq "--sample 4: exit 0" "$rc" 0
check_eq "--sample 4: sent" "$(q "$LOG" '[b["input"] for b in B]')" "S0 S2 S5 S7"
check_eq "--sample 4: recorded" "$(q "$TMP/sample4.rec.jsonl" '[r["input"] for r in L]')" "S0 S2 S5 S7"
check_has "--sample 4: the skipped counted" "$out$err" "2 requests without input text skipped"
: > "$LOG"
run sample20 "$TMP/sample.jsonl" -s "$TMP/sample.json" --max-usd 1 --sample 20 --concurrency 1 --record "$TMP/sample20.rec.jsonl"
check_eq "--sample 20: all ten" "$(q "$LOG" '[b["input"] for b in B]')" "S0 S1 S2 S3 S4 S5 S6 S7 S8 S9"
# said so (before: no word); and --help says the spread is over the requests with text
check_has "--sample 20: more than there are, said" "$(cat "$TMP/sample20.err")" \
	"llmcost: live: --sample 20 is more than the 10 requests with input text: all are taken"
case $(cat "$TMP/sample4.err") in *"is more than"*) bad "--sample 4: said to be more than there are" ;; *) ok ;; esac
check_has "--help: --sample spread over the requests with text" "$($L live --help | tr -s ' \n' ' ')" \
	"--sample N send N requests, evenly spread over those with input text (default all)"
# requests go in arrival order, whatever the file's order (ties in file order), and --sample
# counts positions in that order: of T0 T1a T1b T2 T3 (arrival order), N = 2 takes 0 and
# floor(5/2) = 2: T0, T1b
{ req 03 acme chat 10 10 T3; req 01 acme chat 10 10 T1a; req 02 acme chat 10 10 T2
  req 00 acme chat 10 10 T0; req 01 acme chat 10 10 T1b; } > "$TMP/order.jsonl"
: > "$LOG"
run order "$TMP/order.jsonl" -s "$TMP/sample.json" --max-usd 1 --concurrency 1 --record "$TMP/order.rec.jsonl"
check_eq "arrival order: sent" "$(q "$LOG" '[b["input"] for b in B]')" "T0 T1a T1b T2 T3"
: > "$LOG"
run order2 "$TMP/order.jsonl" -s "$TMP/sample.json" --max-usd 1 --sample 2 --concurrency 1 --record "$TMP/order2.rec.jsonl"
check_eq "arrival order: --sample 2" "$(q "$LOG" '[b["input"] for b in B]')" "T0 T1b"

# --- --concurrency: four requests of 300 ms (the first 600 ms), at most C at once at the
# server; the record in the order they ended (CC-2 first: CC-1 answers after it), never
# rewritten, so that `llmcost watch RECORD` following it reads each request once (before, the
# record was rewritten in trace order at the end and renamed over itself, which watch took for a
# rotation: it read the 4 lines again, 8 requests)
fake conc '[{"contains": "CC-1", "responses": [{"delay_ms": 600}]}, {"contains": "CC-", "responses": [{"delay_ms": 300}]}]'
for i in 1 2 3 4; do req 0$i acme chat 10 10 "CC-$i"; done > "$TMP/conc.jsonl"
scen conc "$ROUTES, $RETRY"
run conc2 "$TMP/conc.jsonl" -s "$TMP/conc.json" --max-usd 1 --concurrency 2 --record "$TMP/conc2.rec.jsonl"
check_eq "--concurrency 2: exit 0" "$rc" 0
check_eq "--concurrency 2: two at once" "$(q "$LOG" 'max(x["inflight"] for x in L)')" 2
check_eq "--concurrency 2: record in the order they ended" \
	"$(q "$TMP/conc2.rec.jsonl" '[L[0]["input"]] + sorted(r["input"] for r in L)')" "CC-2 CC-1 CC-2 CC-3 CC-4"
# watch following the record from its first line: 4 requests read, once each
: > "$LOG"
live "$TMP/conc.jsonl" -s "$TMP/conc.json" --max-usd 1 --concurrency 2 --record "$TMP/concw.rec.jsonl" \
	> "$TMP/concw.out" 2> "$TMP/concw.err" &
lpid=$!
eventually test -e "$TMP/concw.rec.jsonl"
$INT_DFL $L watch "$TMP/concw.rec.jsonl" </dev/null > "$TMP/concw.watch" 2>&1 &
wpid=$!
wait $lpid; check_eq "watched: the run exits 0" "$?" 0
# stopped once it has its SIGTERM handler and has read the whole record (tests/lib.sh), not
# after a fixed time
eventually caught $wpid 15
eventually read_to $wpid "$TMP/concw.rec.jsonl" "$(size "$TMP/concw.rec.jsonl")"
kill -TERM $wpid; wait $wpid
check_has "watch following a live record: each request once" "$(head -n 1 "$TMP/concw.watch")" "stopped: 4 requests (0 rejected)"
: > "$LOG"
run conc1 "$TMP/conc.jsonl" -s "$TMP/conc.json" --max-usd 1 --concurrency 1 --record "$TMP/conc1.rec.jsonl"
check_eq "--concurrency 1: one at a time, in trace order" "$(q "$LOG" '[max(x["inflight"] for x in L)] + [b["input"] for b in B]')" "1 CC-1 CC-2 CC-3 CC-4"
# without --concurrency, 4 at once: five requests of 500 ms, the fifth waits for a worker
fake conc4 '[{"contains": "CD-", "responses": [{"delay_ms": 500}]}]'
for i in 1 2 3 4 5; do req 0$i acme chat 10 10 "CD-$i"; done > "$TMP/conc4.jsonl"
run conc4 "$TMP/conc4.jsonl" -s "$TMP/conc.json" --max-usd 1 --record "$TMP/conc4.rec.jsonl"
check_eq "default concurrency: 4 at once" "$rc $(q "$LOG" 'max(x["inflight"] for x in L)')" "0 4"
stop_fake

# --- the progress line, on a terminal only: shown while a call is in flight (before, only when a
# request ended), from a second in, at most four times a second. One request answering after
# 2.5 s, stderr on a pseudo-terminal: lines at 1 s, then every 0.25 s at the most until 2.5 s: 2
# to 7 of them (8 for a slow machine's last one), each saying the one request in flight
fake tick '[{"responses": [{"delay_ms": 2500}]}]'
req 00 acme chat 10 10 "TICK" > "$TMP/tick.jsonl"
loopback_only
python3 - "$L" "$TMP" <<'EOF2' > "$TMP/tick.pty"
import os, pty, subprocess, sys
L, tmp = sys.argv[1], sys.argv[2]
master, slave = pty.openpty()
p = subprocess.Popen([L, "live", tmp + "/tick.jsonl", "-s", tmp + "/conc.json", "--max-usd", "1",
                      "--record", tmp + "/tick.rec.jsonl"], stdin=subprocess.DEVNULL,
                     stdout=open(tmp + "/tick.out", "w"), stderr=slave)
os.close(slave)
got = b""
while True:
    try:
        b = os.read(master, 4096)
    except OSError:
        break
    if not b:
        break
    got += b
p.wait()
sys.stdout.write(got.decode("utf-8", "replace"))
EOF2
n=$(grep -o 'live: 0 of 1 requests done, 1 in flight, \$0\.000000 spent' "$TMP/tick.pty" | wc -l | tr -d ' ')
check_eq "progress: shown while the call is in flight, 2 to 8 times" "$(if [ "$n" -ge 2 ] && [ "$n" -le 8 ]; then echo yes; else echo "$n"; fi)" yes
check_eq "progress: one request answered" "$(head -n 1 "$TMP/tick.out")" \
	"live: 1 request: 1 answered (0 from the cache), 0 degraded, 0 failed, 0 rejected; 1 call (0 retries, 0 fallbacks)"
# off a terminal, no progress line
run tick2 "$TMP/tick.jsonl" -s "$TMP/conc.json" --max-usd 1 --record "$TMP/tick2.rec.jsonl"
case $err in *"requests done"*) bad "progress: a line off a terminal" ;; *) ok ;; esac

# --- the progress line is never wider than the terminal (but its last column), its parts left
# out whole, the spend kept before the requests in flight: a wider line wraps, and its rewrite
# (\r goes back to the start of the last row only) left a copy of it a row up every time, 30 in
# 5 s in a 40-column pane. Two requests of 4 s at once, in panes of 40 and 30 columns: at 40,
# "live: 0 of 2 requests done, 2 in flight" (26 + 13 = 39 columns; the spend, 17 more, does not
# fit), at 30 the first 26 alone; once the run is over the scrollback holds no copy of the line
if command -v tmux >/dev/null 2>&1; then
	unset TMUX
	SOCK="llmcost-cli_live-$$"
	trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"; stop_fake; rm -rf "$TMP"' EXIT
	fake narrow '[{"responses": [{"delay_ms": 4000}]}]'
	loopback_only
	{ req 00 acme chat 10 10 "N-1"; req 01 acme chat 10 10 "N-2"; } > "$TMP/narrow.jsonl"
	for x in 40 30; do
		T new-session -d -s "n$x" -x "$x" -y 10 "cd '$TMP' && LLMCOST_DB='$TMP/n$x.db' OPENAI_API_KEY='$KEY' \
			OPENAI_BASE_URL='$OPENAI_BASE_URL' '$L' live narrow.jsonl -s conc.json --max-usd 1 \
			--record n$x.rec.jsonl; echo EXITED \$?; sleep 60"
	done
	# the row the line is on, and the one under it (empty: the line did not wrap)
	line_rows() { screen "$1" | grep -A1 'requests done' | head -n 2 | sed 's/ *$//' | tr '\n' '|'; }
	wait_for n40 "requests done"
	check_eq "progress at 40 columns: 39 of them, the spend left out" "$(line_rows n40)" "live: 0 of 2 requests done, 2 in flight||"
	wait_for n30 "requests done"
	check_eq "progress at 30 columns: the count alone" "$(line_rows n30)" "live: 0 of 2 requests done||"
	for x in 40 30; do
		wait_for "n$x" "EXITED"
		check_has "progress at $x columns: the run ends" "$(screen "n$x")" "EXITED 0"
		check_eq "progress at $x columns: no copy of the line left in the scrollback" \
			"$(T capture-pane -p -t "n$x" -S - | grep -c 'requests done')" 0
	done
	T kill-server 2>/dev/null
fi
stop_fake

# --- whatever stops the run, the record holds the calls made so far: K-2 answers after 3 s;
# stopped while it is in flight, K-1's line is on disk already (by SIGKILL, which nothing can
# catch), or (Ctrl-C) K-2's too, as no call starts after it and the one in flight is waited for.
# The signal goes once the fake has K-2 (or, two at once, once K-3's line is in the record),
# not after a fixed time, which a busy machine may not have reached
fake sigs '[{"contains": "K-2", "responses": [{"delay_ms": 3000}]}]'
for i in 1 2 3; do req 0$i acme chat 10 10 "K-$i"; done > "$TMP/sigs.jsonl"
scen sigs "$ROUTES, $RETRY"
# sent TEXT: the fake has the request of input TEXT (in flight or answered); recorded FILE TEXT:
# the record FILE has its line; stopping FILE: the run's stderr in FILE says it stops (its first
# Ctrl-C taken, a second one now quits)
sent() { grep -q "\"$1\"" "$LOG"; }
recorded() { grep -q "\"$2\"" "$1" 2>/dev/null; }
stopping() { grep -q '^llmcost: live: stopping: ' "$1"; }
# live_bg NAME ARGS...: live ARGS in the background, SIGINT at its default action as on a
# terminal ($INT_DFL), stdout in $TMP/NAME.out and stderr in $TMP/NAME.err, its pid in $pid;
# signal_when SIG COMMAND...: once COMMAND holds (eventually: 20 s at most), SIG to it, then its
# exit status in $rc, its stdout in $out and its stderr in $err
live_bg() {
	bg_name=$1; shift
	loopback_only
	$INT_DFL "$L" live "$@" > "$TMP/$bg_name.out" 2> "$TMP/$bg_name.err" &
	pid=$!
}
signal_when() {
	sw_sig=$1; shift
	eventually "$@" || echo "cli_live: $bg_name: not reached in 20 s: $*" >&2
	kill -s "$sw_sig" $pid
	wait $pid 2>/dev/null; rc=$? # (not the shell's "Killed" of a SIGKILL)
	out=$(cat "$TMP/$bg_name.out"); err=$(cat "$TMP/$bg_name.err")
}
# one at a time: the fake has K-2 only once K-1 ended, and its line was written before K-2 began
live_bg kill "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 --concurrency 1 --record "$TMP/kill.rec.jsonl"
signal_when KILL sent K-2
check_eq "SIGKILL: killed" "$rc" 137
check_eq "SIGKILL: the record holds the answer before it" "$(q "$TMP/kill.rec.jsonl" '[r["input"] for r in L]')" "K-1"
# two at once: K-2 (3 s) holds back nothing: K-1 and K-3, ended before the kill, are on disk, in
# the order they ended (a record that held K-3 back until K-2 ended would show K-2 too)
: > "$LOG"
live_bg kill2 "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 --concurrency 2 --record "$TMP/kill2.rec.jsonl"
signal_when KILL recorded "$TMP/kill2.rec.jsonl" K-3
check_eq "SIGKILL with two at once: killed" "$rc" 137
check_eq "SIGKILL with two at once: every ended request recorded" "$(q "$TMP/kill2.rec.jsonl" 'sorted(r["input"] for r in L)')" "K-1 K-3"
check_eq "SIGKILL: no partial rewrite left" "$(ls -A "$TMP" | grep -c '^\.kill2\.rec\.jsonl\.')" 0
: > "$LOG"
live_bg int "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 --concurrency 1 --record "$TMP/int.rec.jsonl"
signal_when INT sent K-2
check_eq "Ctrl-C: exit 130" "$rc" 130
check_has "Ctrl-C: says so, and how many requests were not sent (K-3 of the three)" "$err" \
	"live: interrupted; no call was started after it, and the record holds every call made; requests not sent: 1 of 3"
check_eq "Ctrl-C: K-3 never sent" "$(q "$LOG" '[b["input"] for b in B]')" "K-1 K-2"
check_eq "Ctrl-C: the record holds both calls" "$(q "$TMP/int.rec.jsonl" '[r["input"] for r in L]')" "K-1 K-2"
: > "$LOG"
live_bg term "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 --concurrency 1 --record "$TMP/term.rec.jsonl"
signal_when TERM sent K-2
check_eq "SIGTERM: exit 143" "$rc" 143
check_has "SIGTERM: says terminated, as import and gen do" "$err" "live: terminated; no call was started after it"
# its note names the signal it got (before: "Ctrl-C again to quit at once")
check_has "SIGTERM: the note names it" "$err" \
	"live: stopping: no call starts now; waiting for the calls in flight to end (SIGTERM again, or Ctrl-C, to quit at once)"
check_eq "SIGTERM: K-3 never sent" "$(q "$LOG" '[b["input"] for b in B]')" "K-1 K-2"
check_eq "SIGTERM: the record holds both calls" "$(q "$TMP/term.rec.jsonl" '[r["input"] for r in L]')" "K-1 K-2"
# a Ctrl-C inherited as ignored (a job a script starts with &) stays ignored: the run goes on to
# its end, the three requests sent; before, its handler was installed all the same (130)
: > "$LOG"
loopback_only
(trap '' INT; exec "$L" live "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 --concurrency 1 \
	--record "$TMP/ignint.rec.jsonl") > "$TMP/ignint.out" 2> "$TMP/ignint.err" &
pid=$!
eventually sent K-2 # the run under way, K-2 in flight (3 s): not before it runs, nor after its end
kill -INT $pid
wait $pid; rc=$?
check_eq "SIGINT ignored: the run goes on, exit 0" "$rc" 0
check_eq "SIGINT ignored: all three sent" "$(q "$LOG" '[b["input"] for b in B]')" "K-1 K-2 K-3"
check_eq "SIGINT ignored: the record holds all three" "$(q "$TMP/ignint.rec.jsonl" '[r["input"] for r in L]')" "K-1 K-2 K-3"
# a second Ctrl-C kills at once: K-2, which would answer at 3 s, is not waited for
: > "$LOG"
loopback_only
$INT_DFL "$L" live "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 --concurrency 1 --record "$TMP/int2.rec.jsonl" \
	> "$TMP/int2.out" 2> "$TMP/int2.err" &
pid=$!
eventually sent K-2 # K-1 answered and recorded, K-2 in flight (3 s)
kill -INT $pid
eventually stopping "$TMP/int2.err" # the first Ctrl-C taken
kill -INT $pid
wait $pid; rc=$?
check_eq "a second Ctrl-C: killed by it" "$rc" 130
case $(cat "$TMP/int2.err") in *interrupted*) bad "a second Ctrl-C: the run went on to its end" ;; *) ok ;; esac
check_has "a second Ctrl-C: says what quitting leaves out" "$(cat "$TMP/int2.err")" \
	"llmcost: live: quitting at once: the requests in flight are in no record, and their calls' spend in no figure"
check_eq "a second Ctrl-C: the record holds the answer before it" "$(q "$TMP/int2.rec.jsonl" '[r["input"] for r in L]')" "K-1"
check_has "the first Ctrl-C: says the calls in flight are waited for, and how to quit at once" "$(cat "$TMP/int2.err")" \
	"live: stopping: no call starts now; waiting for the calls in flight to end (Ctrl-C again to quit at once)"
# a second Ctrl-C before any line is in the record removes it (before: an empty file was left, and
# the same --record was then refused): K-2 alone, in flight 3 s, stopped twice before it answers
sed -n 2p "$TMP/sigs.jsonl" > "$TMP/sigs2.jsonl"
: > "$LOG"
loopback_only
$INT_DFL "$L" live "$TMP/sigs2.jsonl" -s "$TMP/sigs.json" --max-usd 1 --record "$TMP/int3.rec.jsonl" > "$TMP/int3.out" 2> "$TMP/int3.err" &
pid=$!
eventually sent K-2
kill -INT $pid
eventually stopping "$TMP/int3.err"
kill -INT $pid
wait $pid; rc=$?
check_eq "a second Ctrl-C before any line: killed by it, one call sent, no record left" "$rc $(count "$LOG") $(count "$TMP/int3.rec.jsonl")" "130 1 no file"
# Ctrl-C while a request's first call is in flight (a 500 after 1.5 s; sent once the fake has
# it): its retry is not sent, and its line says it was interrupted
fake sigr '[{"contains": "R-1", "responses": [{"status": 500, "delay_ms": 1500}, {}]}]'
req 00 acme chat 10 10 "R-1" > "$TMP/sigr.jsonl"
live_bg sigr "$TMP/sigr.jsonl" -s "$TMP/sigs.json" --max-usd 1 --record "$TMP/sigr.rec.jsonl"
signal_when INT sent R-1
check_eq "Ctrl-C between calls: exit 130, one call" "$rc $(count "$LOG")" "130 1"
check_eq "Ctrl-C between calls: the record" "$(q "$TMP/sigr.rec.jsonl" 'f(L[0], "live status") + " " + att(L[0])')" \
	"interrupted|server_error gpt-4.1-mini:server_error"
# Ctrl-C before any call: the run is held before its first call by a full stderr (a pipe filled
# to the brim, so that the note on the request without text waits to be written), and the
# signal is sent once the record file is there (signals are caught from before it is made):
# exit 130, no call, and no record left (before, the record stayed, empty)
fake sig0 '[]'
{ req 00 acme chat 10 10 "Z-1"; printf '{"ts":"2026-03-02T10:00:01Z","tenant":"acme","task":"chat","input_tokens":10,"output_tokens":10}\n'; } > "$TMP/sig0.jsonl"
$L import "$TMP/sig0.jsonl" >/dev/null 2>&1
loopback_only
rc=$(python3 - "$L" "$TMP" <<'EOF2'
import fcntl, os, signal, subprocess, sys, time
L, tmp = sys.argv[1], sys.argv[2]
rd, wr = os.pipe()
flags = fcntl.fcntl(wr, fcntl.F_GETFL)
fcntl.fcntl(wr, fcntl.F_SETFL, flags | os.O_NONBLOCK)
filled = 0
for size in (4096, 1):
    try:
        while True:
            filled += os.write(wr, b"x" * size)
    except BlockingIOError:
        pass
fcntl.fcntl(wr, fcntl.F_SETFL, flags)
# SIGINT at its default in the child, as on a terminal: a run whose shell was started with &
# passes it on ignored, and llmcost keeps a signal inherited as ignored so
p = subprocess.Popen([L, "live", "sig0", "-s", tmp + "/sigs.json", "--max-usd", "1",
                      "--record", tmp + "/sig0.rec.jsonl"], stdout=open(tmp + "/sig0.out", "w"), stderr=wr,
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
os.close(wr)
t = time.time()
while not os.path.exists(tmp + "/sig0.rec.jsonl") and p.poll() is None and time.time() < t + 20:
    time.sleep(0.01)
p.send_signal(signal.SIGINT)
err = b""
while True:
    b = os.read(rd, 65536)
    if not b:
        break
    err += b
with open(tmp + "/sig0.err", "wb") as f:
    f.write(err[filled:])
print(p.wait())
EOF2
)
check_eq "Ctrl-C before any call: exit 130, no call" "$rc $(count "$LOG")" "130 0"
check "Ctrl-C before any call: no record left" test ! -e "$TMP/sig0.rec.jsonl"
check_has "Ctrl-C before any call: says so" "$(cat "$TMP/sig0.err")" \
	"live: interrupted; no call was started after it, and none was made before it (no record); requests not sent: 1 of 1"
check_has "Ctrl-C before any call: the summary says nothing was recorded" "$(cat "$TMP/sig0.out")" "live: nothing recorded"
stop_fake

# --- a record that cannot be written stops the run: no call goes on unrecorded. The record
# may not grow past 2 KiB here (ulimit -f 4, in 512-byte blocks; SIGXFSZ ignored, so a write
# past it fails): its lines are over 400 bytes, so of 20 requests one at a time the run stops
# after a handful, and at the latest one call after the write that failed
fake full '[]'
for i in 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29; do
	req "$i" acme chat 10 10 "a question long enough to make a long record line, number $i, padded out with words"
done > "$TMP/full.jsonl"
scen full "$ROUTES, $RETRY"
$L import "$TMP/full.jsonl" >/dev/null 2>&1 # the store grows before the limit
(trap '' XFSZ; ulimit -f 4; run fullrec full -s "$TMP/full.json" --max-usd 1 --concurrency 1 \
	--record "$TMP/full.rec.jsonl"; exit $rc)
check_eq "record full: exit 1" "$?" 1
check_has "record full: says so" "$(cat "$TMP/fullrec.err")" "the run stopped: the record: "
check_eq "record full: the run stopped early" "$(q "$LOG" 'len(L) < 10')" true
# the line that did not fit is taken back: the file is whole lines (each one JSON, the last
# ending with a newline), within the 2048 bytes; one at a time, the run made one call past them
# (the request whose line failed), so K lines hold K of the K + 1 requests that made a call
# (before: a cut-off line was left at the end, and stdout said "recorded in … compare it")
k=$(count "$TMP/full.rec.jsonl")
check_eq "record full: whole lines, the last one ended" \
	"$(q "$TMP/full.rec.jsonl" 'len(L)') $(tail -c 1 "$TMP/full.rec.jsonl" | od -An -c | tr -d ' ') $(($(wc -c < "$TMP/full.rec.jsonl") <= 2048))" "$k \\n 1"
check_eq "record full: one call past the lines" "$(count "$LOG")" $((k + 1))
check_has "record full: stdout says the record is incomplete, and by how much" "$(cat "$TMP/fullrec.out")" \
	"live: the record $TMP/full.rec.jsonl is incomplete: it holds $k of the $((k + 1)) requests that made a call (1 finished request is not in it), each line whole"
case $(cat "$TMP/fullrec.out") in *"recorded in"*) bad "record full: stdout says recorded in, compare" ;; *) ok ;; esac
# the first line already too long (ulimit -f 1, 512 bytes; its text alone is 600): no file is
# left, and that is said
: > "$LOG"
req 00 acme chat 10 10 "$(printf '%600s' | tr ' ' x)" > "$TMP/full0.jsonl"
$L import "$TMP/full0.jsonl" >/dev/null 2>&1
(trap '' XFSZ; ulimit -f 1; run fullrec0 full0 -s "$TMP/full.json" --max-usd 1 --concurrency 1 \
	--record "$TMP/full0.rec.jsonl"; exit $rc)
check_eq "record full at once: exit 1, one call, no file left" "$? $(count "$LOG") $(count "$TMP/full0.rec.jsonl")" "1 1 no file"
check_has "record full at once: said" "$(cat "$TMP/fullrec0.out")" \
	"live: nothing recorded: the record could not be written, so no record file is left; 1 request that made a call is in no record"
stop_fake

# --- plain http is refused but to this machine: the key would cross the network in clear
OPENAI_API_KEY=$KEY OPENAI_BASE_URL=http://example.com/v1 $L live "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 \
	--record "$TMP/cleartext.rec.jsonl" >/dev/null 2>"$TMP/cleartext.err"
check_eq "plain http to another host: exit 1" "$?" 1
check_has "plain http: says why" "$(cat "$TMP/cleartext.err")" "unencrypted"
check_eq "plain http: no record made" "$(ls "$TMP" | grep -c '^cleartext.rec.jsonl')" 0
# what is wrong with OPENAI_BASE_URL is said (before: "the key would cross the network
# unencrypted" for each), exit 1, no record made: no scheme, a scheme other than https and http, a
# query or a fragment (before, "?token=abc" was sent as "…/v1?token=abc/responses")
k=0
for v in "127.0.0.1:8080/v1|it has no scheme: it should begin with https:// (or http:// to this machine: 127.0.0.1, [::1] or localhost)" \
	 "not a url|it has no scheme: " \
	 "ftp://127.0.0.1/v1|its scheme ftp is not one live takes: https, or plain http to this machine only (127.0.0.1, [::1] or localhost)" \
	 "file:///etc/passwd|its scheme file is not one live takes: " \
	 "http://127.0.0.1:1/v1?token=abc|it has a query or a fragment ('?' or '#'), and the calls go to the base URL followed by /responses; give the base URL alone" \
	 "https://127.0.0.1:1/v1#frag|it has a query or a fragment "; do
	k=$((k + 1))
	OPENAI_BASE_URL=${v%%|*} $L live "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 \
		--record "$TMP/badurl$k.rec.jsonl" >/dev/null 2>"$TMP/badurl.err"
	check_eq "OPENAI_BASE_URL=${v%%|*}: exit 1, no record" "$? $(count "$TMP/badurl$k.rec.jsonl")" "1 no file"
	check_has "OPENAI_BASE_URL=${v%%|*}: what is wrong" "$(cat "$TMP/badurl.err")" "live: OPENAI_BASE_URL is ${v%%|*}: ${v#*|}"
done
# set but empty is refused (before: the default, https://api.openai.com/v1, where a user blanking
# it to leave the fake would spend), exit 1; here a dead proxy on loopback for https, so that even
# a build that took the default could reach nothing
(export https_proxy=http://127.0.0.1:1 HTTPS_PROXY=http://127.0.0.1:1; unset NO_PROXY no_proxy
 OPENAI_BASE_URL= $L live "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 --record "$TMP/emptyurl.rec.jsonl" \
	>/dev/null 2>"$TMP/emptyurl.err")
check_eq "OPENAI_BASE_URL empty: exit 1, no record" "$? $(count "$TMP/emptyurl.rec.jsonl")" "1 no file"
check_has "OPENAI_BASE_URL empty: said, and how to get the default" "$(cat "$TMP/emptyurl.err")" \
	"live: OPENAI_BASE_URL is set but empty; unset it for the default, https://api.openai.com/v1"
# a password in the URL is never printed: "…" for the user name and password, in the refusal and
# in "cannot reach" (nothing listens on port 1)
OPENAI_BASE_URL=http://user:hunter2@example.com/v1 $L live "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 \
	--record "$TMP/pw1.rec.jsonl" >/dev/null 2>"$TMP/pw1.err"
check_has "a password in a refused URL: not shown" "$(cat "$TMP/pw1.err")" "live: OPENAI_BASE_URL is http://…@example.com/v1: the key would cross"
OPENAI_BASE_URL=http://user:hunter2@127.0.0.1:1/v1 $L live "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 \
	--record "$TMP/pw2.rec.jsonl" >/dev/null 2>"$TMP/pw2.err"
check_has "a password in a URL not reached: not shown" "$(cat "$TMP/pw2.err")" "live: the run stopped: cannot reach http://…@127.0.0.1:1/v1/responses: "
check_eq "a password in the URL: never printed" "$(cat "$TMP/pw1.err" "$TMP/pw2.err" | grep -c hunter2)" 0
# a user name and password that look like this machine do not make the host this machine: the
# host of http://127.0.0.1:x@127.0.0.2:PORT/v1 is 127.0.0.2 (loopback too, so that nothing here can
# reach the network; the fake listens there, and would get the key in clear). Refused before
# anything is sent.
fake userinfo '[]' 127.0.0.2
port=$(cat "$TMP/userinfo.port")
k=0
for u in "127.0.0.1:x@127.0.0.2:$port" "localhost:x@127.0.0.2:$port" "[::1]:x@127.0.0.2:$port"; do
	k=$((k + 1))
	OPENAI_BASE_URL="http://$u/v1" $L live "$TMP/sigs.jsonl" -s "$TMP/sigs.json" --max-usd 1 \
		--record "$TMP/userinfo$k.rec.jsonl" >/dev/null 2>"$TMP/userinfo.err"
	check_eq "plain http to http://$u: exit 1, refused as unencrypted" "$? $(grep -c unencrypted "$TMP/userinfo.err")" "1 1"
	check_eq "plain http to http://$u: no record" "$(count "$TMP/userinfo$k.rec.jsonl")" "no file"
done
check_eq "plain http with a user name: nothing sent" "$(count "$LOG")" 0
stop_fake

# --- a proxy in the environment (http_proxy, ALL_PROXY) is not used for plain http to this
# machine: it would get the key in clear. The proxy here is a fake on 127.0.0.2; the call goes
# straight to the fake on 127.0.0.1, and the proxy gets nothing.
fake proxy '[]' 127.0.0.2
PROXY_LOG=$LOG PROXY_PID=$FAKE_PID PROXY_PORT=$(cat "$TMP/proxy.port"); FAKE_PID=
fake proxied '[]'
req 00 acme chat 10 10 "via a proxy?" > "$TMP/proxied.jsonl"
for v in http_proxy ALL_PROXY; do
	(unset NO_PROXY no_proxy; export $v="http://127.0.0.2:$PROXY_PORT"
	 run proxied-$v "$TMP/proxied.jsonl" -s "$TMP/sigs.json" --max-usd 1 --record "$TMP/proxied-$v.rec.jsonl"; exit $rc)
	check_eq "$v set: exit 0, the call sent straight to this machine" "$? $(count "$LOG")" "0 1"
	: > "$LOG"
done
check_eq "a proxy set: nothing reaches the proxy" "$(count "$PROXY_LOG")" 0
stop_fake; kill "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null

# --- the key was never printed nor written: not in any output, record or the store
leaks=$(grep -lF "$KEY" "$TMP"/*.out "$TMP"/*.err "$TMP"/*rec*.jsonl "$TMP/cwd"/* "$LLMCOST_DB" 2>/dev/null)
check_eq "the key is never printed nor stored" "$leaks" ""

# --- TLS verification stays on (SPEC §8): an https fake on loopback with a self-signed
# certificate, made here, that no trusted authority signed.  `live` refuses it, exit 1, and the
# fake gets no request: the key never crosses a connection it could not verify.  Its own
# server (not tests/fake_openai.py, plain http), its own files; skipped, with a word, without
# openssl or python's ssl.
if ! command -v openssl >/dev/null 2>&1 || ! python3 -c 'import ssl' 2>/dev/null; then
	echo "cli_live: openssl or python3's ssl missing: the TLS verification case is skipped" >&2
elif ! openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-days 2 -keyout "$TMP/tls.key" -out "$TMP/tls.crt" >/dev/null 2>&1; then
	bad "TLS: openssl could not make a self-signed certificate"
else
	cat > "$TMP/tls_fake.py" <<'PY'
import json, ssl, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
crt, key, log = sys.argv[1:4]
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):  # a request that got through: logged with its Authorization header
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with open(log, "a") as f:
            f.write(json.dumps({"path": self.path, "authorization": self.headers.get("Authorization")}) + "\n")
        out = json.dumps({"id": "resp_1", "object": "response", "created_at": int(time.time()), "status": "completed",
            "error": None, "model": json.loads(body).get("model"), "output": [{"type": "message", "id": "msg_1",
            "status": "completed", "role": "assistant", "content": [{"type": "output_text", "text": "hi", "annotations": []}]}],
            "usage": {"input_tokens": 10, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 10,
            "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 20}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(crt, key)
srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
srv.socket = ctx.wrap_socket(srv.socket, server_side=True) # a failed handshake: accept's OSError, ignored
print(srv.server_address[1], flush=True)
srv.serve_forever()
PY
	# a port file of its own: "tls.port" holds the plain fake's port from above, which a poll could
	# read before the started job truncates the file (its redirection runs in the child)
	: > "$TMP/tls.log"
	python3 "$TMP/tls_fake.py" "$TMP/tls.crt" "$TMP/tls.key" "$TMP/tls.log" > "$TMP/https.port" 2>"$TMP/tls.fake-err" &
	TLS_PID=$!
	i=0
	until grep -q '^[0-9][0-9]*$' "$TMP/https.port" 2>/dev/null || [ $i -gt 200 ]; do sleep 0.05; i=$((i + 1)); done
	if ! grep -q '^[0-9][0-9]*$' "$TMP/https.port"; then
		bad "TLS: the https fake did not start: $(cat "$TMP/tls.fake-err")"
	else
		req 00 acme chat 10 10 "over tls?" > "$TMP/tls.jsonl"
		scen tls "$ROUTES"
		# straight to `llmcost live`, not live(): loopback_only wants http, this is https to loopback
		OPENAI_BASE_URL="https://127.0.0.1:$(cat "$TMP/https.port")/v1" timeout 60 "$L" live "$TMP/tls.jsonl" \
			-s "$TMP/tls.json" --max-usd 1 --record "$TMP/tls.rec.jsonl" > "$TMP/tls.out" 2> "$TMP/tls.err"
		check_eq "https with a certificate no authority signed: exit 1" "$?" 1
		check_eq "https not verified: the fake got no request (no Authorization header)" "$(count "$TMP/tls.log")" 0
		check_has "https not verified: the error says why" "$(cat "$TMP/tls.err")" "certificate"
	fi
	kill "$TLS_PID" 2>/dev/null; wait "$TLS_PID" 2>/dev/null
fi

finish
