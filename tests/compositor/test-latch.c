/* SPDX-License-Identifier: MIT */
/*
 * Latching (docs/drm-backend.md, "Latching"): on a device that reads a
 * frame's buffers while committing it and never reads what the commit
 * replaced again (guestkms; here the headless emulation,
 * GUESTWL_HEADLESS_LATCH=1), frame callbacks and the releases of replaced
 * buffers go out when the frame is committed, not at its presentation, so
 * a client draws its next frame while the flip waits for the refresh. On a
 * 10 Hz output, for a window scanned out, on the overlay plane and
 * composited:
 *   - the frame callback of the frame committing B arrives before B's
 *     presentation time, with the release of A (which B replaced) before
 *     it, and B itself is not released;
 *   - what the client draws into A once it is released does not show
 *     (the screen goes from A's frame to B's);
 *   - a client answering each callback at once is drawn as soon as the
 *     previous frame is presented, not when the repaint window opens: its
 *     callbacks come right after the presentations;
 *   - without the emulation, callbacks still wait for the presentation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define W 640
#define H 480
#define PERIOD_MS 100
#define WINDOW_MS "10" /* the repaint window: 90 ms after a presentation */
#define RED 0xffd02020
#define GREEN 0xff20c040
#define BLUE 0xff2050c0
#define MAGENTA 0xffff00ff
#define TOL 3

enum mode { SCANOUT, OVERLAY, COMPOSITED };

static const char *const mode_name[] = { "scanout", "overlay", "composited" };

struct frame {
	bool done;
	int64_t done_ns; /* CLOCK_MONOTONIC when the callback arrived */
	struct fx_present p; /* its presentation (CLOCK_MONOTONIC) */
};

struct tracked {
	struct fx_buffer *b;
	int released;
};

static void on_release(void *data, struct wl_buffer *buffer)
{
	((struct tracked *)data)->released++;
}

static const struct wl_buffer_listener release_listener = { on_release };

static void frame_done(void *data, struct wl_callback *cb, uint32_t msec)
{
	struct frame *fr = data;

	fr->done = true;
	fr->done_ns = fx_now_ns();
	wl_callback_destroy(cb);
}

static const struct wl_callback_listener frame_listener = { frame_done };

static struct fx_compositor *start(bool latch)
{
	static const char *const args[] = { "--repaint-window", WINDOW_MS, NULL };
	struct fx_compositor_options o = {
		.width = W, .height = H, .output_spec = "640x480@10",
		.extra_args = args,
	};

	setenv("GUESTWL_HEADLESS_LATCH", latch ? "1" : "0", 1);
	return fx_compositor_start(&o);
}

static struct tracked *buffer(struct fx_client *cl, enum mode m, uint32_t argb)
{
	struct tracked *t = calloc(1, sizeof(*t));

	FX_REQUIRE(t, "out of memory");
	t->b = m == SCANOUT ? fx_buffer_create(cl, W, H, WL_SHM_FORMAT_XRGB8888)
			    : fx_buffer_create(cl, 200, 150, WL_SHM_FORMAT_XRGB8888);
	fx_buffer_fill(t->b, argb);
	wl_buffer_add_listener(t->b->wl_buffer, &release_listener, t);
	return t;
}

/* Attach t with a frame callback and presentation feedback into fr. */
static void commit(struct fx_client *cl, struct fx_window *win, struct tracked *t,
		   struct frame *fr)
{
	*fr = (struct frame){ 0 };
	wl_callback_add_listener(wl_surface_frame(win->surface), &frame_listener, fr);
	fx_present_track(cl, win->surface, &fr->p);
	wl_surface_attach(win->surface, t->b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(win->surface, 0, 0, t->b->width, t->b->height);
	wl_surface_commit(win->surface);
	wl_display_flush(cl->display);
}

/* A window for the mode: covering the output, or small, and for the
 * composited case with a second window over its corner. */
static struct fx_window *window(struct fx_client *cl, enum mode m, struct fx_window **over)
{
	struct fx_window *win = fx_window_create(cl, m == SCANOUT ? W : 200,
						 m == SCANOUT ? H : 150, BLUE);

