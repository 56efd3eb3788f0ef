/* SPDX-License-Identifier: MIT */
/* Table of client-triggerable protocol errors (see errors-table.c). */
#ifndef GUESTWL_TEST_ERRORS_H
#define GUESTWL_TEST_ERRORS_H

#include "fixture.h"

struct err_case {
	const char *group;   /* meson test argument */
	const char *name;
	void (*provoke)(struct fx_client *cl);
	const char *iface;   /* interface of the object the error is on */
	uint32_t code;
	const char *alt_iface; /* also accepted (see errors-table.c), or NULL */
};

/* Set by cases that leave a pointer button pressed. */
extern bool err_button_down;
/* Set by cases whose error lands on an object they destroyed. */
extern uint32_t err_destroyed_id;

extern const struct err_case err_cases[];
extern const size_t n_err_cases;

#endif
