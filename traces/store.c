/*
 * The SQLite trace store: opening it (schema, views, file modes), its errors and
 * waits for another process's lock, transactions, and finding, listing, removing
 * and compacting traces.  Requests and attempts are rows keyed by (trace_id, idx)
 * in WITHOUT ROWID tables; names and input texts are interned per trace, views join
 * them back (README.md, "The store").  Imports: store_import.c; loads: store_load.c.
 */
#include "traces/store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces/progress.h"
#include "traces/reader.h"

#define SCHEMA_VERSION 1
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

/* The wait a store opened now has (store_replacing_end returns to it). */
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

int store_db_error(struct store *s, struct err *e, const char *what)
{
	return store_error(s, e, what, sqlite3_errmsg(s->db));
}

int store_exec(struct store *s, const char *sql, struct err *e)
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
int store_has_table(struct store *s, const char *name)
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
int64_t store_data_version(struct store *s)
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
int store_replacing_begin(struct store *s, const char *name, struct store_trace_info *info,
                          struct err *e)
{
	s->busy_ms = 0;
	int rc = store_begin(s, e);
	if (rc == 0 && s->loaded_version >= 0 && store_data_version(s) != s->loaded_version)
		rc = err_set(e, "%s: another process wrote the store since the trace was loaded", s->path);
	if (rc == 0)
		rc = store_find_named(s, name, info, e);
	if (rc == 0 && s->loaded_import[0] && strcmp(s->loaded_import, info->imported_at) != 0)
		rc = err_set(e, "%s: \"%s\" was imported again since it was loaded", s->path, name);
	if (rc == 0)
		return 0;
	store_rollback(s);
	s->busy_ms = normal_busy_ms();
	return -1;
}

int store_replacing_end(struct store *s, int written, struct err *e)
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

/* stat(path): 1 when something is there, 0 when nothing is (ENOENT, or ENOTDIR: a part of the
 * path is a file), -1 with e set when it cannot be told (a folder this user cannot enter, a
 * loop of links, a name too long): such a store is not taken for one that is not there. */
static int stat_store(const char *path, struct stat *st, struct err *e)
{
	if (stat(path, st) == 0)
		return 1;
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	return err_set(e, "%s: cannot reach the store: %s", path, strerror(errno));
}

/* A file of no bytes is a store not made yet (the file `: > x.db` or mktemp makes): SQLite
 * would take it for an empty database and write a store into it. */
static int empty_file(const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_size == 0;
}

int store_exists(const char *path, struct err *e)
{
	struct stat st;
	int there = stat_store(path, &st, e);
	return there > 0 && empty_file(&st) ? 0 : there;
}

int store_open_existing(struct store *s, const char *path, const char *hint, struct err *e)
{
	int there = store_exists(path, e);
	if (there <= 0) {
		memset(s, 0, sizeof *s);
		return there < 0 ? -1 : err_set(e, "there is no store %s (%s)", path, hint);
	}
	return store_open(s, path, e);
}

int store_make_folder(const char *path, struct err *e)
{
	return make_parent(path, e);
}

/* Where a store made at path would be: path, or the target of the symbolic link it is (a
 * relative target from the link's folder), written into buf. */
static const char *made_at(const char *path, char *buf, size_t n)
{
	char to[4096];
	ssize_t len = readlink(path, to, sizeof to - 1);
	if (len <= 0)
		return path;
	to[len] = '\0';
	const char *slash = strrchr(path, '/');
	int w = to[0] == '/' || !slash ? snprintf(buf, n, "%s", to)
	                               : snprintf(buf, n, "%.*s/%s", (int)(slash - path), path, to);
	return w > 0 && (size_t)w < n ? buf : path;
}

