/*
 * The synthetic-trace generator: the recipe registry, the output sinks
 * (stdout, a file, a zlib-compressed .gz file) and the shared machinery of
 * traces/gen_core.h — PRNG, line formatting, arrival clock, tenant mix.  The
 * recipes themselves live in traces/gen_faq.c, gen_docs.c, gen_flood.c and
 * gen_mixed.c; their text banks in traces/gen_text.c.
 */
#include "traces/gen_core.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "traces/reader.h"
#include "traces/replace.h"

const struct gen_recipe gen_recipes[] = {
	{ .name = "faq",
	  .help = "support FAQ bot: the top 30 questions are 40% of requests, in spelling variants",
	  .defaults = { .n_requests = 100000, .n_tenants = 8, .n_days = 7, .seed = 1 },
	  .emit = gen_faq_emit },
	{ .name = "docs",
	  .help = "document analysis on gpt-4.1: inputs average over 20k tokens, a tail to 200k",
	  .defaults = { .n_requests = 5000, .n_tenants = 6, .n_days = 7, .seed = 1 },
	  .emit = gen_docs_emit },
	{ .name = "flood",
	  .help = "incident: a 45-min gpt-4.1-mini outage floods fallbacks to gpt-4o (attempts)",
	  .defaults = { .n_requests = 80000, .n_tenants = 10, .n_days = 3, .seed = 1 },
	  .emit = gen_flood_emit },
	{ .name = "mixed",
	  .help = "all task types: difficulty, quality, batch reports, errors (the benchmark)",
	  .defaults = { .n_requests = 100000, .n_tenants = 12, .n_days = 7, .seed = 1 },
	  .emit = gen_mixed_emit },
	{ 0 }
};

const struct gen_recipe *gen_recipe_find(const char *name)
{
	for (const struct gen_recipe *r = gen_recipes; name && r->name; r++)
		if (!strcmp(r->name, name))
			return r;
	return NULL;
}

int gen_params_check(const struct gen_params *p, struct err *e)
{
	if (p->n_requests < 1 || p->n_requests > GEN_MAX_REQUESTS)
		return err_set(e, "--requests: expected 1 to %llu, got %" PRIu64,
		               (unsigned long long)GEN_MAX_REQUESTS, p->n_requests);
	if (p->n_tenants < 1 || p->n_tenants > GEN_MAX_TENANTS)
		return err_set(e, "--tenants: expected 1 to %u, got %u", GEN_MAX_TENANTS, p->n_tenants);
	if (p->n_days < 1 || p->n_days > GEN_MAX_DAYS)
		return err_set(e, "--days: expected 1 to %u, got %u", GEN_MAX_DAYS, p->n_days);
	return 0;
}

int gen_run(const struct gen_recipe *r, const struct gen_params *p, const struct gen_sink *s,
            struct err *e)
{
	struct gen_out o = { .sink = s, .e = e, .day = INT64_MIN };
	int rc;

	if (gen_params_check(p, e) < 0)
		return -1;
	progress_start(&o.pace);
	o.buf = malloc(GEN_OUT_CAP);
	if (!o.buf)
		return err_set(e, "gen %s: out of memory", r->name);
	rc = r->emit(p, &o, e);
	if (rc == 0)
		rc = gen_out_flush(&o);
	free(o.buf);
	return rc;
}

/* ---- files ---- */

struct file_sink {
	FILE *f;
	gzFile gz;
	const struct replace *rep; /* the file being replaced (for messages), NULL for stdout */
};

static int file_sink_write(void *ctx, const char *buf, size_t n, struct err *e)
{
	struct file_sink *fs = ctx;
	if (fs->gz) {
		int zerr = Z_OK;
		const char *why;
		if (n == 0 || gzwrite(fs->gz, buf, (unsigned)n) == (int)n)
			return 0;
		why = gzerror(fs->gz, &zerr);
		return replace_fail(fs->rep, e, "%s", zerr == Z_ERRNO ? strerror(errno) : why);
	}
	if (fwrite(buf, 1, n, fs->f) != n)
		return fs->rep ? replace_fail(fs->rep, e, "%s", strerror(errno))
		               : err_set(e, "writing the output: %s", strerror(errno));
	return 0;
}

/* In either case: A.GZ is gzip as a.gz is, as users of case-blind file systems write it. */
static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcasecmp(s + n - k, suffix);
}

