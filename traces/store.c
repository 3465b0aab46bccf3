/*
 * The SQLite trace store.  Requests and recorded attempts are rows keyed by
 * (trace_id, idx) in WITHOUT ROWID tables, so a trace is one contiguous range
 * that loads in index order; tenants, tasks, models and input texts are
 * interned per trace into `names` and `inputs`.  Views join the names back for
 * people (README.md, "The store").
 */
#include "traces/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/clock.h"
#include "sim/money.h"
#include "sim/intern.h"
#include "sim/normalize.h"
#include "sim/status.h"
#include "traces/progress.h"
#include "traces/reader.h"

#define SCHEMA_VERSION 1
#define COLUMN_CHUNK (16u << 20) /* bytes a blob of the columnar copy holds at most */
#define BUSY_MS 5000 /* how long a statement waits for another process's lock, by default */
#define WAIT_FOREVER (-1) /* busy_ms: as long as the lock is held (store_wait_for_locks) */
#define TELL_MS 1000 /* such a wait is told after this long */

/* store_wait_for_locks's choice for the stores opened from then on (NULL: BUSY_MS). */
static void (*wait_tell)(const char *path);

void store_wait_for_locks(void (*tell)(const char *path))
{
	wait_tell = tell;
}

/* store_stop_waits's stop for the stores opened from then on (NULL: none). */
static volatile sig_atomic_t *open_stop;

void store_stop_waits(volatile sig_atomic_t *stop)
{
	open_stop = stop;
}

