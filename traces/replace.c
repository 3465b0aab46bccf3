/*
 * Replacing a file whole or not at all (traces/replace.h): the checks a shell's redirection
 * would make (a missing folder, a file we may not write), the hidden file beside the target,
 * its rename over the target.  No fsync: a crash may lose the new file's last bytes, never the
 * old file to a failed write.  The target's mode is copied to the hidden file, or the file is
 * not replaced: a 0644 file must not turn into mkstemp's 0600 (or the reverse) without a word.
 * A new file's mode (0666 less the umask) is best-effort: where fchmod fails (a FUSE or CIFS
 * mount, FAT's fixed modes), it keeps the mode the filesystem gave it, as `>` would.
 */
#include "traces/replace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int replace_fail(const struct replace *r, struct err *e, const char *fmt, ...)
{
	char why[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (r->direct)
		return err_set(e, "%s: cannot write: %s", r->path, why);
	return err_set(e, "%s: cannot write: %s; %s %s", r->path, why, r->path,
	               r->existed ? "keeps what it held" : "was not made");
}

/* The folder of path ("." for a bare name) into buf; 0, or -1 when it does not fit. */
static int replace_dir(const char *path, char *buf, size_t n)
{
	const char *slash = strrchr(path, '/');
	int len = !slash ? 0 : slash == path ? 1 : (int)(slash - path);
	return snprintf(buf, n, "%.*s", len ? len : 1, len ? path : ".") >= (int)n ? -1 : 0;
}

int replace_open(struct replace *r, const char *path, struct err *e)
{
	struct stat st, lst;
	char dir[PATH_MAX];
	int errsv;

	memset(r, 0, sizeof *r);
	r->path = path;
	r->fd = -1;
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		if (stat(path, &st) != 0) {
			char to[PATH_MAX];
			ssize_t k = readlink(path, to, sizeof to - 1);
			to[k > 0 ? k : 0] = 0;
			return err_set(e, "%s: cannot write: a symbolic link to %s, which does not exist; "
			               "the link is left as it was", path, to);
		}
		if (!(r->target = realpath(path, NULL)))
			return err_set(e, "%s: cannot write: %s", path, strerror(errno));
	} else if (!(r->target = strdup(path))) {
		return err_set(e, "%s: out of memory", path);
	}
	if (stat(r->target, &st) == 0) {
		r->existed = 1;
		if (S_ISDIR(st.st_mode)) {
			replace_fail(r, e, "%s", strerror(EISDIR));
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			r->direct = 1;
			return 0;
		}
		if (!(st.st_mode & 0222) || faccessat(AT_FDCWD, r->target, W_OK, AT_EACCESS) != 0) {
			replace_fail(r, e, "%s", strerror(EACCES));
			goto fail;
		}
	} else if (errno != ENOENT) {
		replace_fail(r, e, "%s", strerror(errno));
		goto fail;
	}
	if (replace_dir(r->target, dir, sizeof dir) < 0) {
		replace_fail(r, e, "%s", strerror(ENAMETOOLONG));
		goto fail;
	}
	if (!r->existed) {
		struct stat d;
		if (stat(dir, &d) != 0) {
			if (errno == ENOENT)
				replace_fail(r, e, "folder %s does not exist", dir);
			else
				replace_fail(r, e, "folder %s: %s", dir, strerror(errno));
			goto fail;
		}
		if (!S_ISDIR(d.st_mode)) {
			replace_fail(r, e, "%s is not a folder", dir);
			goto fail;
		}
	}
	/* ".NAME." and mkstemp's template, the TEMPLATE_X letters 'X' it turns into a unique
	 * suffix; NAME cut so that the hidden name fits where NAME itself does */
	enum { TEMPLATE_X = 6 };
	const char *base = strrchr(r->target, '/');
	base = base ? base + 1 : r->target;
	int keep = (int)strlen(base), room = NAME_MAX - 2 - TEMPLATE_X;
	if (keep > room)
		keep = room;
	int n = snprintf(r->tmp, sizeof r->tmp, "%.*s.%.*s.", (int)(base - r->target), r->target, keep, base);
	if (n < 0 || (size_t)n + TEMPLATE_X >= sizeof r->tmp) {
		r->tmp[0] = 0;
		replace_fail(r, e, "%s", strerror(ENAMETOOLONG));
		goto fail;
	}
	memset(r->tmp + n, 'X', TEMPLATE_X);
	r->tmp[n + TEMPLATE_X] = 0;
	if ((r->fd = mkstemp(r->tmp)) < 0) {
		errsv = errno;
		r->tmp[0] = 0;
		replace_fail(r, e, "cannot make a file in folder %s: %s", dir, strerror(errsv));
		goto fail;
	}
	mode_t mask = umask(0);
	umask(mask);
	mode_t want = r->existed ? st.st_mode & 07777 : 0666 & ~mask;
	if (fchmod(r->fd, want) != 0 && r->existed) {
		struct stat got;
		errsv = errno;
		if (fstat(r->fd, &got) != 0 || (got.st_mode & 07777) != want) {
			/* the replacement would not have the target's mode (mkstemp's 0600 for a 0644 file) */
			close(r->fd);
			r->fd = -1;
			unlink(r->tmp);
			r->tmp[0] = 0;
			replace_fail(r, e, "cannot give the new file its mode %04o: %s", (unsigned)want, strerror(errsv));
			goto fail;
		}
	}
	return 0;
fail:
	free(r->target);
	r->target = NULL;
	return -1;
}

int replace_commit(struct replace *r, struct err *e)
{
	int rc = 0;
	if (r->tmp[0] && rename(r->tmp, r->target) < 0) {
		rc = replace_fail(r, e, "%s", strerror(errno));
		unlink(r->tmp);
	}
	r->tmp[0] = 0;
	free(r->target);
	r->target = NULL;
	return rc;
}

void replace_abort(struct replace *r)
{
	if (r->tmp[0])
		unlink(r->tmp);
	r->tmp[0] = 0;
	free(r->target);
	r->target = NULL;
}

int replace_stream(struct replace *r, int (*write)(FILE *f, void *ctx, struct err *e), void *ctx,
                   struct err *e)
{
	FILE *f = r->fd >= 0 ? fdopen(r->fd, "w") : fopen(r->path, "w");
	int rc, errsv;
	if (!f) {
		rc = replace_fail(r, e, "%s", strerror(errno));
		if (r->fd >= 0)
			close(r->fd);
		return rc;
	}
	errno = 0;
	rc = write(f, ctx, e);
	errsv = errno;
	if (rc == 0 && fflush(f) != 0)
		rc = -1, errsv = errno;
	if (rc < 0 && ferror(f)) /* the stream's failure: errno's text, not the writer's wording */
		replace_fail(r, e, "%s", strerror(errsv ? errsv : EIO));
	else if (rc < 0)
		replace_fail(r, e, "%s", e->msg);
	if (fclose(f) != 0 && rc == 0)
		rc = replace_fail(r, e, "%s", strerror(errno));
	return rc < 0 ? -1 : 0;
}

int replace_write(const char *path, int (*write)(FILE *f, void *ctx, struct err *e), void *ctx,
                  struct err *e)
{
	struct replace r;
	if (replace_open(&r, path, e) < 0)
		return -1;
	if (replace_stream(&r, write, ctx, e) < 0) {
		replace_abort(&r);
		return -1;
	}
	return replace_commit(&r, e);
}
