/*
 * llmcost's entry point: the command table and dispatch.  Every subcommand is
 * one row here; `llmcost help`, `llmcost CMD --help` and the errors for an
 * unknown command are all generated from this table.
 */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <readline/readline.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/scenario.h"
#include "traces/text.h"
#include "tui/cli.h"

#define LLMCOST_VERSION "0.1.0"

/* The --db option of every command's help, in one wording (README "The store"); pad is the
 * space between "--db PATH" and the text, as wide as the command's other options take. */
#define DB_OPTION(pad) \
	"  --db PATH" pad "the store (default $LLMCOST_DB, else\n" \
	"           " pad "$XDG_DATA_HOME/llmcost/llmcost.db, else\n" \
	"           " pad "~/.local/share/llmcost/llmcost.db)\n"

const struct command commands[] = {
	{ "import", "FILE... [--format F] [--name N] [--strict] [--replace] [--quiet] [--db PATH]",
	  "import traces (JSON Lines, OTLP spans, LiteLLM, OpenAI Batch, Helicone, Langfuse) into the store",
	  "Imports trace files into the store: plain, .gz, or - for stdin.  Each file\n"
	  "becomes a trace named after the file (without .jsonl/.json/.gz); with --name all\n"
	  "files form one trace.  Malformed records are reported as FILE:LINE: field:\n"
	  "reason, kept in the store's rejects table (see `llmcost rejects NAME`) and\n"
	  "counted; the rest is imported.  One import is one transaction: on failure,\n"
	  "Ctrl-C, SIGTERM or SIGHUP (its terminal closed) the store is left unchanged.\n"
	  "\n"
	  "formats (--format; README.md \"Other formats\" maps each field):\n"
	  "  auto          the default: each file's own, told by its first line's fields\n"
	  "                (a line that is not JSON: trace v1 when the name ends .jsonl,\n"
	  "                .json or .ndjson, gzipped or not, else an error); a format other\n"
	  "                than jsonl is named on stderr\n"
	  "  jsonl         trace format v1, one request a line (SPEC section 2)\n"
	  "  otlp          OpenTelemetry GenAI spans in OTLP/JSON: the file exporter's\n"
	  "                lines of {\"resourceSpans\":...}, or one such document; each chat,\n"
	  "                text_completion, generate_content or embeddings span is a\n"
	  "                request, other spans are skipped and counted; rejects read\n"
	  "                FILE:LINE: resourceSpans[i].scopeSpans[j].spans[k]: reason\n"
	  "  litellm       LiteLLM spend logs: rows of LiteLLM_SpendLogs, one JSON object\n"
	  "                a line, as\n"
	  "                psql -At -c 'SELECT row_to_json(t) FROM \"LiteLLM_SpendLogs\" t'\n"
	  "                prints them, or a JSON array of them (the proxy's /spend/logs\n"
	  "                answer); spend is cost_usd\n"
	  "  openai-batch  OpenAI Batch API output or error files (one item a line); ts is\n"
	  "                the response's created time, realtime false, request_id the\n"
	  "                custom_id; the batch's input file, given first in the same\n"
	  "                trace, adds each request's text, tenant, task and model, joined\n"
	  "                by custom_id\n"
	  "  helicone      Helicone requests: @helicone/export --format jsonl records (one\n"
	  "                a line), a JSON array of them, an API page {\"data\":[...]}, or\n"
	  "                its --format csv (a header of column names, any order; a\n"
	  "                record may span lines); tenant and task from the\n"
	  "                request_properties tenant and task (Helicone-Property-Tenant/\n"
	  "                -Task), cost is cost_usd; cache hits are noted\n"
	  "  langfuse      Langfuse observations: the API's pages {\"data\":[...]}, an\n"
	  "                array or one a line, or traces with them nested (GET\n"
	  "                /api/public/traces/{id}); each GENERATION or EMBEDDING (or\n"
	  "                untyped) observation is a request, other types are skipped and\n"
	  "                counted; tokens sum every usageDetails key holding input\n"
	  "                (output), as Langfuse does; tenant and task from metadata,\n"
	  "                else userId and traceName or name\n"
	  "  Where a format has no tenant or task, they are \"unknown\" unless a tenant/task\n"
	  "  attribute or metadata key names them (README.md).\n"
	  "\n"
	  "options:\n"
	  "  --format F   auto, jsonl, otlp, litellm, openai-batch, helicone or langfuse\n"
	  "               (default auto)\n"
	  "  --name N     store the trace under name N\n"
	  "  --strict     fail (exit 3, write nothing) at the first malformed record\n"
	  "  --replace    replace a stored trace of the same name\n"
	  "  --quiet      print no per-line rejection messages or format notes\n"
	  DB_OPTION("    ")
	  "\n"
	  "examples:\n"
	  "  llmcost import prod-2026-03-02.jsonl.gz\n"
	  "  zcat day*.jsonl.gz | llmcost import - --name march\n"
	  "  llmcost import spans.jsonl --format otlp\n"
	  "  llmcost import batch_in.jsonl batch_out.jsonl batch_errors.jsonl \\\n"
	  "      --name batch-0302\n",
	  cmd_import },
	{ "traces", "[--db PATH]",
	  "list the traces the store holds",
	  "Lists the stored traces: name, requests, rejected lines, tenants, time span,\n"
	  "source.\n"
	  "\n"
	  "options:\n"
	  DB_OPTION("    "),
	  cmd_traces },
	{ "rejects", "NAME [--db PATH]",
	  "show the lines of a trace that were rejected at import, with the reason",
	  "Prints each rejected line of trace NAME as FILE:LINE: reason, then the line\n"
	  "itself, control characters and bytes that are not UTF-8 shown as escapes\n"
	  "(\\u001b, \\xff).\n"
	  "\n"
	  "options:\n"
	  DB_OPTION("    "),
	  cmd_rejects },
	{ "rm", "NAME... [--db PATH]",
	  "remove stored traces (their requests, attempts and rejected lines)",
	  "Removes each named trace from the store, all in one transaction: when one name\n"
	  "is unknown, nothing is removed, and Ctrl-C or SIGTERM (even midway) removes\n"
	  "nothing.  On a terminal a removal of more than a second shows a progress line.\n"
	  "\n"
	  "The space it frees stays inside the store's file, for later imports.  When no\n"
	  "trace is left, rm compacts the store (VACUUM), so the file shrinks; otherwise,\n"
	  "from 16 MiB freed up, it says how much is free and how to shrink the file now:\n"
	  "sqlite3 STORE VACUUM, which rewrites the store.  A compaction meeting another\n"
	  "process's lock is skipped, with that note, not waited for.\n"
	  "\n"
	  "options:\n"
	  DB_OPTION("    ")
	  "\n"
	  "example:\n"
	  "  llmcost rm march-test\n",
	  cmd_rm },
	{ "gen", "RECIPE [--requests N] [--tenants T] [--days D] [--seed S] [-o FILE]",
	  "write a synthetic trace (faq, docs, flood, mixed) as JSON Lines",
	  "Writes a synthetic trace v1 (JSON Lines) of one of the cost-design article's\n"
	  "workloads.  The bytes depend only on the recipe, the options and the seed (the\n"
	  "clock starts at a fixed date), and memory stays flat for any number of requests.\n"
	  "\n"
	  "recipes:\n"
	  "  faq    customer-support FAQ bot on gpt-4.1-mini: the 30 most common questions\n"
	  "         are 40% of requests, asked in case and spacing variants, so cache-key\n"
	  "         normalization matters (default 100k requests, 8 tenants, 7 days)\n"
	  "  docs   document-analysis API on gpt-4.1: inputs average over 20k tokens, a\n"
	  "         lognormal tail reaches 200k; `input` is the title (5k, 6 tenants,\n"
	  "         7 days)\n"
	  "  flood  incident: normal days, then gpt-4.1-mini times out 10:00-10:45Z on the\n"
	  "         last day (2026-03-02) and fallbacks to gpt-4o flood; `attempts` records\n"
	  "         every retry and fallback.  Price it with fixtures/pricing/flood.json\n"
	  "         (80k, 10 tenants, 3 days)\n"
	  "  mixed  every task type across tenants: difficulty, quality, realtime:false\n"
	  "         reports, cached tokens, a few errors; the benchmark workload\n"
	  "         (100k, 12 tenants, 7 days)\n"
	  "\n"
	  "options:\n"
	  "  --requests N       lines to write, 1 to 10G; k, M and G suffixes (250k, 10M)\n"
	  "  --tenants T        tenants, 1 to 10000, with Zipf-like shares (acme is the\n"
	  "                     largest)\n"
	  "  --days D           days of traffic from 2026-03-01, 1 to 366; flood: D-1\n"
	  "                     normal days before its outage day, 2026-03-02 (so from\n"
	  "                     2026-03-03 minus D)\n"
	  "  --seed S           PRNG seed, decimal or 0x hex (default 1): another seed,\n"
	  "                     another trace\n"
	  "  -o, --output FILE  write to FILE (default: stdout, also -), replacing what it\n"
	  "                     held; a FILE ending in .gz is gzip-compressed; an SQLite\n"
	  "                     file (a store) is refused; FILE keeps what it held until\n"
	  "                     the new one is whole (a run failing or stopped early, by\n"
	  "                     Ctrl-C, SIGTERM or SIGHUP, leaves it as it was); through a\n"
	  "                     symbolic link its target is replaced; a write-protected\n"
	  "                     FILE is refused\n"
	  "\n"
	  "examples:\n"
	  "  llmcost gen faq -o faq.jsonl\n"
	  "  llmcost gen docs --requests 200 | head -3\n"
	  "  llmcost gen flood -o flood.jsonl.gz && llmcost import flood.jsonl.gz\n"
	  "  llmcost gen faq --seed 7 --tenants 50 --days 30 -o month.jsonl.gz\n"
	  "  llmcost gen mixed --requests 10M -o /dev/null      # generator speed\n",
	  cmd_gen },
	{ "replay", "TRACE [-s SCENARIO]... [--json|--csv] [--by tenant|task|model|time] [--top N] "
	  "[--from TIME] [--to TIME] [--db PATH]",
	  "replay a trace through scenarios and compare their cost, hit rates, fallbacks and alerts",
	  "Replays TRACE in virtual time through each scenario and compares them side by\n"
	  "side: projected monthly cost, cost per resolved request, cache hit rate and\n"
	  "tokens saved, model mix, retries, fallbacks, budget violations, latency, and\n"
	  "the alerts that fired.  TRACE is a stored trace, or a trace file in any import\n"
	  "format (imported on first use as `import` does, under its name without\n"
	  ".jsonl/.json/.gz; later runs reuse the stored copy, note when the file changed\n"
	  "since, and refuse another file of the same name).  The first scenario is the\n"
	  "reference: the table shows each other one's change against it (amounts and\n"
	  "counts in %, rates in percentage points).  Without -s the trace is priced as it\n"
	  "was recorded (the `recorded` scenario with the bundled price table), which also\n"
	  "checks the lines' cost_usd against the prices.  Scenarios run in parallel, one\n"
	  "per core; on a terminal, a run that takes more than a second shows its progress\n"
	  "on stderr.\n"
	  "\n"
	  "options:\n"
	  "  -s, --scenario S  a scenario file, or a bundled one by name: recorded,\n"
	  "                    baseline, v3, flood-guard (fixtures/scenarios); repeat to\n"
	  "                    compare several\n"
	  "  --json            one JSON object: the trace, then per scenario its totals,\n"
	  "                    by_tenant, by_task, by_model, timeline and alerts (USD with\n"
	  "                    12 decimals)\n"
	  "  --csv             CSV: a header of metric names, then a row per scenario\n"
	  "  --by G            a row per tenant, task, model or time bucket (G), per\n"
	  "                    scenario; the table lists tenants, tasks and models by USD,\n"
	  "                    highest first\n"
	  "  --top N           the table's first N groups of --by tenant, task or model\n"
	  "                    (default 20, 0: all); --csv and --json list every group\n"
	  "  --from TIME       replay only the requests arriving at or after TIME, an\n"
	  "                    RFC 3339 time as a trace's ts is written\n"
	  "                    (2026-03-02T14:00:00Z, fractions and offsets allowed)\n"
	  "  --to TIME         ... and before TIME (excluded); either may be left out\n"
	  DB_OPTION("         ")
	  "\n"
	  "With --from/--to, the requests that arrive in [from, to) are replayed, each\n"
	  "with the random draws it has in the whole trace; calls begun in the range run\n"
	  "to completion past `to`.  The trace's figures (requests, span, projection,\n"
	  "alerts) are those of the requests selected; the table says the range under the\n"
	  "trace line, --json in the trace object (from, to), --csv in two last columns.\n"
	  "A range that holds no request gives an empty trace's report, with a note.\n"
	  "\n"
	  "A bad scenario or pricing file, or a model the pricing file lacks, exits 3.\n"
	  "\n"
	  "examples:\n"
	  "  llmcost replay prod-2026-03-02.jsonl.gz    # import, price as recorded\n"
	  "  llmcost replay prod-2026-03-02 -s recorded -s v3 -s flood-guard\n"
	  "  llmcost replay march -s my-policy.json --by tenant\n"
	  "  llmcost replay march -s baseline -s v3 --json |\n"
	  "      jq '.scenarios[].totals.usd_total'\n"
	  "  llmcost replay march -s v3 --csv --by time > v3-timeline.csv\n"
	  "  llmcost replay prod-2026-03-02 -s recorded -s flood-guard \\\n"
	  "      --from 2026-03-02T14:00:00Z --to 2026-03-02T16:00:00Z   # an incident\n",
	  cmd_replay },
	{ "tui", "[TRACE] [-s SCENARIO]... [--db PATH] [--no-color] [--frames N]",
	  "the console: scenarios side by side, edited live (also `llmcost` alone)",
	  "Opens the console on TRACE (a stored trace, or a trace file in any import\n"
	  "format, imported on first use); without TRACE on the store's newest trace, or\n"
	  "on the bundled flood demo when the store is empty.  Without -s the scenarios\n"
	  "are recorded and every bundled one.\n"
	  "`llmcost` with no arguments in a terminal does the same.\n"
	  "\n"
	  "views (1-5, Tab):\n"
	  "  Compare   metrics as rows, scenarios as columns, changes against the first\n"
	  "  Tenants   a row per tenant of the selected scenario (h/l); s sorts, / filters\n"
	  "  Timeline  usd/h, fallback rate and hit rate per bucket; alert windows marked\n"
	  "  Budget    a row per task: violations, truncated, summarized, async, capped,\n"
	  "            USD\n"
	  "  Alerts    every alert of every scenario, newest first\n"
	  "? shows every key, q quits.  `:` opens the command line (Tab completes, history\n"
	  "is kept in $XDG_DATA_HOME/llmcost/console_history, ~/.local/share/llmcost\n"
	  "without XDG_DATA_HOME; a symbolic link there or another user's file is not\n"
	  "used): load TRACE, scenario add|drop|edit, set [SCENARIO.]KEY.PATH VALUE, unset,\n"
	  "run, export json|csv FILE, save SCENARIO FILE, notes [SCENARIO], help, quit.\n"
	  "A scenario re-runs as soon as it is edited, on a worker thread; the previous\n"
	  "figures stay on screen until the new ones are ready, and the header shows the\n"
	  "runs left and the share of their requests replayed so far.\n"
	  "\n"
	  "options:\n"
	  "  -s, --scenario S  a scenario file, or a bundled one by name (as for replay)\n"
	  DB_OPTION("         ")
	  "  --no-color        monochrome (also when NO_COLOR is set)\n"
	  "  --frames N        draw N frames, then exit (for tests): each frame waits for\n"
	  "                    the runs and, without a key pressed, shows the next view\n"
	  "\n"
	  "The terminal must be at least 60x15.\n"
	  "\n"
	  "examples:\n"
	  "  llmcost tui prod-2026-03-02.jsonl.gz -s recorded -s v3 -s my-policy.json\n"
	  "  :set v3.cache.ttl_s.small 1800\n",
	  cmd_tui },
	{ "live", "TRACE -s SCENARIO --max-usd X [--sample N] [--concurrency C] [--record FILE] [--dry-run] [--db PATH]",
	  "send a trace's requests to the OpenAI API under a scenario, within a spend cap",
	  "Sends the requests of TRACE (a stored trace, or a trace file in any import\n"
	  "format, imported on first use) that hold `input` text to the OpenAI Responses\n"
	  "API, in arrival order, under the policies of one scenario: its cache, budgets\n"
	  "(output_max becomes max_output_tokens), routing, retries (waiting for\n"
	  "Retry-After when the API asks) and fallback chain.  The breaker, the gates, the\n"
	  "batch queue and injected faults are the replay's alone.\n"
	  "\n"
	  "A call is sent only when its worst case still fits under --max-usd: its text's\n"
	  "bytes (a token is at least one byte) plus 32 as input tokens and its\n"
	  "max_output_tokens as output, at list price.  A timed-out call counts at its\n"
	  "worst case, as the API may still bill it.  The first call that does not fit\n"
	  "stops the run (exit 4).  On a terminal a progress line shows the requests done\n"
	  "and in flight from a second in.\n"
	  "\n"
	  "Every request that made a call is recorded as a trace v1 line (every call in\n"
	  "`attempts`, the cost at list price in `cost_usd`, absent when a call timed out\n"
	  "or met a content filter, whose bill is not known), so the run can be replayed\n"
	  "beside its estimate.  A line is written when its request ends, and never\n"
	  "rewritten: `llmcost watch RECORD` can follow the run.  The key is read from\n"
	  "OPENAI_API_KEY only, and never printed or recorded; OPENAI_BASE_URL overrides\n"
	  "https://api.openai.com/v1 (set but empty, it is refused).  TLS verification\n"
	  "stays on.\n"
	  "\n"
	  "options:\n"
	  "  -s, --scenario S  the scenario (a file, or a bundled one by name)\n"
	  "  --max-usd X       the spend cap in dollars (required)\n"
	  "  --sample N        send N requests, evenly spread over those with input text\n"
	  "                    (default all)\n"
	  "  --concurrency C   requests in flight at once, 1 to 64 (default 4)\n"
	  "  --record FILE     the record (default live-TRACE-YYYYMMDDTHHMMSSZ.jsonl\n"
	  "                    here): a new regular file, never an existing one, a device\n"
	  "                    or \"-\"\n"
	  "  --dry-run         send nothing: every call is taken to answer with its worst\n"
	  "                    case; says what the run would send and what it could cost\n"
	  DB_OPTION("         ")
	  "\n"
	  "exit codes: 0 done, 1 failure (no key, the key refused, the quota spent, the API\n"
	  "not reached: TLS refused, or no connection before any call reached it or after 3\n"
	  "more tries 0.5, 1 and 2 s apart), 2 usage, 3 bad input, 4 the spend cap stopped\n"
	  "the run.\n"
	  "\n"
	  "examples:\n"
	  "  llmcost live march --sample 50 -s v3 --max-usd 0.50 --dry-run\n"
	  "  OPENAI_API_KEY=... llmcost live march --sample 50 -s v3 --max-usd 0.50\n"
	  "  llmcost replay live-march-20261128T120000Z.jsonl -s recorded -s v3\n",
	  cmd_live },
	{ "watch", "FILE|TRACE [-s SCENARIO] [--speed N] [--db PATH]",
	  "follow a growing trace file, or play a stored trace, with alerts as they fire",
	  "Follows FILE, a JSON Lines trace, as it grows (like tail -F: from its first\n"
	  "line, through truncation and rotation), or plays TRACE, a stored trace, N times\n"
	  "faster than real time.  What has arrived is replayed under the scenario (default\n"
	  "recorded) once a second, or less often when one replay takes over a fifth of\n"
	  "that: its alerts as replay computes them, a banner while a fallback flood is\n"
	  "under way, and each tenant's requests, spend and fallback rate over the last 5\n"
	  "minutes and hour (the traffic as recorded, priced with the scenario's table)\n"
	  "beside its cache hit rate and spend in the replay so far (the scenario's cache\n"
	  "shows only there: recorded lines are calls, never hits).  A terminal narrower\n"
	  "than 84 columns drops the requests over 5 minutes, then those over the hour and\n"
	  "the spend over 5 minutes.  \"Now\" is the playback's position, or for a file the\n"
	  "clock while the file's latest line is less than an hour old, else that line's\n"
	  "time.  FILE must be trace v1: a gzip-compressed file, or one whose first JSON\n"
	  "line is of another import format (OTLP spans, LiteLLM rows, OpenAI Batch,\n"
	  "Helicone, Langfuse), or a Helicone CSV export, is refused at once (exit 3);\n"
	  "import it, then play it:\n"
	  "llmcost watch TRACE --speed N.\n"
	  "\n"
	  "In a terminal a screen (q quits; for a stored trace p pauses, + and - change\n"
	  "the speed); otherwise a line when an alert starts (with its first instant's\n"
	  "figures) and when it ends (with its peak's), at the times replay gives it and\n"
	  "in their order, the same lines at any --speed; then, at the end of the trace or\n"
	  "on Ctrl-C, the alerts table as replay prints it.  Malformed lines of a file,\n"
	  "and lines the scenario cannot price, are reported with their line numbers and\n"
	  "skipped.\n"
	  "\n"
	  "options:\n"
	  "  -s, --scenario S  the scenario (a file, or a bundled one by name)\n"
	  "  --speed N         play a stored trace N times faster than real time\n"
	  "                    (default 1, above 0 and at most 1e9); with it a bare name\n"
	  "                    is the stored trace even beside a file of that name\n"
	  "                    (./NAME is the file)\n"
	  DB_OPTION("         ")
	  "\n"
	  "A bad scenario or pricing file, a file of a format watch cannot follow, or a\n"
	  "stored trace with a model the pricing file lacks exits 3 (at once, as replay\n"
	  "refuses it); a path that is not a regular file (a folder, a FIFO: never waited\n"
	  "on) exits 1.\n"
	  "\n"
	  "examples:\n"
	  "  llmcost watch /var/log/llm/requests.jsonl -s flood-guard\n"
	  "  llmcost watch flood --speed 600\n",
	  cmd_watch },
	{ 0 }
};