/* The wait a store opened now has (replacing_end returns to it). */
static int normal_busy_ms(void)
{
	return wait_tell ? WAIT_FOREVER : BUSY_MS;
}

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS traces(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  source TEXT NOT NULL,\n"
	"  imported_at TEXT NOT NULL,\n"
	"  requests INTEGER NOT NULL DEFAULT 0,\n"
	"  attempts INTEGER NOT NULL DEFAULT 0,\n"
	"  rejects INTEGER NOT NULL DEFAULT 0,\n"
	"  tenants INTEGER NOT NULL DEFAULT 0,\n"
	"  first_ts_us INTEGER, last_ts_us INTEGER,\n"
	"  has_cost INTEGER NOT NULL DEFAULT 0,\n"
	"  has_quality INTEGER NOT NULL DEFAULT 0);\n"
	"CREATE TABLE IF NOT EXISTS names(\n"
	"  trace_id INTEGER NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL,\n"
	"  PRIMARY KEY(trace_id, id)) WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS inputs(\n"
	"  trace_id INTEGER NOT NULL, id INTEGER NOT NULL, text TEXT NOT NULL,\n"
	"  PRIMARY KEY(trace_id, id)) WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS requests(\n"
	"  trace_id INTEGER NOT NULL, idx INTEGER NOT NULL, line INTEGER NOT NULL,\n"
	"  ts_us INTEGER NOT NULL, tenant INTEGER NOT NULL, task INTEGER NOT NULL,\n"
	"  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,\n"
	"  input_tokens_estimated INTEGER NOT NULL, cached_tokens INTEGER,\n"
	"  input INTEGER, input_hash INTEGER, model INTEGER, status INTEGER, latency_us INTEGER,\n"
	"  difficulty INTEGER, quality REAL, realtime INTEGER, cost_pusd INTEGER,\n"
	"  attempts INTEGER NOT NULL, request_id TEXT, session TEXT, user TEXT, extra TEXT,\n"
	"  PRIMARY KEY(trace_id, idx)) WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS attempts(\n"
	"  trace_id INTEGER NOT NULL, idx INTEGER NOT NULL, n INTEGER NOT NULL,\n"
	"  model INTEGER NOT NULL, status INTEGER NOT NULL, input_tokens INTEGER,\n"
	"  output_tokens INTEGER, cached_tokens INTEGER, latency_us INTEGER, ts_us INTEGER,\n"
	"  extra TEXT, PRIMARY KEY(trace_id, idx, n)) WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS rejects(\n"
	"  trace_id INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,\n"
	"  reason TEXT NOT NULL, length INTEGER NOT NULL, text TEXT NOT NULL);\n"
	"CREATE INDEX IF NOT EXISTS rejects_trace ON rejects(trace_id);\n"
	"CREATE TABLE IF NOT EXISTS statuses(code INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
	"CREATE TABLE IF NOT EXISTS columns(\n"
	"  trace_id INTEGER NOT NULL, name TEXT NOT NULL, chunk INTEGER NOT NULL, data BLOB NOT NULL,\n"
	"  UNIQUE(trace_id, name, chunk));\n";

/* The views join the names back and convert units.  A time of µs since the epoch (floor
 * division, for years before 1970) as RFC 3339 to the microsecond: SQLite's %f would round
 * it to the millisecond, through a double. */
#define TIME_OF(us)                                                                          \
	"strftime('%Y-%m-%dT%H:%M:%S', (" us " - ((" us " % 1000000 + 1000000) % 1000000)) / 1000000, " \
	"'unixepoch') || printf('.%06dZ', (" us " % 1000000 + 1000000) % 1000000)"
#define VIEWS \
	"CREATE VIEW IF NOT EXISTS requests_v AS SELECT\n" \
	"  t.name AS trace, r.idx, r.line,\n" \
	"  " TIME_OF("r.ts_us") " AS ts, r.ts_us,\n" \
	"  tn.name AS tenant, tk.name AS task, r.input_tokens, r.output_tokens,\n" \
	"  r.input_tokens_estimated, r.cached_tokens, i.text AS input, h.name AS input_hash,\n" \
	"  m.name AS model, s.name AS status, r.latency_us / 1000.0 AS latency_ms,\n" \
	"  CASE r.difficulty WHEN 1 THEN 'easy' WHEN 2 THEN 'hard' END AS difficulty,\n" \
	"  r.quality, r.realtime, r.cost_pusd / 1e12 AS cost_usd, r.attempts,\n" \
	"  r.request_id, r.session, r.user, r.extra\n" \
	"FROM requests r JOIN traces t ON t.id = r.trace_id\n" \
	"  JOIN names tn ON tn.trace_id = r.trace_id AND tn.id = r.tenant\n" \
	"  JOIN names tk ON tk.trace_id = r.trace_id AND tk.id = r.task\n" \
	"  LEFT JOIN inputs i ON i.trace_id = r.trace_id AND i.id = r.input\n" \
	"  LEFT JOIN names h ON h.trace_id = r.trace_id AND h.id = r.input_hash\n" \
	"  LEFT JOIN names m ON m.trace_id = r.trace_id AND m.id = r.model\n" \
	"  LEFT JOIN statuses s ON s.code = r.status;\n" \
	"CREATE VIEW IF NOT EXISTS attempts_v AS SELECT\n" \
	"  t.name AS trace, a.idx, a.n, m.name AS model, s.name AS status, a.input_tokens,\n" \
	"  a.output_tokens, a.cached_tokens, a.latency_us / 1000.0 AS latency_ms,\n" \
	"  " TIME_OF("a.ts_us") " AS ts, a.extra\n" \
	"FROM attempts a JOIN traces t ON t.id = a.trace_id\n" \
	"  JOIN names m ON m.trace_id = a.trace_id AND m.id = a.model\n" \
	"  JOIN statuses s ON s.code = a.status;\n"

/* What the store keeps that schema 1's readers may ignore: added to a store of schema 1 that
 * lacks it, without a new version that would shut those readers out.  Each row names the
 * import it belongs to (imported_at), so one that such a reader left behind when it replaced
 * or removed a trace is never read as the new trace's.  cost_subs: what rounding a cost_usd
 * to a pico-USD left, in 10^-30 USD, for the lines that had more than 12 decimals; the rest
 * spares work. */
static const char kept_schema[] =
	"CREATE TABLE IF NOT EXISTS cost_subs(\n"
	"  trace_id INTEGER NOT NULL, idx INTEGER NOT NULL, imported_at TEXT NOT NULL, sub INTEGER NOT NULL,\n"
	"  PRIMARY KEY(trace_id, idx)) WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS normalized(\n"
	"  trace_id INTEGER NOT NULL, flags INTEGER NOT NULL, chunk INTEGER NOT NULL,\n"
	"  rules TEXT NOT NULL, imported_at TEXT NOT NULL, data BLOB NOT NULL,\n"
	"  PRIMARY KEY(trace_id, flags, chunk)) WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS texts(\n"
	"  trace_id INTEGER NOT NULL, chunk INTEGER NOT NULL, imported_at TEXT NOT NULL, data BLOB NOT NULL,\n"
	"  PRIMARY KEY(trace_id, chunk)) WITHOUT ROWID;\n";

/*
 * The last statement's failure in e, as "PATH: [WHAT: ]WHY", but for a store that another
 * process kept locked past the wait: that is said so, not in SQLite's words.
 */
static int store_error(struct store *s, struct err *e, const char *what, const char *why)
{
	int code = sqlite3_errcode(s->db) & 0xff, busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
	if (busy && s->stop && *s->stop)
		return err_set(e, "%s: stopped while waiting for another process's lock on the store", s->path);
	if (busy && s->busy_ms > 0)
		return err_set(e, "%s: the store is busy: another process has kept it locked for %d s "
		               "(an import?); try again when it is done", s->path, s->busy_ms / 1000);
	if (busy && s->busy_ms < 0)
		return err_set(e, "%s: the store is busy: another process holds its lock (an import?); "
		               "try again when it is done", s->path);
	/* what SQLite's words leave out: a write refused for the file's size (SQLite keeps no
	 * errno for it) is told as a full disk, or the file-size limit when one is set (ulimit -f) */
	struct rlimit fsize;
	if (sqlite3_extended_errcode(s->db) == SQLITE_IOERR_WRITE || code == SQLITE_FULL)
		return err_set(e, "%s: %s%s%s (%s)", s->path, what ? what : "", what ? ": " : "", why,
		               getrlimit(RLIMIT_FSIZE, &fsize) == 0 && fsize.rlim_cur != RLIM_INFINITY
		               ? "a file-size limit is set: ulimit -f" : "is the disk full?");
	const char *hint = code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_IOERR
		? " (the store and its folder must be writable: SQLite keeps a journal next to it, and an "
		  "interrupted write is rolled back through it)"
		: code == SQLITE_CORRUPT ? " (the store is damaged)" : "";
	return err_set(e, "%s: %s%s%s%s", s->path, what ? what : "", what ? ": " : "", why, hint);
}

static int db_error(struct store *s, struct err *e, const char *what)
{
	return store_error(s, e, what, sqlite3_errmsg(s->db));
}

static int exec(struct store *s, const char *sql, struct err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		store_error(s, e, NULL, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* 1 when the store has table `name`, or any table when name is NULL; -1 when its schema
 * cannot be read (a damaged store), which callers that only skip a missing table take as
 * there (what they then read says what is wrong). */
static int has_table(struct store *s, const char *name)
{
	sqlite3_stmt *st;
	int found = -1;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
	                       "(?1 IS NULL OR name = ?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	return found;
}

/* 1 when the store's views are an older llmcost's (times rounded to the millisecond). */
static int old_views(struct store *s)
{
	sqlite3_stmt *st;
	int old = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type = 'view' AND "
	                       "instr(sql, '%fZ') > 0", -1, &st, NULL) == SQLITE_OK)
		old = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return old;
}

/* An integer PRAGMA's value (sql: "PRAGMA name"); -1 on an error. */
static int64_t pragma_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* PRAGMA data_version: it changes when another connection commits; -1 on an error. */
static int64_t data_version(struct store *s)
{
	return pragma_int(s, "PRAGMA data_version");
}

/* SQLite's busy handler: waits for another process's lock in steps of 10 ms, up to busy_ms
 * (or, WAIT_FOREVER, as long as it is held, told once after TELL_MS), and no more once a signal
 * asked to stop (an import's Ctrl-C ends it at once). */
static int busy_wait(void *arg, int count)
{
	struct store *s = arg;
	int64_t waited_ms = (int64_t)count * 10;
	if ((s->stop && *s->stop) || (s->busy_ms >= 0 && waited_ms >= s->busy_ms))
		return 0;
	if (s->busy_ms < 0 && waited_ms >= TELL_MS && !s->told && wait_tell) {
		s->told = 1;
		wait_tell(s->path);
	}
	sqlite3_sleep(10);
	return 1;
}

/*
 * What the store keeps only to spare work (texts, normalized inputs) is replaced in one
 * transaction that never waits for another process's lock.  Replacing begins by finding trace
 * `name` in it (*info), and is refused when the trace is no longer what was loaded: another
 * process wrote the store since this one loaded (loaded_version), or the name was imported
 * again (loaded_import, which another store may be told).  It ends with a commit when the
 * writes went well, else with a rollback.  Both return 0, or -1 with e set and nothing changed.
 */
static int replacing_begin(struct store *s, const char *name, struct store_trace_info *info,
                           struct err *e)
{
	s->busy_ms = 0;
	int rc = store_begin(s, e), found = 0;
	if (rc == 0 && s->loaded_version >= 0 && data_version(s) != s->loaded_version)
		rc = err_set(e, "%s: another process wrote the store since the trace was loaded", s->path);
	if (rc == 0 && (found = store_find(s, name, info, e)) <= 0)
		rc = found < 0 ? -1 : err_set(e, "%s: no trace named \"%s\"", s->path, name);
	if (rc == 0 && s->loaded_import[0] && strcmp(s->loaded_import, info->imported_at) != 0)
		rc = err_set(e, "%s: \"%s\" was imported again since it was loaded", s->path, name);
	if (rc == 0)
		return 0;
	store_rollback(s);
	s->busy_ms = normal_busy_ms();
	return -1;
}

static int replacing_end(struct store *s, int written, struct err *e)
{
	int rc = written == 0 ? store_commit(s, e) : -1;
	if (written != 0)
		store_rollback(s);
	s->busy_ms = normal_busy_ms();
	return rc;
}

/* mkdir -p of the folder holding path; the folders it makes are 0700, as the XDG Base
 * Directory spec asks (the store holds every request's input text). */
static int make_parent(const char *path, struct err *e)
{
	char dir[4096];
	size_t n = strlen(path);
	if (n >= sizeof dir)
		return err_set(e, "%s: path too long", path);
	memcpy(dir, path, n + 1);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = 0;
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return err_set(e, "%s: %s", dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return err_set(e, "%s: %s", dir, strerror(errno));
	return 0;
}

int store_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int store_open_existing(struct store *s, const char *path, struct err *e)
{
	if (!store_exists(path)) {
		memset(s, 0, sizeof *s);
		return err_set(e, "there is no store %s (llmcost import FILE makes it)", path);
	}
	return store_open(s, path, e);
}

int store_make_folder(const char *path, struct err *e)
{
	return make_parent(path, e);
}

int store_open(struct store *s, const char *path, struct err *e)
{
	memset(s, 0, sizeof *s);
	struct stat fs;
	/* a folder or a device said as what it is, not in SQLite's words ("unable to open database
	 * file", "disk I/O error") */
	int there = stat(path, &fs) == 0;
	if (there && S_ISDIR(fs.st_mode))
		return err_set(e, "%s: is a folder, not a store file", path);
	if (there && !S_ISREG(fs.st_mode))
		return err_set(e, "%s: not a regular file", path);
	/* a file that is not SQLite: SQLite would take one shorter than its header for an empty
	 * database, and write over it */
	if (reader_kind_of(path) == READER_OTHER)
		return err_set(e, "%s: not an llmcost store (not an SQLite database); it is left as it is", path);
	/* a new store is made 0600 whatever the umask, being every request's input text; SQLite's
	 * journal beside it takes its mode */
	if (!there && strcmp(path, ":memory:") != 0) { /* SQLite's name for a store in memory */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
	}
	s->path = strdup(path);
	if (!s->path)
		return err_set(e, "%s: out of memory", path);
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		char dir[4096];
		const char *slash = strrchr(path, '/');
		snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
		if (stat(dir[0] ? dir : "/", &fs) != 0)
			err_set(e, "%s: cannot make the store: its folder %s does not exist", path, dir);
		else
			err_set(e, "%s: %s (the store and its folder must be writable)", path,
			        db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		free(s->path);
		s->path = NULL;
		return -1;
	}
	s->db = db;
	s->texts_chunk = COLUMN_CHUNK;
	s->loaded_version = -1;
	s->busy_ms = normal_busy_ms();
	s->stop = open_stop;
	sqlite3_busy_handler(db, busy_wait, s); /* s must stay where it is while open */
	sqlite3_stmt *st;
	/* the version and the tables read in one transaction: another process making this store
	 * at the same moment commits both at once, so they are seen together or not at all */
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	int version = 0, read = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (read == SQLITE_OK && (read = sqlite3_step(st)) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	int traces = read == SQLITE_ROW ? has_table(s, "traces") : -1;
	int requests = traces >= 0 ? has_table(s, "requests") : -1;
	int any = requests >= 0 ? has_table(s, NULL) : -1;
	if (read != SQLITE_ROW || any < 0) { /* said as what it is: a busy store is not a foreign one */
		store_error(s, e, (sqlite3_errcode(db) & 0xff) == SQLITE_NOTADB ? "not an llmcost store"
		            : "cannot read the store", sqlite3_errmsg(db));
		goto fail;
	}
	/* an llmcost store has its tables from schema 1 on; another program's database may carry
	 * any user_version: it is told apart before anything (even the journal mode) changes */
	if (version < 0 || (version == 0 && any) || (version > 0 && !(traces && requests))) {
		err_set(e, "%s: an SQLite database of something else (its tables are not an llmcost "
		        "store's); it is left as it is", path);
		goto fail;
	}
	if (version > SCHEMA_VERSION) {
		err_set(e, "%s: made by a newer llmcost (schema %d, this one knows %d)", path, version,
		        SCHEMA_VERSION);
		goto fail;
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	/* 64 KiB pages, for a store made now: a trace's columns load in 16× fewer reads, and imports
	 * write faster (a store made with another size keeps it) */
	if (exec(s, "PRAGMA page_size=65536; PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL;"
	            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", e) < 0)
		goto fail;
	if (version < SCHEMA_VERSION) {
		char sql[sizeof schema + sizeof VIEWS + 512];
		snprintf(sql, sizeof sql, "BEGIN IMMEDIATE; %s%s"
		         "INSERT OR REPLACE INTO statuses VALUES (0,'ok'),(1,'timeout'),(2,'rate_limited'),"
		         "(3,'server_error'),(4,'invalid_request'),(5,'content_filter'),(6,'context_length');"
		         "PRAGMA user_version=%d; COMMIT;", schema, VIEWS, SCHEMA_VERSION);
		if (exec(s, sql, e) < 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
	}
	if (!has_table(s, "normalized") || !has_table(s, "texts") || !has_table(s, "cost_subs"))
		/* a store this process cannot write stays without */
		sqlite3_exec(db, kept_schema, NULL, NULL, NULL);
	if (old_views(s) && sqlite3_exec(db, "BEGIN IMMEDIATE; DROP VIEW IF EXISTS requests_v; DROP VIEW IF EXISTS "
	                                 "attempts_v; " VIEWS "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL); /* a store this process cannot write */
	return 0;
fail:
	store_close(s);
	return -1;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s->path);
	s->db = NULL;
	s->path = NULL;
}

static void copy_text(char *dst, size_t n, const unsigned char *src)
{
	snprintf(dst, n, "%s", src ? (const char *)src : "");
}

static const char info_cols[] =
	"id, name, source, imported_at, requests, attempts, rejects, tenants, first_ts_us, last_ts_us";

static void read_info(sqlite3_stmt *st, struct store_trace_info *info)
{
	info->id = sqlite3_column_int64(st, 0);
	copy_text(info->name, sizeof info->name, sqlite3_column_text(st, 1));
	copy_text(info->source, sizeof info->source, sqlite3_column_text(st, 2));
	copy_text(info->imported_at, sizeof info->imported_at, sqlite3_column_text(st, 3));
	info->requests = sqlite3_column_int64(st, 4);
	info->attempts = sqlite3_column_int64(st, 5);
	info->rejects = sqlite3_column_int64(st, 6);
	info->tenants = sqlite3_column_int64(st, 7);
	info->first_ts_us = sqlite3_column_int64(st, 8);
	info->last_ts_us = sqlite3_column_int64(st, 9);
}

int store_find(struct store *s, const char *name, struct store_trace_info *info, struct err *e)
{
	char sql[256];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "SELECT %s FROM traces WHERE name = ?", info_cols);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e, "find");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_info(st, info);
	else if (rc != SQLITE_DONE)
		db_error(s, e, "find");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The refusal of a name stored already: -2. */
static int name_taken(const struct store_trace_info *old, struct err *e)
{
	err_set(e, "a trace named \"%s\" is already stored (from %s, imported %s); "
	        "use --replace to overwrite it or --name to import under another name",
	        old->name, old->source, old->imported_at);
	return -2;
}

int store_name_free(struct store *s, const char *name, struct err *e)
{
	struct store_trace_info old;
	int found = store_find(s, name, &old, e);
	return found < 0 ? -1 : found ? name_taken(&old, e) : 0;
}

int store_list(struct store *s, struct store_trace_info **out, size_t *n, struct err *e)
{
	char sql[256];
	sqlite3_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	snprintf(sql, sizeof sql, "SELECT %s FROM traces ORDER BY imported_at DESC, id DESC", info_cols);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e, "list");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			struct store_trace_info *p = realloc(*out, cap * sizeof *p);
			if (!p) {
				sqlite3_finalize(st);
				return err_set(e, "out of memory");
			}
			*out = p;
		}
		read_info(st, &(*out)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, e, "list");
	return 0;
}

static int delete_rows(struct store *s, int64_t id, struct err *e)
{
	static const char *const tables[] = { "names", "inputs", "requests", "attempts", "rejects",
	                                      "columns", "normalized", "texts", "cost_subs" };
	char sql[128];
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		if (!has_table(s, tables[i]))
			continue; /* a kept table the store lacks (see kept_schema) */
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE trace_id = %lld", tables[i], (long long)id);
		if (exec(s, sql, e) < 0)
			return -1;
	}
	snprintf(sql, sizeof sql, "DELETE FROM traces WHERE id = %lld", (long long)id);
	return exec(s, sql, e);
}

/* What a long statement (a delete, a vacuum) calls back between steps (SQLite's progress
 * handler): a progress report when one is due, and non-zero, to stop it, once a signal asked. */
struct long_work {
	struct store *s;
	struct progress_pace *pace;
	void (*on_progress)(void *ctx, const char *what, double seconds);
	void *ctx;
	const char *what;
};

static int long_work_step(void *arg)
{
	struct long_work *w = arg;
	double t;
	if (w->s->stop && *w->s->stop)
		return 1;
	if (w->on_progress && w->pace && progress_due(w->pace, &t))
		w->on_progress(w->ctx, w->what, t);
	return 0;
}

#define LONG_WORK_STEPS 1000 /* virtual machine steps between calls of long_work_step */

int store_delete(struct store *s, const char *const *names, size_t n, struct progress_pace *pace,
                 void (*on_progress)(void *ctx, const char *name, double seconds), void *ctx,
                 struct err *e)
{
	struct store_trace_info info;
	struct long_work w = { s, pace, on_progress, ctx, NULL };
	if (s->stop && *s->stop)
		return err_set(e, "%s: stopped (nothing removed)", s->path);
	if (store_begin(s, e) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		w.what = names[i];
		sqlite3_progress_handler(s->db, LONG_WORK_STEPS, long_work_step, &w);
		int found = store_find(s, names[i], &info, e);
		if (found <= 0 || delete_rows(s, info.id, e) < 0) {
			if (found == 0)
				err_set(e, "%s: no trace named \"%s\" (nothing removed)", s->path, names[i]);
			else /* a full disk, say: all is rolled back below, which the message says */
				strncat(e->msg, "; nothing was removed", sizeof e->msg - strlen(e->msg) - 1);
			rc = -1;
		}
	}
	sqlite3_progress_handler(s->db, 0, NULL, NULL); /* the commit or rollback is not cut short */
	if (rc < 0 || (s->stop && *s->stop)) {
		if (rc == 0)
			err_set(e, "%s: stopped (nothing removed)", s->path);
		store_rollback(s);
		return -1;
	}
	if (store_commit(s, e) < 0) { /* rolled back */
		strncat(e->msg, "; nothing was removed", sizeof e->msg - strlen(e->msg) - 1);
		return -1;
	}
	return 0;
}

int store_free_space(struct store *s, int64_t *bytes, struct err *e)
{
	int64_t pages = pragma_int(s, "PRAGMA freelist_count"), page = pragma_int(s, "PRAGMA page_size");
	if (pages < 0 || page < 0)
		return db_error(s, e, "cannot read the free space");
	*bytes = pages * page;
	return 0;
}

int store_compact(struct store *s, struct progress_pace *pace,
                  void (*on_progress)(void *ctx, const char *what, double seconds), void *ctx,
                  struct err *e)
{
	struct long_work w = { s, pace, on_progress, ctx, NULL };
	if (s->stop && *s->stop)
		return err_set(e, "%s: stopped before the store was compacted", s->path);
	int busy_ms = s->busy_ms;
	s->busy_ms = 0; /* another process's lock is not waited for: the vacuum is skipped */
	sqlite3_progress_handler(s->db, LONG_WORK_STEPS, long_work_step, &w);
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, "VACUUM", NULL, NULL, &msg), code = rc & 0xff;
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	s->busy_ms = busy_ms;
	if (rc == SQLITE_OK)
		return 0;
	int ret = code == SQLITE_BUSY || code == SQLITE_LOCKED ? -2 : -1;
	if (ret == -2)
		err_set(e, "%s: another process holds a lock on the store", s->path);
	else
		err_set(e, "%s: cannot compact the store: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
	sqlite3_free(msg);
	return ret;
}

/* ---- import ---- */

/*
 * The columnar copy: each column of sim/'s trace as raw arrays in chunks of
 * COLUMN_CHUNK bytes, written at the end of an import, so loading is a few
 * large reads.  The requests and attempts tables stay the reference for SQL.
 * A row named LAYOUT_ROW holds the layout's version and the trace's shape
 * (struct layout); a copy without it, or of another version, is not read and
 * the trace loads from its rows instead.
 */
#define LAYOUT_ROW "layout"
/* 1: the first layout, without LAYOUT_ROW; 2: no narrowed columns; 3: narrowed request
 * columns, 64-bit call times and 32-bit call tokens */
#define LAYOUT_VERSION 4u

/* The LAYOUT_ROW blob, in the machine's byte order like the columns. */
struct layout {
	uint32_t version;
	uint32_t n_req, n_att, n_kinds, n_wide, n_wide_ts;
	uint32_t optional;         /* enum trace_optional */
};

enum { ST_REQUEST, ST_ATTEMPT, ST_NAME, ST_INPUT, ST_REJECT, ST_COLUMN, ST_COST_SUB, N_ST };

static const char *const import_sql[N_ST] = {
	[ST_REQUEST] = "INSERT INTO requests VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_ATTEMPT] = "INSERT INTO attempts VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	[ST_NAME] = "INSERT INTO names VALUES (?,?,?)",
	[ST_INPUT] = "INSERT INTO inputs VALUES (?,?,?)",
	[ST_REJECT] = "INSERT INTO rejects VALUES (?,?,?,?,?,?)",
	[ST_COLUMN] = "INSERT INTO columns VALUES (?,?,?,?)",
	[ST_COST_SUB] = "INSERT INTO cost_subs VALUES (?,?,?,?)",
};

struct store_import {
	struct store *s;
	sqlite3_stmt *st[N_ST];
	int64_t id;
	char imported_at[CLOCK_TEXT_MAX];
	struct intern names, inputs;
	struct trace cols;         /* the columnar copy, built as rows arrive */
	struct trace_call *calls;  /* scratch: one request's recorded calls */
	size_t cap_calls;
	uint8_t *is_tenant;        /* per name id */
	size_t cap_is_tenant;
	int64_t rejects, tenants;         /* requests and calls: cols.n_req, cols.n_att */
	int64_t first_ts, last_ts;
	int has_cost, has_quality;
};

static void import_free(struct store_import *im)
{
	for (int i = 0; i < N_ST; i++)
		sqlite3_finalize(im->st[i]);
	intern_fini(&im->names);
	intern_fini(&im->inputs);
	trace_free(&im->cols);
	free(im->calls);
	free(im->is_tenant);
	free(im);
}

void store_import_abort(struct store_import *im)
{
	if (im)
		import_free(im);
}

int store_begin(struct store *s, struct err *e)
{
	return exec(s, "BEGIN IMMEDIATE", e);
}

int store_commit(struct store *s, struct err *e)
{
	if (exec(s, "COMMIT", e) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_import_begin(struct store *s, const char *name, const char *source, int replace,
                       struct store_import **out, struct err *e)
{
	struct store_trace_info old;
	struct store_import *im = calloc(1, sizeof *im);
	if (!im)
		return err_set(e, "out of memory");
	im->s = s;
	intern_init(&im->names);
	intern_init(&im->inputs);
	if (trace_alloc(&im->cols, &(struct trace_shape){ 0 }) < 0) {
		free(im);
		return err_set(e, "out of memory");
	}
	im->first_ts = INT64_MAX;
	im->last_ts = INT64_MIN;
	if (sqlite3_get_autocommit(s->db)) {
		import_free(im);
		return err_set(e, "%s: an import must run inside store_begin()", s->path);
	}
	int found = store_find(s, name, &old, e);
	if (found < 0)
		goto fail;
	if (found && !replace) {
		import_free(im);
		return name_taken(&old, e);
	}
	if (found && delete_rows(s, old.id, e) < 0)
		goto fail;

	char now[CLOCK_TEXT_MAX];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* to the µs: what is kept per import (texts, normalized inputs) tells two imports of one
	 * name apart, even in one second */
	clock_format((int64_t)ts.tv_sec * CLOCK_US_PER_S + ts.tv_nsec / 1000, now);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO traces(name, source, imported_at) VALUES (?,?,?)",
	                       -1, &st, NULL) != SQLITE_OK) {
		db_error(s, e, "import");
		goto fail;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_error(s, e, "import");
		goto fail;
	}
	im->id = sqlite3_last_insert_rowid(s->db);
	memcpy(im->imported_at, now, sizeof now);
	/* rows an older llmcost left for a trace of this id when it removed one (it knows no
	 * cost_subs): read they are not, but they would clash with this import's */
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM cost_subs WHERE trace_id = %lld", (long long)im->id);
	if (exec(s, sql, e) < 0)
		goto fail;
	for (int i = 0; i < N_ST; i++)
		if (sqlite3_prepare_v3(s->db, import_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &im->st[i], NULL)
		    != SQLITE_OK) {
			db_error(s, e, "import");
			goto fail;
		}
	*out = im;
	return 0;
fail:
	import_free(im);
	return -1;
}

static int step(struct store_import *im, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(im->s, e, "import");
	return 0;
}

/* Interns a string into `tab`, writing a new one to its table.  *id = the id. */
static int intern_row(struct store_import *im, struct intern *tab, int st_kind, struct str v,
                      uint32_t *id, struct err *e)
{
	uint32_t before = tab->n;
	if (intern_add(tab, v.s, v.n, id) < 0)
		return err_set(e, "out of memory");
	if (tab->n == before)
		return 0;
	sqlite3_stmt *st = im->st[st_kind];
	sqlite3_bind_int64(st, 1, im->id);
	sqlite3_bind_int64(st, 2, *id);
	sqlite3_bind_text(st, 3, v.s, (int)v.n, SQLITE_STATIC);
	return step(im, st, e);
}

static void bind_opt_int(sqlite3_stmt *st, int col, int64_t v, int64_t absent)
{
	if (v == absent)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_int64(st, col, v);
}

static void bind_opt_text(sqlite3_stmt *st, int col, struct str v)
{
	if (v.s)
		sqlite3_bind_text(st, col, v.s, (int)v.n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

/* Appends request r to the columnar copy, its calls resolved as store_load's row path does
 * (jsonl_row). */
static int append_columns(struct store_import *im, const struct jsonl_rec *r, const uint32_t ids[5],
                          struct err *e)
{
	struct trace_row row;
	uint32_t n = jsonl_row(r, ids, &row, im->calls);
	return trace_append(&im->cols, &row, im->calls, n, e);
}

static int write_blob(struct store_import *im, const char *name, int64_t chunk, const void *data,
                      size_t len, struct err *e)
{
	sqlite3_stmt *st = im->st[ST_COLUMN];
	sqlite3_bind_int64(st, 1, im->id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, chunk);
	sqlite3_bind_blob(st, 4, data, (int)len, SQLITE_STATIC);
	return step(im, st, e);
}

static int write_columns(struct store_import *im, struct err *e)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	struct trace_shape shape = trace_shape_of(&im->cols);
	struct layout head = { LAYOUT_VERSION, shape.n_req, shape.n_att, shape.n_kinds, shape.n_wide,
	                       shape.n_wide_ts, shape.optional };
	if (write_blob(im, LAYOUT_ROW, 0, &head, sizeof head, e) < 0)
		return -1;
	size_t n = trace_columns(&im->cols, cols);
	for (size_t c = 0; c < n; c++) {
		if (!trace_column_present(shape.optional, &cols[c]))
			continue;
		size_t bytes = trace_column_rows(&shape, &cols[c]) * cols[c].elem, off = 0, chunk = 0;
		do {
			size_t len = bytes - off < COLUMN_CHUNK ? bytes - off : COLUMN_CHUNK;
			if (write_blob(im, cols[c].name, (int64_t)chunk++, (char *)*cols[c].data + off, len, e) < 0)
				return -1;
			off += len;
		} while (off < bytes);
	}
	return 0;
}

int store_import_add(struct store_import *im, const struct jsonl_rec *r, uint64_t line, struct err *e)
{
	uint32_t tenant, task, input = TRACE_NONE, hash = TRACE_NONE, model = TRACE_NONE;
	if (intern_row(im, &im->names, ST_NAME, r->tenant, &tenant, e) < 0 ||
	    intern_row(im, &im->names, ST_NAME, r->task, &task, e) < 0 ||
	    (r->input.s && intern_row(im, &im->inputs, ST_INPUT, r->input, &input, e) < 0) ||
	    (r->input_hash.s && intern_row(im, &im->names, ST_NAME, r->input_hash, &hash, e) < 0) ||
	    (r->model.s && intern_row(im, &im->names, ST_NAME, r->model, &model, e) < 0))
		return -1;
	if (tenant >= im->cap_is_tenant) {
		size_t cap = im->cap_is_tenant ? im->cap_is_tenant * 2 : 256;
		while (cap <= tenant)
			cap *= 2;
		uint8_t *p = realloc(im->is_tenant, cap);
		if (!p)
			return err_set(e, "out of memory");
		memset(p + im->cap_is_tenant, 0, cap - im->cap_is_tenant);
		im->is_tenant = p;
		im->cap_is_tenant = cap;
	}
	if (!im->is_tenant[tenant]) {
		im->is_tenant[tenant] = 1;
		im->tenants++;
	}

	int64_t idx = im->cols.n_req;
	sqlite3_stmt *st = im->st[ST_REQUEST];
	int c = 1;
	sqlite3_bind_int64(st, c++, im->id);
	sqlite3_bind_int64(st, c++, idx);
	sqlite3_bind_int64(st, c++, (int64_t)line);
	sqlite3_bind_int64(st, c++, r->ts_us);
	sqlite3_bind_int64(st, c++, tenant);
	sqlite3_bind_int64(st, c++, task);
	sqlite3_bind_int64(st, c++, r->input_tok);
	sqlite3_bind_int64(st, c++, r->output_tok);
	sqlite3_bind_int(st, c++, r->input_estimated);
	bind_opt_int(st, c++, r->cached_tok, JSONL_ABSENT);
	bind_opt_int(st, c++, input, TRACE_NONE);
	bind_opt_int(st, c++, hash, TRACE_NONE);
	bind_opt_int(st, c++, model, TRACE_NONE);
	bind_opt_int(st, c++, r->status, -1);
	bind_opt_int(st, c++, r->latency_us, JSONL_ABSENT);
	bind_opt_int(st, c++, r->difficulty, DIFFICULTY_NONE);
	if (isnan(r->quality))
		sqlite3_bind_null(st, c++);
	else
		sqlite3_bind_double(st, c++, r->quality);
	bind_opt_int(st, c++, r->realtime, -1);
	bind_opt_int(st, c++, r->cost_pusd, JSONL_ABSENT);
	sqlite3_bind_int64(st, c++, (int64_t)r->n_att);
	bind_opt_text(st, c++, r->request_id);
	bind_opt_text(st, c++, r->session);
	bind_opt_text(st, c++, r->user);
	bind_opt_text(st, c++, r->extra);
	if (step(im, st, e) < 0)
		return -1;
	if (r->cost_pusd != JSONL_ABSENT && r->cost_sub) {
		st = im->st[ST_COST_SUB];
		sqlite3_bind_int64(st, 1, im->id);
		sqlite3_bind_int64(st, 2, idx);
		sqlite3_bind_text(st, 3, im->imported_at, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, r->cost_sub);
		if (step(im, st, e) < 0)
			return -1;
	}

	if (r->n_att + 1 > im->cap_calls) {
		struct trace_call *p = realloc(im->calls, (r->n_att + 1) * sizeof *p);
		if (!p)
			return err_set(e, "out of memory");
		im->calls = p;
		im->cap_calls = r->n_att + 1;
	}
	for (size_t i = 0; i < r->n_att; i++) {
		const struct jsonl_attempt *a = &r->att[i];
		uint32_t m;
		if (intern_row(im, &im->names, ST_NAME, a->model, &m, e) < 0)
			return -1;
		im->calls[i].model = m;
		st = im->st[ST_ATTEMPT];
		c = 1;
		sqlite3_bind_int64(st, c++, im->id);
		sqlite3_bind_int64(st, c++, idx);
		sqlite3_bind_int64(st, c++, (int64_t)i);
		sqlite3_bind_int64(st, c++, m);
		sqlite3_bind_int(st, c++, a->status);
		bind_opt_int(st, c++, a->input_tok, JSONL_ABSENT);
		bind_opt_int(st, c++, a->output_tok, JSONL_ABSENT);
		bind_opt_int(st, c++, a->cached_tok, JSONL_ABSENT);
		bind_opt_int(st, c++, a->latency_us, JSONL_ABSENT);
		bind_opt_int(st, c++, a->ts_us, TRACE_NO_TIME);
		bind_opt_text(st, c++, a->extra);
		if (step(im, st, e) < 0)
			return -1;
	}
	const uint32_t ids[5] = { tenant, task, input, hash, model };
	if (append_columns(im, r, ids, e) < 0)
		return -1;
	if (r->ts_us < im->first_ts)
		im->first_ts = r->ts_us;
	if (r->ts_us > im->last_ts)
		im->last_ts = r->ts_us;
	im->has_cost |= r->cost_pusd != JSONL_ABSENT;
	im->has_quality |= !isnan(r->quality);
	return 0;
}

int store_import_reject(struct store_import *im, const char *file, uint64_t line, const char *reason,
                        const char *text, size_t len, uint64_t full_len, struct err *e)
{
	sqlite3_stmt *st = im->st[ST_REJECT];
	sqlite3_bind_int64(st, 1, im->id);
	sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)line);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)full_len);
	sqlite3_bind_text(st, 6, text, (int)len, SQLITE_STATIC);
	if (step(im, st, e) < 0)
		return -1;
	im->rejects++;
	return 0;
}

/*
 * The input texts again, as blobs of chunks of at most texts_chunk bytes: the count of texts (a
 * native 32-bit integer) at the start of chunk 0, then each text as its length and its bytes,
 * none split between chunks, with their trace's import time.  Reading a blob is about twenty
 * times cheaper than the rows of `inputs`, which stay the reference for SQL.  A trace without
 * them (a store written by an older llmcost), with blobs that do not add up, or with those of
 * another import (a trace id that an older llmcost freed and reused), loads from the rows and
 * gets them then.
 */
static int write_texts(struct store *s, int64_t id, const char *imported_at, const struct intern *in,
                       struct err *e)
{
	sqlite3_stmt *st;
	size_t most = s->texts_chunk > sizeof(uint32_t) ? s->texts_chunk : sizeof(uint32_t);
	size_t cap = most, len = sizeof(uint32_t);
	unsigned char *buf = malloc(cap);
	int64_t chunk = 0;
	int rc = SQLITE_DONE;
	if (!buf)
		return err_set(e, "out of memory storing the input texts");
	if (sqlite3_prepare_v2(s->db, "INSERT INTO texts VALUES (?,?,?,?)", -1, &st, NULL) != SQLITE_OK) {
		free(buf);
		return db_error(s, e, "texts");
	}
	memcpy(buf, &in->n, sizeof in->n);
	for (uint32_t k = 0; k <= in->n && rc == SQLITE_DONE; k++) {
		size_t n = 0;
		const char *text = k < in->n ? intern_str(in, k, &n) : NULL;
		if (k == in->n || len + sizeof(uint32_t) + n > most) { /* the chunk so far goes */
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, chunk++);
			sqlite3_bind_text(st, 3, imported_at, -1, SQLITE_STATIC);
			sqlite3_bind_blob(st, 4, buf, (int)len, SQLITE_STATIC);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			len = 0;
		}
		if (k == in->n)
			break;
		if (sizeof(uint32_t) + n > cap) { /* a text longer than a chunk is one of its own */
			unsigned char *bigger = realloc(buf, sizeof(uint32_t) + n);
			if (!bigger) {
				sqlite3_finalize(st);
				free(buf);
				return err_set(e, "out of memory storing the input texts");
			}
			buf = bigger;
			cap = sizeof(uint32_t) + n;
		}
		uint32_t n32 = (uint32_t)n;
		memcpy(buf + len, &n32, sizeof n32);
		memcpy(buf + len + sizeof n32, text, n);
		len += sizeof n32 + n;
	}
	sqlite3_finalize(st);
	free(buf);
	return rc == SQLITE_DONE ? 0 : db_error(s, e, "texts");
}

