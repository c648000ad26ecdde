/*
 * A libFuzzer target for the CSV reader (lib/csvx.c). The first byte
 * chooses the dialect: bit 0 a header line (else three columns a, b, c
 * named by the caller), bit 1 ';' as the delimiter, bit 2 "NULL" as the
 * null string, bit 3 int8 and bool types for two columns (so the value
 * parsers run), bit 4 --trim, bit 5 --escape '\', bit 6 --ragged null
 * and --skip 1, bit 7 a second byte: bits 0-1 --encoding (none, LATIN1,
 * UTF-8, UTF-16), bit 2 --quote "'", bit 3 --ragged reject into a
 * rejects stream (removed after each input). The rest is the file. Any bytes must end in 0, 2 (a
 * name the header line lacks cannot happen here) or 3, without a crash,
 * a leak or an out-of-bounds access, and a 0 must leave a whole segment
 * that the stream reader accepts. Built and run by tests/fuzz/run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include "csvx.h"
#include "exitcodes.h"
#include "rejects.h"
#include "rowstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
typed(struct rs_header *h, void *arg)
{
	(void)arg;
	if (h->ncols >= 2 && (!rs_header_setcol(h, 0, h->cols[0].name,
	    "int8") || !rs_header_setcol(h, 1, h->cols[1].name, "bool")))
		return EXIT_IO;
	return EXIT_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cols[] = { "a", "b", "c" };
	static const char *const encodings[] = { NULL, "LATIN1", "UTF-8",
	    "UTF-16" };
	static char rjpath[64];
	struct csvx_opts o = { 0 };
	struct sl_buf out = { 0 };
	struct rs_writer *w;
	struct rs_reader *r;
	uint8_t flags = size > 0 ? data[0] : 0, more = 0;
	enum rs_event ev;
	char *name;
	int st;

	sl_err_quiet(true);
	if (size > 0) {
		data++;
		size--;
	}
	if ((flags & 128) && size > 0) {
		more = data[0];
		data++;
		size--;
	}
	o.path = "fuzz.csv";
	o.header = flags & 1;
	o.delim = flags & 2 ? ';' : ',';
	o.nullstr = flags & 4 ? "NULL" : NULL;
	if (!o.header) {
		o.ncols = 3;
		o.cols = cols;
	}
	if (flags & 8)
		o.prepare = typed;
	o.trim = flags & 16;
	o.escape = flags & 32 ? '\\' : 0;
	if (flags & 64) {
		o.ragged = CSVX_RAGGED_NULL;
		o.skip = 1;
	}
	o.encoding = encodings[more & 3];
	o.quote = more & 4 ? '\'' : 0;
	if (more & 8) {
		if (rjpath[0] == '\0')
			snprintf(rjpath, sizeof(rjpath), "/tmp/sluice-fuzz-rj-%ld.rs",
			    (long)getpid());
		o.ragged = CSVX_RAGGED_REJECT;
		if ((o.rejects = sl_rejects_open(rjpath)) == NULL)
			__builtin_trap();
	}
	if ((w = rs_wopen_buf(&out)) == NULL)
		return 0;
	st = csvx_read_mem(&o, (const char *)data, size, w);
	/* EXIT_USAGE: a name the header lacks cannot happen, an encoding
	   iconv lacks neither; the rejects stream is never kept */
	if (o.rejects != NULL && !sl_rejects_close(o.rejects, false))
		__builtin_trap();
	if (st != EXIT_OK && st != EXIT_STREAM && st != EXIT_IO)
		__builtin_trap();
	if (st == EXIT_OK && !rs_wfinish(w))
		__builtin_trap();
	rs_wclose(w);
	if (st == EXIT_OK) {
		/* what the reader wrote must read back whole */
		name = strdup("fuzz");
		r = rs_memopen(out.p, out.len, name, 0);
		while ((ev = rs_next(r)) > 0)
			;
		if (ev != RS_EOF)
			__builtin_trap();
		rs_close(r);
		free(name);
	}
	sl_buf_free(&out);
	return 0;
}
