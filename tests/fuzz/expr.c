/*
 * A libFuzzer target for cols' expressions (lib/expr.c, exfn.c,
 * datefmt.c). The input is an expression item, then optionally a NUL
 * and a value. Any bytes must parse or fail with a position inside the
 * input; what parses is bound to a header of four columns (a text, b
 * int8, c text, d date) and evaluated on a row whose a and d hold the
 * value (UTF-8 or not) and c is NULL, without a crash, a leak or an
 * out-of-bounds access. Built and run by tests/fuzz/run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "expr.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rs_header *hdr;
static struct ex_fail fail;	/* reused, as cols does */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const cols[4][2] = { { "a", "text" },
	    { "b", "int8" }, { "c", "text" }, { "d", "date" } };
	size_t i;

	(void)argc;
	(void)argv;
	sl_err_quiet(true);
	if ((hdr = rs_header_new("t", 4)) == NULL)
		abort();
	for (i = 0; i < 4; i++)
		if (!rs_header_setcol(hdr, i, cols[i][0], cols[i][1]))
			abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nul;
	struct ex_expr *e;
	struct ex_perr err;
	msgpack_object row[4], v;
	size_t n = size, end;
	int st;

	if ((nul = memchr(s, '\0', size)) != NULL)
		n = (size_t)(nul - s);
	st = ex_parse(s, n, &end, &e, &err);
	if (st == EX_SYNTAX) {
		if (err.pos > n || err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (st != EX_OK)
		abort();	/* out of memory: not with these sizes */
	if (end > n)
		abort();
	if (ex_bind(e, hdr, &err) == EX_OK) {
		row[0].type = row[3].type = MSGPACK_OBJECT_STR;
		row[0].via.str.ptr = row[3].via.str.ptr = nul == NULL ? "" :
		    nul + 1;
		row[0].via.str.size = row[3].via.str.size = nul == NULL ? 0 :
		    (uint32_t)(size - n - 1);
		row[1].type = MSGPACK_OBJECT_POSITIVE_INTEGER;
		row[1].via.u64 = 7;
		row[2].type = MSGPACK_OBJECT_NIL;
		st = ex_eval(e, row, &v, &fail);
		if (st == EX_FAIL && (fail.reason.p == NULL ||
		    strlen(fail.reason.p) != fail.reason.len))
			abort();
		if (st == EX_OK && v.type == MSGPACK_OBJECT_STR &&
		    v.via.str.size > 0)
			(void)((volatile const char *)v.via.str.ptr)
			    [v.via.str.size - 1];
	}
	ex_free(e);
	return 0;
}
