/*
 * Benchmark driver for `make bench`: `bench import DB FILE` times a trace
 * import, `bench load DB TRACE` loads a stored trace into the columnar form
 * three times; both print requests/s and peak memory.  Figures, not pass/fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/trace.h"
#include "traces/import.h"
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

int main(int argc, char **argv)
{
	if (argc != 4 || (strcmp(argv[1], "load") != 0 && strcmp(argv[1], "import") != 0)) {
		fprintf(stderr, "usage: bench import DB FILE | bench load DB TRACE\n");
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