/* The commands run() answers itself, besides the table's: listed with them in the help and in
 * the unknown-command message. */
static const struct command builtins[] = {
	{ "help", "[CMD|TOPIC]", "this help, a command's (as `llmcost CMD --help`), or a topic's",
	  "Without CMD: every command, in brief, the topics and the exit codes.  With CMD:\n"
	  "that command's usage, as `llmcost CMD --help` prints it.  With TOPIC: that page.\n"
	  "\n"
	  "topics:\n"
	  "  scenario  every key a scenario file may hold: its path, value and default\n"
	  "\n"
	  "examples:\n"
	  "  llmcost help\n"
	  "  llmcost help replay\n"
	  "  llmcost help scenario\n",
	  NULL },
	{ "version", "", "the version and the libraries' (also --version), for a bug report",
	  "Prints llmcost's version, then the versions of the libraries it runs with\n"
	  "(SQLite, libcurl, ncurses, readline, cJSON, zlib), for a bug report.\n"
	  "`llmcost --version` is the same.\n",
	  NULL },
	{ 0 }
};

/*
 * `llmcost help scenario`: every key of the scenario key table (sim/scenario.c), in its order
 * and groups (a section, a map or a list at the top, and the plain keys after a group, start a
 * group), each as its path and the value it takes, then its help line, wrapped to the help's
 * 80 columns.
 */
