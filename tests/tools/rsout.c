/*
 * rsout: the ending of a generated stream, shared by the test tools and
 * the benchmark generators (see rsout.h).
 */
#include "exitcodes.h"
#include "rsout.h"

int
rsout_done(struct rs_writer *w, struct rs_header *h)
{
	/* a failed rs_end leaves the writer failed: rs_wfinish says so */
	rs_end(w);
	rs_header_free(h);
	if (!rs_wfinish(w)) {
		rs_wclose(w);
		return EXIT_IO;
	}
	return rs_wclose(w) ? EXIT_OK : EXIT_IO;
}
