/*
 * `llmcost tui [TRACE] [-s SCENARIO]... [--db PATH] [--no-color] [--frames N]`:
 * finds the trace (a stored name, a file imported on first use, else the
 * store's newest trace, else the bundled flood demo), loads the scenarios the
 * way `llmcost replay` does, and opens the console (tui/console.c) on them.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/bundled.h"
#include "traces/scenario.h"
#include "traces/store.h"
#include "tui/cli.h"
#include "tui/console.h"

/* The bundled demo trace (fixtures/traces/flood.jsonl.gz), or NULL. */
static const char *tui_demo_trace(char *buf, size_t n)
{
	return bundled_path("traces/flood.jsonl.gz", buf, n);
}

/* The scenarios without -s: recorded, then every bundled one, by name. */
static size_t tui_default_scenarios(char *list, size_t n, const char **out, size_t max)
{
	size_t k = 0;
	char *p, *tok;
	out[k++] = "recorded";
	bundled_scenarios(list, n);
	for (p = list; k < max && (tok = strtok(p, ", ")); p = NULL)
		if (strcmp(tok, "recorded") != 0)
			out[k++] = tok;
	return k;
}

int cmd_tui(int argc, char **argv)
{
	enum { DB = CLI_LONG, NO_COLOR, FRAMES };
	static const struct option longopts[] = {
		{ "scenario", required_argument, 0, 's' }, { "db", required_argument, 0, DB },
		{ "no-color", no_argument, 0, NO_COLOR }, { "frames", required_argument, 0, FRAMES },
		{ 0, 0, 0, 0 },
	};
	const char **scen_args = calloc((size_t)argc + 64, sizeof *scen_args), *db = NULL;
	struct console_opts opts = { .open_requests = -1, .open_tenants = -1 };
	struct console_model m;
	struct store st = { 0 };
	struct err e = { "" };
	char name[256], list[1024], demo[PATH_MAX + 64];
	size_t n_scen = 0;
	int c, rc = EXIT_FAIL, model_ok = 0;
	const char *cmd = strcmp(argv[0], "tui") == 0 ? "tui" : NULL; /* `llmcost --db X`: no "tui" */

	if (!scen_args) {
		cli_error("out of memory");
		return EXIT_FAIL;
	}
	optind = 1;
	opterr = 0;
	while ((c = cli_getopt(cmd, argc, argv, ":s:", longopts, 's')) != -1) {
		char *end;
		switch (c) {
		case 's':
			if (!*optarg) {
				free(scen_args);
				return cli_usage_error(cmd, "-s needs a scenario: a file or a bundled name");
			}
			scen_args[n_scen++] = optarg;
			break;
		case DB:
			if (cli_db_arg(cmd, optarg, &db) < 0) {
				free(scen_args);
				return EXIT_USAGE;
			}
			break;
		case NO_COLOR: opts.no_color = 1; break;
		case FRAMES:
			opts.frames = strtol(optarg, &end, 10);
			if (*end || end == optarg || opts.frames < 1) {
				free(scen_args);
				return cli_usage_error(cmd, "--frames takes a positive number, not \"%s\"", optarg);
			}
			break;
		default:
			free(scen_args);
			return cli_option_error(cmd, c, argv, longopts);
		}
	}
	if (optind + 1 < argc) {
		free(scen_args);
		return cli_usage_error(cmd, "one trace at a time (unexpected \"%s\")", argv[optind + 1]);
	}
	const char *trace_arg = optind < argc ? argv[optind] : NULL;
	if (trace_arg && cli_operand_arg(cmd, trace_arg, "TRACE", "name a stored trace or a trace file, "
	                                 "or none for the newest stored trace") < 0) {
		free(scen_args);
		return EXIT_USAGE;
	}
	if (n_scen == 0)
		n_scen = tui_default_scenarios(list, sizeof list, scen_args, 64);

	/* scenarios first: a typo there should not cost an import */
	struct scenario *sc = calloc(n_scen, sizeof *sc);
	if (!sc) {
		cli_error("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_scen; i++)
		if ((rc = replay_load_scenario(scen_args[i], &sc[i])) != EXIT_OK)
			goto out;

	const char *db_path = cli_db_path(db);
	if ((rc = replay_open_store(&st, db, trace_arg)) != EXIT_OK)
		goto out;
	rc = EXIT_FAIL;
	if (trace_arg) {
		if ((rc = replay_find_trace(&st, trace_arg, NULL, name, sizeof name)) != EXIT_OK)
			goto out;
		rc = EXIT_FAIL;
	} else {
		struct store_trace_info *info = NULL;
		size_t n = 0;
		if (store_list(&st, &info, &n, &e) < 0) {
			cli_error("%s", e.msg);
			goto out;
		}
		if (n > 0) {
			snprintf(name, sizeof name, "%s", info[0].name);
			free(info);
		} else {
			free(info);
			const char *d = tui_demo_trace(demo, sizeof demo);
			if (!d) {
				cli_error("the store %s holds no trace: name a trace file (llmcost tui FILE) or import "
				          "one (llmcost import FILE)", db_path);
				goto out;
			}
			fprintf(stderr, "llmcost: the store is empty; opening the bundled demo %s\n", d);
			if ((rc = replay_find_trace(&st, d, NULL, name, sizeof name)) != EXIT_OK)
				goto out;
			rc = EXIT_FAIL;
		}
	}
	/* the loading screen's figures: the store's list has them at once */
	struct store_trace_info info;
	if (store_find(&st, name, &info, &e) == 1) {
		opts.open_requests = info.requests;
		opts.open_tenants = info.tenants;
	}
	store_close(&st);

	if (console_model_init(&m, db_path, &e) < 0) {
		cli_error("%s", e.msg);
		goto out;
	}
	model_ok = 1;
	for (size_t i = 0; i < n_scen; i++)
		if (console_model_add_loaded(&m, scen_args[i], &sc[i], &e) < 0) {
			cli_error("%s", e.msg);
			goto out;
		}
	/* the trace is read once the console is up, which says what it is loading meanwhile */
	opts.open = name;
	opts.err = &e;
	e.msg[0] = 0;
	rc = console_run(&m, &opts);
	if (rc == 1 && e.msg[0])
		cli_error("%s", e.msg);
	if (rc == 1)
		rc = EXIT_FAIL;
out:
	if (model_ok)
		console_model_fini(&m);
	store_close(&st); /* safe when never opened or closed already */
	for (size_t i = 0; sc && i < n_scen; i++)
		scenario_fini(&sc[i]);
	free(sc);
	free(scen_args);
	return rc;
}