static void print_scenario_keys(FILE *f)
{
	fputs("A scenario file is a JSON object of the keys below; an absent key takes its\n"
	      "default, and \"extends\" inherits another file's, key by key (README.md\n"
	      "\"Scenarios and prices\").  In a path, * is a name you choose (a route, a task)\n"
	      "and [] an element of an array: \"budget\": {\"faq_answer\": {\"input_max\": 4000}}\n"
	      "sets budget.*.input_max.  A recorded scenario takes only name, mode, pricing,\n"
	      "billing, alerts and projection.  The console's `set` takes the same paths\n"
	      "(set v3.cache.capacity 5000).\n", f);
	for (size_t i = 0; i < scenario_n_keys; i++) {
		const struct scenario_key *k = &scenario_keys[i];
		int top = !strchr(k->path, '.') && !strchr(k->path, '[');
		int parent = k->type == SKEY_OBJECT || k->type == SKEY_SECTION || k->type == SKEY_MAP ||
		             k->type == SKEY_LIST;
		int after_group = i > 0 && (strchr(scenario_keys[i - 1].path, '.') ||
		                            strchr(scenario_keys[i - 1].path, '['));
		if (i == 0 || (top && (parent || after_group)))
			fputc('\n', f);
		char expect[SCENARIO_EXPECT_MAX];
		int col = fprintf(f, "%s: ", k->path);
		cli_wrap(f, col, 4, scenario_key_expect(k, expect, sizeof expect));
		fputs("    ", f);
		cli_wrap(f, 4, 4, k->help);
	}
}

