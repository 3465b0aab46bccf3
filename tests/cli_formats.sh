# Command-line tests of `llmcost import --format`: OTLP spans, LiteLLM spend logs,
# OpenAI Batch output, Helicone requests and Langfuse observations imported and
# replayed (costs worked out by hand from fixtures/pricing/openai.json), auto-detection
# and its note, rejects with their lines, --strict, documents over several lines, and a
# wrong --format.
SUITE=cli_formats
. tests/lib.sh

L=$LLMCOST
# usd_total / billed_usd of the first scenario of `replay NAME --json`, as its text
usd() { $L replay "$1" --json 2>>"$TMP/notes" | python3 -c 'import json,sys; d=json.load(sys.stdin)["scenarios"][0]["totals"]; print("%.12f" % d[sys.argv[1]])' "$2"; }
kv() { printf '{"key":"%s","value":{"%s":%s}}' "$1" "$2" "$3"; }
s() { kv "$1" stringValue "\"$2\""; }
n() { kv "$1" intValue "\"$2\""; }

# --- OTLP: line 1 holds a chat span and an HTTP span, line 2 a timed-out chat span, a chat
# span on gpt-4o-mini and a span whose input_tokens is negative
chat=$(s gen_ai.operation.name chat)
{
	printf '{"resourceSpans":[{"resource":{"attributes":[%s,%s]},"scopeSpans":[{"spans":[' \
		"$(s service.name faq_answer)" "$(s tenant.id acme)"
	printf '{"spanId":"a1","startTimeUnixNano":"1772445600000000000","endTimeUnixNano":"1772445601250000000","attributes":[%s,%s,%s,%s,%s]},' \
		"$chat" "$(s gen_ai.request.model gpt-4.1-mini-2025-04-14)" "$(n gen_ai.usage.input_tokens 1290)" \
		"$(n gen_ai.usage.cache_read.input_tokens 1152)" "$(n gen_ai.usage.output_tokens 9)"
	printf '{"spanId":"h1","startTimeUnixNano":"1772445600000000000","attributes":[%s]}]}]}]}\n' "$(s http.request.method GET)"
	printf '{"resourceSpans":[{"scopeSpans":[{"spans":['
	printf '{"spanId":"b1","startTimeUnixNano":"1772445660000000000","endTimeUnixNano":"1772445690000000000","status":{"code":2},"attributes":[%s,%s,%s]},' \
		"$chat" "$(s gen_ai.request.model gpt-4.1-mini)" "$(s error.type APITimeoutError)"
	printf '{"spanId":"b2","startTimeUnixNano":"1772445661000000000","attributes":[%s,%s,%s,%s,%s]},' \
		"$chat" "$(s gen_ai.response.model gpt-4o-mini-2024-07-18)" "$(n gen_ai.usage.input_tokens 1000)" \
		"$(n gen_ai.usage.output_tokens 200)" "$(s llmcost.task report)"
	printf '{"spanId":"b3","startTimeUnixNano":"1772445662000000000","attributes":[%s,%s,%s]}]}]}]}\n' \
		"$chat" "$(n gen_ai.usage.input_tokens -3)" "$(n gen_ai.usage.output_tokens 5)"
} > "$TMP/spans.jsonl"
out=$($L import "$TMP/spans.jsonl" 2>"$TMP/err"); check_eq "otlp: import exits 0" "$?" 0
check_eq "otlp: 3 model-call spans imported, 1 rejected" "$out" \
	"spans: imported 3 requests, rejected 1 line (see: llmcost rejects spans)"
check_has "otlp: auto names the format" "$(cat "$TMP/err")" \
	"$TMP/spans.jsonl: read as OpenTelemetry GenAI spans (OTLP/JSON): --format otlp"
check_has "otlp: the reject names line 2 and the span" "$(cat "$TMP/err")" \
	"$TMP/spans.jsonl:2: resourceSpans[0].scopeSpans[0].spans[2]: gen_ai.usage.input_tokens: expected an integer from 0 to 4294967295, got \"-3\""
check_has "otlp: the HTTP span is skipped and counted" "$(cat "$TMP/err")" \
	"$TMP/spans.jsonl: skipped 1 span that is not a model call"
# span b1 timed out: a call, imported as a request of its own (no retry or fallback links to it)
check_has "otlp: the failed span noted" "$(cat "$TMP/err")" \
	"$TMP/spans.jsonl: 1 failed span is imported as a request of its own (a span is a call: a retry or fallback is not linked to the request it served); replaying an incident's retries and fallbacks needs trace v1 attempts"
# the same file again, under the name stored already: refused at once, the refusal alone (before,
# the notes of a reading that could not be stored came first: the format, the skipped span)
$L import "$TMP/spans.jsonl" --format otlp >/dev/null 2>"$TMP/err"; check_eq "otlp: a name stored already exits 1" "$?" 1
check_eq "otlp: a name stored already: the refusal alone" "$(cat "$TMP/err")" \
	"llmcost: a trace named \"spans\" is already stored (from $TMP/spans.jsonl, imported $(sqlite3 "$LLMCOST_DB" "SELECT imported_at FROM traces WHERE name = 'spans'")); use --replace to overwrite it or --name to import under another name"
out=$($L rejects spans)
check_has "otlp: the store keeps the span verbatim" "$out" '{"spanId":"b3","startTimeUnixNano":"1772445662000000000"'
# gpt-4.1-mini: (1290 − 1152) × 0.40 + 1152 × 0.10 + 9 × 1.60 = 55.2 + 115.2 + 14.4 = 184.8 µUSD;
# gpt-4o-mini (the snapshot's alias): 1000 × 0.15 + 200 × 0.60 = 150 + 120 = 270 µUSD;
# the timeout reported no usage: 0.  184.8 + 270 = 454.8 µUSD
check_eq "otlp: recorded usd_total by hand" "$(usd spans usd_total)" "0.000454800000"
rows=$(sqlite3 "$LLMCOST_DB" "SELECT line, ts, tenant, task, coalesce(model, '-'), status, latency_ms FROM requests_v WHERE trace = 'spans' ORDER BY idx")
check_eq "otlp: the rows" "$rows" "1|2026-03-02T10:00:00.000000Z|acme|faq_answer|gpt-4.1-mini|ok|1250.0
2|2026-03-02T10:01:00.000000Z|unknown|unknown|gpt-4.1-mini|timeout|30000.0
2|2026-03-02T10:01:01.000000Z|unknown|report|gpt-4o-mini|ok|"
# a dated request model (span a1) is read as its alias, the full name kept in extra, as is a
# dated response model (span b2)
rows=$(sqlite3 "$LLMCOST_DB" "SELECT model, extra FROM requests_v WHERE trace = 'spans' AND extra LIKE '%model%' ORDER BY idx")
check_eq "otlp: dated model names kept in extra" "$rows" 'gpt-4.1-mini|{"spanId":"a1","gen_ai.request.model":"gpt-4.1-mini-2025-04-14"}
gpt-4o-mini|{"spanId":"b2","gen_ai.response.model":"gpt-4o-mini-2024-07-18"}'

# --strict: the bad span fails the import at its line, nothing written
$L import --strict --name strict "$TMP/spans.jsonl" >/dev/null 2>"$TMP/err"; check_eq "otlp --strict exits 3" "$?" 3
check_has "otlp --strict names line and span" "$(cat "$TMP/err")" "spans.jsonl:2: resourceSpans[0].scopeSpans[0].spans[2]:"
case $($L traces) in *strict*) bad "--strict left a trace" ;; *) ok ;; esac
# --quiet: no note; gzip and stdin are read as for trace v1
gzip -c "$TMP/spans.jsonl" > "$TMP/spans2.jsonl.gz"
out=$($L import --quiet "$TMP/spans2.jsonl.gz" 2>&1); check_eq "otlp .gz, --quiet" "$out" \
	"spans2: imported 3 requests, rejected 1 line (see: llmcost rejects spans2)"
out=$($L import - --name piped < "$TMP/spans.jsonl" 2>&1)
check_has "otlp from stdin" "$out" "-: read as OpenTelemetry GenAI spans"