int store_open(struct store *s, const char *path, struct err *e)
{
	memset(s, 0, sizeof *s);
	struct stat fs;
	/* a folder or a device said as what it is, not in SQLite's words ("unable to open database
	 * file", "disk I/O error") */
	int there = stat_store(path, &fs, e);
	if (there < 0)
		return -1;
	if (there && S_ISDIR(fs.st_mode))
		return err_set(e, "%s: is a folder, not a store file", path);
	if (there && !S_ISREG(fs.st_mode))
		return err_set(e, "%s: not a regular file", path);
	/* a store this user may not read (another user's, 0600) said so: SQLite's "unable to open
	 * database file" was taken for a folder that is not writable */
	if (there) {
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			return err_set(e, "%s: cannot read the store: %s", path, strerror(errno));
		close(fd);
	}
	/* an empty file is made the store, as a new one is: 0600 whatever its mode was, being every
	 * request's input text; one this user may not make so (another user's) is left as it is */
	if (there && empty_file(&fs) && (fs.st_mode & 07777) != 0600) {
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		struct stat again;
		int made = fd >= 0 && fstat(fd, &again) == 0 && (!empty_file(&again) || fchmod(fd, 0600) == 0);
		int why = errno;
		if (fd >= 0)
			close(fd);
		if (!made)
			return err_set(e, "%s: cannot make the empty file a store, readable by this user alone "
			               "(0600): %s; it is left as it is", path, strerror(why));
	}
	/* a file that is not SQLite: SQLite would take one shorter than its header for an empty
	 * database, and write over it */
	if (reader_kind_of(path) == READER_OTHER)
		return err_set(e, "%s: not an llmcost store (not an SQLite database); it is left as it is", path);
	/* a store path is a file name: Debian's SQLite (SQLITE_USE_URI) takes a name beginning
	 * "file:" for a URI, so that file:y.db?mode=memory kept nothing and file:z.db was z.db;
	 * such a name, relative, is given as ./file:..., which is no URI (an absolute one is none) */
	char uri_safe[4096 + 3];
	const char *name = path;
	if (!strncmp(path, "file:", 5)) {
		if ((size_t)snprintf(uri_safe, sizeof uri_safe, "./%s", path) >= sizeof uri_safe)
			return err_set(e, "%s: path too long", path);
		name = uri_safe;
	}
	/* a new store is made 0600 whatever the umask, being every request's input text; SQLite's
	 * journal beside it takes its mode.  A symbolic link whose target is missing is followed
	 * as SQLite follows it, its target made 0600 too: O_EXCL refuses any link (EEXIST) */
	if (!there && strcmp(path, ":memory:") != 0) { /* SQLite's name for a store in memory */
		struct stat ls;
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST && lstat(path, &ls) == 0 && S_ISLNK(ls.st_mode))
			fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
	}
	s->path = strdup(path);
	if (!s->path)
		return err_set(e, "%s: out of memory", path);
	sqlite3 *db;
	if (sqlite3_open_v2(name, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		char dir[4096], target[4096];
		const char *made = made_at(path, target, sizeof target);
		const char *slash = strrchr(made, '/');
		snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - made) : 1, slash ? made : ".");
		if (stat(dir[0] ? dir : "/", &fs) != 0)
			err_set(e, "%s: cannot make the store: its folder %s does not exist", path, dir);
		else if (!S_ISDIR(fs.st_mode))
			err_set(e, "%s: cannot make the store: %s is a file, not a folder", path, dir);
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
	int traces = read == SQLITE_ROW ? store_has_table(s, "traces") : -1;
	int requests = traces >= 0 ? store_has_table(s, "requests") : -1;
	int any = requests >= 0 ? store_has_table(s, NULL) : -1;
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
	if (store_exec(s, "PRAGMA page_size=65536; PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL;"
	            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", e) < 0)
		goto fail;
	if (version < SCHEMA_VERSION) {
		char sql[sizeof schema + sizeof VIEWS + 512];
		snprintf(sql, sizeof sql, "BEGIN IMMEDIATE; %s%s"
		         "INSERT OR REPLACE INTO statuses VALUES (0,'ok'),(1,'timeout'),(2,'rate_limited'),"
		         "(3,'server_error'),(4,'invalid_request'),(5,'content_filter'),(6,'context_length');"
		         "PRAGMA user_version=%d; COMMIT;", schema, VIEWS, SCHEMA_VERSION);
		if (store_exec(s, sql, e) < 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
	}
	if (!store_has_table(s, "normalized") || !store_has_table(s, "texts") || !store_has_table(s, "cost_subs"))
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

int store_begin(struct store *s, struct err *e)
{
	return store_exec(s, "BEGIN IMMEDIATE", e);
}

int store_commit(struct store *s, struct err *e)
{
	if (store_exec(s, "COMMIT", e) < 0) {
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

static void copy_text(char *dst, size_t n, const unsigned char *src)
{
	snprintf(dst, n, "%s", src ? (const char *)src : "");
}

const char store_info_cols[] =
	"id, name, source, imported_at, requests, attempts, rejects, tenants, first_ts_us, last_ts_us";

void store_read_info(sqlite3_stmt *st, struct store_trace_info *info)
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
	snprintf(sql, sizeof sql, "SELECT %s FROM traces WHERE name = ?", store_info_cols);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "find");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_read_info(st, info);
	else if (rc != SQLITE_DONE)
		store_db_error(s, e, "find");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int store_find_named(struct store *s, const char *name, struct store_trace_info *info, struct err *e)
{
	int found = store_find(s, name, info, e);
	return found > 0 ? 0 : found < 0 ? -1 : err_set(e, "%s: no trace named \"%s\"", s->path, name);
}

/* The refusal of a name stored already: -2. */
int store_name_taken(const struct store_trace_info *old, struct err *e)
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
	return found < 0 ? -1 : found ? store_name_taken(&old, e) : 0;
}

int store_list(struct store *s, struct store_trace_info **out, size_t *n, struct err *e)
{
	char sql[256];
	sqlite3_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	snprintf(sql, sizeof sql, "SELECT %s FROM traces ORDER BY imported_at DESC, id DESC", store_info_cols);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "list");
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
		store_read_info(st, &(*out)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "list");
	return 0;
}

int store_delete_rows(struct store *s, int64_t id, struct err *e)
{
	static const char *const tables[] = { "names", "inputs", "requests", "attempts", "rejects",
	                                      "columns", "normalized", "texts", "cost_subs" };
	char sql[128];
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		if (!store_has_table(s, tables[i]))
			continue; /* a kept table the store lacks (see kept_schema) */
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE trace_id = %lld", tables[i], (long long)id);
		if (store_exec(s, sql, e) < 0)
			return -1;
	}
	snprintf(sql, sizeof sql, "DELETE FROM traces WHERE id = %lld", (long long)id);
	return store_exec(s, sql, e);
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
		if (found <= 0 || store_delete_rows(s, info.id, e) < 0) {
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
		return store_db_error(s, e, "cannot read the free space");
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