static void print_help(FILE *f)
{
	const struct command *tables[] = { commands, builtins };
	fprintf(f, "llmcost %s replay LLM request traces through cost policies\n\nusage:\n", text_symbol("—", "-"));
	for (int k = 0; k < 2; k++)
		for (const struct command *c = tables[k]; c->name; c++)
			if (*c->args) {
				int col = fprintf(f, "  llmcost %-8s ", c->name);
				cli_wrap(f, col, col, c->args);
			} else {
				fprintf(f, "  llmcost %s\n", c->name);
			}
	fputs("\ncommands:\n", f);
	for (int k = 0; k < 2; k++)
		for (const struct command *c = tables[k]; c->name; c++) {
			int col = fprintf(f, "  %-8s  ", c->name);
			cli_wrap(f, col, col, c->help);
		}
	fputs("\ntopics:\n"
	      "  scenario  every key a scenario file may hold (llmcost help scenario)\n", f);
	fputs("\n`llmcost CMD --help` explains a command.  Exit codes: 0 ok, 1 failure, 2 usage,\n"
	      "3 bad input (a malformed line with --strict, a file of no format it can tell or\n"
	      "with damaged gzip data, a bad scenario or price file), 4 the live spend cap\n"
	      "stopped the run, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).\n"
	      "In a terminal, `llmcost` alone opens the console.  `llmcost --version` prints\n"
	      "the version and the libraries' versions.\n", f);
}

