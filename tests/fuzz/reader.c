/*
 * A libFuzzer target for the row stream reader: any bytes, read in
 * chunks of a size the input chooses, must end in RS_EOF or RS_ERROR
 * without a crash, a leak or an out-of-bounds access. Built and run by
 * tests/fuzz/run.
 */
#include <stddef.h>
#include <stdint.h>

#include "exitcodes.h"
#include "rowstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_reader *r;
	enum rs_event ev;
	size_t chunk = 0;

	sl_err_quiet(true);
	if (size > 0) {
		chunk = data[0] % 16;	/* 0: all at once */
		data++;
		size--;
	}
	r = rs_memopen(data, size, "fuzz", chunk);
	rs_set_limit(r, 1 << 20);
	while ((ev = rs_next(r)) > 0)
		;
	if (ev == RS_ERROR && rs_status(r) != EXIT_STREAM &&
	    rs_status(r) != EXIT_IO)
		__builtin_trap();
	rs_close(r);
	return 0;
}
