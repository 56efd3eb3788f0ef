/* SPDX-License-Identifier: MIT */
/* Minimal check macros for the unit tests. */
#ifndef GUESTWL_UNIT_H
#define GUESTWL_UNIT_H

#include <stdio.h>

static int unit_failures;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			unit_failures++; \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
		} \
	} while (0)

static inline int unit_result(const char *name)
{
	printf("%s: %s\n", name, unit_failures ? "FAIL" : "PASS");
	return unit_failures ? 1 : 0;
}

#endif
