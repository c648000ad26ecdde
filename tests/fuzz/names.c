/*
 * A libFuzzer target for split-name's name parser (lib/names.c). The
 * first byte chooses the flags, the rest is the name. Any bytes must
 * split without a crash, a leak or an out-of-bounds access, into parts
 * that tile the output buffer. For a name that is valid UTF-8 (what
 * split-name passes it; it rejects the rest) the parts are valid UTF-8
 * too, and, without NM_TITLECASE, the parts' words (cut at the blanks
 * and commas the parts are joined with) are pieces of the input that do
 * not overlap: their bytes come from the name, and no more of them than
 * it has. Built and run by tests/fuzz/run.
 */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "names.h"
#include "value.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* as split-name does: towupper() for letters beyond ASCII */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	return 0;
}

static bool
utf8(const char *p, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i += k)
		if ((k = (unsigned char)p[i] < 0x80 ? 1 :
		    sl_utf8_valid(p + i, n - i)) == 0)
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nm_name nm;	/* reused, as split-name does */
	const char *s, *part, *w;
	size_t n, len, i, j, k, used = 0;
	int flags = 0;
	bool valid;

	if (size > 0) {
		flags = data[0] & 1 ? NM_TITLECASE : 0;
		data++;
		size--;
	}
	s = (const char *)data;
	n = size;
	if (!nm_split(&nm, s, n, flags))
		return 0;	/* out of memory, reported */
	if (nm.off[0] != 0 || nm.off[NM_NPARTS] != nm.buf.len)
		__builtin_trap();
	for (i = 0; i < NM_NPARTS; i++)
		if (nm.off[i] > nm.off[i + 1])
			__builtin_trap();
	valid = utf8(s, n);
	for (i = 0; valid && i < NM_NPARTS; i++) {
		part = nm_part(&nm, (enum nm_part)i, &len);
		if (!utf8(part, len))
			__builtin_trap();
		if (flags & NM_TITLECASE)
			continue;
		for (j = 0; j < len; j = k + 1) {
			for (k = j; k < len && part[k] != ' ' && part[k] != ',';
			    k++)
				;
			if (k == j)
				continue;
			w = memmem(s, n, part + j, k - j);
			if (w == NULL)
				__builtin_trap();	/* a word not in the name */
			used += k - j;
		}
	}
	if (used > n)
		__builtin_trap();	/* more words than the name holds */
	return 0;
}