/* Says that no command is named `name`, with the closest name when it may be a slip of it; for
 * `llmcost help NAME` (topics), the topics are names too. */
static int unknown_command(const char *name, int topics)
{
	const struct command *tables[] = { commands, builtins }, *best = NULL;
	int best_d = scenario_slip_edits(strlen(name)) + 1;
	char names[256] = "";
	for (int k = 0; k < 2; k++)
		for (const struct command *c = tables[k]; c->name; c++) {
			size_t o = strlen(names);
			snprintf(names + o, sizeof names - o, " %s", c->name);
			int d = scenario_edit_distance(name, c->name);
			if (d < best_d) {
				best_d = d;
				best = c;
			}
		}
	const char *best_name = best ? best->name : NULL;
	if (topics && scenario_edit_distance(name, "scenario") < best_d)
		best_name = "scenario";
	/* the names other tools give these commands, however far from ours */
	static const char *const other_names[][2] = {
		{ "remove", "rm" }, { "delete", "rm" }, { "ls", "traces" }, { "list", "traces" },
	};
	for (size_t k = 0; k < sizeof other_names / sizeof other_names[0]; k++)
		if (!strcmp(name, other_names[k][0]))
			best_name = other_names[k][1];
	const char *also = topics ? "; the help topics: scenario" : "";
	if (best_name)
		cli_error("unknown command \"%s\" (did you mean \"%s\"?); the commands are:%s%s", name, best_name,
		          names, also);
	else
		cli_error("unknown command \"%s\"; the commands are:%s%s", name, names, also);
	return EXIT_USAGE;
}

