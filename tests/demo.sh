# `make demo`: the main job on the bundled incident trace — the fallback flood of
# fixtures/traces/flood.jsonl.gz replayed as recorded and through the bundled
# baseline, v3 and flood-guard scenarios, side by side.  Uses its own store
# (build/demo.db, or $LLMCOST_DB when that is set) so the default store is left alone.
set -e
trace=fixtures/traces/flood.jsonl.gz
export LLMCOST_DB="${LLMCOST_DB:-build/demo.db}"
mkdir -p "$(dirname "$LLMCOST_DB")"
set -- replay "$trace" -s recorded -s baseline -s v3 -s flood-guard
if [ -t 1 ] && ./llmcost tui --help >/dev/null 2>&1; then
	set -- tui "$trace" -s recorded -s baseline -s v3 -s flood-guard
fi
echo "llmcost $*"
exec ./llmcost "$@"
