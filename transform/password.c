/*
 * password: gives rows a freshly generated password, storing its hash.
 *
 *	password -c COL [--scheme bcrypt|pbkdf2-sha256] [--cost N]
 *	    [--missing] [--credentials FILE [--key COL]] [-j N] [-o FILE] [-r FILE]
 *	    [-q] [--progress]
 *
 * COL gets the hash of a new random password (lib/pwhash.c); with
 * --missing only where it is NULL, and hashes already there are copied
 * byte for byte. The plaintexts go to the credentials file, a row
 * stream of (key, password) that appears only when the whole run
 * succeeded, or nowhere.
 *
 * Hashing is slow on purpose (a quarter of a second for bcrypt at cost
 * 12), so a pool of threads (lib/pool.c) hashes a batch of rows while
 * this thread reads the next batch and writes the last one, in order.
 * A batch is flushed before each trailer, so segments stay as they came.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "ledger.h"
#include "ofile.h"
#include "pool.h"
#include "prog.h"
#include "progress.h"
#include "pwhash.h"
#include "rowstream.h"

static const char usage_text[] =
    "usage: password -c COL [--scheme bcrypt|pbkdf2-sha256] [--cost N]\n"
    "                [--missing] [--credentials FILE [--key COL]] [-j N]\n"
    "                [-o FILE] [-r FILE] [-q] [--progress]\n";

/*
 * A batch ends at GENS rows that get a password, or at BATCH rows: with
 * --missing most rows may keep their hash, and a batch of 128 rows with
 * one password to make would keep one thread busy and the others idle.
 */
#define GENS	128	/* passwords a batch; the pool's threads share them */
#define BATCH	4096
#define MAXJOBS	64

/* One row of a batch: where its bytes are, and what the pool made. */
struct slot {
	size_t		 at;	/* the row's bytes: raw.p + at, len of them */
	size_t		 len;
	uint32_t	 v0;	/* its first value, after the array header */
	uint32_t	 cs, ce;	/* COL's value (cs == ce == len: none) */
	uint32_t	 ks, ke;	/* the key's value */
	uint64_t	 hash;	/* the row's hash, for a row copied whole */
	uint64_t	 num;	/* its number in the segment, for messages */
	bool		 gen;	/* a password is made for it */
	int		 err;	/* errno of a failed hash, or 0 */
	char		 pw[PW_LEN + 1];
	char		 out[PW_HASH_MAX];
};

struct batch {
	struct slot	 s[BATCH];
	size_t		 n;
	size_t		 ngen;	/* of them, rows that get a password */
	struct sl_buf	 raw;
};

/* The options. */
static const char *column, *keycol, *credpath;
static enum pw_scheme scheme = PW_BCRYPT;
static unsigned long cost;
static bool missing;

/* The current segment. */
static long col;		/* COL's index, -1: added at the end */
static long key;		/* the key's index, -1: no credentials */
static size_t ncols;		/* the input's columns */

static struct batch batches[2];
static struct batch *cur = &batches[0];	/* being filled */
static struct batch *busy;		/* with the pool, or NULL */
static struct sl_pool *pool;
static struct sl_ledger ledger;
static struct sl_progress pg;
static struct sl_ofile *credfile;
static struct rs_writer *cred;
static unsigned jobs;
static uint64_t nhashed, nkept, nwritten;
static bool committed;		/* the credentials are in place */

/* The pool's work: one row of a batch, on one of its threads. */
static void
hash_one(void *arg, size_t i, void *scratch)
{
	struct slot *s = &((struct batch *)arg)->s[i];

	s->err = 0;
	if (!s->gen)
		return;
	if (!pw_generate(s->pw) ||
	    !pw_hash(scheme, cost, s->pw, s->out, scratch))
		s->err = errno != 0 ? errno : EINVAL;
}