/* Fills the empty table `in` from the blobs of trace info: 1 done, 0 when there are none or they
 * do not add up (in is then empty again), -1 on a database error or out of memory. */
static int load_texts(struct store *s, const struct store_trace_info *info, struct intern *in, struct err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT chunk, data, imported_at FROM texts WHERE trace_id = ? ORDER BY chunk",
	                       -1, &st, NULL) != SQLITE_OK)
		return 0; /* a table of another shape: the rows are read (and say what is wrong, if anything) */
	sqlite3_bind_int64(st, 1, info->id);
	int rc, fits = 1;
	uint32_t count = 0, got;
	int64_t rows = 0;
	while (fits && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1), at = 0;
		const char *when = (const char *)sqlite3_column_text(st, 2);
		fits = sqlite3_column_int64(st, 0) == rows && when && strcmp(when, info->imported_at) == 0;
		if (fits && rows++ == 0) {
			fits = len >= sizeof count;
			if (fits)
				memcpy(&count, p, sizeof count);
			at = sizeof count;
		}
		while (fits && at < len) {
			uint32_t n;
			fits = len - at >= sizeof n && in->n < count;
			if (fits) {
				memcpy(&n, p + at, sizeof n);
				at += sizeof n;
				fits = n <= len - at;
			}
			if (fits && intern_append(in, (const char *)p + at, n, &got) < 0) {
				sqlite3_finalize(st);
				return err_set(e, "out of memory");
			}
			at += fits ? n : 0;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, e, "load");
	if (fits && rows && in->n == count)
		return 1;
	intern_fini(in);
	intern_init(in);
	return 0;
}

