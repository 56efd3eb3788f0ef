// SPDX-License-Identifier: MIT
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wayland-server-protocol.h>

#include "guestwl/options.h"

#ifndef GUESTWL_VERSION
#define GUESTWL_VERSION "unknown"
#endif

static const char usage[] =
	"Usage: guestwl [OPTIONS] [-- APP [ARGS...]]\n"
	"\n"
	"A Wayland compositor for virtual-machine guests. APP is started with\n"
	"WAYLAND_DISPLAY set; guestwl exits with APP's exit status.\n"
	"\n"
	"  --backend=drm|headless   output backend (default: drm)\n"
	"  --kiosk                  kiosk shell: the app fills the output\n"
	"  --desktop                desktop shell: stacking windows (default)\n"
	"  --test-protocol          offer the private guestwl_test protocol\n"
	"                           (screenshots, input injection; tests only)\n"
	"  --output WxH[@Hz][,scale=N][,transform=T]\n"
	"                           add an output (headless; repeatable).\n"
	"                           T: normal 90 180 270 flipped flipped-90\n"
	"                           flipped-180 flipped-270\n"
	"  --socket NAME            socket name (default: first free wayland-N)\n"
	"  --xdg-shell-version N    advertise xdg_wm_base version N (1-5, default 5)\n"
	"  --restart-app            restart APP when it exits (with back-off)\n"
	"  --show-cursor            draw the cursor in kiosk mode and headless\n"
	"  --mode WxH[@Hz]          DRM: mode of the outputs (default: preferred)\n"
	"  --drm-device PATH        DRM: card to use (default: boot VGA via udev)\n"
	"  --repaint-window MS      render MS ms before the next refresh, so the\n"
	"                           frame has the newest content (0-100; 0:\n"
	"                           render as soon as damage arrives; default 7)\n"
	"  --notify-fd N            write \"ready\" to fd N once listening and\n"
	"                           \"presented <app_id|pid>\" when a window is shown\n"
	"  --help                   show this help\n"
	"  --version                show the version\n";

static const char *const transforms[] = {
	"normal", "90", "180", "270", "flipped", "flipped-90", "flipped-180", "flipped-270",
};

static bool parse_int(const char *s, char **end, long min, long max, int32_t *out)
{
	errno = 0;
	long v = strtol(s, end, 10);
	if (errno || *end == s || v < min || v > max)
		return false;
	*out = (int32_t)v;
	return true;
}

static const char *parse_option_kv(const char *kv, size_t len, struct gwl_output_config *out)
{
	char buf[32];
	if (len >= sizeof(buf))
		return "output option too long";
	memcpy(buf, kv, len);
	buf[len] = '\0';
	char *end;
	if (strncmp(buf, "scale=", 6) == 0) {
		if (!parse_int(buf + 6, &end, 1, 8, &out->scale) || *end)
			return "scale must be an integer from 1 to 8";
		return NULL;
	}
	if (strncmp(buf, "transform=", 10) == 0) {
		for (int i = 0; i < 8; i++) {
			if (strcmp(buf + 10, transforms[i]) == 0) {
				out->transform = i;
				return NULL;
			}
		}
		return "unknown transform";
	}
	return "unknown output option (scale=, transform=)";
}

const char *gwl_parse_output_spec(const char *spec, struct gwl_output_config *out)
{
	*out = (struct gwl_output_config){ .scale = 1, .refresh_mhz = 60000 };
	char *end;
	if (!parse_int(spec, &end, 1, 16384, &out->width) || *end != 'x')
		return "expected WIDTHxHEIGHT";
	if (!parse_int(end + 1, &end, 1, 16384, &out->height))
		return "expected WIDTHxHEIGHT";
	if (*end == '@') {
		char *hz_end;
		errno = 0;
		double hz = strtod(end + 1, &hz_end);
		if (errno || hz_end == end + 1 || hz < 1 || hz > 1000)
			return "refresh rate must be 1 to 1000 Hz";
		out->refresh_mhz = (int32_t)(hz * 1000 + 0.5);
		end = hz_end;
	}
	while (*end == ',') {
		const char *kv = end + 1;
		size_t len = strcspn(kv, ",");
		const char *err = parse_option_kv(kv, len, out);
		if (err)
			return err;
		end = (char *)kv + len;
	}
	if (*end)
		return "trailing characters";
	if (out->width % out->scale || out->height % out->scale)
		return "size must be a multiple of the scale";
	return NULL;
}

enum {
	OPT_BACKEND = 256,
	OPT_KIOSK,
	OPT_DESKTOP,
	OPT_TEST,
	OPT_OUTPUT,
	OPT_SOCKET,
	OPT_RESTART,
	OPT_CURSOR,
	OPT_MODE,
	OPT_DRM_DEVICE,
	OPT_NOTIFY_FD,
	OPT_HELP,
	OPT_VERSION,
	OPT_XDG_VERSION,
	OPT_REPAINT_WINDOW,
};