/* The credentials' header for a segment: its key column and password. */
static void
cred_begin(const struct rs_header *in)
{
	struct rs_header *h;
	const char *k;

	if (cred == NULL)
		return;
	k = in->cols[key].name;
	if ((h = rs_header_new(in->table, 2)) == NULL ||
	    !rs_header_setcol(h, 0, k, in->cols[key].type) ||
	    !rs_header_setcol(h, 1, "password", "text") ||
	    !rs_header_setkey(h, 1, &k) || !rs_begin(cred, h))
		exit(EXIT_IO);
	rs_header_free(h);
}

/* Which column is the key of the credentials: --key, or the stream's. */
static long
find_key(const struct rs_header *in)
{
	long k;

	if (credpath == NULL)
		return -1;
	if (keycol == NULL && in->nkey != 1)
		die(EXIT_USAGE, "--credentials: \"%s\" has %s; name the "
		    "column that tells whose password it is with --key COL",
		    in->table, in->nkey == 0 ? "no key" : "a key of several "
		    "columns");
	if ((k = rs_header_find(in, keycol ? keycol : in->key[0])) < 0)
		sl_no_column(in, "--key", keycol ? keycol : in->key[0]);
	if (k == col)
		die(EXIT_USAGE, "--key %s: the column the hashes go in",
		    in->cols[k].name);
	return k;
}

static struct rs_header *
plan(const struct rs_header *in)
{
	struct rs_header *out;
	size_t i;

	ncols = in->ncols;
	col = rs_header_find(in, column);
	if (col >= 0 && in->cols[col].cls != RS_TEXT)
		die(EXIT_USAGE, "-c %s: a column of type %s in \"%s\"; a hash "
		    "is text", column, in->cols[col].type, in->table);
	key = find_key(in);
	if (col < 0 && ncols >= UINT32_MAX - 1)
		die(EXIT_USAGE, "\"%s\": too many columns to add one",
		    in->table);
	if ((out = rs_header_new(in->table, ncols + (col < 0))) == NULL)
		exit(EXIT_IO);
	for (i = 0; i < ncols; i++)
		if (!rs_header_setcol(out, i, in->cols[i].name,
		    in->cols[i].type))
			exit(EXIT_IO);
	if ((col < 0 && !rs_header_setcol(out, ncols, column, "text")) ||
	    (in->nkey > 0 && !rs_header_setkey(out, in->nkey,
	    (const char *const *)in->key)) ||
	    (in->source != NULL && !rs_header_setsource(out, in->source)))
		exit(EXIT_IO);
	cred_begin(in);
	return out;
}

/* Writes a row of a done batch, and its password to the credentials. */
static bool
put_slot(struct rs_writer *w, const struct batch *b, struct slot *s)
{
	const char *raw = b->raw.p + s->at;
	struct rs_row row;

	if (!s->gen) {
		memset(&row, 0, sizeof(row));
		row.ncols = ncols;
		row.raw = raw;
		row.len = s->len;
		row.hash = s->hash;
		nkept++;
		return rs_row_copy(w, &row);
	}
	if (s->err != 0) {
		sl_err("row %" PRIu64 " of \"%s\": cannot hash its password: "
		    "%s", s->num, rs_wheader(w)->table, strerror(s->err));
		return false;
	}
	/* the values before COL, the hash, the values after it */
	rs_row_begin(w);
	rs_put_raws(w, raw + s->v0, s->cs - s->v0, col < 0 ? ncols :
	    (size_t)col);
	rs_put_str(w, s->out, strlen(s->out));
	if (col >= 0)
		rs_put_raws(w, raw + s->ce, s->len - s->ce,
		    ncols - (size_t)col - 1);
	if (!rs_row_end(w))
		return false;
	if (cred != NULL) {
		rs_row_begin(cred);
		rs_put_raw(cred, raw + s->ks, s->ke - s->ks);
		rs_put_str(cred, s->pw, PW_LEN);
		if (!rs_row_end(cred))
			return false;
	}
	explicit_bzero(s->pw, sizeof(s->pw));
	nhashed++;
	return true;
}