# --- OTLP as one pretty-printed document: a span's line is where it starts
cat > "$TMP/doc.json" <<'EOF'
{
  "resourceSpans": [{
    "scopeSpans": [{
      "spans": [
        {"startTimeUnixNano": "1772445600000000000",
         "attributes": [{"key": "gen_ai.system", "value": {"stringValue": "openai"}},
                        {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4.1"}},
                        {"key": "gen_ai.usage.prompt_tokens", "value": {"intValue": 1000}},
                        {"key": "gen_ai.usage.completion_tokens", "value": {"intValue": "100"}}]},
        {"attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}}]}
      ]
    }]
  }]
}
EOF
out=$($L import "$TMP/doc.json" 2>"$TMP/err"); check_eq "otlp document: imported" "$out" \
	"doc: imported 1 request, rejected 1 line (see: llmcost rejects doc)"
check_has "otlp document: the note" "$(cat "$TMP/err")" "read as OpenTelemetry GenAI spans (OTLP/JSON), one JSON document"
check_has "otlp document: the reject's line is its span's (10)" "$(cat "$TMP/err")" \
	"$TMP/doc.json:10: resourceSpans[0].scopeSpans[0].spans[1]: startTimeUnixNano: missing"
# gpt-4.1: 1000 × 2.00 + 100 × 8.00 = 2000 + 800 = 2800 µUSD
check_eq "otlp document: usd_total by hand" "$(usd doc usd_total)" "0.002800000000"

# replay imports a file of another format on first use, as import does
cp "$TMP/doc.json" "$TMP/first.json"
check_eq "replay of an OTLP file: imported on first use, same cost" "$(usd "$TMP/first.json" usd_total 2>/dev/null)" "0.002800000000"
check_has "... and stored under its name" "$($L traces)" "first "

# --- LiteLLM spend logs, one row a line
cat > "$TMP/spend.jsonl" <<'EOF'
{"request_id":"chatcmpl-1","call_type":"acompletion","spend":0.00045,"prompt_tokens":1000,"completion_tokens":500,"startTime":"2026-03-02T10:00:00.000Z","endTime":"2026-03-02T10:00:01.500Z","model":"gpt-4o-mini","end_user":"acme","metadata":{"spend_logs_metadata":{"task":"faq_answer"}},"status":"success"}
{"request_id":"chatcmpl-2","call_type":"acompletion","spend":0.0,"prompt_tokens":0,"completion_tokens":0,"startTime":"2026-03-02T10:00:05","endTime":"2026-03-02T10:00:35","model":"gpt-4o-mini","end_user":"","team_id":"t1","metadata":{"status":"failure","error_information":{"error_code":"429","error_class":"RateLimitError"}},"request_tags":["taskName:faq_answer"]}

{"request_id":"chatcmpl-3","spend":-1,"prompt_tokens":1,"completion_tokens":1,"startTime":"2026-03-02T10:00:06Z"}
{"request_id":"chatcmpl-4","prompt_tokens":1000,"completion_tokens":50,"startTime":"2026-03-02T10:00:07Z","model":"gpt-4.1-mini-2025-04-14","spend":0.00048}
EOF
out=$($L import "$TMP/spend.jsonl" 2>"$TMP/err"); check_eq "litellm: imported" "$out" \
	"spend: imported 3 requests, rejected 1 line (see: llmcost rejects spend)"
check_has "litellm: auto names the format" "$(cat "$TMP/err")" "read as LiteLLM spend logs: --format litellm"
check_has "litellm: the reject names line 4" "$(cat "$TMP/err")" "$TMP/spend.jsonl:4: spend: expected a non-negative number"
# line 2's 429 is a call: imported as a request of its own, noted once for the file
check_has "litellm: the failed row noted" "$(cat "$TMP/err")" \
	"$TMP/spend.jsonl: 1 failed row is imported as a request of its own (LiteLLM's rows are calls: a retry or fallback is not linked to the request it served); replaying an incident's retries and fallbacks needs trace v1 attempts"
# a 429 and its retry that failed again (a 500): two rows, two requests, one note for both
sed -n 2p "$TMP/spend.jsonl" > "$TMP/retry.jsonl"
sed -n 2p "$TMP/spend.jsonl" | sed 's/chatcmpl-2/chatcmpl-2b/; s/10:00:05/10:00:06/; s/"429"/"500"/; s/RateLimitError/APIError/' >> "$TMP/retry.jsonl"
out=$($L import "$TMP/retry.jsonl" 2>"$TMP/err"); check_eq "litellm retry: both rows imported" "$out" "retry: imported 2 requests"
check_eq "litellm retry: one note for the file" "$(grep -c failed "$TMP/err")" 1
check_has "litellm retry: the note counts both" "$(cat "$TMP/err")" \
	"$TMP/retry.jsonl: 2 failed rows are imported as requests of their own (LiteLLM's rows are calls: "
$L import --quiet --name retryq "$TMP/retry.jsonl" >/dev/null 2>"$TMP/err"
check_eq "litellm retry, --quiet: no note" "$(cat "$TMP/err")" ""
rows=$(sqlite3 "$LLMCOST_DB" "SELECT line, ts, tenant, task, status, latency_ms, cost_usd FROM requests_v WHERE trace = 'spend' ORDER BY idx")
check_eq "litellm: the rows (a time without a zone is UTC)" "$rows" "1|2026-03-02T10:00:00.000000Z|acme|faq_answer|ok|1500.0|0.00045
2|2026-03-02T10:00:05.000000Z|t1|faq_answer|rate_limited|30000.0|0.0
5|2026-03-02T10:00:07.000000Z|unknown|unknown|ok||0.00048"
# line 5's dated model is read as its alias (priced below), the full name kept in extra
check_eq "litellm: a dated model" "$(sqlite3 "$LLMCOST_DB" "SELECT model, extra FROM requests_v WHERE trace = 'spend' AND line = 5")" \
	'gpt-4.1-mini|{"model":"gpt-4.1-mini-2025-04-14"}'
# priced: gpt-4o-mini 1000 × 0.15 + 500 × 0.60 = 450 µUSD; gpt-4.1-mini 1000 × 0.40 + 50 × 1.60
# = 480 µUSD; the 429 has no tokens: 930 µUSD; billed (spend): 0.00045 + 0 + 0.00048 = 0.00093
check_eq "litellm: usd_total by hand" "$(usd spend usd_total)" "0.000930000000"
check_eq "litellm: billed_usd is the spend" "$(usd spend billed_usd)" "0.000930000000"

# a row LiteLLM's response cache answered (cache_hit "True", spend 0) is a request, noted
cat > "$TMP/hit.jsonl" <<'EOF'
{"request_id":"c1","call_type":"acompletion","spend":0.0001848,"prompt_tokens":1290,"completion_tokens":9,"startTime":"2026-03-02T10:00:00.000","endTime":"2026-03-02T10:00:01.250","model":"gpt-4.1-mini","metadata":{"usage_object":{"prompt_tokens_details":{"cached_tokens":1152}}},"cache_hit":"False","status":"success"}
{"request_id":"c2","call_type":"acompletion","spend":0.0,"prompt_tokens":1290,"completion_tokens":9,"startTime":"2026-03-02T10:08:00.000","endTime":"2026-03-02T10:08:00.004","model":"gpt-4.1-mini","metadata":{},"cache_hit":"True","cache_key":"4f1e9","status":"success"}
EOF
out=$($L import "$TMP/hit.jsonl" 2>"$TMP/err"); check_eq "litellm cache hit: both imported" "$out" "hit: imported 2 requests"
check_has "litellm cache hit: noted" "$(cat "$TMP/err")" \
	"$TMP/hit.jsonl: 1 row answered by LiteLLM's response cache (cache_hit true) is imported as a request; a recorded replay prices its tokens, though LiteLLM billed it \$0"
$L import --quiet --name hitq "$TMP/hit.jsonl" >/dev/null 2>"$TMP/err"
check_eq "litellm cache hit, --quiet: no note" "$(cat "$TMP/err")" ""
# gpt-4.1-mini: c1 138 × 0.40 + 1152 × 0.10 + 9 × 1.60 = 184.8 µUSD, billed the same; c2
# 1290 × 0.40 + 9 × 1.60 = 530.4 µUSD, billed 0: the warning names it
$L replay hit >/dev/null 2>"$TMP/err"
check_has "litellm cache hit: the warning names the cache" "$(cat "$TMP/err")" \
	"the billed cost (cost_usd) 0.000184800000 USD differs from the priced cost 0.000715200000 USD of the same lines by more than 0.5%: 1 request was billed \$0 though its calls have tokens: answered by a proxy's cache?; or is the price table"

# --- LiteLLM's /spend/logs answer: one JSON array over several lines
{
	echo '['
	echo '  {"request_id":"r1","spend":0.00015,"prompt_tokens":1000,"completion_tokens":0,"startTime":"2026-03-02T10:00:00Z","model":"gpt-4o-mini"},'
	echo '  {"request_id":"r2","prompt_tokens":5,"startTime":"2026-03-02T10:00:01Z"}'
	echo ']'
} > "$TMP/logs.json"
out=$($L import "$TMP/logs.json" 2>"$TMP/err"); check_eq "litellm array: imported" "$out" \
	"logs: imported 1 request, rejected 1 line (see: llmcost rejects logs)"
check_has "litellm array: the element's line and index" "$(cat "$TMP/err")" "$TMP/logs.json:3: [1]: completion_tokens: missing"

# --- LiteLLM rows with the request's text (store_prompts_in_spend_logs): `messages` as an array,
# as its JSON text (a string column), or `{}` with the body in proxy_server_request: each is the
# row's input, which a scenario's cache (key tenant, policy_version, input) takes
cat > "$TMP/prompts.jsonl" <<'EOF'
{"request_id":"p1","spend":0.00015,"prompt_tokens":1000,"completion_tokens":0,"startTime":"2026-03-02T10:00:00Z","model":"gpt-4o-mini","end_user":"acme","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Reset my password?"}]}
{"request_id":"p2","spend":0.00015,"prompt_tokens":1000,"completion_tokens":0,"startTime":"2026-03-02T10:01:00Z","model":"gpt-4o-mini","end_user":"acme","messages":"[{\"role\":\"system\",\"content\":\"Be terse.\"},{\"role\":\"user\",\"content\":\"Reset my password?\"}]"}
{"request_id":"p3","spend":0.00015,"prompt_tokens":1000,"completion_tokens":0,"startTime":"2026-03-02T10:02:00Z","model":"gpt-4o-mini","end_user":"acme","messages":"{}","proxy_server_request":"{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Close my account\"}]}"}
{"request_id":"p4","spend":0.00015,"prompt_tokens":1000,"completion_tokens":0,"startTime":"2026-03-02T10:03:00Z","model":"gpt-4o-mini","end_user":"acme","messages":{}}
EOF
$L import "$TMP/prompts.jsonl" >/dev/null 2>&1
check_eq "litellm prompts: each row's text is its input" \
	"$(sqlite3 "$LLMCOST_DB" "SELECT line, replace(coalesce(input, '-'), char(10), '|') FROM requests_v WHERE trace = 'prompts' ORDER BY idx")" \
	"1|Be terse.|Reset my password?
2|Be terse.|Reset my password?
3|Close my account
4|-"
# v3's cache: p2 asks what p1 asked, for the same tenant: 1 hit; p3's text is another, p4 has none
check_eq "litellm prompts: the cache hits the repeated request" \
	"$($L replay prompts -s v3 --json 2>>"$TMP/notes" | python3 -c 'import json,sys; print(json.load(sys.stdin)["scenarios"][0]["totals"]["cache_hits"])')" 1