int gen_output_check(const char *path, struct err *e)
{
	if (reader_kind_of(path) == READER_SQLITE) /* a store named by mistake: not overwritten */
		return err_set(e, "%s: is an SQLite database (an llmcost store?); gen writes JSON Lines: "
		               "choose another file", path);
	return 0;
}

const char *volatile gen_writing;

int gen_write_file(const struct gen_recipe *r, const struct gen_params *p, const char *path,
                   void (*progress)(void *progress_ctx, uint64_t lines), void *progress_ctx,
                   struct err *e)
{
	struct file_sink fs = { 0 };
	struct gen_sink sink = { file_sink_write, &fs, progress, progress_ctx };
	struct replace rep = { .fd = -1, .direct = 1 };
	int to_stdout = !path || !strcmp(path, "-"), rc;

	if (gen_params_check(p, e) < 0)
		return -1;
	if (!to_stdout && gen_output_check(path, e) < 0)
		return -1;
	/* a regular file (or a new one) is written beside it and renamed over it at the end, so
	 * that it keeps what it held until the new one is whole; a device or a pipe is written */
	if (!to_stdout) {
		if (replace_open(&rep, path, e) < 0)
			return -1;
		if (!rep.direct)
			gen_writing = rep.tmp;
		fs.rep = &rep;
	}
	if (to_stdout) {
		fs.f = stdout;
	} else if (ends_with(path, ".gz")) {
		errno = 0;
		fs.gz = rep.fd >= 0 ? gzdopen(rep.fd, "wb") : gzopen(path, "wb");
		if (!fs.gz) {
			rc = replace_fail(&rep, e, "%s", errno ? strerror(errno) : "cannot open for writing");
			goto out;
		}
		gzbuffer(fs.gz, 256 * 1024);
	} else {
		fs.f = rep.fd >= 0 ? fdopen(rep.fd, "wb") : fopen(path, "wb");
		if (!fs.f) {
			rc = replace_fail(&rep, e, "%s", strerror(errno));
			goto out;
		}
	}
	rep.fd = -1; /* the stream's now */

	rc = gen_run(r, p, &sink, e);

	if (fs.gz) {
		int zrc = gzclose(fs.gz);
		if (zrc != Z_OK && rc == 0)
			rc = replace_fail(&rep, e, "%s",
			                  zrc == Z_ERRNO ? strerror(errno) : "write failed while compressing");
	} else if (to_stdout) {
		if (fflush(stdout) != 0 && rc == 0)
			rc = err_set(e, "writing the output: %s", strerror(errno));
	} else if (fclose(fs.f) != 0 && rc == 0) {
		rc = replace_fail(&rep, e, "%s", strerror(errno));
	}
	if (rc == 0 && !to_stdout)
		rc = replace_commit(&rep, e);
out:
	if (rep.fd >= 0)
		close(rep.fd);
	gen_writing = NULL;
	if (rc < 0 && !to_stdout) /* the file it replaces is left as it was */
		replace_abort(&rep);
	return rc;
}

/* ---- PRNG ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void gen_rng_seed(struct gen_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	r->has_spare = 0;
	r->spare = 0;
}

uint64_t gen_mix(uint64_t a, uint64_t b)
{
	uint64_t x = a ^ (b * 0x9e3779b97f4a7c15ULL);
	splitmix64(&x);
	return splitmix64(&x);
}

double gen_rng_normal(struct gen_rng *r)
{
	double u1, u2, rad;
	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	u1 = 1.0 - gen_rng_unit(r);             /* (0, 1]: log stays finite */
	u2 = gen_rng_unit(r);
	rad = sqrt(-2.0 * log(u1));
	r->spare = rad * sin(2.0 * M_PI * u2);
	r->has_spare = 1;
	return rad * cos(2.0 * M_PI * u2);
}

double gen_rng_lognormal(struct gen_rng *r, double median, double sigma, double lo, double hi)
{
	double v = median * exp(sigma * gen_rng_normal(r));
	return v < lo ? lo : v > hi ? hi : v;
}

/* ---- the line writer ---- */