int store_import_finish(struct store_import *im, struct store_trace_info *info, struct err *e)
{
	struct store *s = im->s;
	sqlite3_stmt *st;
	char sql[256];
	int rc = SQLITE_ERROR;
	trace_trim(&im->cols); /* the copy holds the narrowed columns */
	if (write_columns(im, e) < 0 || write_texts(s, im->id, im->imported_at, &im->inputs, e) < 0) {
		import_free(im);
		return -1;
	}
	if (sqlite3_prepare_v2(s->db, "UPDATE traces SET requests=?, attempts=?, rejects=?, tenants=?,"
	                       " first_ts_us=?, last_ts_us=?, has_cost=?, has_quality=? WHERE id=?",
	                       -1, &st, NULL) == SQLITE_OK) {
		int c = 1;
		sqlite3_bind_int64(st, c++, im->cols.n_req);
		sqlite3_bind_int64(st, c++, im->cols.n_att);
		sqlite3_bind_int64(st, c++, im->rejects);
		sqlite3_bind_int64(st, c++, im->tenants);
		bind_opt_int(st, c++, im->first_ts, INT64_MAX);
		bind_opt_int(st, c++, im->last_ts, INT64_MIN);
		sqlite3_bind_int(st, c++, im->has_cost);
		sqlite3_bind_int(st, c++, im->has_quality);
		sqlite3_bind_int64(st, c++, im->id);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	int64_t id = im->id;
	import_free(im);
	if (rc != SQLITE_DONE)
		return db_error(s, e, "import");
	snprintf(sql, sizeof sql, "SELECT %s FROM traces WHERE id = %lld", info_cols, (long long)id);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e, "import");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_info(st, info);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(s, e, "import");
}