# --- OpenAI Batch: the output file, then the error file, as one trace
cat > "$TMP/out.jsonl" <<'EOF'
{"id":"batch_req_1","custom_id":"req-1","response":{"status_code":200,"request_id":"req_a","body":{"object":"response","created_at":1772445600,"completed_at":1772445603,"status":"completed","model":"gpt-4.1-mini-2025-04-14","metadata":{"tenant":"acme","task":"classify"},"usage":{"input_tokens":2000,"input_tokens_details":{"cached_tokens":1024},"output_tokens":50}}},"error":null}
{"id":"batch_req_2","custom_id":"req-2","response":{"status_code":200,"request_id":"req_b","body":{"object":"response","created_at":1772445700,"status":"completed","model":"gpt-4.1-mini-2025-04-14","usage":{"input_tokens":300,"output_tokens":20}}},"error":null}
{"id":"batch_req_3","response":null,"error":null}
EOF
cat > "$TMP/errors.jsonl" <<'EOF'
{"id":"batch_req_4","custom_id":"req-4","response":{"status_code":429,"request_id":"req_c","body":{"error":{"message":"Rate limit reached","type":"tokens","param":null,"code":"rate_limit_exceeded"}}},"error":null}
{"id":"batch_req_5","custom_id":"req-5","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}
EOF
out=$($L import --name batch "$TMP/out.jsonl" "$TMP/errors.jsonl" 2>"$TMP/err"); check_eq "batch: imported" "$out" \
	"batch: imported 4 requests, rejected 1 line (see: llmcost rejects batch)"
check_has "batch: auto names the format" "$(cat "$TMP/err")" "$TMP/errors.jsonl: read as OpenAI Batch output: --format openai-batch"
check_has "batch: the reject names line 3" "$(cat "$TMP/err")" "$TMP/out.jsonl:3: custom_id: missing"
rows=$(sqlite3 "$LLMCOST_DB" "SELECT line, ts, tenant, task, model, status, realtime, request_id FROM requests_v WHERE trace = 'batch' ORDER BY idx")
check_eq "batch: the rows (failed items take the latest time and the last model)" "$rows" \
"1|2026-03-02T10:00:00.000000Z|acme|classify|gpt-4.1-mini|ok|0|req-1
2|2026-03-02T10:01:40.000000Z|unknown|unknown|gpt-4.1-mini|ok|0|req-2
1|2026-03-02T10:01:40.000000Z|unknown|unknown|gpt-4.1-mini|rate_limited|0|req-4
2|2026-03-02T10:01:40.000000Z|unknown|unknown|gpt-4.1-mini|timeout|0|req-5"
# gpt-4.1-mini: (2000 − 1024) × 0.40 + 1024 × 0.10 + 50 × 1.60 = 390.4 + 102.4 + 80 = 572.8 µUSD;
# 300 × 0.40 + 20 × 1.60 = 120 + 32 = 152 µUSD; the failures reported no usage: 724.8 µUSD
check_eq "batch: recorded usd_total by hand" "$(usd batch usd_total)" "0.000724800000"
# an item's error given as its message alone is classed by its text, as LiteLLM's are (where
# any string was a server_error)
printf '%s\n' '{"id":"batch_req_6","custom_id":"req-6","response":null,"error":"Rate limit reached for gpt-4.1-mini"}' \
	'{"id":"batch_req_7","custom_id":"req-7","response":null,"error":"Request timed out"}' > "$TMP/strerr.jsonl"
$L import --name strerr --format openai-batch "$TMP/out.jsonl" "$TMP/strerr.jsonl" >/dev/null 2>&1
check_eq "batch: a string error classed by its text" \
	"$(sqlite3 "$LLMCOST_DB" "SELECT status FROM requests_v WHERE trace = 'strerr' AND request_id IN ('req-6', 'req-7') ORDER BY idx")" \
	"rate_limited
timeout"
# with the batch's input file first, each item takes its request's text, tenant, task and model
cat > "$TMP/in.jsonl" <<'EOF'
{"custom_id":"req-1","method":"POST","url":"/v1/responses","body":{"model":"gpt-4.1-mini","metadata":{"tenant":"acme","task":"classify"},"input":"Classify: great product"}}
{"custom_id":"req-2","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4.1-mini","user":"beta","messages":[{"role":"user","content":"Classify: slow delivery"}]}}
{"custom_id":"req-4","method":"POST","url":"/v1/responses","body":{"model":"gpt-4.1-mini","metadata":{"task":"classify"},"input":[{"role":"user","content":[{"type":"input_text","text":"Classify: ok"}]}]}}
EOF
out=$($L import --name joined "$TMP/in.jsonl" "$TMP/out.jsonl" "$TMP/errors.jsonl" 2>"$TMP/err"); check_eq "batch joined: imported" "$out" \
	"joined: imported 4 requests, rejected 1 line (see: llmcost rejects joined)"
check_has "batch joined: the input file is noted" "$(cat "$TMP/err")" \
	"$TMP/in.jsonl: kept 3 Batch requests (an input file) for the output items that follow it in this trace, joined by custom_id"
# each file's note says what its first line is: the requests of the input file, output items
check_has "batch joined: the input file read as the batch's input" "$(cat "$TMP/err")" \
	"$TMP/in.jsonl: read as OpenAI Batch input: --format openai-batch"
check_has "batch joined: the output file read as output" "$(cat "$TMP/err")" \
	"$TMP/out.jsonl: read as OpenAI Batch output: --format openai-batch"
check_has "batch joined: the error file read as output items" "$(cat "$TMP/err")" \
	"$TMP/errors.jsonl: read as OpenAI Batch output: --format openai-batch"
case $(cat "$TMP/err") in *"in.jsonl: read as OpenAI Batch output"*) bad "batch joined: the input file called output" ;; *) ok ;; esac
rows=$(sqlite3 "$LLMCOST_DB" "SELECT line, tenant, task, model, status, coalesce(input, '-') FROM requests_v WHERE trace = 'joined' ORDER BY idx")
check_eq "batch joined: the rows" "$rows" "1|acme|classify|gpt-4.1-mini|ok|Classify: great product
2|beta|unknown|gpt-4.1-mini|ok|Classify: slow delivery
1|unknown|classify|gpt-4.1-mini|rate_limited|Classify: ok
2|unknown|unknown|gpt-4.1-mini|timeout|-"
check_eq "batch joined: the same cost (572.8 + 152 µUSD)" "$(usd joined usd_total)" "0.000724800000"
case $(cat "$TMP/err") in *"matched no output item"*) bad "batch joined: every request joined, yet a note" ;; *) ok ;; esac
# the input file after its output: none of its 3 requests (req-1, req-2, req-4) is joined, said at the end
out=$($L import --name reversed "$TMP/out.jsonl" "$TMP/errors.jsonl" "$TMP/in.jsonl" 2>"$TMP/err")
check_has "batch reversed: imported" "$out" "reversed: imported 4 requests"
check_eq "batch reversed: the input file's requests matched nothing, said last" "$(tail -n 1 "$TMP/err")" \
	"$TMP/in.jsonl: 3 Batch requests of this input file matched no output item that followed it: give the input file first, then the batch's output and error files, in the same trace"
check_eq "batch reversed: no input joined" "$(sqlite3 "$LLMCOST_DB" "SELECT count(input) FROM requests_v WHERE trace = 'reversed'")" 0
# the error file left out: req-4 (in in.jsonl, its item in errors.jsonl) is the 1 not matched
$L import --name partial "$TMP/in.jsonl" "$TMP/out.jsonl" >/dev/null 2>"$TMP/err"
check_has "batch partial: 1 request matched nothing" "$(cat "$TMP/err")" \
	"$TMP/in.jsonl: 1 Batch request of this input file matched no output item"
$L import --quiet --name reversedq "$TMP/out.jsonl" "$TMP/in.jsonl" >/dev/null 2>"$TMP/err"
check_eq "batch reversed, --quiet: no note" "$(cat "$TMP/err")" ""
# the error file alone: its first item has no time to take
$L import --quiet "$TMP/errors.jsonl" >/dev/null 2>&1
check_eq "batch error file alone: both rejected" "$($L rejects errors | grep -c 'created_at: missing, and no item before it')" 2
# items of a malformed shape are rejected naming the field, not imported as failed calls: a
# status_code "200" (a string) or 200.0 beside a good body (each was read as a server_error call;
# a null one is none), a body 7 with a 500 (imported as a 0-token failure), a response "nope" or
# null without an error, and a custom_id 5; line 1 is a good item (their time to take), imported
cat > "$TMP/badbatch.jsonl" <<'EOF'
{"custom_id":"g1","response":{"status_code":200,"body":{"created_at":1772445600,"model":"gpt-4.1-mini","usage":{"input_tokens":10,"output_tokens":5}}}}
{"custom_id":"g2","response":{"status_code":"200","body":{"created_at":1772445600,"model":"gpt-4.1-mini","usage":{"input_tokens":10,"output_tokens":5}}}}
{"custom_id":"g3","response":{"status_code":200.0,"body":{"created_at":1772445600,"model":"gpt-4.1-mini","usage":{"input_tokens":10,"output_tokens":5}}}}
{"custom_id":"g4","response":{"status_code":null,"body":{"created_at":1772445600,"model":"gpt-4.1-mini","usage":{"input_tokens":10,"output_tokens":5}}}}
{"custom_id":"g5","response":{"status_code":500,"body":7}}
{"custom_id":"g6","response":"nope"}
{"custom_id":"g7","response":null,"error":null}
{"custom_id":5,"response":{"status_code":200}}
EOF
out=$($L import --name badbatch "$TMP/badbatch.jsonl" 2>"$TMP/err")
check_eq "batch shape: 2 imported, 6 rejected" "$out" \
	"badbatch: imported 2 requests, rejected 6 lines (see: llmcost rejects badbatch)"
for want in '2: response.status_code: expected an HTTP status (an integer from 100 to 599), got "200"' \
	'3: response.status_code: expected an HTTP status (an integer from 100 to 599), got 200.0' \
	'5: response.body: expected an object, got 7' '6: response: expected an object, got "nope"' \
	'7: response: expected an object, got null (and no error)' '8: custom_id: expected a non-empty string, got 5'; do
	check_has "batch shape: $want" "$(cat "$TMP/err")" "$TMP/badbatch.jsonl:$want"
