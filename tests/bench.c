/*
 * Benchmark driver for `make bench`: `bench import DB FILE` times a trace
 * import, `bench load DB TRACE` loads a stored trace into the columnar form
 * three times, `bench replay DB TRACE SCENARIO...` times each scenario's
 * replay three times (trace loading excluded; the median is its figure) and
 * then all of them once on parallel threads, against the sum of the medians.
 * Each prints requests/s and memory: the replay's is resident bytes per
 * request (Linux's VmRSS and VmHWM) over the process before the trace was
 * loaded.  Figures, not pass/fail.
 */
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <pthread.h>

#include "sim/replay.h"
#include "sim/trace.h"
#include "traces/import.h"
#include "traces/scenario.h"
#include "traces/store.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_mib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024.0;
}

static int bench_import(struct store *s, const char *file)
{
	struct import_opts o = { .name = "bench", .replace = 1 };
	struct store_trace_info info;
	struct err e = { "" };
	double t0 = now_s();
	if (import_files(s, &file, 1, &o, &info, &e) != IMPORT_OK) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	double dt = now_s() - t0;
	printf("import: %lld requests in %.3f s = %.0f requests/s; peak RSS %.1f MiB\n",
	       (long long)info.requests, dt, info.requests / dt, peak_mib());
	return 0;
}

struct job {
	const struct replay_trace *rt;
	struct scenario sc;
	struct result_scenario r;
	struct err e;
	int rc;
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	j->rc = replay_run(j->rt, &j->sc, &j->r, NULL, &j->e);
	return NULL;
}

/* A line of /proc/self/status ("VmRSS", "VmHWM") in bytes, 0 when unknown. */
static double status_bytes(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	double kb = 0;
	size_t n = strlen(key);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, key, n) == 0 && line[n] == ':')
			kb = strtod(line + n + 1, NULL);
	if (f)
		fclose(f);
	return kb * 1024;
}

/* Restarts the peak (VmHWM) from the current resident size (Linux ≥ 4.0). */
static void reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (f) {
		fputs("5", f);
		fclose(f);
	}
}

/* Each scenario alone runs this many times; the median is its figure (the machine varies). */
#define REPLAY_RUNS 3

static int by_value(const void *x, const void *y)
{
	double p = *(const double *)x, q = *(const double *)y;
	return (p > q) - (p < q);
}

static int bench_replay(const char *db, const char *name, char **files, int n)
{
	struct store store;
	struct trace t;
	struct replay_trace *rt;
	struct err e = { "" };
	struct job *jobs = calloc((size_t)n, sizeof *jobs);
	pthread_t *tids = calloc((size_t)n, sizeof *tids);
	double base = status_bytes("VmRSS"), t0 = now_s();
	if (!jobs || !tids || store_open(&store, db, &e) < 0) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	int loaded = store_load(&store, name, &t, &e);
	store_close(&store); /* as llmcost replay does: the store's page cache is gone */
	if (loaded < 0 || replay_prepare(&t, &rt, &e) < 0) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	double per = t.n_req ? 1.0 / t.n_req : 0;
	printf("replay: %u requests loaded and prepared in %.3f s; the trace holds %.1f bytes/request "
	       "(columns and strings)\n", t.n_req, now_s() - t0, (double)trace_bytes(&t) * per);
	t0 = now_s();
	for (int k = 0; k < n; k++) {
		jobs[k].rt = rt;
		if (scenario_load(files[k], &jobs[k].sc, &e) < 0 || replay_prepare_scenario(rt, &jobs[k].sc, &e) < 0) {
			fprintf(stderr, "bench: %s\n", e.msg);
			return 1;
		}
	}
	printf("replay: the scenarios' normalized cache keys, made once per trace, in %.3f s\n", now_s() - t0);
	printf("replay: resident now %.1f bytes/request over the process before loading\n",
	       (status_bytes("VmRSS") - base) * per);
	double one = 0;
	for (int k = 0; k < n; k++) {
		double dt[REPLAY_RUNS], peak = 0;
		for (int run = 0; run < REPLAY_RUNS; run++) {
			reset_peak();
			t0 = now_s();
			run_job(&jobs[k]);
			dt[run] = now_s() - t0;
			if (jobs[k].rc < 0) {
				fprintf(stderr, "bench: %s\n", jobs[k].e.msg);
				return 1;
			}
			result_scenario_fini(&jobs[k].r);
			double hwm = status_bytes("VmHWM") - base;
			if (hwm > peak)
				peak = hwm;
		}
		qsort(dt, REPLAY_RUNS, sizeof *dt, by_value);
		double mid = dt[REPLAY_RUNS / 2];
		one += mid;
		printf("replay: %-20s %.3f s = %.0f requests/s on one core (the median of", jobs[k].sc.name, mid,
		       t.n_req / mid);
		for (int run = 0; run < REPLAY_RUNS; run++)
			printf("%s %.3f", run ? "," : "", dt[run]);
		printf(" s); peak resident %.1f bytes/request (trace + engine)\n", peak * per);
	}
	t0 = now_s();
	for (int k = 0; k < n; k++)
		pthread_create(&tids[k], NULL, run_job, &jobs[k]);
	for (int k = 0; k < n; k++) {
		pthread_join(tids[k], NULL);
		result_scenario_fini(&jobs[k].r);
	}
	double all = now_s() - t0;
	printf("replay: %d scenarios on %d threads in %.3f s (%.2f× the time of one, on average)\n", n, n,
	       all, all / (one / n));
	for (int k = 0; k < n; k++)
		scenario_fini(&jobs[k].sc);
	replay_trace_free(rt);
	trace_free(&t);
	free(jobs);
	free(tids);
	return 0;
}

int main(int argc, char **argv)
{
	/* Trace columns and replay arrays are large: from 1 MiB up they come from the system and
	 * go back to it when freed (glibc would otherwise keep a loader's freed working memory). */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	if (argc >= 5 && strcmp(argv[1], "replay") == 0)
		return bench_replay(argv[2], argv[3], argv + 4, argc - 4);
	if (argc != 4 || (strcmp(argv[1], "load") != 0 && strcmp(argv[1], "import") != 0)) {
		fprintf(stderr, "usage: bench import DB FILE | bench load DB TRACE | bench replay DB TRACE SCENARIO...\n");
		return 2;
	}
	struct store s;
	struct err e = { "" };
	if (store_open(&s, argv[2], &e) < 0) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	if (strcmp(argv[1], "import") == 0) {
		int rc = bench_import(&s, argv[3]);
		store_close(&s);
		return rc;
	}
	double best = 1e30;
	uint64_t bytes = 0;
	uint32_t n = 0;
	for (int round = 0; round < 3; round++) {
		struct trace t;
		double t0 = now_s();
		if (store_load(&s, argv[3], &t, &e) < 0) {
			fprintf(stderr, "bench: %s\n", e.msg);
			return 1;
		}
		double dt = now_s() - t0;
		if (dt < best)
			best = dt;
		n = t.n_req;
		bytes = trace_bytes(&t);
		trace_free(&t);
	}
	store_close(&s);
	printf("load:   %u requests in %.3f s = %.0f requests/s (best of 3); %.1f bytes/request"
	       " in the columnar trace; peak RSS %.1f MiB\n", n, best, n / best,
	       n ? (double)bytes / n : 0.0, peak_mib());
	return 0;
}