/* Waits for the pool's batch, drawing the progress line, and writes it. */
static bool
drain(struct rs_writer *w)
{
	size_t i, done;
	bool ok = true;

	if (busy == NULL)
		return true;
	while (!sl_pool_wait(pool, 1.0, &done)) {
		pg.rows = nwritten + done;
		sl_progress_draw(&pg);
	}
	for (i = 0; i < busy->n; i++)
		if (ok && !put_slot(w, busy, &busy->s[i]))
			ok = false;
	for (i = 0; i < busy->n; i++)
		explicit_bzero(busy->s[i].pw, sizeof(busy->s[i].pw));
	nwritten += busy->n;
	busy->n = busy->ngen = 0;
	sl_buf_reset(&busy->raw);
	busy = NULL;
	pg.rows = nwritten;
	pg.bytes = rs_wbytes(w);
	sl_progress_draw(&pg);
	return ok;
}

/* Hands the batch being filled to the pool, once the last one is out. */
static bool
cycle(struct rs_writer *w)
{
	if (!drain(w))
		return false;
	if (cur->n == 0)
		return true;
	busy = cur;
	cur = cur == &batches[0] ? &batches[1] : &batches[0];
	sl_pool_start(pool, busy, busy->n);
	return true;
}

static bool
flush(struct rs_writer *w)
{
	if (!cycle(w) || !drain(w))
		return false;
	if (cred != NULL && !rs_end(cred))
		return false;
	return true;
}

/* One row: into the batch, or rejected when its password has no owner. */
static bool
do_row(struct sl_ledger *l, struct rs_reader *r, struct rs_writer *w)
{
	const struct rs_row *row = rs_row(r);
	struct slot *s;
	bool gen = !missing || col < 0 ||
	    row->v[col].type == MSGPACK_OBJECT_NIL;

	if (gen && key >= 0 && row->v[key].type == MSGPACK_OBJECT_NIL)
		return sl_ledger_reject(l, r, "password: the key is NULL: "
		    "nobody could be told this row's password");
	if (sl_ledger_stopped(l))
		return true;
	if ((cur->n == BATCH || cur->ngen == GENS) && !cycle(w))
		return false;
	s = &cur->s[cur->n];
	s->at = cur->raw.len;
	if (!sl_buf_add(&cur->raw, row->raw, row->len))
		return false;
	cur->n++;
	s->len = row->len;
	s->v0 = row->off[0];
	s->cs = s->ce = (uint32_t)row->len;
	if (col >= 0) {
		s->cs = row->off[col];
		s->ce = row->off[col + 1];
	}
	s->ks = s->ke = 0;
	if (key >= 0) {
		s->ks = row->off[key];
		s->ke = row->off[key + 1];
	}
	s->hash = row->hash;
	s->num = row->num;
	s->gen = gen;
	cur->ngen += gen;
	return true;
}

/* After the last trailer, before the end mark: credentials into place. */
static bool
finish(void)
{
	bool ok;

	if (credfile == NULL)
		return true;
	ok = rs_wfinish(cred);
	ok = rs_wclose(cred) && ok;
	cred = NULL;
	if (ok)
		ok = committed = sl_ofile_commit(credfile);
	else
		sl_ofile_abort(credfile);
	credfile = NULL;
	return ok;
}

static void
cleanup(void)
{
	size_t i;

	sl_pool_free(pool);
	pool = NULL;
	if (cred != NULL)
		rs_wclose(cred);
	cred = NULL;
	sl_ofile_abort(credfile);
	credfile = NULL;
	for (i = 0; i < 2; i++) {
		explicit_bzero(batches[i].s, sizeof(batches[i].s));
		sl_buf_free(&batches[i].raw);
	}
	sl_ledger_close(&ledger, false);
}

