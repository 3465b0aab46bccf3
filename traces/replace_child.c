/*
 * replace_write in a child process (traces/replace.h), for a file that takes long to write (a
 * console's export of many tenants): the parent watches the hidden file grow and can stop the
 * writing at once by killing the child, which a writer running in the caller could not allow.
 * The child tells how it ended on a pipe, a first byte '0' once its file is whole and closed,
 * else '1' and the message: so its exit status is never needed, which a parent whose SIGCHLD is
 * ignored (inherited across exec) cannot read.  A child killed, or ended without a word, wrote
 * no whole file.  It ignores the terminal's signals (the parent decides) and ends with _exit,
 * so the parent's atexit handlers and stdio buffers stay the parent's.
 */
#include "traces/replace.h"
#include "traces/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int writer_fn(FILE *f, void *ctx, struct err *e);

/* The child's side: writes, tells the end on `told`, never returns. */
static void replace_child_run(struct replace *r, writer_fn *writer, void *ctx, int told)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP };
	struct err e = { "" };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_IGN);
	int rc = replace_stream(r, writer, ctx, &e);
	char msg[1 + sizeof e.msg];
	size_t n = 1;
	msg[0] = rc < 0 ? '1' : '0';
	if (rc < 0) {
		memcpy(msg + 1, e.msg, strlen(e.msg));
		n += strlen(e.msg);
	}
	for (size_t at = 0; at < n;) {
		ssize_t k = write(told, msg + at, n - at);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		at += (size_t)k;
	}
	_exit(rc < 0);
}

int replace_write_child(const char *path, writer_fn *writer, void *ctx,
                        int (*tick)(void *tick_ctx, uint64_t bytes, double seconds), void *tick_ctx,
                        struct err *e)
{
	struct replace r;
	int told[2], stop = 0;
	char msg[1 + sizeof e->msg];
	size_t got = 0;
	if (replace_open(&r, path, e) < 0)
		return -1;
	pid_t pid = -1;
	if (pipe(told) == 0) {
		fcntl(told[0], F_SETFD, FD_CLOEXEC);
		fflush(NULL); /* nothing buffered is written twice */
		if ((pid = fork()) == 0) {
			close(told[0]);
			replace_child_run(&r, writer, ctx, told[1]);
		}
		close(told[1]);
		if (pid < 0)
			close(told[0]);
	}
	if (pid < 0) {
		int rc = replace_fail(&r, e, "%s", strerror(errno));
		if (r.fd >= 0)
			close(r.fd);
		replace_abort(&r);
		return rc;
	}
	/* until the child closes its end (it ended): the file's size so far, to tick, which may stop it */
	for (double t0 = progress_clock();;) {
		struct stat st;
		uint64_t bytes = r.fd >= 0 && fstat(r.fd, &st) == 0 ? (uint64_t)st.st_size : 0;
		if (tick && (stop = tick(tick_ctx, bytes, progress_clock() - t0)) != 0) {
			kill(pid, SIGKILL);
			break;
		}
		struct pollfd pf = { .fd = told[0], .events = POLLIN };
		if (poll(&pf, 1, 125) <= 0)
			continue; /* a signal (EINTR) or the time: tick again */
		ssize_t k = read(told[0], msg + got, sizeof msg - 1 - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0 || (got += (size_t)k) == sizeof msg - 1)
			break; /* its end (all it had to say was said), or as much as is kept */
	}
	msg[got] = 0;
	close(told[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		; /* ECHILD where SIGCHLD is ignored: the child reaped itself */
	if (r.fd >= 0)
		close(r.fd);
	if (stop || msg[0] != '0') {
		if (!stop && msg[0] == '1')
			err_set(e, "%s", msg + 1); /* replace_stream's message, whole */
		else if (!stop)
			replace_fail(&r, e, "the writing process ended before the file was whole");
		replace_abort(&r);
		return stop ? stop : -1;
	}
	return replace_commit(&r, e);
}
