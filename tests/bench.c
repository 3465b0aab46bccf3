/*
 * Benchmark driver for `make bench`: `bench import DB FILE` times a trace
 * import, `bench load DB TRACE` loads a stored trace into the columnar form
 * three times, `bench replay DB TRACE SCENARIO...` times each scenario's
 * replay three times (trace loading excluded; the median is its figure), then
 * the first scenario twice on two threads, three times, against its time
 * alone: the two-core figure, since two runs of one scenario do the same work
 * (two different scenarios would end when the slower does).
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
	const struct scenario *sc;
	struct result_scenario r;
	struct err e;
	int rc;
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	j->rc = replay_run(j->rt, j->sc, &j->r, NULL, &j->e);
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

/*
 * Runs jobs[0..n) (n ≤ 2) at once, each on its own thread, REPLAY_RUNS times; puts the times in
 * dt (sorted) and the largest peak resident bytes over `base` in *peak.  -1 on a failed run.
 */
static int timed_runs(struct job *jobs, int n, double base, double dt[REPLAY_RUNS], double *peak)
{
	pthread_t tids[2];
	*peak = 0;
	for (int run = 0; run < REPLAY_RUNS; run++) {
		reset_peak();
		double t0 = now_s();
		for (int k = 1; k < n; k++)
			pthread_create(&tids[k], NULL, run_job, &jobs[k]);
		run_job(&jobs[0]);
		for (int k = 1; k < n; k++)
			pthread_join(tids[k], NULL);
		dt[run] = now_s() - t0;
		for (int k = 0; k < n; k++) {
			if (jobs[k].rc < 0) {
				fprintf(stderr, "bench: %s\n", jobs[k].e.msg);
				return -1;
			}
			result_scenario_fini(&jobs[k].r);
		}
		double hwm = status_bytes("VmHWM") - base;
		if (hwm > *peak)
			*peak = hwm;
	}
	qsort(dt, REPLAY_RUNS, sizeof *dt, by_value);
	return 0;
}

static void print_runs(const double dt[REPLAY_RUNS])
{
	printf("(the median of");
	for (int run = 0; run < REPLAY_RUNS; run++)
		printf("%s %.3f", run ? "," : "", dt[run]);
	printf(" s)");
}

static int bench_replay(const char *db, const char *name, char **files, int n)
{
	struct store store;
	struct trace t;
	struct replay_trace *rt;
	struct err e = { "" };
	struct scenario *sc = calloc((size_t)n, sizeof *sc);
	double base = status_bytes("VmRSS"), t0 = now_s();
	if (!sc || store_open(&store, db, &e) < 0) {
		fprintf(stderr, "bench: %s\n", sc ? e.msg : "out of memory");
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
	for (int k = 0; k < n; k++)
		if (scenario_load(files[k], &sc[k], &e) < 0 || replay_prepare_scenario(rt, &sc[k], &e) < 0) {
			fprintf(stderr, "bench: %s\n", e.msg);
			return 1;
		}
	printf("replay: the scenarios' normalized cache keys, made once per trace, in %.3f s\n", now_s() - t0);
	printf("replay: resident now %.1f bytes/request over the process before loading\n",
	       (status_bytes("VmRSS") - base) * per);
	double dt[REPLAY_RUNS], peak, first = 0;
	for (int k = 0; k < n; k++) {
		struct job job = { .rt = rt, .sc = &sc[k] };
		if (timed_runs(&job, 1, base, dt, &peak) < 0)
			return 1;
		double mid = dt[REPLAY_RUNS / 2];
		if (k == 0)
			first = mid;
		printf("replay: %-20s %.3f s = %.0f requests/s on one core ", sc[k].name, mid, t.n_req / mid);
		print_runs(dt);
		printf("; peak resident %.1f bytes/request (trace + engine)\n", peak * per);
	}
	struct job two[2] = { { .rt = rt, .sc = &sc[0] }, { .rt = rt, .sc = &sc[0] } };
	if (timed_runs(two, 2, base, dt, &peak) < 0)
		return 1;
	printf("replay: %s twice, on two threads: %.3f s ", sc[0].name, dt[REPLAY_RUNS / 2]);
	print_runs(dt);
	printf(" = %.2f× its time alone; peak resident %.1f bytes/request\n", dt[REPLAY_RUNS / 2] / first,
	       peak * per);
	for (int k = 0; k < n; k++)
		scenario_fini(&sc[k]);
	free(sc);
	replay_trace_free(rt);
	trace_free(&t);
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