done
check_eq "batch shape: the items imported, both ok" \
	"$(sqlite3 "$LLMCOST_DB" "SELECT line, status FROM requests_v WHERE trace = 'badbatch' ORDER BY idx")" "1|ok
4|ok"

# --- --format: named formats are used as given; a wrong one is a usage error
out=$($L import --format jsonl --name forced "$TMP/spend.jsonl" 2>"$TMP/err")
check_eq "--format jsonl reads spend logs as trace v1: all rejected" "$out" \
	"forced: imported 0 requests, rejected 4 lines (see: llmcost rejects forced)"
check_has "--format jsonl: trace v1 reasons" "$(cat "$TMP/err")" "spend.jsonl:2: ts: missing"
case $(cat "$TMP/err") in *"read as"*) bad "--format jsonl printed a note" ;; *) ok ;; esac
check_has "--format jsonl, every line rejected: is the format right?" "$(cat "$TMP/err")" \
	"llmcost: note: every record of forced was rejected: is --format jsonl right for it?"
out=$($L import --format litellm --name forced2 "$TMP/spend.jsonl" 2>"$TMP/err")
check_has "--format litellm: imported" "$out" "forced2: imported 3 requests"
case $(cat "$TMP/err") in *"read as"* | *"every record"*) bad "--format litellm printed a note" ;; *) ok ;; esac
$L import --format csv "$TMP/spend.jsonl" 2>"$TMP/err"; check_eq "--format csv exits 2" "$?" 2
check_has "--format csv names the choices" "$(cat "$TMP/err")" \
	"--format takes auto, jsonl, otlp, litellm, openai-batch, helicone, langfuse, not \"csv\""
$L import --format "$TMP/spend.jsonl" 2>/dev/null; check_eq "--format without a value exits 2" "$?" 2
out=$($L import --format auto --name auto "$TMP/spend.jsonl" 2>/dev/null); check_has "--format auto" "$out" "auto: imported 3 requests"

# --- a Batch item whose custom_id came before in the trace (the output file given twice) is
# rejected, as a repeated request of the input file is; the others are imported once
$L import --name twice "$TMP/out.jsonl" "$TMP/out.jsonl" >"$TMP/out" 2>"$TMP/err"
check_eq "batch output twice: the second's items rejected" "$(cat "$TMP/out")" \
	"twice: imported 2 requests, rejected 4 lines (see: llmcost rejects twice)"
check_has "batch output twice: the reason" "$(cat "$TMP/err")" \
	"$TMP/out.jsonl:1: custom_id: an item of this id came before in the trace"
check_has "batch output twice: kept in rejects" "$($L rejects twice)" '"custom_id":"req-2"'

# --- LiteLLM rows repeating a request_id, OTLP spans repeating a traceId and spanId (an export
# that overlapped another): imported, and a note counts them with the first one's line
sed -n 1,2p "$TMP/spend.jsonl" > "$TMP/day1.jsonl"
sed -n '2p;5p' "$TMP/spend.jsonl" > "$TMP/day2.jsonl"
out=$($L import --name overlap "$TMP/day1.jsonl" "$TMP/day2.jsonl" 2>"$TMP/err")
check_eq "litellm overlap: every row imported" "$out" "overlap: imported 4 requests"
check_has "litellm overlap: noted on the file that repeats" "$(cat "$TMP/err")" \
	"$TMP/day2.jsonl: 1 row repeats the request_id of one before in this trace (first: $TMP/day2.jsonl:1): imported all the same, each as a request; an export that overlapped another?"
case $(cat "$TMP/err") in *"day1.jsonl: 1 row"*) bad "litellm overlap: the first file noted" ;; *) ok ;; esac
# the second line repeats span 5b8e/a1 and adds 5b8e/a2 and 7c9f/a1 (another trace's a1: no repeat)
span() { printf '{"traceId":"%s","spanId":"%s","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s,%s]}' \
	"$1" "$2" "$chat" "$(s gen_ai.request.model gpt-4.1-mini)" "$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)"; }
{
	printf '{"resourceSpans":[{"scopeSpans":[{"spans":[%s]}]}]}\n' "$(span 5b8e a1)"
	printf '{"resourceSpans":[{"scopeSpans":[{"spans":[%s,%s,%s]}]}]}\n' "$(span 5b8e a2)" "$(span 7c9f a1)" "$(span 5b8e a1)"
} > "$TMP/respans.jsonl"
out=$($L import "$TMP/respans.jsonl" 2>"$TMP/err")
check_eq "otlp overlap: every span imported" "$out" "respans: imported 4 requests"
check_has "otlp overlap: noted" "$(cat "$TMP/err")" \
	"$TMP/respans.jsonl: 1 span repeats the traceId and spanId of one before in this trace (first: $TMP/respans.jsonl:2)"
$L import --quiet --name overlapq "$TMP/day1.jsonl" "$TMP/day2.jsonl" >/dev/null 2>"$TMP/err"
check_eq "litellm overlap, --quiet: no note" "$(cat "$TMP/err")" ""

# imports_rejecting WHAT FILE COUNTED SUMMARY REJECT...: FILE imports, exit 0, printing SUMMARY
# (checked as "WHAT: COUNTED"), and stderr has "FILE:REJECT" for each REJECT (line: reason)
imports_rejecting() {
	what=$1 file=$2 counted=$3 summary=$4
	shift 4
	out=$($L import "$file" 2>"$TMP/err"); check_eq "$what: exits 0" "$?" 0
	check_eq "$what: $counted" "$out" "$summary"
	for want; do check_has "$what: $want" "$(cat "$TMP/err")" "$file:$want"; done
}

# --- OTLP of a broken shape is rejected with its path, never dropped (SPEC §2): lines 1-4 a
# scopeSpans or spans that is no array, an element that is no object; line 5 a span whose
# attributes is an object naming gen_ai.* (rejected), one whose attributes object names none
# (skipped), a chat span whose llmcost.tenant value is a bare string, a span whose
# gen_ai.operation.name value is one (it could be a model call: rejected), an invoke_agent span
# with a bare gen_ai.agent.name (no model call: skipped), and a good chat span (imported)
{
	echo '{"resourceSpans":[{"scopeSpans":"oops"}]}'
	echo '{"resourceSpans":[{"scopeSpans":[{"spans":"oops"}]}]}'
	echo '{"resourceSpans":[7]}'
	echo '{"resourceSpans":[{"instrumentationLibrarySpans":[7]}]}'
	printf '{"resourceSpans":[{"scopeSpans":[{"spans":['
	printf '{"spanId":"m1","startTimeUnixNano":"1772445600000000000","attributes":{"gen_ai.operation.name":"chat"}},'
	printf '{"spanId":"m2","startTimeUnixNano":"1772445600000000000","attributes":{"http.request.method":"GET"}},'
	printf '{"spanId":"m3","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s,{"key":"llmcost.tenant","value":"acme"}]},' \
		"$chat" "$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)"
	printf '{"spanId":"m4","startTimeUnixNano":"1772445600000000000","attributes":[{"key":"gen_ai.operation.name","value":"chat"},%s,%s]},' \
		"$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)"
	printf '{"spanId":"m5","startTimeUnixNano":"1772445600000000000","attributes":[%s,{"key":"gen_ai.agent.name","value":7}]},' \
		"$(s gen_ai.operation.name invoke_agent)"
	printf '{"spanId":"m6","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s]}]}]}]}\n' \
		"$chat" "$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)"
} > "$TMP/badshape.jsonl"
imports_rejecting "otlp shape" "$TMP/badshape.jsonl" "1 span imported, 7 rejected" \
	"badshape: imported 1 request, rejected 7 lines (see: llmcost rejects badshape)" \
	"1: resourceSpans[0].scopeSpans: expected an array" \
	"2: resourceSpans[0].scopeSpans[0].spans: expected an array" \
	"3: resourceSpans[0]: expected an object" \
	"4: resourceSpans[0].instrumentationLibrarySpans[0]: expected an object" \
	"5: resourceSpans[0].scopeSpans[0].spans[0]: attributes: expected an array of {key, value} objects, got {\"gen_ai.operation.name\":\"chat\"}" \
	"5: resourceSpans[0].scopeSpans[0].spans[2]: llmcost.tenant: expected an AnyValue object ({\"stringValue\": …} or another typed value), got \"acme\"" \
	"5: resourceSpans[0].scopeSpans[0].spans[3]: gen_ai.operation.name: expected an AnyValue object"
check_has "otlp shape: the spans of no model call skipped" "$(cat "$TMP/err")" \
	"$TMP/badshape.jsonl: skipped 2 spans that are not a model call"
check_eq "otlp shape: the rejects kept" "$(sqlite3 "$LLMCOST_DB" "SELECT COUNT(*), MIN(line), MAX(line) FROM rejects JOIN traces t ON t.id = trace_id WHERE t.name = 'badshape'")" "7|1|5"
$L import --strict --name badshape2 "$TMP/badshape.jsonl" >/dev/null 2>"$TMP/err"
check_eq "otlp shape --strict: exits 3" "$?" 3