/* ---- load ---- */

/* A names or inputs table, in id order, each string given to `add` (intern_add, or
 * intern_append for strings distinct as imported), which must give back its stored id. */
static int load_names(struct store *s, const char *table, int64_t id, struct intern *tab,
                      int (*add)(struct intern *, const char *, size_t, uint32_t *), struct err *e)
{
	char sql[128];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "SELECT id, %s FROM %s WHERE trace_id = %lld ORDER BY id",
	         strcmp(table, "names") == 0 ? "name" : "text", table, (long long)id);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e, "load");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint32_t got;
		const char *text = (const char *)sqlite3_column_text(st, 1);
		int n = sqlite3_column_bytes(st, 1);
		if (add(tab, text ? text : "", (size_t)n, &got) < 0) {
			sqlite3_finalize(st);
			return err_set(e, "out of memory");
		}
		if (got != (uint32_t)sqlite3_column_int64(st, 0)) {
			sqlite3_finalize(st);
			return err_set(e, "%s: trace %lld: %s table is damaged", s->path, (long long)id, table);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, e, "load");
}

/*
 * Reads the columnar copy's layout row: 1 with *shape (a copy this layout can
 * read), 0 when there is none or it has another layout (the caller loads the
 * rows), -1 on a database error or a shape that contradicts the trace's counts.
 */
