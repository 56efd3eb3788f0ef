/* SPDX-License-Identifier: MIT */
/*
 * Every client-triggerable protocol error returns the protocol's error code
 * on the right interface, and the compositor keeps serving other clients.
 * Usage: test-protocol-errors [GROUP [CASE]]  (no argument: all groups)
 */
#include <linux/input-event-codes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

/* Name of a global the case needs that the compositor does not offer. */
static const char *missing(const struct err_case *k, struct fx_client *cl)
{
	if (strcmp(k->group, "wl_data") == 0 && !cl->ddm)
		return "wl_data_device_manager";
	if (strcmp(k->group, "wp_viewport") == 0 && !cl->viewporter)
		return "wp_viewporter";
	if (strncmp(k->group, "zxdg_", 5) == 0 && !cl->decoration)
		return "zxdg_decoration_manager_v1";
	if (!cl->seat)
		return "wl_seat";
	if (!cl->test)
		return "guestwl_test";
	return NULL;
}

static bool selected(const struct err_case *k, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], k->group) != 0)
		return false;
	return argc <= 2 || strcmp(argv[2], k->name) == 0;
}

int main(int argc, char **argv)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	int ran = 0;

	for (size_t i = 0; i < n_err_cases; i++) {
		const struct err_case *k = &err_cases[i];
		struct fx_client *cl, *probe;
		int before = fx_failures;

		if (!selected(k, argc, argv))
			continue;
		ran++;
		cl = fx_client_connect(c);
		if (missing(k, cl)) {
			fx_fail_at(__FILE__, __LINE__, "%s/%s: no %s global",
				   k->group, k->name, missing(k, cl));
		} else {
			err_destroyed_id = 0;
			k->provoke(cl);
			fx_expect_protocol_error_ex(cl, k->iface, k->alt_iface,
						    k->code, err_destroyed_id);
		}
		fx_client_destroy(cl);
		FX_REQUIRE(fx_compositor_alive(c),
			   "compositor died after case %s/%s", k->group,
			   k->name);
		/* the next client still works */
		probe = fx_client_connect(c);
		if (err_button_down && probe->test) {
			guestwl_test_pointer_button(probe->test, BTN_LEFT, 0);
			err_button_down = false;
		}
		fx_roundtrip(probe);
		fx_client_destroy(probe);
		printf("%-4s %s/%s (expects %s.%u)\n",
		       fx_failures == before ? "ok" : "FAIL", k->group,
		       k->name, k->iface, k->code);
	}
	if (ran == 0) {
		fprintf(stderr, "no case matches the arguments\n");
		fx_failures++;
	}
	return fx_finish(c);
}
