/*
 * The console's model: the open trace, the scenarios as the user edits them,
 * and the result shown for each.  Every edit queues a replay job on a pool of
 * worker threads (which also derive each tenant's and task's figures, so the
 * views never do); a job runs on a private copy of the scenario (parsed back
 * from its merged JSON), so the screen keeps showing the previous result and
 * stays responsive until the new one is published by console_model_collect().
 * A job whose scenario was edited again before it finished is dropped.
 * Traces and scenarios are found exactly as `llmcost replay` finds them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "traces/progress.h"
#include "traces/replace.h"
#include "traces/report.h"
#include "traces/scenario.h"
#include "traces/store.h"
#include "tui/cli.h"
#include "tui/console.h"
#include "tui/replay_notes.h"

struct console_job {
	struct console_job *next;
	unsigned scen_id, gen;
	const struct replay_trace *rt;
	struct scenario copy;
	struct result_scenario res;
	struct derived *tenant_d, *task_d;  /* of res, for the views */
	struct err err;
	int rc;
};

double console_now(void)
{
	return progress_clock();
}

static void console_model_job_free(struct console_job *j)
{
	if (!j)
		return;
	result_scenario_fini(&j->res);
	free(j->tenant_d);
	free(j->task_d);
	scenario_fini(&j->copy);
	free(j);
}

/* The derived figures of n groups of r, in a new array (the caller's), or NULL. */
static struct derived *console_model_derive(const struct result_scenario *r, const struct metrics *m,
                                            size_t n)
{
	struct derived *d = malloc((n ? n : 1) * sizeof *d);
	for (size_t i = 0; d && i < n; i++)
		result_derive(r, &m[i], &d[i]);
	return d;
}