static int read_layout(struct store *s, const struct store_trace_info *info, struct trace_shape *shape,
                       struct err *e)
{
	sqlite3_stmt *st;
	struct layout head;
	if (sqlite3_prepare_v2(s->db, "SELECT data FROM columns WHERE trace_id = ? AND name = '" LAYOUT_ROW
	                       "' AND chunk = 0", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e, "load");
	sqlite3_bind_int64(st, 1, info->id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == (int)sizeof head) {
		memcpy(&head, sqlite3_column_blob(st, 0), sizeof head);
		found = head.version == LAYOUT_VERSION;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, e, "load");
	if (!found)
		return 0;
	if (head.n_req != info->requests || head.n_att != info->attempts || head.n_kinds > TRACE_MAX_KINDS ||
	    head.n_wide > head.n_att || head.n_wide_ts > head.n_att ||
	    (head.optional & ~(unsigned)TRACE_ALL_OPTIONAL))
		return err_set(e, "%s: trace \"%s\": the columns table is damaged", s->path, info->name);
	*shape = (struct trace_shape){ head.n_req, head.n_att, head.n_kinds, head.n_wide, head.n_wide_ts,
	                               head.optional };
	return 1;
}

/* Fills t (allocated with the layout row's shape) from the columnar copy.  Returns 0 or -1. */
static int load_columns(struct store *s, const struct store_trace_info *info, struct trace *t,
                        struct err *e)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	struct trace_shape shape = trace_shape_of(t);
	size_t got[TRACE_MAX_COLUMNS] = { 0 }, bytes[TRACE_MAX_COLUMNS], n = trace_columns(t, cols);
	for (size_t c = 0; c < n; c++) /* a column the trace lacks expects no bytes */
		bytes[c] = trace_column_present(t->optional, &cols[c])
		           ? trace_column_rows(&shape, &cols[c]) * cols[c].elem : 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT name, chunk, data FROM columns WHERE trace_id = ? AND name <> '"
	                       LAYOUT_ROW "' ORDER BY name, chunk", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e, "load");
	sqlite3_bind_int64(st, 1, info->id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		int64_t chunk = sqlite3_column_int64(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 2), c = 0;
		const void *data = sqlite3_column_blob(st, 2);
		while (c < n && strcmp(cols[c].name, name ? name : "") != 0)
			c++;
		if (c == n || chunk < 0 || got[c] != (size_t)chunk * COLUMN_CHUNK || got[c] + len > bytes[c])
			break;
		if (len)
			memcpy((char *)*cols[c].data + got[c], data, len);
		got[c] += len;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, e, "load");
	for (size_t c = 0; c < n; c++)
		if (rc != SQLITE_DONE || got[c] != bytes[c])
			return err_set(e, "%s: trace \"%s\": the columns table is damaged", s->path, info->name);
	return 0;
}

