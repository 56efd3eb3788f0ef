// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "guestwl/log.h"

static enum gwl_log_level threshold = GWL_INFO;
static struct timespec started;

void gwl_log_init(void)
{
	const char *env = getenv("GUESTWL_DEBUG");
	if (env && *env && *env != '0')
		threshold = GWL_DEBUG;
	clock_gettime(CLOCK_MONOTONIC, &started);
}

/* With GUESTWL_DEBUG every line carries the seconds since start-up. */
static void print_elapsed(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long us = (now.tv_sec - started.tv_sec) * 1000000LL +
		(now.tv_nsec - started.tv_nsec) / 1000;
	fprintf(stderr, "[%4lld.%06lld] ", us / 1000000, us % 1000000);
}

void gwl_log(enum gwl_log_level level, const char *fmt, ...)
{
	if (level > threshold)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("guestwl: ", stderr);
	if (threshold == GWL_DEBUG)
		print_elapsed();
	if (level == GWL_ERROR)
		fputs("error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