static void *console_model_worker(void *arg)
{
	struct console_model *m = arg;
	pthread_mutex_lock(&m->mu);
	struct replay_progress *mine = &m->worker_progress[m->n_started++];
	for (;;) {
		while (!m->queue && !m->quit)
			pthread_cond_wait(&m->cv, &m->mu);
		if (m->quit)
			break;
		struct console_job *j = m->queue;
		m->queue = j->next;
		atomic_store_explicit(&mine->requests, 0, memory_order_relaxed);
		pthread_mutex_unlock(&m->mu);

		j->rc = replay_run(j->rt, &j->copy, &j->res, mine, &j->err);
		if (j->rc == 0) {
			j->tenant_d = console_model_derive(&j->res, j->res.by_tenant, j->res.n_tenants);
			j->task_d = console_model_derive(&j->res, j->res.by_task, j->res.n_tasks);
			if (!j->tenant_d || !j->task_d)
				j->rc = err_set(&j->err, "out of memory");
		}

		pthread_mutex_lock(&m->mu);
		m->batch_done += atomic_exchange_explicit(&mine->requests, 0, memory_order_relaxed);
		j->next = m->done;
		m->done = j;
		if (--m->in_flight == 0) {
			m->batch_end = console_now();
			m->last_run_s = m->batch_end - m->batch_t0;
		}
		pthread_cond_broadcast(&m->idle_cv);
		if (write(m->wake[1], "x", 1) < 0) {
			/* the pipe is full: the frame loop is awake already */
		}
	}
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

int console_model_init(struct console_model *m, const char *db_path, struct err *e)
{
	sigset_t block, old;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = cores < 1 ? 1 : cores > 8 ? 8 : (size_t)cores;

	memset(m, 0, sizeof *m);
	m->next_id = 1;
	m->wake[0] = m->wake[1] = -1;
	if (!(m->db_path = strdup(db_path)))
		return err_set(e, "out of memory");
	if (pipe(m->wake) < 0) {
		free(m->db_path);
		return err_set(e, "pipe: %s", strerror(errno));
	}
	for (int i = 0; i < 2; i++) {
		fcntl(m->wake[i], F_SETFL, fcntl(m->wake[i], F_GETFL) | O_NONBLOCK);
		fcntl(m->wake[i], F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	pthread_cond_init(&m->idle_cv, NULL);
	/* signals go to the frame loop, never to a worker */
	sigfillset(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (size_t i = 0; i < want; i++)
		if (pthread_create(&m->threads[m->n_threads], NULL, console_model_worker, m) == 0)
			m->n_threads++;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (m->n_threads == 0) {
		console_model_fini(m);
		return err_set(e, "cannot start a worker thread");
	}
	return 0;
}

/* Drops the result shown for s (and its copy of the scenario). */
static void console_model_unshow(struct console_scen *s)
{
	result_scenario_fini(&s->res);
	free(s->tenant_derived);
	free(s->task_derived);
	s->tenant_derived = s->task_derived = NULL;
	s->has_res = 0;
	if (s->ran) {
		scenario_fini(s->ran);
		free(s->ran);
		s->ran = NULL;
	}
	free(s->error);
	s->error = NULL;
}

static void console_model_scen_free(struct console_scen *s)
{
	if (!s)
		return;
	console_model_unshow(s);
	scenario_fini(&s->sc);
	free(s->label);
	free(s->failed_edit);
	free(s);
}

static void console_model_notes_free(struct console_note *notes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(notes[i].text);
		free(notes[i].ids);
	}
	free(notes);
}

void console_model_fini(struct console_model *m)
{
	struct console_job *j, *next;
	pthread_mutex_lock(&m->mu);
	m->quit = 1;
	pthread_cond_broadcast(&m->cv);
	/* the runs under way end at their next step: quitting does not wait for them */
	for (size_t i = 0; i < sizeof m->worker_progress / sizeof m->worker_progress[0]; i++)
		atomic_store_explicit(&m->worker_progress[i].stop, 1, memory_order_relaxed);
	pthread_mutex_unlock(&m->mu);
	for (size_t i = 0; i < m->n_threads; i++)
		pthread_join(m->threads[i], NULL);
	for (j = m->queue; j; j = next) {
		next = j->next;
		console_model_job_free(j);
	}
	for (j = m->done; j; j = next) {
		next = j->next;
		console_model_job_free(j);
	}
	for (size_t i = 0; i < m->n_scen; i++)
		console_model_scen_free(m->scen[i]);
	free(m->scen);
	console_model_notes_free(m->notes, m->n_notes);
	replay_trace_free(m->rt);
	if (m->trace) {
		trace_free(m->trace);
		free(m->trace);
	}
	free(m->trace_name);
	free(m->db_path);
	for (int i = 0; i < 2; i++)
		if (m->wake[i] >= 0)
			close(m->wake[i]);
	pthread_cond_destroy(&m->idle_cv);
	pthread_cond_destroy(&m->cv);
	pthread_mutex_destroy(&m->mu);
	memset(m, 0, sizeof *m);
}

static struct console_scen *console_model_by_id(struct console_model *m, unsigned id)
{
	for (size_t i = 0; i < m->n_scen; i++)
		if (m->scen[i]->id == id)
			return m->scen[i];
	return NULL;
}

/* Queues a run of s's current version; a queued, unstarted run of s is replaced. */
static int console_model_submit(struct console_model *m, struct console_scen *s, struct err *e)
{
	struct console_job *j = calloc(1, sizeof *j), **pp;
	if (!j)
		return err_set(e, "out of memory");
	if (!m->rt) {
		free(j);
		return err_set(e, "no trace is open (load TRACE)");
	}
	if (scenario_parse(s->sc.json ? s->sc.json : "{}", NULL, s->sc.dir, &j->copy, e) < 0) {
		free(j);
		return err_prefix(e, "%s: ", s->label);
	}
	j->scen_id = s->id;
	j->gen = ++s->gen;
	j->rt = m->rt;
	pthread_mutex_lock(&m->mu);
	for (pp = &m->queue; *pp; pp = &(*pp)->next)
		if ((*pp)->scen_id == s->id) {
			struct console_job *old = *pp;
			j->next = old->next;
			*pp = j;
			pthread_mutex_unlock(&m->mu);
			console_model_job_free(old);
			return 0;
		}
	*pp = j;
	if (m->in_flight++ == 0) { /* a new batch: no run of the last one is left to count */
		m->batch_t0 = console_now();
		m->batch_requests = 0;
		m->batch_done = 0; /* no run is under way: each worker's count is 0 */
	}
	m->batch_requests += m->summary.requests;
	s->busy++;
	pthread_cond_signal(&m->cv);
	pthread_mutex_unlock(&m->mu);
	return 0;
}

/* Keeps in the store the normalized inputs that a run of sc made on the open trace, once. */
static void console_model_keep_norms(struct console_model *m, const struct scenario *sc)
{
	struct store st;
	struct err e;
	unsigned wanted = replay_norms_wanted(sc, 1);
	if (!wanted || (m->norms_kept & wanted) == wanted || store_open(&st, m->db_path, &e) < 0)
		return;
	snprintf(st.loaded_import, sizeof st.loaded_import, "%s", m->trace_import); /* only for it */
	replay_norms_keep(&st, m->trace_name, m->trace, m->rt, wanted, m->norms_kept);
	store_close(&st);
	m->norms_kept |= wanted;
}

int console_model_collect(struct console_model *m)
{
	char buf[64];
	int published = 0;
	/* drain first: a job finished after this leaves its byte for the next poll */
	while (read(m->wake[0], buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&m->mu);
	struct console_job *j = m->done, *next;
	m->done = NULL;
	pthread_mutex_unlock(&m->mu);
	for (; j; j = next) {
		next = j->next;
		struct console_scen *s = console_model_by_id(m, j->scen_id);
		if (s)
			s->busy--;
		if (!s || j->gen != s->gen) {
			console_model_job_free(j);
			continue;
		}
		console_model_unshow(s);
		if (j->rc == 0) {
			console_model_keep_norms(m, &j->copy);
			struct scenario *ran = malloc(sizeof *ran);
			if (ran) {
				*ran = j->copy;
				memset(&j->copy, 0, sizeof j->copy);
				s->ran = ran;
				s->res = j->res;
				memset(&j->res, 0, sizeof j->res);
				s->tenant_derived = j->tenant_d;
				s->task_derived = j->task_d;
				j->tenant_d = j->task_d = NULL;
				s->has_res = 1;
			} else {
				s->error = strdup("out of memory");
				s->error_new = 1;
			}
		} else {
			/* as `llmcost replay` reports it */
			char msg[sizeof j->err.msg + 300];
			snprintf(msg, sizeof msg, "scenario \"%s\": %s", j->copy.name ? j->copy.name : s->label,
			         j->err.msg);
			s->error = strdup(msg);
			s->error_new = 1;
		}
		m->data_gen++;
		published++;
		console_model_job_free(j);
	}
	if (published)
		console_model_notes(m);
	return published;
}

/* The notes being made (console_model_notes): the scenarios shown, and the notes so far. */
struct console_notes_made {
	struct console_scen **shown;
	size_t n_shown;
	struct console_note *notes;
	size_t n;
	int failed;                 /* out of memory */
};

/* A note's sink: its text, once, about the scenario shown[scen] (every one for REPLAY_NOTE_EVERY). */
static void console_model_note(void *ctx, size_t scen, const char *text)
{
	struct console_notes_made *x = ctx;
	struct console_note *note = NULL;
	for (size_t i = 0; i < x->n && !note; i++)
		if (strcmp(x->notes[i].text, text) == 0)
			note = &x->notes[i];
	if (!note) {
		struct console_note *grown = realloc(x->notes, (x->n + 1) * sizeof *grown);
		char *copy = strdup(text);
		if (grown)
			x->notes = grown;
		if (!grown || !copy) {
			free(copy);
			x->failed = 1;
			return;
		}
		note = &x->notes[x->n++];
		*note = (struct console_note){ .text = copy };
	}
	for (size_t k = scen == REPLAY_NOTE_EVERY ? 0 : scen; k < x->n_shown; k++) {
		unsigned id = x->shown[k]->id, *ids;
		int again = 0;
		for (size_t i = 0; i < note->n_ids; i++)
			again |= note->ids[i] == id;
		if (!again) {
			if (!(ids = realloc(note->ids, (note->n_ids + 1) * sizeof *ids))) {
				x->failed = 1;
				return;
			}
			note->ids = ids;
			note->ids[note->n_ids++] = id;
		}
		if (scen != REPLAY_NOTE_EVERY)
			break;
	}
}

void console_model_notes(struct console_model *m)
{
	struct console_notes_made x = { 0 };
	const struct scenario **ran = NULL;
	if (m->trace && (x.shown = malloc((m->n_scen ? m->n_scen : 1) * sizeof *x.shown)) &&
	    (ran = malloc((m->n_scen ? m->n_scen : 1) * sizeof *ran))) {
		for (size_t i = 0; i < m->n_scen; i++)
			if (m->scen[i]->has_res && m->scen[i]->ran) {
				ran[x.n_shown] = m->scen[i]->ran;
				x.shown[x.n_shown++] = m->scen[i];
			}
		struct replay_note_sink to = { console_model_note, &x };
		for (size_t i = 0; i < x.n_shown; i++) /* in replay's order: the warnings, then the notes */
			replay_check_result(&x.shown[i]->res, ran[i], i, &to);
		replay_notes(m->trace, &m->summary, ran, x.n_shown, &to);
	}
	/* said before: a note of the same text, about no scenario it was not about then */
	for (size_t i = 0; i < x.n; i++)
		for (size_t o = 0; o < m->n_notes; o++) {
			const struct console_note *a = &x.notes[i], *b = &m->notes[o];
			if (!b->said || strcmp(a->text, b->text) != 0)
				continue;
			size_t known = 0;
			for (size_t k = 0; k < a->n_ids; k++)
				for (size_t q = 0; q < b->n_ids; q++)
					known += a->ids[k] == b->ids[q];
			x.notes[i].said = known == a->n_ids;
		}
	console_model_notes_free(m->notes, m->n_notes);
	m->notes = x.failed ? NULL : x.notes; /* out of memory: none rather than some */
	m->n_notes = x.failed ? 0 : x.n;
	if (x.failed)
		console_model_notes_free(x.notes, x.n);
	free(x.shown);
	free(ran);
}

size_t console_model_noted(const struct console_model *m, const struct console_scen *s)
{
	size_t n = 0;
	for (size_t i = 0; i < m->n_notes; i++)
		for (size_t k = 0; k < m->notes[i].n_ids; k++)
			n += m->notes[i].ids[k] == s->id;
	return n;
}

/* Takes the queued, unstarted runs off the queue: scenario id's, or all when id is 0. */
static void console_model_cancel_queued(struct console_model *m, unsigned id)
{
	pthread_mutex_lock(&m->mu);
	for (struct console_job **pp = &m->queue; *pp;)
		if (!id || (*pp)->scen_id == id) {
			struct console_job *old = *pp;
			struct console_scen *s = console_model_by_id(m, old->scen_id);
			*pp = old->next;
			m->in_flight--;
			m->batch_requests -= m->summary.requests; /* every job runs the open trace */
			if (s)
				s->busy--;
			console_model_job_free(old);
		} else {
			pp = &(*pp)->next;
		}
	pthread_cond_broadcast(&m->idle_cv);
	pthread_mutex_unlock(&m->mu);
}

void console_model_wait(struct console_model *m)
{
	pthread_mutex_lock(&m->mu);
	while (m->in_flight)
		pthread_cond_wait(&m->idle_cv, &m->mu);
	pthread_mutex_unlock(&m->mu);
	console_model_collect(m);
}

size_t console_model_busy(struct console_model *m)
{
	pthread_mutex_lock(&m->mu);
	size_t n = m->in_flight;
	pthread_mutex_unlock(&m->mu);
	return n;
}

void console_model_stopped(struct console_model *m, double since, double seconds)
{
	pthread_mutex_lock(&m->mu);
	if (m->in_flight)
		m->batch_t0 += seconds;
	else if (m->batch_end > since) /* it ended after `since`: the part of the stop it spanned */
		m->last_run_s -= m->batch_end - since < seconds ? m->batch_end - since : seconds;
	pthread_mutex_unlock(&m->mu);
}

int console_model_finishing(uint64_t taken, uint64_t n_req)
{
	return n_req >= REPLAY_PROGRESS_STEP && taken >= (n_req & ~(uint64_t)(REPLAY_PROGRESS_STEP - 1));
}

double console_model_running_s(struct console_model *m, int *percent, size_t *finishing)
{
	struct replay_progress all = { 0 };
	uint64_t taken = 0;
	*finishing = 0;
	pthread_mutex_lock(&m->mu);
	double s = m->in_flight ? console_now() - m->batch_t0 : 0;
	for (size_t i = 0; i < m->n_started; i++) {
		uint64_t k = atomic_load_explicit(&m->worker_progress[i].requests, memory_order_relaxed);
		taken += k;
		*finishing += k && console_model_finishing(k, m->summary.requests);
	}
	atomic_store_explicit(&all.requests, m->batch_done + taken, memory_order_relaxed);
	*percent = m->in_flight ? replay_progress_percent(&all, m->batch_requests) : 0;
	pthread_mutex_unlock(&m->mu);
	return s;
}

int console_model_run(struct console_model *m, struct console_scen *s, struct err *e)
{
	if (s)
		return console_model_submit(m, s, e);
	for (size_t i = 0; i < m->n_scen; i++)
		if (console_model_submit(m, m->scen[i], e) < 0)
			return -1;
	return 0;
}

void console_opening_fini(struct console_opening *o)
{
	replay_trace_free(o->rt);
	if (o->t) {
		trace_free(o->t);
		free(o->t);
	}
	free(o->name);
	o->t = NULL;
	o->rt = NULL;
	o->name = NULL;
}

int console_model_read(const char *db_path, const char *name, struct console_opening *o, struct err *e)
{
	struct store st = { 0 };
	o->t = calloc(1, sizeof *o->t);
	o->rt = NULL;
	o->name = strdup(name);
	atomic_store(&o->phase, CONSOLE_OPEN_READING);
	if (!o->t || !o->name) {
		err_set(e, "out of memory");
		goto fail;
	}
	if (store_open(&st, db_path, e) < 0)
		goto fail;
	if (store_load(&st, name, o->t, e) < 0) {
		store_close(&st);
		goto fail;
	}
	atomic_store(&o->phase, CONSOLE_OPEN_PREPARING);
	if (replay_prepare(o->t, &o->rt, e) < 0) {
		store_close(&st);
		err_prefix(e, "%s: ", name);
		goto fail;
	}
	atomic_store(&o->phase, CONSOLE_OPEN_NORMS);
	o->norms = replay_norms_restore(&st, name, o->t, o->rt, REPLAY_NORMS_ALL);
	snprintf(o->import, sizeof o->import, "%s", st.loaded_import);
	store_close(&st);
	return 0;
fail:
	console_opening_fini(o);
	return -1;
}

int console_model_show(struct console_model *m, struct console_opening *o, struct err *e)
{
	/* runs still queued would be of the old trace; the running ones end first */
	console_model_cancel_queued(m, 0);
	console_model_wait(m);
	/* results borrow the old trace's names: drop them before the trace goes */
	for (size_t i = 0; i < m->n_scen; i++)
		console_model_unshow(m->scen[i]);
	console_model_notes_free(m->notes, m->n_notes); /* the new trace's are all new */
	m->notes = NULL;
	m->n_notes = 0;
	replay_trace_free(m->rt);
	if (m->trace) {
		trace_free(m->trace);
		free(m->trace);
	}
	free(m->trace_name);
	m->trace = o->t;
	m->rt = o->rt;
	m->trace_name = o->name;
	m->norms_kept = o->norms;
	memcpy(m->trace_import, o->import, sizeof o->import);
	o->t = NULL;
	o->rt = NULL;
	o->name = NULL;
	replay_trace_summary(m->rt, &m->summary);
	m->data_gen++;
	return console_model_run(m, NULL, e);
}

/* console_model_open_trace, abandoned (-1, e says so) when *stop is set once the trace is read:
 * the trace shown is left as it was. */
static int console_model_open_stop(struct console_model *m, const char *name,
                                   const volatile sig_atomic_t *stop, struct err *e)
{
	struct console_opening o;
	if (console_model_read(m->db_path, name, &o, e) < 0)
		return -1;
	int sig = stop ? *stop : 0;
	if (sig) {
		console_opening_fini(&o);
		return err_set(e, "%s: trace %s not opened (stored: :load %s opens it)", import_stop_word(sig), name,
		               name);
	}
	return console_model_show(m, &o, e);
}

int console_model_open_trace(struct console_model *m, const char *name, struct err *e)
{
	return console_model_open_stop(m, name, NULL, e);
}

/*
 * Runs fn(ctx) with stderr sent to a temporary file (the screen belongs to
 * curses), then puts the last line it printed, without the "llmcost: "
 * prefix, into msg.  Returns what fn returned.
 */
static int console_model_quiet(int (*fn)(void *), void *ctx, char *msg, size_t n)
{
	FILE *tmp = tmpfile();
	int saved, rc;
	msg[0] = 0;
	fflush(stderr);
	saved = tmp ? dup(2) : -1;
	if (saved < 0 || dup2(fileno(tmp), 2) < 0) {
		if (saved >= 0)
			close(saved);
		if (tmp)
			fclose(tmp);
		return fn(ctx);
	}
	rc = fn(ctx);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	char line[1024];
	while (fgets(line, sizeof line, tmp)) {
		size_t len = strcspn(line, "\n");
		line[len] = 0;
		if (len == 0)
			continue;
		const char *p = strncmp(line, "llmcost: ", 9) == 0 ? line + 9 : line;
		snprintf(msg, n, "%s", p);
	}
	fclose(tmp);
	return rc;
}

struct console_find_ctx {
	struct store *st;
	const char *arg, *as;
	char name[256];
};

static int console_model_find_fn(void *p)
{
	struct console_find_ctx *c = p;
	return replay_find_trace(c->st, c->arg, c->as, c->name, sizeof c->name);
}

int console_model_load(struct console_model *m, const char *arg, const char *as,
                       const volatile sig_atomic_t *stop, char *info, size_t n, struct err *e)
{
	struct store st = { 0 };
	struct console_find_ctx fc = { .st = &st, .arg = arg, .as = as };
	char msg[1024];
	info[0] = 0;
	if (store_open(&st, m->db_path, e) < 0)
		return -1;
	int rc = console_model_quiet(console_model_find_fn, &fc, msg, sizeof msg);
	struct store_trace_info ti;
	int empty = rc == EXIT_OK && store_find(&st, fc.name, &ti, e) == 1 && ti.requests == 0;
	store_close(&st);
	if (rc != EXIT_OK) {
		err_set(e, "%s", msg[0] ? msg : "the trace could not be loaded");
		return rc > 128 ? rc - 128 : -1; /* a signal abandoned the import */
	}
	if (empty) /* a file that is not a trace (a scenario, say): every line rejected */
		return err_set(e, "trace %s holds no requests, so it is not opened%s%s%s", fc.name,
		               msg[0] ? " (" : "", msg, msg[0] ? ")" : "");
	snprintf(info, n, "%s", msg);
	if (console_model_open_stop(m, fc.name, stop, e) < 0) {
		int sig = stop ? *stop : 0; /* as the message says: a signal caught is not taken back */
		if (msg[0]) /* the import's summary, then why the trace it stored is not opened */
			err_prefix(e, "%s; ", msg);
		return sig ? sig : -1;
	}
	return 0;
}

struct console_scen *console_model_find(struct console_model *m, const char *label, size_t *index)
{
	for (size_t i = 0; i < m->n_scen; i++)
		if (strcmp(m->scen[i]->label, label) == 0) {
			if (index)
				*index = i;
			return m->scen[i];
		}
	return NULL;
}

struct console_scen *console_model_split_path(struct console_model *m, const char *text,
                                              struct console_scen *dflt, const char **path)
{
	struct console_scen *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < m->n_scen; i++) {
		size_t len = strlen(m->scen[i]->label);
		if (len > best_len && strncmp(text, m->scen[i]->label, len) == 0 && text[len] == '.') {
			best = m->scen[i];
			best_len = len;
		}
	}
	if (!best) { /* else the one open scenario whose name is the text's start before a '.' */
		size_t n = 0;
		for (size_t i = 0; i < m->n_scen; i++) {
			const char *name = m->scen[i]->sc.name;
			size_t len = name ? strlen(name) : 0;
			if (len && strncmp(text, name, len) == 0 && text[len] == '.' && !console_model_find(m, name, NULL)) {
				if (len > best_len)
					best = m->scen[i], best_len = len, n = 1;
				else if (len == best_len)
					n++;
			}
		}
		if (n > 1)
			best = NULL, best_len = 0;
	}
	*path = best ? text + best_len + 1 : text;
	return best ? best : dflt;
}

/* A handle for a scenario argument: the base name without ".json", blanks as '-'. */
static char *console_model_label(struct console_model *m, const char *arg)
{
	const char *base = strrchr(arg, '/');
	char buf[200], out[220];
	base = base && base[1] ? base + 1 : arg;
	snprintf(buf, sizeof buf, "%s", base);
	size_t len = strlen(buf);
	if (len > 5 && strcmp(buf + len - 5, ".json") == 0)
		buf[len - 5] = 0;
	for (char *p = buf; *p; p++)
		if (*p == ' ' || *p == '\t')
			*p = '-';
	if (!buf[0])
		snprintf(buf, sizeof buf, "scenario");
	snprintf(out, sizeof out, "%s", buf);
	for (int k = 2; console_model_find(m, out, NULL); k++)
		snprintf(out, sizeof out, "%s-%d", buf, k);
	return strdup(out);
}

int console_model_add_loaded(struct console_model *m, const char *label, struct scenario *sc,
                             struct err *e)
{
	struct console_scen *s = calloc(1, sizeof *s), **grown;
	if (!s || !(s->label = console_model_label(m, label)) ||
	    !(grown = realloc(m->scen, (m->n_scen + 1) * sizeof *grown))) {
		if (s)
			free(s->label);
		free(s);
		scenario_fini(sc);
		return err_set(e, "out of memory");
	}
	s->id = m->next_id++;
	s->sc = *sc;
	memset(sc, 0, sizeof *sc);
	m->scen = grown;
	m->scen[m->n_scen++] = s;
	m->data_gen++;
	if (!m->rt)
		return 0;
	return console_model_submit(m, s, e);
}

struct console_scen_ctx {
	const char *arg;
	struct scenario *sc;
};

static int console_model_scen_fn(void *p)
{
	struct console_scen_ctx *c = p;
	return replay_load_scenario(c->arg, c->sc);
}

int console_model_add(struct console_model *m, const char *label, const char *file,
                      struct err *e)
{
	struct scenario sc;
	struct console_scen_ctx c = { file ? file : label, &sc }; /* a file or a bundled name, as -s */
	char msg[1024];
	memset(&sc, 0, sizeof sc);
	if (console_model_quiet(console_model_scen_fn, &c, msg, sizeof msg) != EXIT_OK)
		return err_set(e, "%s", msg[0] ? msg : "the scenario could not be loaded");
	return console_model_add_loaded(m, label, &sc, e);
}

int console_model_drop(struct console_model *m, const char *label, struct err *e)
{
	size_t i;
	struct console_scen *s = console_model_find(m, label, &i);
	if (!s)
		return err_set(e, "no scenario \"%s\" is open", label);
	/* a job still running for it is dropped when it finishes (its id is gone) */
	memmove(&m->scen[i], &m->scen[i + 1], (m->n_scen - i - 1) * sizeof *m->scen);
	m->n_scen--;
	console_model_cancel_queued(m, s->id);
	console_model_scen_free(s);
	console_model_notes(m); /* its notes go; the span's may become one for all */
	m->data_gen++;
	return 0;
}

int console_model_set(struct console_model *m, struct console_scen *s, const char *path,
                      const char *value, struct err *e)
{
	if (scenario_set(&s->sc, path, value, e) < 0)
		return err_prefix(e, "%s: ", s->label);
	s->unsaved = 1;
	return console_model_submit(m, s, e);
}

int console_model_replace(struct console_model *m, struct console_scen *s, const char *json,
                          struct err *e)
{
	struct scenario next;
	if (scenario_parse(json, s->label, s->sc.dir, &next, e) < 0)
		return -1;
	scenario_fini(&s->sc);
	s->sc = next;
	s->unsaved = 1;
	return console_model_submit(m, s, e);
}

static const char *scen_name(const struct console_scen *s)
{
	return s->has_res && s->res.name ? s->res.name : s->label;
}

int console_scen_shared(const struct console_model *m, const struct console_scen *s)
{
	const char *name = scen_name(s);
	for (size_t k = 0; k < m->n_scen; k++)
		if (m->scen[k] != s && strcmp(scen_name(m->scen[k]), name) == 0 && strcmp(name, s->label) != 0)
			return 1;
	return 0;
}

const char *console_scen_title(const struct console_model *m, const struct console_scen *s,
                               char buf[CONSOLE_TITLE_MAX])
{
	const char *name = scen_name(s);
	char label[CONSOLE_TITLE_MAX / 2], tail[sizeof label + 3] = "";
	if (console_scen_shared(m, s)) {
		console_copy(label, sizeof label, s->label);
		snprintf(tail, sizeof tail, " (%s)", label);
	} else if (strlen(name) < CONSOLE_TITLE_MAX) {
		return name;
	}
	/* a name too long loses its middle, at whole characters, and the handle stays */
	console_copy(buf, CONSOLE_TITLE_MAX - strlen(tail), name);
	strcat(buf, tail);
	return buf;
}

/* What console_model_export writes, for replace_write_child's writer. */
struct console_export {
	struct console_model *m;
	const struct result_scenario *r;
	int csv;
};

static int console_model_export_write(FILE *f, void *ctx, struct err *e)
{
	struct console_export *x = ctx;
	return x->csv ? report_csv(f, &x->m->summary, x->r, x->m->n_scen, REPORT_BY_NONE, e)
	              : report_json(f, &x->m->summary, x->r, x->m->n_scen, e);
}

int console_model_export(struct console_model *m, int csv, const char *path,
                         int (*tick)(void *ctx, uint64_t bytes, double seconds), void *ctx, struct err *e)
{
	struct result_scenario *r = calloc(m->n_scen ? m->n_scen : 1, sizeof *r);
	char (*title)[CONSOLE_TITLE_MAX] = calloc(m->n_scen ? m->n_scen : 1, sizeof *title);
	struct console_export x = { m, NULL, csv };
	int rc = -1;
	if (!r || !title) {
		free(r);
		free(title);
		return err_set(e, "out of memory");
	}
	if (!m->rt) {
		err_set(e, "no trace is open (load TRACE)");
		goto out;
	}
	for (size_t i = 0; i < m->n_scen; i++) {
		struct console_scen *s = m->scen[i];
		if (!s->has_res) {
			if (s->error)
				err_set(e, "%s", s->error);
			else
				err_set(e, "scenario \"%s\" is still running; export when it is done", s->label);
			goto out;
		}
		r[i] = s->res; /* a shallow copy: the report only reads it */
		/* named as its column is: two of one name that differ told apart, as replay does */
		r[i].name = (char *)console_scen_title(m, s, title[i]);
	}
	x.r = r;
	rc = replace_write_child(path, console_model_export_write, &x, tick, ctx, e);
out:
	free(r);
	free(title);
	return rc;
}
