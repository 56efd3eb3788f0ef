/* SPDX-License-Identifier: MIT */
/*
 * The repaint window (--repaint-window MS): after a presentation the
 * compositor renders MS ms before the next refresh, so every commit made
 * before that moment goes into the same frame. Shown with two commits
 * right after a frame callback, each with presentation feedback, on a
 * 10 Hz headless output (a 100 ms frame leaves any scheduler room):
 *   - window 50 ms: both commits land in the next frame; the first one's
 *     feedback is discarded (replaced before it was shown) and the second
 *     is presented one refresh after the frame callback;
 *   - window 50 ms, the commits made after the window opened: rendered at
 *     once, the second commit one refresh later;
 *   - window 0: rendered as soon as the damage arrives, so the two commits
 *     are presented in two consecutive refreshes;
 *   - window 50, the first frame sent the window a frame callback: its
 *     commit is what the frame waited for, so it is drawn at once;
 *   - window 50, two windows sent frame callbacks: the first one's commit
 *     waits for the second's, and both are in the next refresh.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

#define PERIOD_MS 100

/* Attach b and commit it with presentation feedback into fb. */
static void commit_buffer(struct fx_client *cl, struct fx_window *win,
			  struct fx_buffer *b, struct fx_present *fb)
{
	fx_present_track(cl, win->surface, fb);
	wl_surface_attach(win->surface, b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(win->surface, 0, 0, win->width, win->height);
	wl_surface_commit(win->surface);
}

static void wait_done(struct fx_client *cl, struct fx_present *fb)
{
	fx_dispatch_until(cl, &fb->done);
}

static void frame_done(void *data, struct wl_callback *cb, uint32_t msec)
{
	wl_callback_destroy(cb);
}

static const struct wl_callback_listener frame_listener = { frame_done };

struct scenario {
	int window_ms; /* --repaint-window */
	int wait_ms; /* after the first frame, before commit A */
	int windows; /* 1: A and B on one window; 2: A on the first, B on the second */
	bool frame_cb; /* the first frame sends every window a frame callback */
};

/*
 * One scenario: a presented frame (sequence s0), wait_ms later commit A,
 * a roundtrip (A is handled on its own, not batched with B), commit B.
 */
static void run(const struct scenario *sc, struct fx_present *a, struct fx_present *b,
		uint64_t *s0)
{
	char window[16];
	const char *args[] = { "--repaint-window", window, NULL };

	snprintf(window, sizeof(window), "%d", sc->window_ms);
	struct fx_compositor_options o = {
		.width = 640, .height = 480, .output_spec = "640x480@10",
		.extra_args = args,
	};
	struct fx_compositor *c = fx_compositor_start(&o);
	struct fx_client *cl = fx_client_connect(c);

	FX_REQUIRE(cl->presentation, "no wp_presentation");
	struct fx_window *win[2];
	struct fx_buffer *first[2], *ba, *bb;
	struct fx_present f0, unused;

	for (int i = 0; i < sc->windows; i++) {
		win[i] = fx_window_create(cl, 96, 96, 0xff404040);
		fx_window_move(win[i], 50 + 150 * i, 50);
		first[i] = fx_buffer_create(cl, 96, 96, WL_SHM_FORMAT_XRGB8888);
		fx_buffer_fill(first[i], 0xff0000ff);
	}
	ba = fx_buffer_create(cl, 96, 96, WL_SHM_FORMAT_XRGB8888);
	bb = fx_buffer_create(cl, 96, 96, WL_SHM_FORMAT_XRGB8888);
	fx_buffer_fill(ba, 0xffff0000);
	fx_buffer_fill(bb, 0xff00ff00);
	for (int i = 0; i < sc->windows; i++) {
		if (sc->frame_cb)
			wl_callback_add_listener(wl_surface_frame(win[i]->surface),
						 &frame_listener, NULL);
		commit_buffer(cl, win[i], first[i], i == 0 ? &f0 : &unused);
	}
	wait_done(cl, &f0);
	FX_REQUIRE(f0.presented, "the first frame was not presented");
	/* The time that must pass is the condition here: no event for it. */
	int64_t until = f0.ns + (int64_t)sc->wait_ms * 1000000;
	while (fx_now_ns() < until)
		fx_dispatch_timeout(cl, (int)((until - fx_now_ns()) / 1000000) + 1);
	commit_buffer(cl, win[0], ba, a);
	fx_roundtrip(cl);
	commit_buffer(cl, win[sc->windows - 1], bb, b);
	wait_done(cl, a);
	wait_done(cl, b);
	*s0 = f0.seq;

	struct fx_image *img = fx_screenshot(cl);

	fx_expect_rect_color(img, 50 + 150 * (sc->windows - 1), 50, 96, 96, 0xff00ff00, 2,
			     "the last commit is not on screen");
	fx_image_destroy(img);
	for (int i = 0; i < sc->windows; i++) {
		fx_buffer_destroy(first[i]);
		fx_window_destroy(win[i]);
	}
	fx_buffer_destroy(ba);
	fx_buffer_destroy(bb);
	fx_client_destroy(cl);
	FX_CHECK(fx_compositor_stop(c), "compositor (--repaint-window %d) did not exit cleanly",
		 sc->window_ms);
	free(c);
}

static const char *fate(const struct fx_present *f)
{
	return f->presented ? "presented" : f->discarded ? "discarded" : "lost";
}

/* Expect A and B presented at refreshes s0 + da and s0 + db (0: discarded). */
static void expect(const char *what, const struct scenario *sc, int da, int db)
{
	struct fx_present a, b;
	uint64_t s0;

	run(sc, &a, &b, &s0);
	if (da == 0)
		FX_CHECK(a.discarded, "%s: A %s, not discarded (replaced in the same frame)",
			 what, fate(&a));
	else
		FX_CHECK(a.presented && a.seq == s0 + (uint64_t)da,
			 "%s: A %s at refresh %+lld, expected %+d", what, fate(&a),
			 (long long)(a.seq - s0), da);
	FX_CHECK(b.presented && b.seq == s0 + (uint64_t)db,
		 "%s: B %s at refresh %+lld, expected %+d", what, fate(&b),
		 (long long)(b.seq - s0), db);
}

int main(void)
{
	/* In the window: one frame for both commits, the next refresh. */
	expect("window 50", &(struct scenario){ 50, 0, 1, false }, 0, 1);
	/* Committed after the window opened: drawn at once, B one refresh later. */
	expect("window 50, late commits", &(struct scenario){ 50, 60, 1, false }, 1, 2);
	/* No window: A is drawn as soon as it arrives, B in the next frame. */
	expect("window 0", &(struct scenario){ 0, 0, 1, false }, 1, 2);
	/* The only surface sent a frame callback answered: no need to wait. */
	expect("window 50, frame callback answered", &(struct scenario){ 50, 0, 1, true },
	       1, 2);
	/* Two surfaces sent frame callbacks: the first answer waits for the second. */
	expect("window 50, two frame callbacks", &(struct scenario){ 50, 0, 2, true }, 1, 1);
	return fx_finish(NULL);
}
