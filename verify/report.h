/*
 * report.h: verify's report on stdout, as a table of text or as JSON
 * (docs/verify.1 describes both), from the tables of lib/vcmp.h.
 */
#ifndef VERIFY_REPORT_H
#define VERIFY_REPORT_H

#include "vcmp.h"

/* False (reported) when out of memory; stdout's errors are fshut()'s. */
bool report_text(const struct vcmp *v);
bool report_json(const struct vcmp *v, bool allok);

#endif
