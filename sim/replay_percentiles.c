/*
 * Latency percentiles of every group (SPEC §10: nearest rank over resolved and
 * degraded requests), exact, with no memory per request beyond the latency:
 * each task's latencies are counted in log-spaced bins as requests end, and
 * each tenant's in one pass after the run (in the run, their thousands of
 * bins would be a random memory access per request); the bins tell the bin
 * that holds each wanted rank, a second pass gathers just those bins'
 * latencies (passing over, at a bit's cost, those that lie in no wanted bin
 * of any group), and a selection among them gives the exact value.
 */
#include "sim/replay_internal.h"

#include <stdlib.h>
#include <string.h>

#define HIST_COUNTERS (1u << 20) /* the bins of one grouping, all its groups together */
#define FINE_BITS 7               /* the finest bins, for groupings with few groups */

/* Puts the k-th smallest of v[0..n) at v[k], smaller ones before it (Hoare's select). */
static void select_kth(uint32_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		uint32_t a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
		uint32_t pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				uint32_t t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* A wanted rank of one group: the bin that holds it and where its candidates go. */
struct wanted {
	uint64_t k;              /* 0-based rank among the group's latencies */
	uint32_t bin;
	uint64_t below;          /* the group's latencies in lower bins */
	uint64_t kept;           /* the group's latencies not kept aside */
	size_t at, n;            /* its candidates: cand[at .. at + n) */
	uint32_t lo, width;      /* the latencies of its bin: [lo, lo + width); width 0: none gathered */
};

/* How one grouping (totals, tenants or tasks) bins its latencies. */
struct grouping {
	uint32_t n_groups;
	struct latency_bins b;       /* its bins (a view: owned by whoever made them) */
	struct wanted (*want)[2];    /* per group: p50, p95 */
	struct metrics *groups;      /* results, by dense group */
};

/* The smallest latency in bin b or above (LATENCY_ASIDE when none is kept below it). */
static uint32_t bin_floor(uint32_t b, unsigned bits)
{
	uint64_t lo = 0, hi = LATENCY_ASIDE;
	while (lo < hi) {
		uint64_t mid = (lo + hi) / 2;
		if (latency_bin((uint32_t)mid, bits) >= b)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (uint32_t)lo;
}

/* The mantissa bits of a grouping's bins: the finest whose n_groups × bins stay within
 * HIST_COUNTERS. */
static unsigned bins_bits(uint32_t n_groups)
{
	unsigned bits = FINE_BITS;
	while (bits > 0 && (uint64_t)n_groups * LATENCY_BINS(bits) > HIST_COUNTERS)
		bits--;
	return bits;
}

int latency_bins_init(struct latency_bins *b, uint32_t n_groups)
{
	b->bits = bins_bits(n_groups);
	b->n_bins = LATENCY_BINS(b->bits);
	b->hist = calloc((size_t)n_groups * b->n_bins + 1, sizeof *b->hist);
	return b->hist ? 0 : -1;
}

void latency_bins_fini(struct latency_bins *b)
{
	free(b->hist);
	memset(b, 0, sizeof *b);
}

/* Request i's group in each grouping: totals, tenant, task. */
static void groups_of(const struct replay_trace *rt, uint32_t i, uint32_t x[3])
{
	struct group_ids g = replay_groups(rt, i);
	x[0] = 0;
	x[1] = g.tenant;
	x[2] = g.task;
}

static size_t rank_of(uint64_t n, unsigned pct)
{
	uint64_t r = (n * pct + 99) / 100;
	return r ? r - 1 : 0;
}

struct aside_key {
	uint32_t group;
	int64_t us;
};

static int by_group_us(const void *x, const void *y)
{
	const struct aside_key *p = x, *q = y;
	if (p->group != q->group)
		return p->group < q->group ? -1 : 1;
	return (p->us > q->us) - (p->us < q->us);
}

/* Keeps latency v if it lies in the bin of one of a group's two wanted ranks w[0], w[1]. */
static inline void gather(struct wanted w[2], uint32_t v, uint32_t *cand)
{
	if (v - w[0].lo < w[0].width)
		cand[w[0].at + w[0].n++] = v;
	else if (v - w[1].lo < w[1].width)
		cand[w[1].at + w[1].n++] = v;
}

/* The exact latency of wanted rank w (of a group with its aside values aside[0..n_aside)). */
static int64_t resolve(const struct grouping *gr, const struct wanted *w, uint32_t *cand,
                       const struct aside_key *aside)
{
	if (w->bin == gr->b.n_bins - 1) /* among the aside ones, above every kept latency */
		return aside[w->k - w->kept].us;
	select_kth(cand + w->at, w->n, w->k - w->below);
	return cand[w->at + w->k - w->below];
}

int acct_percentiles(struct acct *a)
{
	const struct replay_trace *rt = a->rt;
	const struct trace *t = rt->t;
	struct result_scenario *r = a->r;
	struct grouping gr[3] = {
		{ .n_groups = 1, .groups = &r->totals },
		{ .n_groups = rt->n_tenants, .groups = r->by_tenant },
		{ .n_groups = rt->n_tasks, .groups = r->by_task },
	};
	uint32_t *cand = NULL;
	struct aside_key *aside = NULL;
	struct latency_bins tenant_bins, totals_bins = { a->task_bins.bits, a->task_bins.n_bins, NULL };
	int rc = -1;
	/* the tasks' bins were counted as requests ended; the tenants' are counted now, and the
	 * totals' are the sum of the tasks' */
	if (latency_bins_init(&tenant_bins, rt->n_tenants) < 0)
		return -1;
	for (uint32_t i = 0; i < t->n_req; i++) {
		uint32_t v = a->latency[i];
		if (v != LATENCY_NONE)
			latency_bins_add(&tenant_bins, replay_groups(rt, i).tenant, v);
	}
	if (!(totals_bins.hist = calloc(totals_bins.n_bins, sizeof *totals_bins.hist)))
		goto out;
	gr[0].b = totals_bins;
	gr[1].b = tenant_bins;
	gr[2].b = a->task_bins;
	for (int g = 0; g < 3; g++)
		if (!(gr[g].want = calloc((size_t)gr[g].n_groups + 1, sizeof *gr[g].want)))
			goto out;
	for (uint32_t x = 0; x < gr[2].n_groups; x++)
		for (uint32_t b = 0; b < gr[0].b.n_bins; b++)
			gr[0].b.hist[b] += gr[2].b.hist[(size_t)x * gr[2].b.n_bins + b];
	/* the bins of the wanted ranks, and room for their candidates */
	size_t n_cand = 0;
	for (int g = 0; g < 3; g++)
		for (uint32_t x = 0; x < gr[g].n_groups; x++) {
			const uint32_t *h = gr[g].b.hist + (size_t)x * gr[g].b.n_bins;
			uint64_t n = 0;
			for (uint32_t b = 0; b < gr[g].b.n_bins; b++)
				n += h[b];
			struct wanted *w = gr[g].want[x];
			w[0].kept = w[1].kept = n - h[gr[g].b.n_bins - 1];
			w[0].k = rank_of(n, 50);
			w[1].k = rank_of(n, 95);
			uint64_t below = 0;
			uint32_t b = 0;
			for (int p = 0; p < 2; p++) {
				while (b < gr[g].b.n_bins && below + h[b] <= w[p].k)
					below += h[b++];
				w[p].bin = b;
				w[p].below = below;
			}
			gr[g].groups[x].latency_p50_us = gr[g].groups[x].latency_p95_us = n ? 0 : -1;
			if (!n)
				w[0].bin = w[1].bin = UINT32_MAX; /* nothing to gather */
			w[0].at = n_cand;
			n_cand += w[0].bin < gr[g].b.n_bins - 1 ? h[w[0].bin] : 0;
			w[1].at = w[1].bin == w[0].bin ? w[0].at : n_cand;
			if (w[1].bin != w[0].bin)
				n_cand += w[1].bin < gr[g].b.n_bins - 1 ? h[w[1].bin] : 0;
			for (int p = 0; p < 2; p++)
				if (w[p].bin < gr[g].b.n_bins - 1) { /* a bin of kept latencies: gathered */
					w[p].lo = bin_floor(w[p].bin, gr[g].b.bits);
					w[p].width = bin_floor(w[p].bin + 1, gr[g].b.bits) - w[p].lo;
				}
		}
	/* the finest bins that meet a wanted bin: a latency in none of them is nobody's candidate
	 * (a wanted bin's latencies [lo, lo + width) lie in the finest bins from lo's to that of
	 * its last, any binning being monotone and no coarser than the finest) */
	uint8_t look[(LATENCY_BINS(FINE_BITS) + 7) / 8] = { 0 };
	for (int g = 0; g < 3; g++)
		for (uint32_t x = 0; x < gr[g].n_groups; x++)
			for (int p = 0; p < 2; p++) {
				const struct wanted *w = &gr[g].want[x][p];
				if (!w->width)
					continue;
				uint32_t last = latency_bin(w->lo + w->width - 1, FINE_BITS);
				for (uint32_t b = latency_bin(w->lo, FINE_BITS); b <= last; b++)
					look[b / 8] |= (uint8_t)(1u << b % 8);
			}
	cand = malloc((n_cand + 1) * sizeof *cand);
	aside = malloc((a->n_aside + 1) * sizeof *aside);
	if (!cand || !aside)
		goto out;
	/* pass 2: the candidates, the latencies in a wanted bin (one bin's values are a range) */
	for (uint32_t i = 0; i < t->n_req; i++) {
		uint32_t v = a->latency[i], b = latency_bin(v, FINE_BITS);
		if (v >= LATENCY_ASIDE || !(look[b / 8] >> b % 8 & 1)) /* or LATENCY_NONE */
			continue;
		struct group_ids x = replay_groups(rt, i);
		gather(gr[0].want[0], v, cand);
		gather(gr[1].want[x.tenant], v, cand);
		gather(gr[2].want[x.task], v, cand);
	}
	for (int g = 0; g < 3; g++) {
		for (size_t k = 0; k < a->n_aside; k++) {
			uint32_t x[3];
			groups_of(rt, a->aside[k].req, x);
			aside[k] = (struct aside_key){ x[g], a->aside[k].us };
		}
		qsort(aside, a->n_aside, sizeof *aside, by_group_us);
		size_t from = 0;
		for (uint32_t x = 0; x < gr[g].n_groups; x++) {
			struct wanted *w = gr[g].want[x];
			size_t n_aside = 0;
			while (from + n_aside < a->n_aside && aside[from + n_aside].group == x)
				n_aside++;
			if (w[0].bin != UINT32_MAX) {
				if (w[1].bin == w[0].bin) /* the two ranks share their candidates */
					w[1].n = w[0].n;
				gr[g].groups[x].latency_p50_us = resolve(&gr[g], &w[0], cand, aside + from);
				gr[g].groups[x].latency_p95_us = resolve(&gr[g], &w[1], cand, aside + from);
			}
			from += n_aside;
		}
	}
	rc = 0;
out:
	latency_bins_fini(&tenant_bins);
	latency_bins_fini(&totals_bins);
	for (int g = 0; g < 3; g++)
		free(gr[g].want);
	free(cand);
	free(aside);
	return rc;
}