/* The credentials file: new, 0600, never this program's stdout or stderr. */
static void
open_credentials(void)
{
	struct stat a, b;
	int fd;

	if ((credfile = sl_ofile_create(credpath)) == NULL)
		exit(errno == EEXIST ? EXIT_USAGE : EXIT_IO);
	fd = sl_ofile_fd(credfile);
	if (fstat(fd, &a) < 0)
		die(EXIT_IO, "%s: %s", credpath, strerror(errno));
	if ((fstat(1, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino) || (fstat(2, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino))
		die(EXIT_USAGE, "--credentials %s: that is where the stream or "
		    "the messages go; passwords go to a file of their own",
		    credpath);
	if ((cred = rs_wopen(fd, credpath)) == NULL)
		exit(EXIT_IO);
}

static unsigned
default_jobs(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 &&
	    (n = CPU_COUNT(&set)) > 0)
		return n > MAXJOBS ? MAXJOBS : (unsigned)n;
	return 1;
}

static void
set_scheme(const char *s)
{
	if (strcmp(s, "bcrypt") == 0)
		scheme = PW_BCRYPT;
	else if (strcmp(s, "pbkdf2-sha256") == 0 ||
	    strcmp(s, "pbkdf2_sha256") == 0)
		scheme = PW_PBKDF2_SHA256;
	else
		usage_error(usage_text, "--scheme: \"%s\" is neither bcrypt "
		    "nor pbkdf2-sha256", s);
}

/* --cost for the scheme: bcrypt's log2 rounds, PBKDF2's iterations. */
static void
check_cost(const char *arg, bool quiet)
{
	unsigned long def = scheme == PW_BCRYPT ? PW_BCRYPT_COST :
	    PW_PBKDF2_ITERATIONS;
	uint64_t v;

	if (arg == NULL) {
		cost = def;
		return;
	}
	if (!sl_parse_u64(arg, &v) || (scheme == PW_BCRYPT &&
	    (v < PW_BCRYPT_MIN || v > PW_BCRYPT_MAX)) ||
	    (scheme == PW_PBKDF2_SHA256 && (v < 1 || v > UINT32_MAX)))
		usage_error(usage_text, "--cost: \"%s\" is not %s", arg,
		    scheme == PW_BCRYPT ? "a bcrypt cost from 4 to 31" :
		    "a number of iterations from 1 to 4294967295");
	cost = (unsigned long)v;
	if (cost < def && !quiet)
		sl_err("warning: --cost %lu is below the default %lu: fine "
		    "for tests, weak for real users", cost, def);
}

static void
summary(double secs)
{
	fprintf(stderr, "%s: %" PRIu64 " password%s generated (%s, %s %lu, "
	    "%u thread%s), %" PRIu64 " hash%s kept; %.1f hashes/s\n",
	    sl_progname, nhashed, nhashed == 1 ? "" : "s",
	    scheme == PW_BCRYPT ? "bcrypt" : "pbkdf2_sha256",
	    scheme == PW_BCRYPT ? "cost" : "iterations", cost, jobs,
	    jobs == 1 ? "" : "s", nkept, nkept == 1 ? "" : "es",
	    secs > 0 ? (double)nhashed / secs : 0.0);
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Fill a column with the hashes of freshly generated passwords.\n"
	    "\n"
	    "  -c, --column COL        the column the hashes go in (added as\n"
	    "                          text at the end if the stream lacks it)\n"
	    "      --scheme S          bcrypt ($2b$, the default) or\n"
	    "                          pbkdf2-sha256 (Django's pbkdf2_sha256$)\n"
	    "      --cost N            bcrypt's cost (default 12) or PBKDF2's\n"
	    "                          iterations (default 1000000, Django 5.2)\n"
	    "      --missing           only rows where COL is NULL; other\n"
	    "                          hashes are kept as they are\n"
	    "      --credentials FILE  a new file (0600) of KEY, password rows;\n"
	    "                          without it the passwords are not kept\n"
	    "      --key COL           the column that says whose password it\n"
	    "                          is (default: the stream's key)\n"
	    "  -j, --jobs N            threads hashing (default: the CPUs)\n"
	    "  -o, --output FILE       write the stream to FILE (default stdout),\n"
	    "                          in place only when it is whole; mode 0600\n"
	    "  -r, --rejects FILE      rejected rows (a NULL key), with the reason\n", stdout);
	sl_common_help(26);
	fputs("\n"
	    "Exit status: 0 ok, 1 rows rejected with no --rejects file,\n"
	    "2 usage (an unknown column, an existing credentials file),\n"
	    "3 bad input stream, 5 I/O error.\n", stdout);
}

