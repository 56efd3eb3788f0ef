// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "guestwl/log.h"

static enum gwl_log_level threshold = GWL_INFO;

void gwl_log_init(void)
{
	const char *env = getenv("GUESTWL_DEBUG");
	if (env && *env && *env != '0')
		threshold = GWL_DEBUG;
}

void gwl_log(enum gwl_log_level level, const char *fmt, ...)
{
	if (level > threshold)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs(level == GWL_ERROR ? "guestwl: error: " : "guestwl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
