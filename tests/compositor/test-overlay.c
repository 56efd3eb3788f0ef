/* SPDX-License-Identifier: MIT */
/*
 * The top surface on an overlay plane (docs/drm-backend.md, "The top
 * surface on the overlay plane"), on the headless backend's emulation
 * (GUESTWL_HEADLESS_OVERLAY=1: the buffer on the plane is read again
 * whenever the screen is looked at, shown above the composited images):
 *   - which surfaces go on the plane, counted from guestwl's debug log;
 *   - the pixels each time, in particular when the plane moves to another
 *     window or goes off: what it covered was never composited, and has
 *     to be once it is visible;
 *   - a frame that only changes the window on the plane shows its damage;
 *   - a translucent window (ARGB8888, no opaque region) on the plane,
 *     blended over what is composited under it, which follows the window
 *     below when that changes (test_translucent).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define W 640
#define H 480
#define BG 0xff303040
#define BLUE 0xff2050c0
#define RED 0xffd02020
#define YELLOW 0xffe0d020
#define TOL 3

static void expect_log(struct fx_compositor *c, const char *needle, int n, const char *what)
{
	int got = fx_log_count(c, needle);

	FX_CHECK(got == n, "%s: \"%s\" logged %d times, expected %d", what, needle, got, n);
}

static const char OFF[] = "overlay plane off";

/* Window a (200x150 blue with a red square at 10,10) at 50,40; b
 * (100x100 yellow) at 200,120, overlapping it. */
static void expect_scene(struct fx_client *cl, bool b_shown, const char *what)
{
	struct fx_image *img = fx_screenshot(cl);

	fx_image_save(img, what);
	fx_expect_rect_color(img, 0, 0, W, 40, BG, TOL, what);
	fx_expect_rect_color(img, 0, 40, 50, H - 40, BG, TOL, what);
	fx_expect_rect_color(img, 0, 220, W, H - 220, BG, TOL, what);
	fx_expect_rect_color(img, 250, 40, W - 250, 80, BG, TOL, what);
	fx_expect_rect_color(img, 90, 40, 160, 80, BLUE, TOL, what);
	fx_expect_rect_color(img, 60, 50, 20, 20, RED, TOL, what);
	fx_expect_rect_color(img, 50, 120, 150, 70, BLUE, TOL, what);
	if (b_shown) {
		fx_expect_rect_color(img, 200, 120, 100, 100, YELLOW, TOL, what);
		fx_expect_rect_color(img, 300, 120, W - 300, 100, BG, TOL, what);
		fx_expect_rect_color(img, 50, 190, 150, 30, BG, TOL, what);
	} else {
		fx_expect_rect_color(img, 50, 40, 200, 10, BLUE, TOL, what);
		fx_expect_rect_color(img, 200, 120, 50, 70, BLUE, TOL, what);
		fx_expect_rect_color(img, 250, 120, W - 250, 100, BG, TOL, what);
		fx_expect_rect_color(img, 50, 190, 200, 30, BG, TOL, what);
	}
	fx_image_destroy(img);
}

static struct fx_buffer *solid(struct fx_client *cl, int w, int h, uint32_t format,
	uint32_t argb)
{
	struct fx_buffer *b = fx_buffer_create(cl, w, h, format);

	fx_buffer_fill(b, argb);
	return b;
}

/* Paint a rectangle of win's buffer, commit it as the damage, wait. */
static void repaint(struct fx_client *cl, struct fx_window *win, struct fx_buffer *buf,
	int x, int y, int w, int h, uint32_t argb)
{
	fx_buffer_fill_rect(buf, x, y, w, h, argb);
	wl_surface_attach(win->surface, buf->wl_buffer, 0, 0);
	wl_surface_damage_buffer(win->surface, x, y, w, h);
	wl_surface_commit(win->surface);
	fx_wait_idle(cl);
}

/* A second window over the first one on the plane, a click raising the
 * first, the second one gone. */
