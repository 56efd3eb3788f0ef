/* SPDX-License-Identifier: MIT */
/*
 * Direct scanout (docs/drm-backend.md, "Direct scanout"), on the headless
 * backend's emulation (GUESTWL_HEADLESS_SCANOUT=1: the shown buffer is
 * read again whenever the screen is looked at, like guestkms re-reads the
 * plane's framebuffer):
 *   - which scenes scan a client's buffer out and which are composited,
 *     counted from guestwl's debug log, with the pixels checked each time
 *     (going back to compositing redraws what the dumb buffers missed);
 *   - a buffer on screen is not released while it stays there, even when
 *     another output presents meanwhile (its wl_buffer.release waits for
 *     the frame that replaces it);
 *   - a client destroying the buffer on screen breaks nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define W 640
#define H 480
#define BLUE 0xff2050c0
#define RED 0xffd02020
#define GREEN 0xff20c040
#define YELLOW 0xffe0d020
#define MAGENTA 0xffff00ff
#define TOL 3

static const char SCANOUT[] = "scanning out a client's buffer";
static const char COMPOSITE[] = "compositing again";

static void expect_modes(struct fx_compositor *c, int scanouts, int composites,
			 const char *what)
{
	int s = fx_log_count(c, SCANOUT), k = fx_log_count(c, COMPOSITE);

	FX_CHECK(s == scanouts && k == composites,
		 "%s: %d switches to scanout and %d back to compositing, "
		 "expected %d and %d", what, s, k, scanouts, composites);
}

static struct fx_buffer *pattern(struct fx_client *cl, int w, int h, uint32_t format)
{
	struct fx_buffer *b = fx_buffer_create(cl, w, h, format);

	fx_buffer_fill(b, BLUE);
	fx_buffer_fill_rect(b, 200, 100, 120, 80, RED);
	return b;
}

static void expect_pattern(struct fx_client *cl, const char *what)
{
	struct fx_image *img = fx_screenshot(cl);

	fx_image_save(img, what);
	fx_expect_rect_color(img, 0, 0, W, 100, BLUE, TOL, what);
	fx_expect_rect_color(img, 200, 100, 120, 80, RED, TOL, what);
	fx_expect_rect_color(img, 0, 300, W, H - 300, BLUE, TOL, what);
	fx_image_destroy(img);
}

/* Which scenes are scanned out, and the pixels of each. */
static void test_candidates(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *w = fx_window_create_unmapped(cl);
	struct fx_window *over;
	struct fx_image *img;
	struct wl_region *opaque;

	fx_window_attach(w, pattern(cl, W, H, WL_SHM_FORMAT_XRGB8888));
	fx_window_move(w, 0, 0);
	expect_pattern(cl, "scanout-xrgb");
	expect_modes(c, 1, 0, "one XRGB8888 window covering the output");

	/* Another window on top: composited, everything redrawn right. */
	over = fx_window_create(cl, 100, 100, YELLOW);
	fx_window_move(over, 20, 20);
	img = fx_screenshot(cl);
	fx_image_save(img, "scanout-overlay");
	fx_expect_rect_color(img, 20, 20, 100, 100, YELLOW, TOL, "window on top");
	fx_expect_rect_color(img, 200, 100, 120, 80, RED, TOL, "under the window on top");
	fx_expect_rect_color(img, 0, 300, W, H - 300, BLUE, TOL, "under the window on top");
	fx_image_destroy(img);
	expect_modes(c, 1, 1, "a second window on top");

	fx_window_destroy(over);
	expect_pattern(cl, "scanout-again");
	expect_modes(c, 2, 1, "the window on top gone");

	/* ARGB8888 is opaque only with an opaque region over all of it. */
	fx_window_attach(w, pattern(cl, W, H, WL_SHM_FORMAT_ARGB8888));
	expect_pattern(cl, "scanout-argb");
	expect_modes(c, 2, 2, "ARGB8888 without an opaque region");
	opaque = wl_compositor_create_region(cl->compositor);
	wl_region_add(opaque, 0, 0, W, H);
	wl_surface_set_opaque_region(w->surface, opaque);
	wl_region_destroy(opaque);
	fx_window_attach(w, pattern(cl, W, H, WL_SHM_FORMAT_ARGB8888));
	expect_pattern(cl, "scanout-argb-opaque");
	expect_modes(c, 3, 2, "ARGB8888 with an opaque region");

	/* Moved by one pixel: no longer covers the output. */
	fx_window_move(w, 1, 0);
	img = fx_screenshot(cl);
	fx_expect_rect_color(img, 201, 100, 119, 80, RED, TOL, "moved window");
	fx_image_destroy(img);
	expect_modes(c, 3, 3, "the window moved by one pixel");
	fx_window_move(w, 0, 0);
	expect_pattern(cl, "scanout-back");
	expect_modes(c, 4, 3, "the window back at 0,0");

	/* A format guestkms cannot scan out: the core offers it, the backend
	 * says no and the frame is composited. */
	fx_window_attach(w, pattern(cl, W, H, WL_SHM_FORMAT_XBGR8888));
	expect_pattern(cl, "scanout-xbgr");
	expect_modes(c, 4, 4, "XBGR8888");
	fx_window_destroy(w);
	fx_client_destroy(cl);
	FX_CHECK(fx_compositor_stop(c), "compositor did not exit cleanly");
	free(c);
}