int gen_out_flush(struct gen_out *o)
{
	if (!o->failed && o->len > 0 && o->sink->write(o->sink->ctx, o->buf, o->len, o->e) < 0)
		o->failed = 1;
	o->len = 0;
	double t;
	if (o->sink->progress && !o->failed && progress_due(&o->pace, &t))
		o->sink->progress(o->sink->progress_ctx, o->lines);
	return o->failed ? -1 : 0;
}

void gen_out_mem_slow(struct gen_out *o, const char *s, size_t n)
{
	gen_out_flush(o);
	if (n <= GEN_OUT_CAP) {
		memcpy(o->buf, s, n);
		o->len = n;
	} else if (!o->failed && o->sink->write(o->sink->ctx, s, n, o->e) < 0) {
		o->failed = 1;
	}
}

void gen_out_u64w(struct gen_out *o, uint64_t v, int width)
{
	char tmp[24];
	int i = (int)sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while ((int)sizeof tmp - i < width && i > 0)
		tmp[--i] = '0';
	gen_out_mem(o, tmp + i, sizeof tmp - (size_t)i);
}

void gen_out_io(struct gen_out *o, const char *s, size_t n, uint64_t in, uint64_t out)
{
	GEN_LIT(o, ",\"input\":");
	gen_out_json_str(o, s, n);
	GEN_LIT(o, ",\"input_tokens\":");
	gen_out_u64(o, in);
	GEN_LIT(o, ",\"output_tokens\":");
	gen_out_u64(o, out);
}

void gen_out_json_str(struct gen_out *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	gen_out_mem(o, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		gen_out_mem(o, s + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			gen_out_mem(o, esc, 2);
		} else {
			gen_out_mem(o, esc, 6);
		}
	}
	gen_out_mem(o, s + run, n - run);
	gen_out_mem(o, "\"", 1);
}

static void put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void gen_out_ts(struct gen_out *o, int64_t ms)
{
	int64_t day = clock_floor_div(ms, GEN_MS_PER_DAY);
	unsigned rem = (unsigned)(ms - day * GEN_MS_PER_DAY);
	char t[16];

	if (day != o->day) {
		int64_t y;
		unsigned m, d;
		clock_civil_from_days(day, &y, &m, &d);
		y = y < 0 ? 0 : y % 10000;
		put2(o->day_text, (unsigned)y / 100);
		put2(o->day_text + 2, (unsigned)y % 100);
		o->day_text[4] = '-';
		put2(o->day_text + 5, m);
		o->day_text[7] = '-';
		put2(o->day_text + 8, d);
		o->day_text[10] = 'T';
		o->day_text[11] = 0;
		o->day = day;
	}
	gen_out_mem(o, "\"", 1);
	gen_out_mem(o, o->day_text, 11);
	put2(t, rem / 3600000);
	t[2] = ':';
	put2(t + 3, rem / 60000 % 60);
	t[5] = ':';
	put2(t + 6, rem / 1000 % 60);
	t[8] = '.';
	t[9] = (char)('0' + rem % 1000 / 100);
	put2(t + 10, rem % 100);
	t[12] = 'Z';
	t[13] = '"';
	gen_out_mem(o, t, 14);
}

void gen_out_hundredths(struct gen_out *o, uint32_t v)
{
	char t[4];
	gen_out_u64(o, v / 100);
	t[0] = '.';
	put2(t + 1, v % 100);
	gen_out_mem(o, t, 3);
}

void gen_out_head(struct gen_out *o, int64_t ts_ms, const char *id_prefix, uint64_t index,
                  const char *tenant, size_t tenant_len, const char *task)
{
	GEN_LIT(o, "{\"ts\":");
	gen_out_ts(o, ts_ms);
	GEN_LIT(o, ",\"request_id\":\"");
	gen_out_str(o, id_prefix);
	GEN_LIT(o, "-");
	gen_out_u64w(o, index, 8);
	GEN_LIT(o, "\",\"tenant\":");
	gen_out_json_str(o, tenant, tenant_len);
	GEN_LIT(o, ",\"task\":\"");
	gen_out_str(o, task);
	GEN_LIT(o, "\"");
}

/* ---- arrivals ---- */