static void placements_other_on_top(struct fx_compositor *c, struct fx_client *cl)
{
	struct fx_window *b;
	struct fx_image *img;

	/* Another window on top: the plane goes to it, and the first one,
	 * never composited so far, is drawn under it. */
	b = fx_window_create_unmapped(cl);
	fx_window_attach(b, solid(cl, 100, 100, WL_SHM_FORMAT_XRGB8888, YELLOW));
	fx_window_move(b, 200, 120);
	expect_scene(cl, true, "overlay-moved");
	expect_log(c, "overlay plane at 200,120 100x100", 1, "a window on top");

	/* A click raises the first one: the plane goes back to it, and what
	 * shows of the other (on the plane so far, so never composited) is
	 * composited now: nothing else damages it. */
	fx_click(cl, 150, 60);
	fx_wait_idle(cl);
	img = fx_screenshot(cl);
	fx_image_save(img, "overlay-raised");
	fx_expect_rect_color(img, 90, 40, 160, 150, BLUE, TOL, "first window raised");
	fx_expect_rect_color(img, 250, 120, 50, 100, YELLOW, TOL, "first window raised");
	fx_expect_rect_color(img, 200, 190, 50, 30, YELLOW, TOL, "first window raised");
	fx_image_destroy(img);
	expect_log(c, "overlay plane at 50,40 200x150", 2, "the first window raised");

	/* The other one goes away: its pixels with it. */
	fx_window_destroy(b);
	expect_scene(cl, false, "overlay-back");
	expect_log(c, "overlay plane at 50,40 200x150", 2, "the window on top gone");
}

/* The first window partly outside the output, then ARGB8888. */
static void placements_outside_and_argb(struct fx_compositor *c, struct fx_client *cl,
	struct fx_window *a)
{
	struct fx_image *img;
	int offs;

	/* Partly outside the output: composited. */
	offs = fx_log_count(c, OFF);
	fx_window_move(a, -20, 40);
	img = fx_screenshot(cl);
	fx_image_save(img, "overlay-outside");
	fx_expect_rect_color(img, 40, 70, 140, 120, BLUE, TOL, "window partly outside");
	fx_expect_rect_color(img, 0, 50, 10, 20, RED, TOL, "window partly outside");
	fx_expect_rect_color(img, 180, 40, W - 180, 150, BG, TOL, "window partly outside");
	fx_image_destroy(img);
	expect_log(c, OFF, offs + 1, "a window partly outside the output");
	fx_window_move(a, 50, 40);
	expect_scene(cl, false, "overlay-inside");

	/* ARGB8888 without an opaque region: on the plane, which blends it. */
	offs = fx_log_count(c, OFF);
	fx_window_attach(a, solid(cl, 200, 150, WL_SHM_FORMAT_ARGB8888, BLUE));
	img = fx_screenshot(cl);
	fx_expect_rect_color(img, 50, 40, 200, 150, BLUE, TOL, "ARGB8888 window");
	fx_image_destroy(img);
	expect_log(c, OFF, offs + 1, "ARGB8888 without an opaque region");
	expect_log(c, "overlay plane at 50,40 200x150 (blended)", 1, "ARGB8888 window");
}

static void test_placements(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *a = fx_window_create_unmapped(cl);
	struct fx_buffer *buf = solid(cl, 200, 150, WL_SHM_FORMAT_XRGB8888, BLUE);

	fx_buffer_fill_rect(buf, 10, 10, 20, 20, RED);
	fx_window_attach(a, buf);
	fx_window_move(a, 50, 40);
	expect_scene(cl, false, "overlay-one");
	expect_log(c, "overlay plane at 50,40 200x150", 1, "one window");

	/* A frame that only changes it: the damage shows. */
	repaint(cl, a, buf, 100, 100, 30, 30, RED);
	struct fx_image *img = fx_screenshot(cl);
	fx_expect_rect_color(img, 150, 140, 30, 30, RED, TOL, "damage on the plane");
	fx_image_destroy(img);
	fx_buffer_fill_rect(buf, 100, 100, 30, 30, BLUE);
	wl_surface_attach(a->surface, buf->wl_buffer, 0, 0);
	wl_surface_damage_buffer(a->surface, 100, 100, 30, 30);
	wl_surface_commit(a->surface);

	placements_other_on_top(c, cl);
	placements_outside_and_argb(c, cl, a);

	fx_window_destroy(a);
	img = fx_screenshot(cl);
	fx_expect_rect_color(img, 0, 0, W, H, BG, TOL, "no window");
	fx_image_destroy(img);
	fx_client_destroy(cl);
	FX_CHECK(fx_compositor_stop(c), "compositor did not exit cleanly");
	free(c);
}

