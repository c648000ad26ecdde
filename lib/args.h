/*
 * args.h: reading option arguments and spec items, for lib/ as much as
 * for the mains: strict decimal numbers and a lookup in a list of names.
 * None of these reports or exits; the caller says what was wrong, since
 * only it knows which option or item the text came from. prog.h (the
 * mains' header, whose helpers exit) includes this one, so the mains get
 * them from there.
 */
#ifndef SLUICE_ARGS_H
#define SLUICE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The whole of s as a decimal number, nothing before or after it (no
 * blank, no sign for u64, no 0x); false when it is not one or does not
 * fit, and *out is then untouched.
 */
bool sl_parse_u64(const char *s, uint64_t *out);
bool sl_parse_i64(const char *s, int64_t *out);

/* Whether the list of n names has name. */
bool sl_list_has(char *const *items, size_t n, const char *name);

#endif
