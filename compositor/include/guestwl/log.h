/* SPDX-License-Identifier: MIT */
#ifndef GUESTWL_LOG_H
#define GUESTWL_LOG_H

enum gwl_log_level {
	GWL_ERROR = 0,
	GWL_INFO = 1,
	GWL_DEBUG = 2,
};

/* Log threshold from GUESTWL_DEBUG (unset: errors and info only). */
void gwl_log_init(void);
void gwl_log(enum gwl_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