static int64_t col_or(sqlite3_stmt *st, int col, int64_t absent)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? absent : sqlite3_column_int64(st, col);
}

/*
 * Fills the empty trace t from the requests and attempts tables, read side by
 * side in index order (a trace imported before the columnar copy had this
 * layout).  Returns 0, or -1 (damage, a database error, out of memory).
 */
static int load_rows(struct store *s, const struct store_trace_info *info, struct trace *t, struct err *e)
{
	sqlite3_stmt *rq = NULL, *at = NULL;
	struct trace_call *calls = NULL;
	size_t cap = 0;
	int rc, more = SQLITE_DONE, ret = -1;
	if (sqlite3_prepare_v2(s->db, "SELECT idx, ts_us, tenant, task, input_tokens, output_tokens,"
	                       " cached_tokens, input, input_hash, model, status, latency_us, difficulty,"
	                       " realtime, attempts, cost_pusd FROM requests WHERE trace_id = ? ORDER BY idx",
	                       -1, &rq, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT idx, n, model, status, input_tokens, output_tokens,"
	                       " cached_tokens, latency_us, ts_us FROM attempts WHERE trace_id = ?"
	                       " ORDER BY idx, n", -1, &at, NULL) != SQLITE_OK) {
		db_error(s, e, "load");
		goto out;
	}
	sqlite3_bind_int64(rq, 1, info->id);
	sqlite3_bind_int64(at, 1, info->id);
	more = sqlite3_step(at);
	uint32_t i = 0;
	while ((rc = sqlite3_step(rq)) == SQLITE_ROW) {
		if (i >= info->requests || sqlite3_column_int64(rq, 0) != i)
			goto damaged;
		struct trace_row r = {
			.ts_us = sqlite3_column_int64(rq, 1), .tenant = (uint32_t)sqlite3_column_int64(rq, 2),
			.task = (uint32_t)sqlite3_column_int64(rq, 3),
			.input_tok = (uint32_t)sqlite3_column_int64(rq, 4),
			.output_tok = (uint32_t)sqlite3_column_int64(rq, 5),
			.cached_tok = (uint32_t)sqlite3_column_int64(rq, 6),
			.input = (uint32_t)col_or(rq, 7, TRACE_NONE), .input_hash = (uint32_t)col_or(rq, 8, TRACE_NONE),
			.difficulty = (enum difficulty)sqlite3_column_int(rq, 12), .realtime = (int)col_or(rq, 13, 1),
			.cost_pusd = col_or(rq, 15, TRACE_NO_COST),
		};
		int64_t model = col_or(rq, 9, -1), n = sqlite3_column_int64(rq, 14);
		if (n < 0 || n > info->attempts)
			goto damaged;
		if ((size_t)n + 1 > cap) {
			struct trace_call *p = realloc(calls, ((size_t)n + 1) * sizeof *p);
			if (!p) {
				err_set(e, "out of memory loading \"%s\"", info->name);
				goto out;
			}
			calls = p;
			cap = (size_t)n + 1;
		}
		if (n == 0 && model >= 0) { /* the top-level fields make the single attempt */
			calls[0] = (struct trace_call){ (uint32_t)model, (enum status)col_or(rq, 10, STATUS_OK),
			                                -1, -1, -1, col_or(rq, 11, TRACE_NO_LATENCY), TRACE_NO_TIME, 0 };
			n = 1;
		} else {
			for (int64_t k = 0; k < n; k++, more = sqlite3_step(at)) {
				if (more != SQLITE_ROW || sqlite3_column_int64(at, 0) != i || sqlite3_column_int64(at, 1) != k)
					goto damaged;
				calls[k] = (struct trace_call){ (uint32_t)sqlite3_column_int64(at, 2),
				                                (enum status)sqlite3_column_int(at, 3), col_or(at, 4, -1),
				                                col_or(at, 5, -1), col_or(at, 6, -1),
				                                col_or(at, 7, TRACE_NO_LATENCY), col_or(at, 8, TRACE_NO_TIME), 0 };
			}
		}
		if (trace_append(t, &r, calls, (uint32_t)n, e) < 0) {
			err_prefix(e, "%s: trace \"%s\": ", s->path, info->name);
			goto out;
		}
		i++;
	}
	if (rc != SQLITE_DONE || (more != SQLITE_ROW && more != SQLITE_DONE)) {
		db_error(s, e, "load");
		goto out;
	}
	if (i != info->requests || t->n_att != info->attempts || more != SQLITE_DONE)
		goto damaged;
	ret = 0;
	goto out;
damaged:
	err_set(e, "%s: trace \"%s\" is damaged (counts do not match its rows)", s->path, info->name);
out:
	sqlite3_finalize(rq);
	sqlite3_finalize(at);
	free(calls);
	return ret;
}

/* Writes the texts of the trace `name` that loaded from the rows, at once or not at all. */
static void keep_texts(struct store *s, const char *name, const struct intern *in)
{
	struct store_trace_info info;
	struct err e;
	char sql[96];
	if (replacing_begin(s, name, &info, &e) < 0)
		return;
	snprintf(sql, sizeof sql, "DELETE FROM texts WHERE trace_id = %lld", (long long)info.id);
	int rc = exec(s, sql, &e) < 0 ? -1 : write_texts(s, info.id, info.imported_at, in, &e);
	replacing_end(s, rc, &e);
}

/* The loaded arrivals span what the import recorded (a damaged copy in `columns` could put
 * one millennia away, which the replay would blame on the scenario). */
static int arrivals_check(const struct trace *t, const struct store_trace_info *info, struct err *e)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	for (uint32_t i = 0; i < t->n_req; i++) {
		int64_t ts = trace_ts_us(t, i);
		lo = ts < lo ? ts : lo;
		hi = ts > hi ? ts : hi;
	}
	if (t->n_req && (lo != info->first_ts_us || hi != info->last_ts_us))
		return err_set(e, "its arrivals do not span what its import recorded");
	return 0;
}

