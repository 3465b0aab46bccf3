/* Replacing a file whole or not at all (traces/replace.h): the mode a failing fchmod (a FUSE or
 * CIFS mount refusing it, EPERM) cannot give.  fchmod is interposed here, for the unit-test
 * binary alone: it fails while replace_fchmod_fails is set, else it is the system call. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tests/test.h"
#include "tests/util_tmp.h"
#include "traces/replace.h"

static int replace_fchmod_fails;

int fchmod(int fd, mode_t mode)
{
	if (replace_fchmod_fails) {
		errno = EPERM;
		return -1;
	}
	return (int)syscall(SYS_fchmod, fd, mode);
}

static int write_new(FILE *f, void *ctx, struct err *e)
{
	(void)ctx;
	(void)e;
	fputs("new\n", f);
	return 0;
}

static void slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t k = f ? fread(buf, 1, n - 1, f) : 0;
	buf[k] = 0;
	if (f)
		fclose(f);
}

/* A 0644 file rewritten where fchmod fails: before, the new file silently kept mkstemp's 0600
 * (the file turned private); now it is not replaced, and the message says why and that it keeps
 * what it held.  A new file is made all the same, with the mode the filesystem gave it. */
static void replace_mode_not_given(void)
{
	char dir[512], path[600], text[64];
	struct err e = { "" };
	struct stat st;
	if (test_tmpdir("replace-mode", dir, sizeof dir) < 0) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof path, "%s/out.jsonl", dir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		goto out;
	fputs("old\n", f);
	fclose(f);
	CHECK_INT(chmod(path, 0644), 0);

	/* fchmod works: replaced, the mode kept (the control: the test can tell the two apart) */
	CHECK_INT(replace_write(path, write_new, NULL, &e), 0);
	slurp(path, text, sizeof text);
	CHECK_STR(text, "new\n");
	CHECK_INT(stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1, 0644);

	/* fchmod fails: not replaced */
	f = fopen(path, "w");
	if (f) {
		fputs("old\n", f);
		fclose(f);
	}
	replace_fchmod_fails = 1;
	e.msg[0] = 0;
	CHECK_INT(replace_write(path, write_new, NULL, &e), -1);
	replace_fchmod_fails = 0;
	char want[2048];
	snprintf(want, sizeof want, "%s: cannot write: cannot give the new file its mode 0644: %s; %s keeps what it held",
	         path, strerror(EPERM), path);
	CHECK_STR(e.msg, want);
	slurp(path, text, sizeof text);
	CHECK_STR(text, "old\n");
	CHECK_INT(stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1, 0644);
	remove(path);

	/* a new file: made, fchmod's failure left to the filesystem's mode (mkstemp's 0600 here) */
	replace_fchmod_fails = 1;
	CHECK_INT(replace_write(path, write_new, NULL, &e), 0);
	replace_fchmod_fails = 0;
	slurp(path, text, sizeof text);
	CHECK_STR(text, "new\n");
	CHECK_INT(stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1, 0600);
	remove(path);
out:
	/* no hidden file is left behind either way: the folder empties */
	CHECK_INT(rmdir(dir), 0);
}

/* A writer that writes half its file and fails, as a full disk would. */
static int write_half(FILE *f, void *ctx, struct err *e)
{
	(void)ctx;
	fputs("ne", f);
	fflush(f);
	return err_set(e, "the disk filled");
}

static int stop_at_once(void *ctx, uint64_t bytes, double seconds)
{
	(void)ctx;
	(void)bytes;
	(void)seconds;
	return SIGINT;
}

/* replace_write_child: a whole file replaces the old; a failed writer's message comes back from
 * the child, and a stop (tick's SIGINT) is returned, the old file kept both times.  All of it with
 * SIGCHLD ignored, as a parent may inherit across exec: then no exit status can be read, and a
 * half-written file was renamed over the old one with a success. */
static void replace_child_ends(void)
{
	char dir[512], path[600], text[64], want[2048];
	struct err e = { "" };
	if (test_tmpdir("replace-child", dir, sizeof dir) < 0) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof path, "%s/out.json", dir);
	void (*was)(int) = signal(SIGCHLD, SIG_IGN);
	for (int ignored = 0; ignored < 2; ignored++) {
		signal(SIGCHLD, ignored ? SIG_IGN : SIG_DFL);
		FILE *f = fopen(path, "w");
		if (f) {
			fputs("old\n", f);
			fclose(f);
		}
		CHECK_INT(replace_write_child(path, write_half, NULL, NULL, NULL, &e), -1);
		snprintf(want, sizeof want, "%s: cannot write: the disk filled; %s keeps what it held", path, path);
		CHECK_STR(e.msg, want);
		slurp(path, text, sizeof text);
		CHECK_STR(text, "old\n");
		CHECK_INT(replace_write_child(path, write_new, NULL, stop_at_once, NULL, &e), SIGINT);
		slurp(path, text, sizeof text);
		CHECK_STR(text, "old\n");
		CHECK_INT(replace_write_child(path, write_new, NULL, NULL, NULL, &e), 0);
		slurp(path, text, sizeof text);
		CHECK_STR(text, "new\n");
	}
	signal(SIGCHLD, was);
	remove(path);
	CHECK_INT(rmdir(dir), 0); /* no hidden file left behind */
}

void suite_replace(void)
{
	RUN(replace_mode_not_given);
	RUN(replace_child_ends);
}
