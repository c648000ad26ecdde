/*
 * Unit tests for lib/ofile.c and lib/rejects.c: files appear whole or
 * not at all, and a rejects file reads back with the original values
 * and the reason in _error.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "ofile.h"
#include "rejects.h"
#include "rowstream.h"
#include "unit.h"

static char dir[] = "/tmp/sluice-unit-rejects.XXXXXX";
static char path[256];

static bool
exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static size_t
nfiles(void)
{
	char cmd[300];
	FILE *fp;
	size_t n = 0;
	int c;

	snprintf(cmd, sizeof(cmd), "ls -A %s", dir);
	if ((fp = popen(cmd, "r")) == NULL)
		return 999;
	while ((c = getc(fp)) != EOF)
		n += c == '\n';
	pclose(fp);
	return n;
}

static void
test_ofile(void)
{
	struct sl_ofile *f;

	snprintf(path, sizeof(path), "%s/map", dir);
	f = sl_ofile_open(path);
	CHECK(f != NULL);
	CHECK(write(sl_ofile_fd(f), "abc", 3) == 3);
	CHECK(!exists(path));		/* not under its name yet */
	CHECK(nfiles() == 1);
	CHECK(sl_ofile_commit(f));
	CHECK(exists(path));
	CHECK(nfiles() == 1);

	f = sl_ofile_open(path);
	CHECK(f != NULL);
	CHECK(write(sl_ofile_fd(f), "x", 1) == 1);
	sl_ofile_abort(f);
	CHECK(nfiles() == 1);		/* the temporary file is gone */
	{
		char b[8] = { 0 };
		int fd = open(path, O_RDONLY);

		CHECK(fd >= 0 && read(fd, b, sizeof(b)) == 3);
		CHECK(strcmp(b, "abc") == 0);	/* the old file stands */
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/no/such/dir", dir);
	CHECK(sl_ofile_open(path) == NULL);
	CHECK(strstr(sl_lasterr(), "No such file") != NULL);
	snprintf(path, sizeof(path), "%s/map", dir);
	unlink(path);
}

/*
 * sl_ofile_unlink removes what a commit put there: a symbolic link's
 * target, not the link; nothing of a fifo. An aborted write to a fifo
 * leaves it a fifo, and a commit through a link keeps the link.
 */
static void
test_ofile_unlink(void)
{
	char target[300], link[300], fifo[300];
	struct sl_ofile *f;
	struct stat st;

	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	CHECK(symlink("target", link) == 0);
	CHECK(sl_ofile_open(link) == NULL);	/* dangling */
	CHECK(strstr(sl_lasterr(), "dangling") != NULL);
	CHECK(close(open(target, O_WRONLY | O_CREAT, 0644)) == 0);
	if ((f = sl_ofile_open(link)) == NULL) {
		CHECK(f != NULL);
		return;
	}
	CHECK(write(sl_ofile_fd(f), "abc", 3) == 3);
	CHECK(sl_ofile_commit(f));
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(stat(target, &st) == 0 && st.st_size == 3 &&
	    (st.st_mode & 07777) == 0600);
	sl_ofile_unlink(link);
	CHECK(!exists(target));
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	unlink(link);

	CHECK(mkfifo(fifo, 0600) == 0);
	sl_ofile_unlink(fifo);
	CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	{
		/* a reader for the fifo: opening it to write blocks without */
		int rd = open(fifo, O_RDONLY | O_NONBLOCK);

		CHECK(rd >= 0);
		f = sl_ofile_open(fifo);
		CHECK(f != NULL);
		sl_ofile_abort(f);	/* NULL is fine */
		close(rd);
	}
	CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK(nfiles() == 1);		/* no temporary file */
	unlink(fifo);
}

/* Writes a two-segment input stream into b. */
static void
input(struct sl_buf *b)
{
	struct rs_writer *w = rs_wopen_buf(b);
	struct rs_header *h;
	int seg, i;

	for (seg = 0; seg < 2; seg++) {
		h = rs_header_new(seg == 0 ? "students" : "courses", 2);
		rs_header_setcol(h, 0, "id", "int8");
		rs_header_setcol(h, 1, "name", "text");
		rs_begin(w, h);
		rs_header_free(h);
		for (i = 0; i < 5; i++) {
			rs_row_begin(w);
			rs_put_int(w, seg * 100 + i);
			if (i == 3)
				rs_put_nil(w);
			else
				rs_put_str(w, "ann", 3);
			rs_row_end(w);
		}
		rs_end(w);
	}
	CHECK(rs_wfinish(w));
	CHECK(rs_wclose(w));
}