/* The command of that name in the table, or NULL. */
static const struct command *command_named(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* The command of that name, in the table or among the builtins, or NULL. */
static const struct command *command_or_builtin_named(const char *name)
{
	const struct command *c = command_named(name);
	for (const struct command *b = builtins; !c && b->name; b++)
		if (!strcmp(b->name, name))
			c = b;
	return c;
}

/* 1 when arg asks for help: --help or -h. */
static int is_help_opt(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/*
 * `llmcost --db X replay flood`: options before a command.  The console takes the
 * options alone (`llmcost --db X`), so a command's name after them, not as the value of
 * one, is a command put last: the usage error gives the line with the command first.
 * 0 when argv holds no such name.
 */
static int command_after_options(int argc, char **argv)
{
	static const char *const valued[] = { "-s", "--scenario", "--db", "--frames" };
	for (int k = 2; k < argc; k++) {
		int value = 0;
		for (size_t v = 0; v < sizeof valued / sizeof valued[0]; v++)
			value |= !strcmp(argv[k - 1], valued[v]);
		if (!command_named(argv[k]) || value)
			continue;
		fprintf(stderr, "llmcost: the command comes first:");
		for (int i = 0; i < argc; i++) {
			const char *arg = i == 0 ? "llmcost" : i == 1 ? argv[k] : argv[i - (i <= k)];
			char *word = text_shell_word(arg);
			fprintf(stderr, " %s", word ? word : arg);
			free(word);
		}
		fputc('\n', stderr);
		return 1;
	}
	return 0;
}

/* rc, or a failure when what went to stdout could not all be written (a full disk, a closed pipe).
 * The reason is the failing flush's errno: this one's, or an earlier one's the command kept
 * (cli_flush), since the work after it overwrote errno; else a closed descriptor's, if so.  A
 * command that changed the store for good says so (cli_output_done), and so does the message. */
static int output_written(int rc)
{
	errno = 0;
	int flushed = fflush(stdout), why = errno;
	if ((flushed != 0 || ferror(stdout)) && rc == EXIT_OK) {
		if (flushed == 0)
			why = cli_output_errno();
		if (!why && fcntl(STDOUT_FILENO, F_GETFL) < 0)
			why = errno;
		const char *done = cli_output_done_what();
		char reason[200] = "";
		if (why)
			snprintf(reason, sizeof reason, ": %s", strerror(why));
		if (done) /* the work stands; only what it would have said is lost */
			cli_error("writing the output%s; %s, only its summary could not be written", reason, done);
		else
			cli_error("writing the output%s", why ? reason : " failed");
		return EXIT_FAIL;
	}
	return rc;
}

/* The version, and the libraries' as loaded (for a bug report). */
static void print_version(void)
{
	printf("llmcost %s\nSQLite %s, libcurl %s, %s, readline %s, cJSON %s, zlib %s\n", LLMCOST_VERSION,
	       sqlite3_libversion(), curl_version_info(CURLVERSION_NOW)->version, curses_version(),
	       rl_library_version, cJSON_Version(), zlibVersion());
}

static int run(int argc, char **argv)
{
	if (argc < 2) {
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return cmd_tui(argc, argv);
		print_help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "help") || is_help_opt(argv[1])) {
		/* `help --help` and `help help`: help's own usage, as every command's --help gives its own */
		if (argc > 2) {
			/* one CMD, as every command takes its operands: more is a usage error, not ignored */
			for (int i = 3; i < argc; i++)
				if (!is_help_opt(argv[i]))
					return cli_usage_error("help", "unexpected argument \"%s\"", argv[i]);
			if (argv[2][0] == '-' && !is_help_opt(argv[2])) { /* help's one option is --help */
				static const struct option none[] = { { 0, 0, 0, 0 } };
				const char *slip = cli_option_slip("help", argv[2] + strspn(argv[2], "-"), none);
				return cli_usage_error("help", "unknown option %s%s%s%s", argv[2], slip ? " (did you mean --" : "",
				                       slip ? slip : "", slip ? "?)" : "");
			}
			if (!strcmp(argv[2], "scenario")) {
				print_scenario_keys(stdout);
				return EXIT_OK;
			}
			const struct command *c = command_or_builtin_named(is_help_opt(argv[2]) ? "help" : argv[2]);
			if (!c)
				return unknown_command(argv[2], 1);
			cli_usage(c, stdout);
			return EXIT_OK;
		}
		print_help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		if (argc > 2 && is_help_opt(argv[2])) {
			cli_usage(command_or_builtin_named("version"), stdout);
			return EXIT_OK;
		}
		if (argc > 2)
			return cli_usage_error("version", "unexpected argument \"%s\"", argv[2]);
		print_version();
		return EXIT_OK;
	}
	if (argv[1][0] == '-') /* `llmcost --db PATH`: the console's options, as `llmcost` alone */
		return command_after_options(argc, argv) ? EXIT_USAGE : cmd_tui(argc, argv);
	const struct command *c = command_named(argv[1]);
	if (!c)
		return unknown_command(argv[1], 0);
	for (int i = 2; i < argc; i++)
		if (is_help_opt(argv[i])) {
			cli_usage(c, stdout);
			return EXIT_OK;
		}
	if (c->fn != cmd_tui) /* the console's screen does not wait without a word */
		cli_wait_for_locks();
	return c->fn(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	/* Trace columns and replay arrays are large: from 1 MiB up they come from the system and
	 * go back to it when freed (glibc would otherwise keep a loader's freed working memory). */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	/* a file-size limit (ulimit -f) fails the write with EFBIG, so the error paths run: a
	 * message, no file cut short, the store rolled back (the signal would kill at once) */
	signal(SIGXFSZ, SIG_IGN);
	text_locale_init(); /* "…" or "...": the symbols the locale's terminal shows */
	return output_written(run(argc, argv));
}