int
main(int argc, char *argv[])
{
	enum { OPT_COST = 256, OPT_CREDENTIALS, OPT_KEY, OPT_MISSING,
	    OPT_SCHEME };
	static const struct option opts[] = {
		{ "column", required_argument, NULL, 'c' },
		{ "cost", required_argument, NULL, OPT_COST },
		{ "credentials", required_argument, NULL, OPT_CREDENTIALS },
		{ "jobs", required_argument, NULL, 'j' },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "missing", no_argument, NULL, OPT_MISSING },
		{ "scheme", required_argument, NULL, OPT_SCHEME },
		SL_FILTER_LONG,
		SL_COMMON_LONG
	};
	static const struct sl_filter filter = { plan, do_row, NULL, flush,
	    finish };
	struct sl_progress quietpg = { 0 };
	const char *costarg = NULL;
	struct sl_common co = { 0 };
	uint64_t v;
	int c, status;

	sl_setprogname(argv[0]);
	jobs = default_jobs();
	while ((c = getopt_long(argc, argv, "c:hj:qo:r:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			column = optarg;
			break;
		case OPT_COST:
			costarg = optarg;
			break;
		case OPT_CREDENTIALS:
			credpath = optarg;
			break;
		case 'j':
			if (!sl_parse_u64(optarg, &v) || v < 1 || v > MAXJOBS)
				usage_error(usage_text, "-j: \"%s\" is not a "
				    "number of threads from 1 to %d", optarg,
				    MAXJOBS);
			jobs = (unsigned)v;
			break;
		case OPT_KEY:
			keycol = optarg;
			break;
		case OPT_MISSING:
			missing = true;
			break;
		case OPT_SCHEME:
			set_scheme(optarg);
			break;
		default:
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	sl_no_operands(argc, argv, usage_text);
	if (column == NULL || column[0] == '\0')
		usage_error(usage_text, "-c COL names the column for the "
		    "hashes");
	if (keycol != NULL && credpath == NULL)
		usage_error(usage_text, "--key without --credentials: the "
		    "passwords are not kept, so nothing needs a key");
	check_cost(costarg, co.quiet);
	atexit(cleanup);
	if (!sl_ledger_open(&ledger, co.rejects, co.output))
		return EXIT_IO;
	if (credpath != NULL)
		open_credentials();
	if ((pool = sl_pool_new(jobs, pw_scratch_size(), hash_one)) == NULL)
		return EXIT_IO;
	sl_progress_start(&pg, co.progress);
	status = sl_ledger_run(&ledger, &filter, &quietpg, true);
	sl_progress_end(&pg);
	sl_pool_free(pool);
	pool = NULL;
	if (!co.quiet) {
		sl_ledger_summary(&ledger);
		summary(sl_progress_elapsed(&pg));
	}
	if (status == EXIT_OK && !sl_ledger_close(&ledger, true))
		status = EXIT_IO;
	/*
	 * In place, and then the end mark did not get out (or the -o file
	 * holding it did not get into place): nothing will take these
	 * hashes, so their passwords are no one's.
	 */
	if (status != EXIT_OK && committed)
		sl_ofile_unlink(credpath);
	return status;
}