# --- a resource attribute the row reads is checked as a span's is: under a resource whose
# service.name and enduser.id are bare strings, a chat span without llmcost.task reads the task
# from service.name (rejected, naming the resource's attributes); one with llmcost.task reads
# no service.name but reads enduser.id for its user (rejected); one with both of its own is
# imported, and an HTTP span, no model call, is skipped
{
	printf '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":"shop"},{"key":"enduser.id","value":"u7"}]},"scopeSpans":[{"spans":['
	printf '{"spanId":"r1","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s,%s]},' \
		"$chat" "$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)" "$(s user.id u1)"
	printf '{"spanId":"r2","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s,%s]},' \
		"$chat" "$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)" "$(s llmcost.task report)"
	printf '{"spanId":"r3","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s,%s,%s]},' \
		"$chat" "$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)" "$(s llmcost.task report)" "$(s user.id u1)"
	printf '{"spanId":"r4","startTimeUnixNano":"1772445600000000000","attributes":[%s]}]}]}]}\n' "$(s http.request.method GET)"
} > "$TMP/badres.jsonl"
imports_rejecting "otlp resource" "$TMP/badres.jsonl" "1 span imported, 2 rejected" \
	"badres: imported 1 request, rejected 2 lines (see: llmcost rejects badres)" \
	"1: resourceSpans[0].scopeSpans[0].spans[0]: resourceSpans[0].resource.attributes: service.name: expected an AnyValue object ({\"stringValue\": …} or another typed value), got \"shop\"" \
	"1: resourceSpans[0].scopeSpans[0].spans[1]: resourceSpans[0].resource.attributes: enduser.id: expected an AnyValue object ({\"stringValue\": …} or another typed value), got \"u7\""
check_has "otlp resource: the HTTP span skipped" "$(cat "$TMP/err")" "$TMP/badres.jsonl: skipped 1 span that is not a model call"
check_eq "otlp resource: the imported span's own task and user" \
	"$(sqlite3 "$LLMCOST_DB" "SELECT task, user FROM requests_v WHERE trace = 'badres'")" "report|u1"
# an AnyValue whose member is of another JSON type than its name says is rejected where it is
# read, as a bare value is (a tenant of {"stringValue": 5} read as absent, tenant "unknown");
# an int64 as a decimal string or a number, as OTLP/JSON writes it, is read
{
	printf '{"resourceSpans":[{"scopeSpans":[{"spans":['
	printf '{"spanId":"t1","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s,{"key":"llmcost.tenant","value":{"stringValue":5}}]},' \
		"$chat" "$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)"
	printf '{"spanId":"t2","startTimeUnixNano":"1772445600000000000","attributes":[%s,{"key":"gen_ai.usage.input_tokens","value":{"intValue":true}},%s]},' \
		"$chat" "$(n gen_ai.usage.output_tokens 1)"
	printf '{"spanId":"t3","startTimeUnixNano":"1772445600000000000","attributes":[%s,{"key":"gen_ai.usage.input_tokens","value":{"intValue":10}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"1"}},%s]}]}]}]}\n' \
		"$chat" "$(s llmcost.tenant acme)"
} > "$TMP/badtype.jsonl"
imports_rejecting "otlp typed member" "$TMP/badtype.jsonl" "1 span imported, 2 rejected" \
	"badtype: imported 1 request, rejected 2 lines (see: llmcost rejects badtype)" \
	"1: resourceSpans[0].scopeSpans[0].spans[0]: llmcost.tenant: its stringValue is no string, got 5" \
	"1: resourceSpans[0].scopeSpans[0].spans[1]: gen_ai.usage.input_tokens: its intValue is no number, got true"
check_eq "otlp typed member: the int64s read" \
	"$(sqlite3 "$LLMCOST_DB" "SELECT tenant, input_tokens, output_tokens FROM requests_v WHERE trace = 'badtype'")" "acme|10|1"
# a name given as an integer (a numeric tenant or user id) is its decimal digits, as a number
# or as OTLP/JSON's int64 string (where it read as absent: tenant "unknown"); another kind of
# value is rejected naming it
{
	printf '{"resourceSpans":[{"resource":{"attributes":[{"key":"tenant.id","value":{"intValue":"42"}}]},"scopeSpans":[{"spans":['
	printf '{"spanId":"i1","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s,{"key":"user.id","value":{"intValue":9007199254740993}}]},' \
		"$chat" "$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)"
	printf '{"spanId":"i2","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s,{"key":"llmcost.task","value":{"doubleValue":1.5}}]}]}]}]}\n' \
		"$chat" "$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)"
	printf '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"boolValue":true}}]},"scopeSpans":[{"spans":[{"spanId":"i3","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s]}]}]}]}\n' \
		"$chat" "$(n gen_ai.usage.input_tokens 10)" "$(n gen_ai.usage.output_tokens 1)"
} > "$TMP/intname.jsonl"
imports_rejecting "otlp integer name" "$TMP/intname.jsonl" "1 span imported, 2 rejected" \
	"intname: imported 1 request, rejected 2 lines (see: llmcost rejects intname)" \
	"1: resourceSpans[0].scopeSpans[0].spans[1]: llmcost.task: expected a stringValue or an integer intValue, got {\"doubleValue\": 1.5}" \
	"2: resourceSpans[0].scopeSpans[0].spans[0]: resourceSpans[0].resource.attributes: service.name: expected a stringValue or an integer intValue, got {\"boolValue\": true}"
# 2^53 + 1 = 9007199254740993 keeps its last digit (read exactly, not as a double)
check_eq "otlp integer name: tenant 42, user 9007199254740993" \
	"$(sqlite3 "$LLMCOST_DB" "SELECT tenant, user FROM requests_v WHERE trace = 'intname'")" "42|9007199254740993"

# --- embeddings calls replay at the bundled table's embedding prices (input alone, output 0)
emb=$(s gen_ai.operation.name embeddings)
{
	printf '{"resourceSpans":[{"scopeSpans":[{"spans":['
	printf '{"spanId":"e1","startTimeUnixNano":"1772445600000000000","attributes":[%s,%s,%s]},' \
		"$emb" "$(s gen_ai.request.model text-embedding-3-small)" "$(n gen_ai.usage.input_tokens 1000)"
	printf '{"spanId":"e2","startTimeUnixNano":"1772445601000000000","attributes":[%s,%s,%s]},' \
		"$emb" "$(s gen_ai.request.model text-embedding-3-large)" "$(n gen_ai.usage.input_tokens 500)"
	printf '{"spanId":"e3","startTimeUnixNano":"1772445602000000000","attributes":[%s,%s,%s]}]}]}]}\n' \
		"$emb" "$(s gen_ai.request.model text-embedding-ada-002)" "$(n gen_ai.usage.input_tokens 2000)"
} > "$TMP/emb.jsonl"
out=$($L import "$TMP/emb.jsonl" 2>/dev/null); check_eq "embeddings: imported" "$out" "emb: imported 3 requests"
# 1000 × 0.02 + 500 × 0.13 + 2000 × 0.10 = 20 + 65 + 200 = 285 µUSD
check_eq "embeddings: replayed, usd_total by hand" "$(usd emb usd_total 2>"$TMP/err")" "0.000285000000"

# --- auto cannot tell: a first line that is no format's JSON, or no JSON under another name
echo '[1, 2]' > "$TMP/nums.jsonl"
$L import "$TMP/nums.jsonl" 2>"$TMP/err"; check_eq "an array of numbers exits 3 (bad input)" "$?" 3
check_has "an array of numbers: cannot tell" "$(cat "$TMP/err")" "$TMP/nums.jsonl: cannot tell the format from line 1"
printf 'request_id,spend\nr1,0.1\n' > "$TMP/spend.csv"
$L import "$TMP/spend.csv" 2>"$TMP/err"; check_eq "a CSV file exits 3" "$?" 3
check_has "a CSV file: cannot tell, --format named" "$(cat "$TMP/err")" \
	"$TMP/spend.csv: cannot tell the format: its first line is not JSON (unexpected character at column 1); name it with --format (jsonl, otlp, litellm, openai-batch, helicone, langfuse)"
# replay (a first-use import) has no --format: its message names the import that has one
$L replay "$TMP/spend.csv" 2>"$TMP/err"; check_eq "replay of a CSV file exits 3" "$?" 3
check_eq "replay of a CSV file: the import to run" "$(cat "$TMP/err")" \
	"llmcost: $TMP/spend.csv: cannot tell the format: its first line is not JSON (unexpected character at column 1); import it with llmcost import $TMP/spend.csv --format F, F one of jsonl, otlp, litellm, openai-batch, helicone, langfuse"
$L replay "$TMP/nums.jsonl" --db "$TMP/other store.db" 2>"$TMP/err"
check_has "replay of an array of numbers: the import to run, with its --db" "$(cat "$TMP/err")" \
	"): import it with llmcost import $TMP/nums.jsonl --db '$TMP/other store.db' --format F, F one of jsonl"
# ... and when the path is too long for the command to fit the message whole (an error holds
# 1,023 bytes, the path in it twice), the advice without it, never a command cut short (it
# ended "…, openai-bat", or inside the path's second copy)
long="$TMP/$(printf '%0250d' 0)/$(printf '%0250d' 1)"
mkdir -p "$long" && cp "$TMP/nums.jsonl" "$long/nums.jsonl"
$L replay "$long/nums.jsonl" 2>"$TMP/err"
check_has "a long path: the advice whole, without the command" "$(cat "$TMP/err")" \
	"import it with llmcost import and --format F, F one of jsonl, otlp, litellm, openai-batch, helicone, langfuse"
rm -rf "$TMP/$(printf '%0250d' 0)"
case $($L traces) in *nums*|*spend.csv*) bad "a failed detection left a trace" ;; *) ok ;; esac
# an empty JSON array (LiteLLM's /spend/logs on a quiet day), on one line or over two: no
# request, no reject, a note that says why
printf '[]\n' > "$TMP/quiet.json"
out=$($L import "$TMP/quiet.json" 2>"$TMP/err"); check_eq "an empty array: exits 0" "$?" 0
check_eq "an empty array: 0 requests, no reject" "$out" "quiet: imported 0 requests"
check_eq "an empty array: the note" "$(cat "$TMP/err")" \
	"$TMP/quiet.json: holds an empty JSON array (as LiteLLM's /spend/logs answers for a time without calls): no request to import"