struct tracked {
	struct fx_buffer *b;
	bool released;
};

/* The client reuses a released buffer at once: it draws magenta into it. */
static void tracked_release(void *data, struct wl_buffer *buffer)
{
	struct tracked *t = data;

	t->released = true;
	fx_buffer_fill(t->b, MAGENTA);
}

static const struct wl_buffer_listener tracked_listener = { tracked_release };

static void frame_done(void *data, struct wl_callback *cb, uint32_t t)
{
	*(bool *)data = true;
	wl_callback_destroy(cb);
}

static const struct wl_callback_listener frame_listener = { frame_done };

static void show(struct fx_window *w, struct tracked *t, uint32_t argb, bool *presented)
{
	struct wl_callback *cb = wl_surface_frame(w->surface);

	*presented = false;
	wl_callback_add_listener(cb, &frame_listener, presented);
	fx_buffer_fill(t->b, argb);
	t->released = false;
	wl_surface_attach(w->surface, t->b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(w->surface, 0, 0, W, H);
	wl_surface_commit(w->surface);
	wl_display_flush(w->cl->display);
}

/* Output 1 refreshes once a second, output 2 at 60 Hz with a window
 * redrawn all the time: its presentations send the releases queued. */
static void test_release_pinned(void)
{
	static const char *const args[] = { "--output", "320x240@60", NULL };
	struct fx_compositor_options o = {
		.width = W, .height = H, .output_spec = "640x480@1", .extra_args = args,
	};
	struct fx_compositor *c = fx_compositor_start(&o);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *w = fx_window_create_unmapped(cl);
	struct fx_window *busy = fx_window_create(cl, 100, 100, YELLOW);
	struct tracked t1 = { fx_buffer_create(cl, W, H, WL_SHM_FORMAT_XRGB8888), false };
	struct tracked t2 = { fx_buffer_create(cl, W, H, WL_SHM_FORMAT_XRGB8888), false };
	struct fx_image *img;
	bool presented;

	wl_buffer_add_listener(t1.b->wl_buffer, &tracked_listener, &t1);
	wl_buffer_add_listener(t2.b->wl_buffer, &tracked_listener, &t2);
	fx_window_move(busy, W + 50, 50);
	fx_dispatch_until(cl, &w->configured);
	xdg_surface_ack_configure(w->xdg_surface, w->configure_serial);
	w->acked = true;
	guestwl_test_move_surface(fx_test(cl), w->surface, 0, 0);
	show(w, &t1, RED, &presented);
	fx_dispatch_until(cl, &presented);
	expect_modes(c, 1, 0, "a window covering the 1 Hz output");

	/* Just after output 1's refresh: the next one is a second away. */
	show(w, &t2, GREEN, &presented);
	for (int i = 0; i < 15 && !presented; i++) {
		fx_buffer_fill(busy->buffer, i & 1 ? YELLOW : RED);
		wl_surface_attach(busy->surface, busy->buffer->wl_buffer, 0, 0);
		wl_surface_damage_buffer(busy->surface, 0, 0, 100, 100);
		wl_surface_commit(busy->surface);
		fx_dispatch_timeout(cl, 20);
		if (!presented)
			FX_CHECK(!t1.released, "the buffer on screen was released before the "
				 "frame replacing it was shown (other output's frame %d)", i);
	}
	fx_dispatch_until(cl, &presented);
	fx_roundtrip(cl);
	FX_CHECK(t1.released, "the replaced buffer was not released after the new frame");
	FX_CHECK(!t2.released, "the buffer on screen was released");
	img = fx_screenshot(cl);
	fx_image_save(img, "scanout-release");
	fx_expect_rect_color(img, 0, 0, W, H, GREEN, TOL, "after the second buffer");
	fx_image_destroy(img);

	/* The client destroys the buffer on screen: nothing breaks. */
	fx_buffer_destroy(t2.b);
	fx_roundtrip(cl);
	FX_REQUIRE(fx_compositor_alive(c), "compositor died when the shown buffer went away");
	show(w, &t1, BLUE, &presented);
	fx_dispatch_until(cl, &presented);
	img = fx_screenshot(cl);
	fx_expect_rect_color(img, 0, 0, W, H, BLUE, TOL, "after the shown buffer was destroyed");
	fx_image_destroy(img);
	fx_buffer_destroy(t1.b);
	fx_window_destroy(busy);
	fx_client_destroy(cl);
	FX_CHECK(fx_compositor_stop(c), "compositor did not exit cleanly");
	free(c);
}

int main(void)
{
	setenv("GUESTWL_HEADLESS_SCANOUT", "1", 1);
	setenv("GUESTWL_DEBUG", "1", 1);
	test_candidates();
	test_release_pinned();
	return fx_finish(NULL);
}