/* Premultiplied s over d, rounded as pixman does. */
static uint32_t over(uint32_t d, uint32_t s)
{
	uint32_t inv = 255 - (s >> 24), r = 0xff000000;

	for (int shift = 0; shift < 24; shift += 8) {
		uint32_t t = ((d >> shift) & 0xff) * inv + 0x80;

		r |= (((s >> shift) & 0xff) + ((t + (t >> 8)) >> 8)) << shift;
	}
	return r;
}

#define GLASS 0x80600000 /* premultiplied: red at half alpha */

/* Window a (200x150 at 50,40, colour under) below b (100x100 translucent
 * at 200,120, colour glass): a's part under b, the background's under b. */
static void expect_glass(struct fx_client *cl, uint32_t under, uint32_t glass,
	const char *what)
{
	struct fx_image *img = fx_screenshot(cl);

	fx_image_save(img, what);
	fx_expect_rect_color(img, 200, 120, 50, 70, over(under, glass), TOL, what);
	fx_expect_rect_color(img, 250, 120, 50, 100, over(BG, glass), TOL, what);
	fx_expect_rect_color(img, 200, 190, 50, 30, over(BG, glass), TOL, what);
	fx_expect_rect_color(img, 60, 50, 130, 130, under, TOL, what);
	fx_expect_rect_color(img, 300, 120, W - 300, 100, BG, TOL, what);
	fx_image_destroy(img);
}

/* A translucent top window on the plane: the plane blends it over what is
 * composited under it, which changes when the window below does. */
static void test_translucent(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *a = fx_window_create_unmapped(cl);
	struct fx_buffer *abuf = solid(cl, 200, 150, WL_SHM_FORMAT_XRGB8888, BLUE);
	struct fx_window *b = fx_window_create_unmapped(cl);
	struct fx_buffer *bbuf = solid(cl, 100, 100, WL_SHM_FORMAT_ARGB8888, GLASS);

	fx_window_attach(a, abuf);
	fx_window_move(a, 50, 40);
	fx_window_attach(b, bbuf);
	fx_window_move(b, 200, 120);
	expect_glass(cl, BLUE, GLASS, "glass");
	expect_log(c, "overlay plane at 200,120 100x100 (blended)", 1, "translucent window");

	/* The window below changes under the glass: composited under it. */
	repaint(cl, a, abuf, 0, 0, 200, 150, YELLOW);
	expect_glass(cl, YELLOW, GLASS, "glass-under-changed");

	/* The glass itself changes: the plane alone shows it. */
	repaint(cl, b, bbuf, 0, 0, 100, 100, 0x40004000);
	expect_glass(cl, YELLOW, 0x40004000, "glass-changed");
	expect_log(c, "overlay plane at 200,120 100x100 (blended)", 1, "glass kept on the plane");

	/* A small window on top takes the plane and the glass is composited;
	 * once it goes, the glass is back on the plane, over what is under it
	 * and not over its own composited pixels. */
	struct fx_window *top = fx_window_create_unmapped(cl);

	fx_window_attach(top, solid(cl, 20, 20, WL_SHM_FORMAT_XRGB8888, RED));
	fx_window_move(top, 260, 200);
	expect_log(c, "overlay plane at 260,200 20x20", 1, "a window over the glass");
	fx_window_destroy(top);
	fx_wait_idle(cl);
	expect_glass(cl, YELLOW, 0x40004000, "glass-back");
	expect_log(c, "overlay plane at 200,120 100x100 (blended)", 2, "the glass back on the plane");

	/* Gone: what it covered is composited as it is. */
	fx_window_destroy(b);
	fx_wait_idle(cl);
	struct fx_image *img = fx_screenshot(cl);

	fx_image_save(img, "glass-gone");
	fx_expect_rect_color(img, 50, 40, 200, 150, YELLOW, TOL, "glass gone");
	fx_expect_rect_color(img, 250, 120, 50, 100, BG, TOL, "glass gone");
	fx_expect_rect_color(img, 200, 190, 100, 30, BG, TOL, "glass gone");
	fx_image_destroy(img);
	fx_window_destroy(a);
	fx_client_destroy(cl);
	FX_CHECK(fx_compositor_stop(c), "compositor did not exit cleanly");
	free(c);
}

int main(void)
{
	setenv("GUESTWL_HEADLESS_OVERLAY", "1", 1);
	setenv("GUESTWL_DEBUG", "1", 1);
	test_placements();
	test_translucent();
	return fx_finish(NULL);
}