	fx_window_move(win, m == SCANOUT ? 0 : 100, m == SCANOUT ? 0 : 80);
	*over = NULL;
	if (m == COMPOSITED) {
		*over = fx_window_create(cl, 40, 40, GREEN);
		fx_window_move(*over, 90, 70);
	}
	return win;
}

static void expect_color(struct fx_client *cl, enum mode m, uint32_t argb, const char *what)
{
	struct fx_image *img = fx_screenshot(cl);
	char name[96];

	snprintf(name, sizeof(name), "latch-%s-%s", mode_name[m], what);
	fx_image_save(img, name);
	/* away from the composited case's corner window */
	fx_expect_rect_color(img, m == SCANOUT ? 0 : 140, m == SCANOUT ? 0 : 120,
			     m == SCANOUT ? W : 160, m == SCANOUT ? H : 110, argb, TOL, name);
	fx_image_destroy(img);
}

/* The callback and A's release come at B's commit, before B is presented. */
static void test_latched(enum mode m)
{
	const char *name = mode_name[m];
	struct fx_compositor *c = start(true);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *over, *win = window(cl, m, &over);
	struct tracked *a = buffer(cl, m, RED), *b = buffer(cl, m, GREEN);
	struct frame fa, fb;

	commit(cl, win, a, &fa);
	fx_dispatch_until(cl, &fa.p.presented);
	expect_color(cl, m, RED, "a");
	commit(cl, win, b, &fb);
	fx_dispatch_until(cl, &fb.done);
	FX_CHECK(a->released == 1, "%s: A released %d times when B's callback came", name,
		 a->released);
	FX_CHECK(b->released == 0, "%s: B released at its own commit", name);
	/* A is the client's again: what it draws now must not show. */
	fx_buffer_fill(a->b, MAGENTA);
	fx_dispatch_until(cl, &fb.p.presented);
	FX_CHECK(fb.done_ns < fb.p.ns,
		 "%s: B's frame callback came %.1f ms after its presentation", name,
		 (double)(fb.done_ns - fb.p.ns) / 1e6);
	expect_color(cl, m, GREEN, "b");
	FX_CHECK(b->released == 0, "%s: B released while on screen", name);
	/* A again, redrawn: B's release comes at this commit. */
	fx_buffer_fill(a->b, RED);
	commit(cl, win, a, &fa);
	fx_dispatch_until(cl, &fa.done);
	FX_CHECK(b->released == 1, "%s: B released %d times at the commit replacing it",
		 name, b->released);
	fx_dispatch_until(cl, &fa.p.presented);
	expect_color(cl, m, RED, "a-again");
	fx_window_destroy(over);
	fx_window_destroy(win);
	fx_buffer_destroy(a->b);
	fx_buffer_destroy(b->b);
	free(a);
	free(b);
	fx_client_destroy(cl);
	FX_CHECK(fx_compositor_stop(c), "%s: compositor did not exit cleanly", name);
	free(c);
}

/*
 * A client that redraws at each callback, double-buffered (into the buffer
 * released last), n frames. Checks that each frame's callback came before
 * its presentation when latched and not before it otherwise, and that the
 * frames were presented at consecutive refreshes. Returns the longest time
 * from a presentation to the next frame's callback, in ms.
 */
static double pipeline(bool latch, int n)
{
	const char *name = latch ? "latched" : "not latched";
	struct fx_compositor *c = start(latch);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *over, *win = window(cl, SCANOUT, &over);
	struct tracked *buf[2] = { buffer(cl, SCANOUT, RED), buffer(cl, SCANOUT, GREEN) };
	struct frame fr[2];
	double worst = 0;
	uint64_t last_seq = 0;

	commit(cl, win, buf[0], &fr[0]);
	fx_dispatch_until(cl, &fr[0].done);
	for (int i = 1; i <= n; i++) {
		struct frame *prev = &fr[(i - 1) % 2], *cur = &fr[i % 2];
		struct tracked *t = buf[i % 2];

		FX_REQUIRE(i < 2 || t->released == 1,
			   "%s, frame %d: its buffer was not released by its turn", name, i);
		t->released = 0;
		commit(cl, win, t, cur); /* answering prev's callback at once */
		fx_dispatch_until(cl, &prev->p.presented);
		FX_CHECK(latch ? prev->done_ns < prev->p.ns
			       : prev->done_ns >= prev->p.ns,
			 "%s, frame %d: callback %.1f ms after its presentation", name, i - 1,
			 (double)(prev->done_ns - prev->p.ns) / 1e6);
		FX_CHECK(i < 2 || prev->p.seq == last_seq + 1,
			 "%s, frame %d: presented %lld refreshes after the one before",
			 name, i - 1, (long long)(prev->p.seq - last_seq));
		last_seq = prev->p.seq;
		fx_dispatch_until(cl, &cur->done);
		double ms = (double)(cur->done_ns - prev->p.ns) / 1e6;
		if (i >= 2 && ms > worst)
			worst = ms;
	}
	fx_window_destroy(win);
	fx_buffer_destroy(buf[0]->b);
	fx_buffer_destroy(buf[1]->b);
	free(buf[0]);
	free(buf[1]);
	fx_client_destroy(cl);
	FX_CHECK(fx_compositor_stop(c), "%s: compositor did not exit cleanly", name);
	free(c);
	return worst;
}

int main(void)
{
	setenv("GUESTWL_HEADLESS_SCANOUT", "1", 1);
	setenv("GUESTWL_HEADLESS_OVERLAY", "1", 1);
	test_latched(SCANOUT);
	test_latched(OVERLAY);
	test_latched(COMPOSITED);
	/* Answered at once: the next frame is drawn at the presentation, and
	 * its callback follows it closely (the repaint window would have
	 * waited 90 ms). */
	double latched = pipeline(true, 6);
	FX_CHECK(latched < PERIOD_MS / 2,
		 "latched: up to %.1f ms from a presentation to the next callback", latched);
	/* Not latched: the callback is sent at the presentation. */
	pipeline(false, 3);
	return fx_finish(NULL);
}