static void
test_rejects(void)
{
	struct sl_buf in = { 0 };
	struct sl_rejects *rj;
	struct rs_reader *r;
	enum rs_event ev;
	const struct rs_row *row;
	char why[64];
	int nrows = 0, nseg = 0;

	input(&in);
	snprintf(path, sizeof(path), "%s/rejects", dir);
	rj = sl_rejects_open(path);
	CHECK(rj != NULL);
	r = rs_memopen(in.p, in.len, "in", 7);
	while ((ev = rs_next(r)) > RS_EOF) {
		if (ev != RS_ROW)
			continue;
		row = rs_row(r);
		if (row->v[0].via.u64 % 2 == 1) {
			snprintf(why, sizeof(why), "orphan: id=%llu",
			    (unsigned long long)row->v[0].via.u64);
			CHECK(sl_rejects_row(rj, r, why));
		}
	}
	CHECK(ev == RS_EOF);
	rs_close(r);
	CHECK(sl_rejects_count(rj) == 4);
	CHECK(!exists(path));
	CHECK(sl_rejects_close(rj, true));
	CHECK(exists(path));

	r = rs_open(path);
	CHECK(r != NULL);
	while (r != NULL && (ev = rs_next(r)) > RS_EOF) {
		if (ev == RS_HEADER) {
			const struct rs_header *h = rs_header(r);

			nseg++;
			CHECK(h->ncols == 3);
			CHECK(strcmp(h->cols[2].name, "_error") == 0);
			CHECK(strcmp(h->table, nseg == 1 ? "students" :
			    "courses") == 0);
		} else if (ev == RS_ROW) {
			row = rs_row(r);
			nrows++;
			snprintf(why, sizeof(why), "orphan: id=%llu",
			    (unsigned long long)row->v[0].via.u64);
			CHECK(row->v[2].via.str.size == strlen(why) &&
			    memcmp(row->v[2].via.str.ptr, why,
			    strlen(why)) == 0);
			if (row->v[0].via.u64 % 100 == 3)
				CHECK(row->v[1].type == MSGPACK_OBJECT_NIL);
			else
				CHECK(row->v[1].via.str.size == 3);
		}
	}
	CHECK(ev == RS_EOF);
	CHECK(nseg == 2 && nrows == 4);
	rs_close(r);
	unlink(path);

	/* Nothing rejected: still a whole stream, one empty segment. */
	rj = sl_rejects_open(path);
	r = rs_memopen(in.p, in.len, "in", 64);
	while ((ev = rs_next(r)) > RS_EOF)
		if (ev == RS_HEADER)
			CHECK(sl_rejects_note(rj, rs_header(r)));
	rs_close(r);
	CHECK(sl_rejects_count(rj) == 0);
	CHECK(sl_rejects_close(rj, true));
	r = rs_open(path);
	nseg = nrows = 0;
	while (r != NULL && (ev = rs_next(r)) > RS_EOF) {
		if (ev == RS_HEADER) {
			nseg++;
			CHECK(strcmp(rs_header(r)->table, "students") == 0);
			CHECK(rs_header(r)->ncols == 3);
		}
		nrows += ev == RS_ROW;
	}
	CHECK(ev == RS_EOF);
	CHECK(nseg == 1 && nrows == 0);
	rs_close(r);
	unlink(path);

	/* Not committed: nothing under the name, no temporary left. */
	rj = sl_rejects_open(path);
	r = rs_memopen(in.p, in.len, "in", 64);
	while ((ev = rs_next(r)) > RS_EOF)
		if (ev == RS_ROW)
			CHECK(sl_rejects_row(rj, r, "x"));
	rs_close(r);
	sl_rejects_close(rj, false);
	CHECK(!exists(path));
	CHECK(nfiles() == 0);
	sl_buf_free(&in);
}

int
main(void)
{
	sl_setprogname("unit");
	sl_err_quiet(true);
	if (mkdtemp(dir) == NULL)
		return 1;
	run("ofile: appears only on commit, abort leaves the old file",
	    test_ofile);
	run("ofile: through a link to its target, a fifo in place; "
	    "sl_ofile_unlink removes only what a commit put there",
	    test_ofile_unlink);
	run("rejects: original values plus _error, one segment a table; "
	    "nothing rejected is one empty segment", test_rejects);
	rmdir(dir);
	return unit_bad ? 1 : 0;
}
