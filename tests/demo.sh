# `make demo`: the main job on the bundled incident trace — the fallback flood of
# fixtures/traces/flood.jsonl.gz replayed as recorded and through the bundled
# baseline, v3 and flood-guard scenarios, side by side.  Uses its own store
# (build/demo.db, or $LLMCOST_DB when that is set) so the default store is left alone, and
# keeps the console's history beside it.
set -e
trace=fixtures/traces/flood.jsonl.gz
export LLMCOST_DB="${LLMCOST_DB:-build/demo.db}"
mkdir -p "$(dirname "$LLMCOST_DB")"
set -- replay "$trace" -s recorded -s baseline -s v3 -s flood-guard
if [ -t 1 ] && ./llmcost tui --help >/dev/null 2>&1; then
	set -- tui "$trace" -s recorded -s baseline -s v3 -s flood-guard
	# The console keeps its command history in $XDG_DATA_HOME/llmcost/console_history: the
	# demo's goes beside its store too (build/llmcost/), while the editor that `scenario edit`
	# opens gets the XDG_DATA_HOME it would have had (nvim keeps its own data there).
	ed=${VISUAL:-${EDITOR:-vi}}
	if [ -n "${XDG_DATA_HOME+set}" ]; then
		export LLMCOST_DEMO_XDG_DATA_HOME="$XDG_DATA_HOME"
		VISUAL='XDG_DATA_HOME=$LLMCOST_DEMO_XDG_DATA_HOME '"$ed"
	else
		VISUAL="env -u XDG_DATA_HOME $ed"
	fi
	XDG_DATA_HOME=$(CDPATH= cd -- "$(dirname "$LLMCOST_DB")" && pwd)
	export VISUAL XDG_DATA_HOME
fi
echo "llmcost $*"
exec ./llmcost "$@"
