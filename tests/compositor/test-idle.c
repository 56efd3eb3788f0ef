/* SPDX-License-Identifier: MIT */
/*
 * An idle compositor does nothing: once every repaint is presented and no
 * client commits, no timer keeps waking it (voluntary context switches
 * stay flat) and it uses no CPU. A client animating with frame callbacks
 * wakes it once per frame, not more (paced by the output, not a free
 * running loop).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"

struct usage {
	long switches;
	double cpu_s;
};

static struct usage read_usage(pid_t pid)
{
	struct usage u = { -1, -1 };
	char path[64], line[256], buf[2048], *p;
	unsigned long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	FX_REQUIRE(f != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "voluntary_ctxt_switches:", 24) == 0)
			u.switches = atol(line + 24);
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	FX_REQUIRE(f != NULL, "cannot open %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			"%lu %lu", &ut, &st) == 2)
		u.cpu_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	return u;
}

/* Let the compositor run for ms while this client dispatches events. */
static void observe(struct fx_client *cl, int ms)
{
	struct timespec t0, t;
	long left = ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (left > 0) {
		if (fx_dispatch_timeout(cl, (int)left) < 0)
			FX_DIE("connection lost");
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - ((t.tv_sec - t0.tv_sec) * 1000 +
			     (t.tv_nsec - t0.tv_nsec) / 1000000);
	}
}

static int frames;
static struct fx_window *anim;

static void redraw(void);

static void frame_done(void *data, struct wl_callback *cb, uint32_t t)
{
	wl_callback_destroy(cb);
	frames++;
	redraw();
}

static const struct wl_callback_listener frame_listener = { frame_done };

static void redraw(void)
{
	struct wl_callback *cb = wl_surface_frame(anim->surface);

	wl_callback_add_listener(cb, &frame_listener, NULL);
	fx_buffer_fill_rect(anim->buffer, 0, 0, 20, 20,
			    0xff000000u | (uint32_t)frames * 0x010203u);
	wl_surface_attach(anim->surface, anim->buffer->wl_buffer, 0, 0);
	wl_surface_damage_buffer(anim->surface, 0, 0, 20, 20);
	wl_surface_commit(anim->surface);
}

int main(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *w = fx_window_create(cl, 200, 200, 0xff406080);
	struct usage a, b;

	fx_window_move(w, 50, 50);
	fx_wait_idle(cl);
	fx_roundtrip(cl);
	a = read_usage(c->pid);
	observe(cl, 1500);
	b = read_usage(c->pid);
	printf("idle 1.5 s: %ld wakeups, %.0f ms CPU\n", b.switches - a.switches,
	       (b.cpu_s - a.cpu_s) * 1000);
	FX_CHECK(b.switches - a.switches <= 3,
		 "idle compositor woke up %ld times in 1.5 s (a timer keeps "
		 "running?)", b.switches - a.switches);
	FX_CHECK(b.cpu_s - a.cpu_s <= 0.02, "idle compositor used %.0f ms CPU",
		 (b.cpu_s - a.cpu_s) * 1000);

	anim = fx_window_create(cl, 100, 100, 0xff000000);
	fx_window_move(anim, 300, 50);
	redraw();
	observe(cl, 300);  /* steady state */
	a = read_usage(c->pid);
	frames = 0;
	observe(cl, 1000);
	b = read_usage(c->pid);
	printf("animating 1 s: %d frames, %ld wakeups\n", frames,
	       b.switches - a.switches);
	FX_CHECK(frames >= 20 && frames <= 75,
		 "%d frame callbacks in 1 s (output refresh is 60 Hz)", frames);
	FX_CHECK(b.switches - a.switches <= 4L * (frames + 2),
		 "%ld wakeups for %d frames", b.switches - a.switches, frames);
	fx_window_destroy(w);
	fx_client_destroy(cl);
	return fx_finish(c);
}
