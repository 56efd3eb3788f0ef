/* SPDX-License-Identifier: MIT */
/*
 * A real Wayland client maps a window whose pixels appear on the output.
 * Usage: test-real-clients APP   (APP: a key of the table below)
 *
 * An external process gives no event when its window is on screen, so the
 * test re-checks after every repaint barrier (guestwl_test.wait_idle) and
 * otherwise waits for compositor events in 100 ms slices, with a deadline.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "fixture.h"

struct app {
	const char *name;
	char *argv[16];
	long min_changed;         /* pixels differing from the background */
	uint32_t known_color;     /* 0: none; else 0xffRRGGBB */
	long min_known;           /* pixels of known_color required */
	const char *reference;    /* deterministic content: reference PNG */
	const char *const *compositor_args; /* extra guestwl options */
};

static const struct app apps[] = {
	{ "weston-simple-shm", { "weston-simple-shm", NULL }, 20000, 0, 0, NULL, NULL },
	/* weston-flower draws a random flower each run: one CI run saw only
	 * 4929 changed pixels (a window that is not shown changes none) */
	{ "weston-flower", { "weston-flower", NULL }, 2500, 0, 0, NULL, NULL },
	{ "weston-subsurfaces", { "weston-subsurfaces", NULL }, 20000, 0, 0, NULL, NULL },
	/* weston 10's presentation-shm binds xdg_wm_base at the advertised
	 * version but has no handlers for the v4/v5 events (docs/compositor.md) */
	{ "weston-presentation-shm",
	  { "weston-presentation-shm", NULL }, 20000, 0, 0, NULL,
	  (const char *const[]){ "--xdg-shell-version=3", NULL } },
	{ "weston-terminal", { "weston-terminal", NULL }, 20000, 0, 0, NULL, NULL },
	/* foot with a fixed background colour we can look for */
	{ "foot", { "foot", "--config=/dev/null",
		    "--override=colors.background=336699",
		    "--override=colors.foreground=ffffff",
		    "sh", "-c", "echo guestwl-test; exec sleep 600", NULL },
	  20000, 0xff336699, 20000, "client-foot", NULL },
	/* Adwaita: the demo's sidebar and info page are white */
	{ "gtk3-demo", { "gtk3-demo", NULL }, 20000, 0xffffffff, 100000,
	  NULL, NULL },
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static bool app_exited(pid_t pid, int *status)
{
	return waitpid(pid, status, WNOHANG) == pid;
}

static bool shows_window(const struct app *a, const struct fx_image *bg,
			 const struct fx_image *img, long *changed,
			 long *known)
{
	*changed = fx_image_compare(img, bg, 8, NULL);
	*known = a->known_color ?
		fx_image_count_color(img, 0, 0, img->width, img->height,
				     a->known_color, 3) : 0;
	return *changed >= a->min_changed && *known >= a->min_known;
}

/* Wait until two screenshots 300 ms apart are identical (the client has
 * finished drawing its deterministic content), then compare. */
static void check_reference(struct fx_client *cl, const struct app *a,
			    struct fx_image **img)
{
	for (int i = 0; i < 50; i++) {
		struct fx_image *next;
		long n;

		for (int j = 0; j < 3; j++)
			if (fx_dispatch_timeout(cl, 100) < 0)
				FX_DIE("lost the compositor connection");
		next = fx_screenshot(cl);
		n = fx_image_compare(*img, next, 0, NULL);
		fx_image_destroy(*img);
		*img = next;
		if (n == 0)
			break;
	}
	fx_expect_reference(*img, a->reference, 8);
}

static void run(const struct app *a)
{
	struct fx_compositor_options o = { .width = 1024, .height = 768,
					   .extra_args = a->compositor_args };
	struct fx_compositor *c = fx_compositor_start(&o);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_image *bg, *img = NULL;
	pid_t pid;
	long deadline = now_ms() + 30000, changed = 0, known = 0;
	int status;
	bool ok = false;

	fx_park_pointer(cl);
	bg = fx_screenshot(cl);
	pid = fx_spawn_client(c, a->name, a->argv);
	fx_image_save(bg, "background");
	while (!ok && now_ms() < deadline) {
		if (app_exited(pid, &status)) {
			FX_CHECK(false, "%s exited early (status 0x%x), see "
				 "%s/%s-*.log", a->name, status, fx_outdir(),
				 a->name);
			pid = 0;
			break;
		}
		fx_image_destroy(img);
		img = fx_screenshot(cl);
		ok = shows_window(a, bg, img, &changed, &known);
		if (!ok && fx_dispatch_timeout(cl, 100) < 0)
			FX_DIE("lost the compositor connection");
	}
	if (ok && a->reference)
		check_reference(cl, a, &img);
	if (img) {
		char name[128];

		snprintf(name, sizeof(name), "client-%s", a->name);
		fx_image_save(img, name);
	}
	FX_CHECK(ok, "%s: window not shown within 30 s: %ld pixels changed "
		 "(need %ld), %ld of colour %06x (need %ld)", a->name, changed,
		 a->min_changed, known, a->known_color & 0xffffff,
		 a->min_known);
	if (pid) {
		FX_CHECK(fx_compositor_alive(c), "compositor died");
		status = fx_kill_client(pid);
		FX_CHECK(!WIFSIGNALED(status) || WTERMSIG(status) == SIGTERM,
			 "%s died of signal %d", a->name, WTERMSIG(status));
	}
	/* the compositor still serves clients after the app went away */
	fx_roundtrip(cl);
	fx_image_destroy(img);
	fx_image_destroy(bg);
	fx_client_destroy(cl);
	exit(fx_finish(c));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s APP\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++)
		if (strcmp(apps[i].name, argv[1]) == 0)
			run(&apps[i]);
	fprintf(stderr, "unknown app %s\n", argv[1]);
	return 2;
}