/* The trace's cost_subs rows of its own import, if the store has the table. */
static int load_cost_subs(struct store *s, const struct store_trace_info *info, struct trace *t, struct err *e)
{
	sqlite3_stmt *st;
	if (!has_table(s, "cost_subs"))
		return 0;
	if (sqlite3_prepare_v2(s->db, "SELECT idx, sub FROM cost_subs WHERE trace_id = ? AND imported_at = ?"
	                       " ORDER BY idx", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e, "cost_subs");
	sqlite3_bind_int64(st, 1, info->id);
	sqlite3_bind_text(st, 2, info->imported_at, -1, SQLITE_STATIC);
	uint32_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t idx = sqlite3_column_int64(st, 0), sub = sqlite3_column_int64(st, 1);
		if (idx < 0 || idx >= t->n_req || !t->cost_pusd || t->cost_pusd[idx] == TRACE_NO_COST ||
		    sub > MONEY_SUB_PER_PUSD / 2 || sub < -MONEY_SUB_PER_PUSD / 2) {
			sqlite3_finalize(st);
			return err_set(e, "%s: trace \"%s\" is damaged: a cost_subs row for request %lld",
			               s->path, info->name, (long long)idx);
		}
		if (t->n_cost_sub == cap) {
			struct trace_cost_sub *more = realloc(t->cost_subs, (cap = cap ? 2 * cap : 16) * sizeof *more);
			if (!more) {
				sqlite3_finalize(st);
				return err_set(e, "out of memory loading \"%s\"", info->name);
			}
			t->cost_subs = more;
		}
		t->cost_subs[t->n_cost_sub++] = (struct trace_cost_sub){ (uint32_t)idx, sub };
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, e, "cost_subs");
}

int store_load(struct store *s, const char *name, struct trace *t, struct err *e)
{
	struct store_trace_info info;
	struct trace_shape shape = { 0 };
	memset(t, 0, sizeof *t);
	int found = store_find(s, name, &info, e);
	if (found <= 0)
		return found < 0 ? -1 : err_set(e, "%s: no trace named \"%s\"", s->path, name);
	if (info.requests > UINT32_MAX - 3 || info.attempts > UINT32_MAX - 1)
		return err_set(e, "%s: trace \"%s\" is too large to load", s->path, name);
	s->loaded_version = data_version(s); /* before the read: a commit in between is seen */
	snprintf(s->loaded_import, sizeof s->loaded_import, "%s", info.imported_at);
	if (exec(s, "BEGIN", e) < 0)
		return -1;
	int fast = read_layout(s, &info, &shape, e);
	if (fast < 0)
		goto fail_tx;
	if (trace_alloc(t, &shape) < 0 || !(t->name = strdup(name))) {
		err_set(e, "out of memory loading \"%s\"", name);
		goto fail_tx;
	}
	/* the inputs are appended unindexed (the trace drops their index anyway): they are
	 * distinct as imported, and only their ids are checked */
	int has_texts = has_table(s, "texts"), texts = 0;
	if (load_names(s, "names", info.id, &t->names, intern_add, e) < 0 ||
	    (has_texts && (texts = load_texts(s, &info, &t->inputs, e)) < 0) ||
	    (!texts && load_names(s, "inputs", info.id, &t->inputs, intern_append, e) < 0) ||
	    (fast ? load_columns(s, &info, t, e) : load_rows(s, &info, t, e)) < 0 ||
	    load_cost_subs(s, &info, t, e) < 0)
		goto fail_tx;
	if (trace_check(t, e) < 0 || arrivals_check(t, &info, e) < 0) {
		err_prefix(e, "%s: trace \"%s\" is damaged: ", s->path, name);
		goto fail_tx;
	}
	trace_trim(t);
	exec(s, "COMMIT", e);
	if (has_texts && !texts) /* for the next load; a store that is busy or cannot be written goes without */
		keep_texts(s, name, &t->inputs);
	return 0;
fail_tx:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	trace_free(t);
	return -1;
}

/* ---- the cache's normalized inputs ---- */

/*
 * Kept per trace and set of normalization steps, as the raw array of ids in
 * the machine's byte order, in chunks like the columns, with the rules they
 * were made under (sim/normalize.h) and their trace's import time: a trace id
 * that a store written by an older llmcost freed and reused does not match.
 */
int store_norms_load(struct store *s, const char *name, unsigned flags, uint32_t n_inputs, uint32_t **ids,
                     struct err *e)
{
	struct store_trace_info info;
	sqlite3_stmt *st;
	size_t bytes = (size_t)n_inputs * sizeof **ids, got = 0;
	*ids = NULL;
	int found = store_find(s, name, &info, e);
	if (found <= 0)
		return found;
	if (sqlite3_prepare_v2(s->db, "SELECT chunk, rules, imported_at, data FROM normalized"
	                       " WHERE trace_id = ? AND flags = ? ORDER BY chunk", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e, "normalized inputs");
	uint32_t *v = NULL; /* made at the first row: most sets asked for are not kept */
	sqlite3_bind_int64(st, 1, info.id);
	sqlite3_bind_int64(st, 2, flags);
	int rc, rows = 0, fits = 1;
	while (fits && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rules = (const char *)sqlite3_column_text(st, 1);
		const char *when = (const char *)sqlite3_column_text(st, 2);
		size_t len = (size_t)sqlite3_column_bytes(st, 3);
		fits = sqlite3_column_int64(st, 0) == rows++ && got % COLUMN_CHUNK == 0 && len <= bytes - got &&
		       rules && strcmp(rules, normalize_rules()) == 0 && when && strcmp(when, info.imported_at) == 0;
		if (fits && !v && !(v = malloc(bytes ? bytes : 1))) {
			sqlite3_finalize(st);
			return err_set(e, "out of memory loading normalized inputs");
		}
		if (fits && len)
			memcpy((char *)v + got, sqlite3_column_blob(st, 3), len);
		got += len;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(v);
		return db_error(s, e, "normalized inputs");
	}
	if (!fits || !rows || got != bytes) {
		free(v);
		return 0;
	}
	*ids = v;
	return 1;
}

/* Writes the kept set `flags` of trace info. */
static int store_norms_write(struct store *s, const struct store_trace_info *info, unsigned flags,
                             const uint32_t *ids, uint32_t n_inputs, struct err *e)
{
	sqlite3_stmt *st;
	size_t bytes = (size_t)n_inputs * sizeof *ids, off = 0;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO normalized VALUES (?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e, "keeping normalized inputs");
	int rc = SQLITE_DONE;
	for (int64_t chunk = 0; rc == SQLITE_DONE && (off < bytes || chunk == 0); chunk++) {
		size_t len = bytes - off < COLUMN_CHUNK ? bytes - off : COLUMN_CHUNK;
		sqlite3_bind_int64(st, 1, info->id);
		sqlite3_bind_int64(st, 2, flags);
		sqlite3_bind_int64(st, 3, chunk);
		sqlite3_bind_text(st, 4, normalize_rules(), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, info->imported_at, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 6, (const char *)ids + off, (int)len, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		off += len;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, e, "keeping normalized inputs");
}

int store_norms_keep(struct store *s, const char *name, unsigned flags, const uint32_t *ids,
                     uint32_t n_inputs, struct err *e)
{
	struct store_trace_info info;
	char sql[128];
	if (replacing_begin(s, name, &info, e) < 0)
		return -1;
	snprintf(sql, sizeof sql, "DELETE FROM normalized WHERE trace_id = %lld AND flags = %u",
	         (long long)info.id, flags);
	int rc = exec(s, sql, e) < 0 ? -1 : store_norms_write(s, &info, flags, ids, n_inputs, e);
	return replacing_end(s, rc, e);
}

int store_each_reject(struct store *s, const char *name,
                      int (*fn)(void *ctx, const char *file, int64_t line, const char *reason,
                                const char *text, size_t len, int64_t full_len),
                      void *ctx, struct err *e)
{
	struct store_trace_info info;
	sqlite3_stmt *st;
	int found = store_find(s, name, &info, e);
	if (found <= 0)
		return found < 0 ? -1 : err_set(e, "%s: no trace named \"%s\"", s->path, name);
	if (sqlite3_prepare_v2(s->db, "SELECT file, line, reason, text, length FROM rejects"
	                       " WHERE trace_id = ? ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e, "rejects");
	sqlite3_bind_int64(st, 1, info.id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 3);
		if (fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
		       (const char *)sqlite3_column_text(st, 2), text ? text : "",
		       (size_t)sqlite3_column_bytes(st, 3), sqlite3_column_int64(st, 4)))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(s, e, "rejects");
}
