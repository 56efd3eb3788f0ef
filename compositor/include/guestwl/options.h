/* SPDX-License-Identifier: MIT */
/* Command line of the guestwl executable. */
#ifndef GUESTWL_OPTIONS_H
#define GUESTWL_OPTIONS_H

#include <stdbool.h>

#include "guestwl/backend.h"

#define GWL_MAX_OUTPUTS 8
/* weston's default too: at 60-75 Hz, 6-10 ms after the flip event. */
#define GWL_DEFAULT_REPAINT_WINDOW_MS 7

struct gwl_cli_options {
	const char *backend;
	bool kiosk;
	bool test_protocol;
	bool restart_app;
	bool show_cursor;
	const char *socket;
	int xdg_shell_version; /* --xdg-shell-version, 1..5 */
	int repaint_window_ms; /* --repaint-window, 0..100 */
	/* DRM backend (compositor/backend/drm) */
	const char *drm_device; /* --drm-device */
	struct gwl_output_config mode; /* --mode; width 0: preferred */
	int notify_fd; /* --notify-fd, -1: none */
	struct gwl_output_config outputs[GWL_MAX_OUTPUTS];
	int n_outputs;
	char **app_argv; /* NULL-terminated, NULL if no app */
};

/* Returns -1 to run, otherwise the exit status (0 after --help/--version,
 * 2 for bad options, with a message on stderr). */
int gwl_parse_options(int argc, char *argv[], struct gwl_cli_options *opts);
void gwl_free_options(struct gwl_cli_options *opts);
/* "WxH[@Hz][,scale=N][,transform=T]"; returns NULL or an error message. */
const char *gwl_parse_output_spec(const char *spec, struct gwl_output_config *out);

#endif