static double clock_weight(const struct gen_clock *c, uint32_t minute)
{
	const struct gen_shape *sh = c->shape;
	int64_t ms = c->start_ms + (int64_t)minute * GEN_MS_PER_MIN;
	int64_t day = clock_floor_div(ms, GEN_MS_PER_DAY);
	double hour = (double)(ms - day * GEN_MS_PER_DAY) / 3600000.0 + 1.0 / 120.0;
	double b = 0.5 * (1.0 + cos(2.0 * M_PI * (hour - sh->peak_h) / 24.0));
	double w;
	int weekday = (int)(((day % 7) + 11) % 7);      /* 0 = Sunday; 1970-01-01 was a Thursday */

	if (sh->sharp == 2)
		b *= b;
	w = sh->night + (1.0 - sh->night) * b;
	if (weekday == 0 || weekday == 6)
		w *= sh->weekend;
	return w * (1.0 + sh->noise * (2.0 * gen_mix_unit(c->salt, minute) - 1.0));
}

void gen_clock_init(struct gen_clock *c, const struct gen_shape *sh, int64_t start_ms,
                    uint32_t n_min, uint64_t n, uint64_t seed)
{
	memset(c, 0, sizeof *c);
	c->shape = sh;
	c->start_ms = start_ms;
	c->salt = gen_mix(seed, 0x636c6f636bULL);        /* "clock" */
	c->n_min = n_min;
	c->n = n;
	for (uint32_t m = 0; m < n_min; m++)
		c->total_w += clock_weight(c, m);
}

int gen_clock_next(struct gen_clock *c, struct gen_rng *r, int64_t *ts_ms)
{
	double off;
	while (c->i >= c->k) {
		uint64_t through;
		if (c->minute >= c->n_min)
			return 0;
		c->cum_w += clock_weight(c, c->minute);
		if (c->minute + 1 == c->n_min || c->total_w <= 0)
			through = c->n;
		else
			through = (uint64_t)((double)c->n * (c->cum_w / c->total_w) + 0.5);
		if (through > c->n)
			through = c->n;
		if (through < c->done)
			through = c->done;
		c->k = through - c->done;
		c->done = through;
		c->i = 0;
		c->minute_ms = c->start_ms + (int64_t)c->minute * GEN_MS_PER_MIN;
		c->minute++;
	}
	off = ((double)c->i + gen_rng_unit(r)) * ((double)GEN_MS_PER_MIN / (double)c->k);
	*ts_ms = c->minute_ms + (off < GEN_MS_PER_MIN ? (int64_t)off : GEN_MS_PER_MIN - 1);
	c->i++;
	return 1;
}

/* ---- tenants ---- */

static const char *const tenant_names[] = {
	"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka",
	"tyrell", "cyberdyne", "soylent", "vandelay", "oscorp", "aperture", "nakatomi", "monarch",
	"gringotts", "duff", "prestige", "sterling", "wernham", "dunder", "massive", "virtucon",
};

int gen_tenants_init(struct gen_tenants *t, unsigned n, struct err *e)
{
	size_t n_names = sizeof tenant_names / sizeof tenant_names[0];
	double sum = 0, acc = 0;

	memset(t, 0, sizeof *t);
	t->cum = malloc(n * sizeof *t->cum);
	t->name = malloc(n * sizeof *t->name);
	t->name_len = malloc(n);
	if (!t->cum || !t->name || !t->name_len) {
		gen_tenants_fini(t);
		return err_set(e, "gen: out of memory for %u tenants", n);
	}
	t->n = n;
	for (unsigned i = 0; i < n; i++)
		sum += pow(i + 1.0, -1.1);
	for (unsigned i = 0; i < n; i++) {
		int len;
		acc += pow(i + 1.0, -1.1);
		t->cum[i] = i + 1 == n ? 1.0 : acc / sum;
		if (i < n_names)
			len = snprintf(t->name[i], sizeof t->name[i], "%s", tenant_names[i]);
		else
			len = snprintf(t->name[i], sizeof t->name[i], "tenant-%05u", i + 1);
		t->name_len[i] = (unsigned char)len;
	}
	return 0;
}

void gen_tenants_fini(struct gen_tenants *t)
{
	if (!t)
		return;
	free(t->cum);
	free(t->name);
	free(t->name_len);
	memset(t, 0, sizeof *t);
}

unsigned gen_tenants_pick(const struct gen_tenants *t, struct gen_rng *r)
{
	double u = gen_rng_unit(r);
	unsigned lo = 0, hi = t->n - 1;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (t->cum[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}