static const struct option long_options[] = {
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "kiosk", no_argument, NULL, OPT_KIOSK },
	{ "desktop", no_argument, NULL, OPT_DESKTOP },
	{ "test-protocol", no_argument, NULL, OPT_TEST },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "restart-app", no_argument, NULL, OPT_RESTART },
	{ "show-cursor", no_argument, NULL, OPT_CURSOR },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "drm-device", required_argument, NULL, OPT_DRM_DEVICE },
	{ "notify-fd", required_argument, NULL, OPT_NOTIFY_FD },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "xdg-shell-version", required_argument, NULL, OPT_XDG_VERSION },
	{ "repaint-window", required_argument, NULL, OPT_REPAINT_WINDOW },
	{ 0 },
};

static int bad(const char *what, const char *arg, const char *detail)
{
	fprintf(stderr, "guestwl: %s%s%s\nTry 'guestwl --help'.\n", what, arg, detail);
	return 2;
}

/* Options of the DRM backend and the service integration. */
static int handle_drm_option(int c, struct gwl_cli_options *opts)
{
	const char *err;
	char *end;
	switch (c) {
	case OPT_MODE:
		err = strchr(optarg, ',') ? "only WxH[@Hz]"
			: gwl_parse_output_spec(optarg, &opts->mode);
		if (err) {
			fprintf(stderr, "guestwl: bad --mode %s: %s\n", optarg, err);
			return 2;
		}
		if (!strchr(optarg, '@'))
			opts->mode.refresh_mhz = 0;
		return -1;
	case OPT_DRM_DEVICE:
		opts->drm_device = optarg;
		return -1;
	case OPT_NOTIFY_FD:
		if (!parse_int(optarg, &end, 0, 1 << 20, &opts->notify_fd) || *end)
			return bad("bad --notify-fd ", optarg, " (a file descriptor number)");
		return -1;
	case OPT_XDG_VERSION:
		if (!parse_int(optarg, &end, 1, 5, &opts->xdg_shell_version) || *end)
			return bad("bad --xdg-shell-version ", optarg, " (1 to 5)");
		return -1;
	case OPT_REPAINT_WINDOW:
		if (!parse_int(optarg, &end, 0, 100, &opts->repaint_window_ms) || *end)
			return bad("bad --repaint-window ", optarg, " (0 to 100 ms)");
		return -1;
	default:
		fprintf(stderr, "Try 'guestwl --help'.\n");
		return 2;
	}
}

static int handle_option(int c, struct gwl_cli_options *opts)
{
	const char *err;
	switch (c) {
	case OPT_BACKEND:
		if (strcmp(optarg, "drm") && strcmp(optarg, "headless"))
			return bad("unknown backend ", optarg, " (drm or headless)");
		opts->backend = optarg;
		return -1;
	case OPT_KIOSK:
	case OPT_DESKTOP:
		opts->kiosk = c == OPT_KIOSK;
		return -1;
	case OPT_TEST:
		opts->test_protocol = true;
		return -1;
	case OPT_OUTPUT:
		if (opts->n_outputs == GWL_MAX_OUTPUTS)
			return bad("too many outputs", "", "");
		err = gwl_parse_output_spec(optarg, &opts->outputs[opts->n_outputs]);
		if (err) {
			fprintf(stderr, "guestwl: bad --output %s: %s\n", optarg, err);
			return 2;
		}
		opts->n_outputs++;
		return -1;
	case OPT_SOCKET:
		if (!*optarg || strchr(optarg, '/'))
			return bad("bad socket name: ", optarg, "");
		opts->socket = optarg;
		return -1;
	case OPT_RESTART:
		opts->restart_app = true;
		return -1;
	case OPT_CURSOR:
		opts->show_cursor = true;
		return -1;
	case OPT_HELP:
		fputs(usage, stdout);
		return 0;
	case OPT_VERSION:
		printf("guestwl %s\n", GUESTWL_VERSION);
		return 0;
	default:
		return handle_drm_option(c, opts);
	}
}

int gwl_parse_options(int argc, char *argv[], struct gwl_cli_options *opts)
{
	*opts = (struct gwl_cli_options){ .backend = "drm", .notify_fd = -1,
		.repaint_window_ms = GWL_DEFAULT_REPAINT_WINDOW_MS };
	optind = 1;
	opterr = 1;
	int c;
	while ((c = getopt_long(argc, argv, "+", long_options, NULL)) != -1) {
		int rc = handle_option(c, opts);
		if (rc >= 0)
			return rc;
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--") != 0)
			return bad("unexpected argument ", argv[optind],
				" (put the app after --)");
		int n = argc - optind;
		opts->app_argv = calloc(n + 1, sizeof(char *));
		if (!opts->app_argv)
			return 1;
		memcpy(opts->app_argv, argv + optind, n * sizeof(char *));
	}
	/* The cursor is drawn on a real desktop; kiosk and headless need the flag. */
	if (!opts->kiosk && strcmp(opts->backend, "drm") == 0)
		opts->show_cursor = true;
	return -1;
}

void gwl_free_options(struct gwl_cli_options *opts)
{
	free(opts->app_argv);
	opts->app_argv = NULL;
}