printf '[\n]\n' > "$TMP/quiet2.json"
out=$($L import "$TMP/quiet2.json" 2>"$TMP/err"); check_eq "an empty array over two lines: exits 0" "$?" 0
check_eq "an empty array over two lines: 0 requests, no reject" "$out" "quiet2: imported 0 requests"
check_has "an empty array over two lines: the note" "$(cat "$TMP/err")" "$TMP/quiet2.json: holds an empty JSON array"
$L import --quiet "$TMP/quiet.json" --name quietq >/dev/null 2>"$TMP/err"
check_eq "an empty array, --quiet: no note" "$(cat "$TMP/err")" ""
# an empty array before lines that tell the format holds no rows and tells nothing: the
# lines after it are read as their own format, with no note of an empty file (it was read as
# LiteLLM, saying "no request to import": the v1 line below rejected as "startTime: missing")
{ echo '[]'; echo '{"ts":"2026-03-02T10:00:00Z","tenant":"a","task":"b","input_tokens":1,"output_tokens":1}'; } > "$TMP/quiet3.jsonl"
out=$($L import "$TMP/quiet3.jsonl" 2>"$TMP/err"); check_eq "[] then a v1 line: the line imported" "$out" "quiet3: imported 1 request"
check_eq "[] then a v1 line: no note" "$(cat "$TMP/err")" ""
{ echo '[]'; echo '[{"request_id":"r1","spend":0.0,"prompt_tokens":1,"completion_tokens":1,"startTime":"2026-03-02T10:00:00Z","model":"gpt-4o-mini"}]'; } > "$TMP/quiet4.json"
out=$($L import "$TMP/quiet4.json" 2>"$TMP/err"); check_eq "[] then a LiteLLM answer: its row" "$out" "quiet4: imported 1 request"
check_eq "[] then a LiteLLM answer: the format's note alone" "$(cat "$TMP/err")" "$TMP/quiet4.json: read as LiteLLM spend logs: --format litellm"
# a first line that is no JSON in a .jsonl file: trace v1, the line rejected (as before)
{ echo 'oops'; echo '{"ts":"2026-03-02T10:00:00Z","tenant":"a","task":"b","input_tokens":1,"output_tokens":1}'; } > "$TMP/v1.jsonl"
out=$($L import "$TMP/v1.jsonl" 2>"$TMP/err"); check_eq "v1 after a bad first line" "$out" \
	"v1: imported 1 request, rejected 1 line (see: llmcost rejects v1)"
# a pretty-printed trace v1 object is no document format: read line by line, every line rejected
printf '{\n "ts": 1\n}\n' > "$TMP/pretty.json"
out=$($L import "$TMP/pretty.json" 2>/dev/null); check_eq "a pretty-printed v1 object: lines rejected" "$out" \
	"pretty: imported 0 requests, rejected 3 lines (see: llmcost rejects pretty)"

# --- Helicone requests (@helicone/export --format jsonl: HeliconeRequest records, one a line).
# Prices from fixtures/pricing/openai.json, µUSD per token: gpt-4o-mini 0.15 in, 0.075 cached,
# 0.60 out.  Helicone's prompt_tokens are the fresh ones: input = prompt + cache reads + writes.
#   1 r1 gpt-4o-mini-2024-07-18 (its alias), 800 + 200 read + 0 written = 1000 in, 200 cached,
#        100 out: 800 × 0.15 + 200 × 0.075 + 100 × 0.60 = 120 + 15 + 60 = 195 µUSD; cost 0.000195;
#        a ClickHouse time without a zone (UTC); tenant and task from the properties in any
#        case or as the header's name; session from Helicone-Session-Id
#   2 r2 429 without usage: rate_limited, 0 and 0 tokens, 0 µUSD; cost 0
#   3 response_status a string that is no number ("OK"): rejected
#   4 r4 properties as the text of JSON (tenant initech), task from prompt_id; 400 in, 50 out:
#        400 × 0.15 + 50 × 0.60 = 60 + 30 = 90 µUSD; costUSD 0.00009; response_status, the
#        counts and the cost quoted as ClickHouse writes 64-bit numbers ("200", "400"); a
#        cache_reference_id other than zeros: Helicone's cache answered it (noted)
#   5 no completion_tokens on a 200: rejected
#   6 r1 again (an overlapping export): tenant from request_user_id u7, task unknown; 100 in,
#        10 out: 15 + 6 = 21 µUSD; cost 0.000021; cache_reference_id all zeros: no cache hit
#   7 r7 status -1 (no HTTP answer): server_error, no usage, cost 0
# imported 5, rejected 2, failed 2 (r2, r7), repeated 1 (line 6); usd_total = billed_usd =
# 195 + 0 + 90 + 21 + 0 = 306 µUSD
cat > "$TMP/helicone.jsonl" <<'JSONL'
{"request_id":"r1","request_created_at":"2026-03-02 10:00:00.000","response_status":200,"delay_ms":1200,"model":"gpt-4o-mini-2024-07-18","provider":"OPENAI","prompt_tokens":800,"prompt_cache_read_tokens":200,"prompt_cache_write_tokens":0,"completion_tokens":100,"cost":0.000195,"request_properties":{"Tenant":"acme","Helicone-Property-Task":"faq_answer","Helicone-Session-Id":"s1"},"request_user_id":"u1","request_body":{"messages":[{"role":"user","content":"hi there"}]}}
{"request_id":"r2","request_created_at":"2026-03-02T10:00:05Z","response_status":429,"delay_ms":30,"model":"gpt-4o-mini","prompt_tokens":null,"completion_tokens":null,"cost":0,"request_properties":{}}
{"request_id":"r3","request_created_at":"2026-03-02T10:00:06Z","response_status":"OK","prompt_tokens":1,"completion_tokens":1}
{"request_id":"r4","request_created_at":"2026-03-02T10:00:07Z","response_status":"200","request_model":"gpt-4o-mini","prompt_tokens":"400","completion_tokens":"50","costUSD":"0.00009","cache_reference_id":"7d4e9c1a-2b3f-4c5d-8e6f-0a1b2c3d4e5f","request_properties":"{\"tenant\":\"initech\"}","prompt_id":"faq"}
{"request_id":"r5","request_created_at":"2026-03-02T10:00:08Z","response_status":200,"prompt_tokens":10}
{"request_id":"r1","request_created_at":"2026-03-02T10:00:09Z","response_status":200,"model":"gpt-4o-mini","prompt_tokens":100,"completion_tokens":10,"cost":0.000021,"request_user_id":"u7","cache_reference_id":"00000000-0000-0000-0000-000000000000"}
{"request_id":"r7","request_created_at":"2026-03-02T10:00:10Z","response_status":-1,"model":"gpt-4o-mini","cost":0}
JSONL
out=$($L import "$TMP/helicone.jsonl" 2>"$TMP/err"); check_eq "helicone: imported" "$out" \
	"helicone: imported 5 requests, rejected 2 lines (see: llmcost rejects helicone)"
check_has "helicone: auto names the format" "$(cat "$TMP/err")" "$TMP/helicone.jsonl: read as Helicone requests: --format helicone"
check_has "helicone: the reject names line 3 and the field" "$(cat "$TMP/err")" \
	"$TMP/helicone.jsonl:3: response_status: expected an HTTP status code (an integer), got \"OK\""
check_has "helicone: the cache hit noted" "$(cat "$TMP/err")" \
	"$TMP/helicone.jsonl: 1 record answered by Helicone's cache (a cache_reference_id other than zeros) is imported as a request; a recorded replay prices its tokens, though the provider was not called for it"
check_has "helicone: the reject names line 5 and the field" "$(cat "$TMP/err")" "$TMP/helicone.jsonl:5: completion_tokens: missing"
check_has "helicone: the failed records noted" "$(cat "$TMP/err")" \
	"$TMP/helicone.jsonl: 2 failed records are imported as requests of their own (Helicone's records are calls: "
check_has "helicone: the repeated request_id noted" "$(cat "$TMP/err")" \
	"$TMP/helicone.jsonl: 1 record repeats the request_id of one before in this trace (first: $TMP/helicone.jsonl:6)"
rows=$(sqlite3 "$LLMCOST_DB" "SELECT line, ts, tenant, task, model, status, input_tokens, cached_tokens, output_tokens, latency_ms, cost_usd, request_id, session, user, input FROM requests_v WHERE trace = 'helicone' ORDER BY line")
check_eq "helicone: the rows" "$rows" "1|2026-03-02T10:00:00.000000Z|acme|faq_answer|gpt-4o-mini|ok|1000|200|100|1200.0|0.000195|r1|s1|u1|hi there
2|2026-03-02T10:00:05.000000Z|unknown|unknown|gpt-4o-mini|rate_limited|0||0|30.0|0.0|r2|||
4|2026-03-02T10:00:07.000000Z|initech|faq|gpt-4o-mini|ok|400||50||9.0e-05|r4|||
6|2026-03-02T10:00:09.000000Z|u7|unknown|gpt-4o-mini|ok|100||10||2.1e-05|r1||u7|
7|2026-03-02T10:00:10.000000Z|unknown|unknown|gpt-4o-mini|server_error|0||0||0.0|r7|||"
check_eq "helicone: the dated model kept in extra" "$(sqlite3 "$LLMCOST_DB" "SELECT extra FROM requests_v WHERE trace = 'helicone' AND line = 1")" \
	'{"model":"gpt-4o-mini-2024-07-18","provider":"OPENAI"}'
check_eq "helicone: usd_total by hand" "$(usd helicone usd_total)" "0.000306000000"
check_eq "helicone: billed_usd is the cost" "$(usd helicone billed_usd)" "0.000306000000"
# (cached_tokens is empty where the record has no prompt_cache_read_tokens)
# the JSON export (an array of records over several lines): read whole, an element's line and index
printf '[\n{"request_id":"a","request_created_at":"2026-03-02T10:00:00Z","response_status":200,\n "model":"gpt-4o-mini","prompt_tokens":1,"completion_tokens":1},\n{"request_id":"b","request_created_at":"2026-03-02T10:00:01Z","prompt_tokens":-1,"completion_tokens":1}\n]\n' > "$TMP/helicone-array.json"
out=$($L import "$TMP/helicone-array.json" 2>"$TMP/err"); check_eq "helicone array: imported" "$out" \
	"helicone-array: imported 1 request, rejected 1 line (see: llmcost rejects helicone-array)"
