// SPDX-License-Identifier: MIT
/*
 * The protocols guestwl serves, for wlcs to skip the tests of others. The
 * table is checked against the globals the compositor really advertises:
 * a global missing from the table (or with another version) and a table
 * entry never advertised are reported as "descriptor mismatch", which the
 * runner (run-wlcs.py) turns into a failure.
 */
#include <stdio.h>
#include <string.h>
#include <wayland-server-core.h>

#include "guestwl/server.h"
#include "guestwl-wlcs.h"

static const WlcsExtensionDescriptor extensions[] = {
	{ "wl_compositor", 5 },
	{ "wl_subcompositor", 1 },
	{ "wl_shm", 1 },
	{ "wl_seat", 8 },
	{ "wl_output", 4 },
	{ "wl_data_device_manager", 3 },
	{ "xdg_wm_base", 5 },
	{ "zxdg_output_manager_v1", 3 },
	{ "wp_viewporter", 1 },
	{ "wp_presentation", 1 },
	{ "wp_single_pixel_buffer_manager_v1", 1 },
	{ "zxdg_decoration_manager_v1", 1 },
	{ "zwp_idle_inhibit_manager_v1", 1 },
};

#define N_EXTENSIONS (sizeof(extensions) / sizeof(extensions[0]))

static const WlcsIntegrationDescriptor descriptor = {
	.version = 1,
	.num_extensions = N_EXTENSIONS,
	.supported_extensions = extensions,
};

const WlcsIntegrationDescriptor *gwl_wlcs_get_descriptor(const WlcsDisplayServer *server)
{
	return &descriptor;
}

/* Runs on the compositor thread whenever a global is shown to a client. */
static bool check_global(const struct wl_client *client, const struct wl_global *global,
	void *data)
{
	struct gwl_wlcs *w = data;
	const char *name = wl_global_get_interface(global)->name;
	uint32_t version = wl_global_get_version(global);
	for (size_t i = 0; i < N_EXTENSIONS; i++) {
		if (strcmp(extensions[i].name, name) != 0)
			continue;
		if (extensions[i].version == version) {
			w->globals_seen |= 1u << i;
			return true;
		}
		break;
	}
	if (!w->mismatch)
		fprintf(stderr, "guestwl-wlcs: descriptor mismatch: global %s version %u "
			"is not in the descriptor\n", name, version);
	w->mismatch = true;
	return true;
}

void gwl_wlcs_watch_globals(struct gwl_wlcs *w)
{
	_Static_assert(N_EXTENSIONS <= 32, "globals_seen has 32 bits");
	wl_display_set_global_filter(w->server->display, check_global, w);
}

void gwl_wlcs_check_descriptor(struct gwl_wlcs *w)
{
	/* Only meaningful when a client listed the globals. */
	if (w->globals_seen == 0)
		return;
	for (size_t i = 0; i < N_EXTENSIONS; i++) {
		if (!(w->globals_seen & (1u << i)))
			fprintf(stderr, "guestwl-wlcs: descriptor mismatch: %s version %u "
				"was never advertised\n", extensions[i].name,
				extensions[i].version);
	}
}
