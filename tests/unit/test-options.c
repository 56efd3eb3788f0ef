// SPDX-License-Identifier: MIT
/* Command-line parsing of guestwl. */
#include <string.h>
#include <wayland-server-protocol.h>

#include "guestwl/options.h"
#include "unit.h"

static void test_output_spec(void)
{
	struct gwl_output_config c;
	CHECK(!gwl_parse_output_spec("1024x768", &c) && c.width == 1024 && c.height == 768 &&
		c.scale == 1 && c.refresh_mhz == 60000 && c.transform == 0, "plain size");
	CHECK(!gwl_parse_output_spec("800x600@59.94,scale=2,transform=flipped-90", &c) &&
		c.refresh_mhz == 59940 && c.scale == 2 &&
		c.transform == WL_OUTPUT_TRANSFORM_FLIPPED_90, "full spec");
	static const char *const bad[] = {
		"", "x", "100", "100x", "0x100", "100x-5", "100x100@0", "100x100@abc",
		"100x100,scale=0", "100x100,scale=3", "100x100,transform=45",
		"100x100,foo=1", "100x100junk", "99999x100",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(gwl_parse_output_spec(bad[i], &c) != NULL, "accepted '%s'", bad[i]);
}

static int parse(struct gwl_cli_options *o, const char *const *args)
{
	char *argv[16];
	int argc = 0;
	for (; args[argc]; argc++)
		argv[argc] = (char *)args[argc];
	argv[argc] = NULL;
	return gwl_parse_options(argc, argv, o);
}

static void test_command_line(void)
{
	struct gwl_cli_options o;
	const char *const ok[] = { "guestwl", "--backend=headless", "--kiosk", "--test-protocol",
		"--output", "640x480", "--socket", "s1", "--", "app", "-x", NULL };
	CHECK(parse(&o, ok) == -1, "valid command line rejected");
	CHECK(strcmp(o.backend, "headless") == 0 && o.kiosk && o.test_protocol &&
		o.n_outputs == 1 && strcmp(o.socket, "s1") == 0, "fields");
	CHECK(o.app_argv && strcmp(o.app_argv[0], "app") == 0 &&
		strcmp(o.app_argv[1], "-x") == 0 && !o.app_argv[2], "app argv");
	CHECK(!o.show_cursor, "kiosk must hide the cursor by default");
	CHECK(o.repaint_window_ms == GWL_DEFAULT_REPAINT_WINDOW_MS, "repaint window default");
	gwl_free_options(&o);

	const char *const window[] = { "guestwl", "--repaint-window", "0", NULL };
	CHECK(parse(&o, window) == -1 && o.repaint_window_ms == 0, "--repaint-window 0");
	gwl_free_options(&o);

	const char *const help[] = { "guestwl", "--help", NULL };
	CHECK(parse(&o, help) == 0, "--help must exit 0");
	gwl_free_options(&o);
	const char *const *bad[] = {
		(const char *const[]){ "guestwl", "--backend=vnc", NULL },
		(const char *const[]){ "guestwl", "--output", "big", NULL },
		(const char *const[]){ "guestwl", "--nope", NULL },
		(const char *const[]){ "guestwl", "app-without-dashes", NULL },
		(const char *const[]){ "guestwl", "--socket", "a/b", NULL },
		(const char *const[]){ "guestwl", "--repaint-window", "101", NULL },
		(const char *const[]){ "guestwl", "--repaint-window", "-1", NULL },
		(const char *const[]){ "guestwl", "--repaint-window", "7ms", NULL },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(parse(&o, bad[i]) == 2, "bad command line %zu not rejected with 2", i);
		gwl_free_options(&o);
	}
}

int main(void)
{
	test_output_spec();
	test_command_line();
	return unit_result("options");
}