check_has "helicone array: read whole" "$(cat "$TMP/err")" "read as Helicone requests, one JSON document: --format helicone"
check_has "helicone array: the element's line and index" "$(cat "$TMP/err")" \
	"$TMP/helicone-array.json:4: [1]: prompt_tokens: expected an integer from 0 to 4294967295, got -1"
$L import --strict --name strict-hc "$TMP/helicone.jsonl" >/dev/null 2>"$TMP/err"; check_eq "helicone --strict: exit 3" "$?" 3
check_has "helicone --strict: the first reject" "$(cat "$TMP/err")" "$TMP/helicone.jsonl:3: response_status"

# --- Langfuse observations: the public API's page {"data": [...]} over several lines.
# Prices as above, and gpt-4o 2.50 in, 1.25 cached, 10.00 out.  usageDetails summed as Langfuse
# does: every key holding "input" is input, every key holding "output" output.
#   line 2 o1 gpt-4o-2024-08-06 (its alias): input 700 + input_cached_tokens 300 = 1000 (300
#        cached), output 50 + output_reasoning_tokens 10 = 60: 700 × 2.50 + 300 × 1.25 + 60 ×
#        10 = 1750 + 375 + 600 = 2725 µUSD; costDetails.total 0.002725; tenant and task from
#        metadata; latency endTime − startTime = 1500 ms; its input's text
#   line 3 o2 a SPAN: skipped
#   line 4 o3 level ERROR "Error code: 429 - rate limit", no usage: rate_limited, 0 and 0;
#        tenant from userId u9, task from traceName checkout; calculatedTotalCost 0
#   line 5 o4 usageDetails.input "x": rejected
#   line 6 o5 the deprecated usage {input 2000, output 100}: 2000 × 0.15 + 100 × 0.60 = 300 + 60
#        = 360 µUSD; costDetails without total: 0.0003 + 0.00006 = 0.00036; metadata as the text
#        of JSON ("Tenant": acme), task from name
#   line 7 o6 a GENERATION without usage: rejected
# imported 3, rejected 2, skipped 1, failed 1; usd_total = billed_usd = 2725 + 0 + 360 = 3085 µUSD
cat > "$TMP/observations.json" <<'JSON'
{"data": [
  {"id":"o1","traceId":"t1","type":"GENERATION","name":"chat","startTime":"2026-03-02T10:00:00.000Z","endTime":"2026-03-02T10:00:01.500Z","model":"gpt-4o-2024-08-06","usageDetails":{"input":700,"input_cached_tokens":300,"output":50,"output_reasoning_tokens":10,"total":1060},"costDetails":{"input":0.00175,"input_cached_tokens":0.000375,"output":0.0006,"total":0.002725},"metadata":{"tenant":"globex","task":"summarize"},"userId":"u1","input":[{"role":"user","content":"sum this"}]},
  {"id":"o2","traceId":"t1","type":"SPAN","name":"retrieve","startTime":"2026-03-02T10:00:00.000Z"},
  {"id":"o3","traceId":"t2","type":"GENERATION","startTime":"2026-03-02T10:01:00Z","model":"gpt-4o-mini","level":"ERROR","statusMessage":"Error code: 429 - rate limit","traceName":"checkout","userId":"u9","calculatedTotalCost":0},
  {"id":"o4","traceId":"t3","type":"GENERATION","startTime":"2026-03-02T10:02:00Z","model":"gpt-4o-mini","usageDetails":{"input":"x"}},
  {"id":"o5","traceId":"t4","type":"GENERATION","name":"faq_answer","startTime":"2026-03-02T10:03:00Z","model":"gpt-4o-mini","usage":{"input":2000,"output":100,"total":2100,"unit":"TOKENS"},"costDetails":{"input":0.0003,"output":0.00006},"metadata":"{\"Tenant\":\"acme\"}"},
  {"id":"o6","traceId":"t5","type":"GENERATION","startTime":"2026-03-02T10:04:00Z","model":"gpt-4o-mini"}
]}
JSON
out=$($L import "$TMP/observations.json" 2>"$TMP/err"); check_eq "langfuse: imported" "$out" \
	"observations: imported 3 requests, rejected 2 lines (see: llmcost rejects observations)"
check_has "langfuse: auto names the format" "$(cat "$TMP/err")" \
	"$TMP/observations.json: read as Langfuse observations, one JSON document: --format langfuse"
check_has "langfuse: the reject names line 5, the element and the key" "$(cat "$TMP/err")" \
	"$TMP/observations.json:5: data[3]: usageDetails.input: expected an integer from 0 to 4294967295, got \"x\""
check_has "langfuse: the reject names line 7" "$(cat "$TMP/err")" "$TMP/observations.json:7: data[5]: usageDetails: missing"
check_has "langfuse: the span skipped" "$(cat "$TMP/err")" \
	"$TMP/observations.json: skipped 1 observation that is not a model call (its type is not GENERATION or EMBEDDING)"
check_has "langfuse: the failed one noted" "$(cat "$TMP/err")" \
	"$TMP/observations.json: 1 failed observation is imported as a request of its own (an observation is a call: "
rows=$(sqlite3 "$LLMCOST_DB" "SELECT line, tenant, task, model, status, input_tokens, cached_tokens, output_tokens, latency_ms, cost_usd, request_id, user, input FROM requests_v WHERE trace = 'observations' ORDER BY line")
check_eq "langfuse: the rows" "$rows" "2|globex|summarize|gpt-4o|ok|1000|300|60|1500.0|0.002725|o1|u1|sum this
4|u9|checkout|gpt-4o-mini|rate_limited|0||0||0.0|o3|u9|
6|acme|faq_answer|gpt-4o-mini|ok|2000||100||0.00036|o5||"
check_eq "langfuse: usd_total by hand" "$(usd observations usd_total)" "0.003085000000"
check_eq "langfuse: billed_usd is the cost" "$(usd observations billed_usd)" "0.003085000000"
# one observation a line (JSON Lines), told by its first line
printf '%s\n' '{"id":"x1","traceId":"t","type":"GENERATION","startTime":"2026-03-02T10:00:00Z","model":"gpt-4o-mini","usageDetails":{"input":10,"output":1}}' > "$TMP/lf.jsonl"
out=$($L import "$TMP/lf.jsonl" 2>"$TMP/err"); check_eq "langfuse lines: imported" "$out" "lf: imported 1 request"
check_has "langfuse lines: auto names the format" "$(cat "$TMP/err")" "$TMP/lf.jsonl: read as Langfuse observations: --format langfuse"
# a Helicone file given --format langfuse: every record rejected, by the field it lacks
out=$($L import --format langfuse --name wrong-lf "$TMP/helicone.jsonl" 2>"$TMP/err")
check_has "helicone as --format langfuse: every line rejected" "$out" "wrong-lf: imported 0 requests, rejected 7 lines"
check_has "helicone as --format langfuse: the field named" "$(cat "$TMP/err")" "$TMP/helicone.jsonl:1: startTime: missing"

