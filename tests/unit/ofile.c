/*
 * ofile: sl_ofile_create, for files that must be new: it refuses a path
 * that is there, and its commit does not replace a file that appeared
 * while it was being written (RENAME_NOREPLACE), leaving no temporary.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "ofile.h"
#include "unit.h"

static char dir[] = "/tmp/sluice-ofile.XXXXXX";

static char *
at(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void
put(const char *name, const char *s)
{
	FILE *fp = fopen(at(name), "w");

	CHECK(fp != NULL);
	if (fp != NULL) {
		fputs(s, fp);
		fclose(fp);
	}
}

static size_t
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	if (d != NULL)
		closedir(d);
	return n;
}

static void
test_create(void)
{
	struct sl_ofile *f;
	struct stat st;
	char buf[16] = { 0 };
	int fd;

	/* new: written, 0600, in place at the commit */
	CHECK((f = sl_ofile_create(at("new"))) != NULL);
	if (f == NULL)
		return;
	CHECK(write(sl_ofile_fd(f), "rows", 4) == 4);
	CHECK(access(at("new"), F_OK) < 0);
	CHECK(sl_ofile_commit(f));
	CHECK(stat(at("new"), &st) == 0 && (st.st_mode & 0777) == 0600);

	/* there already: refused, as a file and as a link */
	CHECK(sl_ofile_create(at("new")) == NULL);
	CHECK(symlink("nowhere", at("dangling")) == 0);
	CHECK(sl_ofile_create(at("dangling")) == NULL);

	/* appeared meanwhile: the commit fails and keeps it */
	CHECK((f = sl_ofile_create(at("raced"))) != NULL);
	if (f == NULL)
		return;
	CHECK(write(sl_ofile_fd(f), "mine", 4) == 4);
	put("raced", "theirs");
	CHECK(!sl_ofile_commit(f));
	fd = open(at("raced"), O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf) - 1) == 6);
	CHECK(strcmp(buf, "theirs") == 0);
	if (fd >= 0)
		close(fd);
	CHECK(entries() == 3);	/* new, dangling, raced: no temporary */

	/* a device is written in place */
	CHECK((f = sl_ofile_create("/dev/null")) != NULL);
	if (f != NULL)
		CHECK(sl_ofile_commit(f));
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	sl_err_quiet(true);
	run("ofile create: refuses what is there, never replaces at commit",
	    test_create);
	unlink(at("new"));
	unlink(at("dangling"));
	unlink(at("raced"));
	rmdir(dir);
	return unit_bad != 0;
}