# --- Helicone's CSV export (@helicone/export --format csv: a header, then a record a row, every
# cell quoted; an object's JSON with its quotes doubled twice, as the exporter writes it).
# Prices as above (gpt-4o-mini 0.15 in, 0.60 out µUSD per token).
#   lines 2-4 c1: request_body's JSON over three lines (one record); tenant acme and task faq
#        from request_properties; 1000 in, 100 out: 1000 × 0.15 + 100 × 0.60 = 150 + 60 = 210
#        µUSD; cost_usd 0.00021; latency 1200 ms; its input "hi"
#   line 5 c2: 429 without usage: rate_limited, 0 and 0; cost_usd 0
#   line 6 c3: response_status "abc": rejected
#   lines 7-8 c4: a record of 11 fields over two lines: rejected at its first line
#   line 9 c5: no properties: tenant from request_user_id u9, task unknown; 400 in, 50 out:
#        400 × 0.15 + 50 × 0.60 = 60 + 30 = 90 µUSD; cost_usd 0.00009
#   line 10: a quote the file's end leaves open: rejected at line 10, the quote's column 64
#        ("c6", 5 bytes + the time quoted and its comma 26 + "200", 6 + the time again 26 = 63
#        before it)
# imported 3, rejected 3, failed 1; usd_total = billed_usd = 210 + 0 + 90 = 300 µUSD
cat > "$TMP/helicone.csv" <<'CSV'
response_id,response_created_at,response_status,request_created_at,request_body,request_properties,request_user_id,model,prompt_tokens,completion_tokens,latency,cost_usd
"c1","2026-03-02 10:00:01.200","200","2026-03-02 10:00:00.000","{
  ""messages"": [{""role"": ""user"", ""content"": ""hi""}]
}","{""""Tenant"""":""""acme"""",""""Task"""":""""faq""""}","u1","gpt-4o-mini","1000","100","1200","0.00021"
"c2","2026-03-02 10:00:05.030","429","2026-03-02 10:00:05.000","","","","gpt-4o-mini","","","30","0"
"c3","2026-03-02 10:00:06.000","abc","2026-03-02 10:00:06.000","","","","gpt-4o-mini","1","1","0",""
"c4","2026-03-02 10:00:07.000","200","2026-03-02 10:00:07.000","a
b","","","gpt-4o-mini","1","1",""
"c5","2026-03-02 10:00:09.500","200","2026-03-02 10:00:09.000","","","u9","gpt-4o-mini","400","50","500","0.00009"
"c6","2026-03-02 10:00:10.000","200","2026-03-02 10:00:10.000","{
CSV
out=$($L import "$TMP/helicone.csv" 2>"$TMP/err"); check_eq "helicone csv: imported" "$out" \
	"helicone.csv: imported 3 requests, rejected 3 lines (see: llmcost rejects helicone.csv)"
check_has "helicone csv: auto names the format" "$(cat "$TMP/err")" "$TMP/helicone.csv: read as Helicone requests (CSV): --format helicone"
check_has "helicone csv: the status reject at line 6" "$(cat "$TMP/err")" \
	"$TMP/helicone.csv:6: response_status: expected an HTTP status code (an integer), got \"abc\""
check_has "helicone csv: a short record rejected at its first line" "$(cat "$TMP/err")" \
	"$TMP/helicone.csv:7: expected 12 fields, as the header has, got 11"
check_has "helicone csv: an open quote at the end rejected at its line" "$(cat "$TMP/err")" \
	"$TMP/helicone.csv:10: not CSV: a quoted field is never closed (column 64)"
check_has "helicone csv: the failed record noted" "$(cat "$TMP/err")" \
	"$TMP/helicone.csv: 1 failed record is imported as a request of its own"
rows=$(sqlite3 "$LLMCOST_DB" "SELECT line, ts, tenant, task, model, status, input_tokens, output_tokens, latency_ms, cost_usd, request_id, user, input FROM requests_v WHERE trace = 'helicone.csv' ORDER BY line")
check_eq "helicone csv: the rows" "$rows" "2|2026-03-02T10:00:00.000000Z|acme|faq|gpt-4o-mini|ok|1000|100|1200.0|0.00021|c1|u1|hi
5|2026-03-02T10:00:05.000000Z|unknown|unknown|gpt-4o-mini|rate_limited|0|0|30.0|0.0|c2||
9|2026-03-02T10:00:09.000000Z|u9|unknown|gpt-4o-mini|ok|400|50|500.0|9.0e-05|c5|u9|"
check_eq "helicone csv: usd_total by hand" "$(usd helicone.csv usd_total)" "0.000300000000"
check_eq "helicone csv: billed_usd is the cost" "$(usd helicone.csv billed_usd)" "0.000300000000"
# --format helicone reads CSV too; columns by name in any order, one the reader does not know kept out
printf 'model,note,completion_tokens,request_created_at,prompt_tokens\ngpt-4o-mini,"a, b",2,2026-03-02T10:00:00Z,10\n' > "$TMP/hc-cols.txt"
out=$($L import --format helicone "$TMP/hc-cols.txt" 2>"$TMP/err"); check_eq "helicone csv --format: imported" "$out" \
	"hc-cols.txt: imported 1 request"
check_eq "helicone csv by name: the row" "$(sqlite3 "$LLMCOST_DB" "SELECT input_tokens, output_tokens, model, extra FROM requests_v WHERE trace = 'hc-cols.txt'")" \
	"10|2|gpt-4o-mini|"
# auto, a file without a .csv name: told by its header
$L import --name hc-auto "$TMP/hc-cols.txt" >/dev/null 2>"$TMP/err"
check_has "helicone csv: told by its header" "$(cat "$TMP/err")" "read as Helicone requests (CSV): --format helicone"

# a quote inside a field not in quotes (bob"s) costs its record alone: it opens no quoted field
# that would join the lines after it into one reject.  Its column: "a1," 3 + the time and its
# comma 21 + "gpt-4o-mini," 12 + "10," 3 + "2," 2 + "bob" 3 = 44 bytes before it: column 45
printf '%s\n' 'request_id,request_created_at,model,prompt_tokens,completion_tokens,note' \
	'a1,2026-03-02T10:00:00Z,gpt-4o-mini,10,2,bob"s' 'a2,2026-03-02T10:00:01Z,gpt-4o-mini,10,2,' \
	'a3,2026-03-02T10:00:02Z,gpt-4o-mini,10,2,"x"' > "$TMP/hc-stray.csv"
out=$($L import "$TMP/hc-stray.csv" 2>"$TMP/err"); check_eq "helicone csv: a stray quote rejects its line alone" "$out" \
	"hc-stray.csv: imported 2 requests, rejected 1 line (see: llmcost rejects hc-stray.csv)"
check_has "helicone csv: the stray quote's reason" "$(cat "$TMP/err")" \
	"$TMP/hc-stray.csv:2: not CSV: a quote inside a field not in quotes (column 45)"
# a number in quotes is taken as written only: " 200 " (spaces around it) is no status
printf '%s\n' '{"request_id":"q1","request_created_at":"2026-03-02T10:00:00Z","model":"gpt-4o-mini","prompt_tokens":5,"completion_tokens":3,"response_status":" 200 "}' > "$TMP/hq.jsonl"
$L import --format helicone "$TMP/hq.jsonl" >/dev/null 2>"$TMP/err"
check_has "helicone: a quoted status with spaces rejected" "$(cat "$TMP/err")" \
	"$TMP/hq.jsonl:1: response_status: expected an HTTP status code (an integer), got \" 200 \""
# a header rejected (a quote out of place; a column named twice): every record after it is
# rejected for want of names, none taken for the header and dropped unseen
printf '%s\n' 'request_id,request_created_at,mo"del,prompt_tokens' 'a1,2026-03-02T10:00:00Z,gpt-4o-mini,10' \
	'a2,2026-03-02T10:00:01Z,gpt-4o-mini,10' > "$TMP/hc-badhdr.csv"
out=$($L import --format helicone "$TMP/hc-badhdr.csv" 2>"$TMP/err"); check_eq "helicone csv: a bad header rejects all" "$out" \
	"hc-badhdr.csv: imported 0 requests, rejected 3 lines (see: llmcost rejects hc-badhdr.csv)"
check_has "helicone csv: the records after a bad header" "$(cat "$TMP/err")" \
	"$TMP/hc-badhdr.csv:2: no column names: the header (line 1) was rejected"
printf '%s\n' 'request_id,request_created_at,model,prompt_tokens,prompt_tokens' 'a1,2026-03-02T10:00:00Z,gpt-4o-mini,10,999' \
	> "$TMP/hc-duphdr.csv"
$L import --format helicone "$TMP/hc-duphdr.csv" >/dev/null 2>"$TMP/err"
check_has "helicone csv: a column named twice" "$(cat "$TMP/err")" \
	"$TMP/hc-duphdr.csv:1: the header names the column \"prompt_tokens\" twice"

# --- Langfuse traces with their observations nested (GET /api/public/traces/{id}), and a page of
# the trace list, whose observations are ids alone.  gpt-4o 2.50 in, 10.00 out; gpt-4o-mini 0.15
# in, 0.60 out (µUSD per token).
#   line 9 o1: tenant acme (the trace's userId), task digest (the trace's metadata Task), session
#        s1 (the trace's); 10 in, 5 out on gpt-4o: 10 × 2.50 + 5 × 10 = 25 + 50 = 75 µUSD;
#        latency 2000 ms
#   line 11 o2: a SPAN, skipped
#   line 12 o3: tenant beta (its own metadata), user u9 (its own), task digest; 1 in, 2 out on
#        gpt-4o-mini: 0.15 + 1.20 = 1.35 µUSD
#   line 14 o4: startTime "bad": rejected at its line
# imported 2, rejected 1, skipped 1; usd_total = 75 + 1.35 = 76.35 µUSD
cat > "$TMP/lf-trace.json" <<'JSON'
{
  "id": "t1",
  "timestamp": "2026-01-01T00:00:00Z",
  "name": "summarize",
  "userId": "acme",
  "sessionId": "s1",
  "metadata": {"Task": "digest"},
  "observations": [
    {"id": "o1", "traceId": "t1", "type": "GENERATION", "name": "llm", "startTime": "2026-01-01T00:00:00Z",
     "endTime": "2026-01-01T00:00:02Z", "model": "gpt-4o", "usageDetails": {"input": 10, "output": 5}},
    {"id": "o2", "traceId": "t1", "type": "SPAN", "startTime": "2026-01-01T00:00:00Z"},
    {"id": "o3", "traceId": "t1", "type": "GENERATION", "startTime": "2026-01-01T00:00:03Z",
     "metadata": {"tenant": "beta"}, "userId": "u9", "model": "gpt-4o-mini", "usageDetails": {"input": 1, "output": 2}},
    {"id": "o4", "traceId": "t1", "type": "GENERATION", "startTime": "bad"}
  ]
}
JSON
out=$($L import "$TMP/lf-trace.json" 2>"$TMP/err"); check_eq "langfuse trace: imported" "$out" \
	"lf-trace: imported 2 requests, rejected 1 line (see: llmcost rejects lf-trace)"
check_has "langfuse trace: the reject names line 14 and its place" "$(cat "$TMP/err")" \
	"$TMP/lf-trace.json:14: observations[3]: startTime: "
check_has "langfuse trace: the span skipped" "$(cat "$TMP/err")" "skipped 1 observation that is not a model call"
rows=$(sqlite3 "$LLMCOST_DB" "SELECT line, tenant, task, model, input_tokens, output_tokens, latency_ms, request_id, session, user FROM requests_v WHERE trace = 'lf-trace' ORDER BY line")
check_eq "langfuse trace: the rows" "$rows" "9|acme|digest|gpt-4o|10|5|2000.0|o1|s1|acme
12|beta|digest|gpt-4o-mini|1|2||o3|s1|u9"
check_eq "langfuse trace: usd_total by hand" "$(usd lf-trace usd_total)" "0.000076350000"
printf '%s\n' '{"data":[{"id":"t2","timestamp":"2026-01-01T00:00:00Z","observations":["a","b"]}],"meta":{}}' > "$TMP/lf-list.json"
out=$($L import "$TMP/lf-list.json" 2>"$TMP/err"); check_eq "langfuse trace list: rejected" "$out" \
	"lf-list: imported 0 requests, rejected 1 line (see: llmcost rejects lf-list)"
check_has "langfuse trace list: why" "$(cat "$TMP/err")" \
	"$TMP/lf-list.json:1: data[0]: observations: ids alone (as a list of traces gives them), no Langfuse observation to read: export each trace whole (GET /api/public/traces/{id})"

# --- help
out=$($L import --help)
for f in auto jsonl otlp litellm openai-batch helicone langfuse; do check_has "--help names $f" "$out" "  $f "; done
check_has "--help: --format" "$out" "--format F"

finish
