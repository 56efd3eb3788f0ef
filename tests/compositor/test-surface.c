/* SPDX-License-Identifier: MIT */
/*
 * Surface state semantics: synchronized subsurfaces apply with the parent's
 * commit, desynchronized ones at once; frame callbacks fire for shown
 * surfaces only; many partial updates in different places end in exactly
 * the expected picture (damage tracking / buffer age); a destroyed window
 * disappears.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

#define TOL 2

static uint32_t pixel_at(struct fx_client *cl, int x, int y)
{
	struct fx_image *img = fx_screenshot(cl);
	uint32_t p = fx_pixel(img, x, y);

	fx_image_destroy(img);
	return p;
}

static void commit_color(struct wl_surface *s, struct fx_buffer *b,
			 uint32_t argb)
{
	fx_buffer_fill(b, argb);
	wl_surface_attach(s, b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(s, 0, 0, b->width, b->height);
	wl_surface_commit(s);
}

static void check_subsurface_modes(struct fx_client *cl)
{
	struct fx_window *parent = fx_window_create(cl, 200, 200, 0xff404040);
	struct wl_surface *child = wl_compositor_create_surface(cl->compositor);
	struct wl_subsurface *sub = wl_subcompositor_get_subsurface(
		cl->subcompositor, child, parent->surface);
	struct fx_buffer *b1 = fx_buffer_create(cl, 50, 50,
						WL_SHM_FORMAT_XRGB8888);
	struct fx_buffer *b2 = fx_buffer_create(cl, 50, 50,
						WL_SHM_FORMAT_XRGB8888);

	fx_window_move(parent, 20, 20);
	wl_subsurface_set_position(sub, 10, 10);
	commit_color(child, b1, 0xffff0000);
	wl_surface_commit(parent->surface);
	FX_CHECK(fx_color_near(pixel_at(cl, 45, 45), 0xffff0000, TOL),
		 "sync child not shown after the parent's commit");
	/* sync: a child commit alone changes nothing on screen */
	commit_color(child, b2, 0xff00ff00);
	FX_CHECK(fx_color_near(pixel_at(cl, 45, 45), 0xffff0000, TOL),
		 "sync child state applied without the parent's commit");
	wl_surface_commit(parent->surface);
	FX_CHECK(fx_color_near(pixel_at(cl, 45, 45), 0xff00ff00, TOL),
		 "sync child state not applied by the parent's commit");
	/* position is parent state too: applied on the parent's commit */
	wl_subsurface_set_position(sub, 100, 100);
	FX_CHECK(fx_color_near(pixel_at(cl, 45, 45), 0xff00ff00, TOL),
		 "subsurface moved before the parent's commit");
	wl_surface_commit(parent->surface);
	FX_CHECK(fx_color_near(pixel_at(cl, 135, 135), 0xff00ff00, TOL) &&
		 fx_color_near(pixel_at(cl, 45, 45), 0xff404040, TOL),
		 "subsurface not at its new position after the parent commit");
	/* desync: child commits show at once */
	wl_subsurface_set_desync(sub);
	commit_color(child, b1, 0xff0000ff);
	FX_CHECK(fx_color_near(pixel_at(cl, 135, 135), 0xff0000ff, TOL),
		 "desync child commit not shown at once");
	wl_subsurface_destroy(sub);
	wl_surface_destroy(child);
	fx_buffer_destroy(b1);
	fx_buffer_destroy(b2);
	fx_window_destroy(parent);
}

static void cb_done(void *data, struct wl_callback *cb, uint32_t t)
{
	*(bool *)data = true;
	wl_callback_destroy(cb);
}

static const struct wl_callback_listener cb_listener = { cb_done };

static struct wl_callback *frame(struct fx_window *w, bool *flag)
{
	struct wl_callback *cb = wl_surface_frame(w->surface);

	*flag = false;
	wl_callback_add_listener(cb, &cb_listener, flag);
	wl_surface_attach(w->surface, w->buffer->wl_buffer, 0, 0);
	wl_surface_damage_buffer(w->surface, 0, 0, w->width, w->height);
	wl_surface_commit(w->surface);
	return cb;
}

/* A window moved completely off the output gets no frame callback while a
 * visible one, repainted in the same cycle, does. */
static void check_frame_callbacks(struct fx_client *cl)
{
	struct fx_window *shown = fx_window_create(cl, 100, 100, 0xff808000);
	struct fx_window *hidden = fx_window_create(cl, 100, 100, 0xff008080);
	bool shown_done, hidden_done;

	fx_window_move(shown, 300, 300);
	fx_window_move(hidden, 5000, 5000);
	frame(hidden, &hidden_done);
	frame(shown, &shown_done);
	fx_dispatch_until(cl, &shown_done);
	fx_wait_idle(cl);
	fx_roundtrip(cl);
	FX_CHECK(!hidden_done, "frame callback sent for a surface not shown");
	/* back on screen: the pending callback fires */
	fx_window_move(hidden, 100, 300);
	frame(hidden, &hidden_done);
	fx_dispatch_until(cl, &hidden_done);
	fx_window_destroy(shown);
	fx_window_destroy(hidden);
}

/* 40 partial updates of two windows, presented one by one. */
static void check_damage_sequence(struct fx_client *cl)
{
	struct fx_window *a = fx_window_create(cl, 160, 120, 0xff000000);
	struct fx_window *b = fx_window_create(cl, 160, 120, 0xff000000);
	struct fx_buffer *expect_a = fx_buffer_create(cl, 160, 120,
						      WL_SHM_FORMAT_XRGB8888);
	struct fx_image *img;
	unsigned seed = 12345;

	fx_window_move(a, 20, 250);
	fx_window_move(b, 240, 250);
	fx_buffer_fill(expect_a, 0xff000000);
	for (int i = 0; i < 40; i++) {
		struct fx_window *w = i % 3 ? a : b;
		int x, y, rw, rh;
		uint32_t colour;

		seed = seed * 1103515245u + 12345u;
		x = (int)(seed >> 8) % 140;
		y = (int)(seed >> 16) % 100;
		rw = 5 + (int)(seed >> 4) % 20;
		rh = 5 + (int)(seed >> 12) % 20;
		colour = 0xff000000u | (seed & 0x00ffffffu);
		fx_buffer_fill_rect(w->buffer, x, y, rw, rh, colour);
		if (w == a)
			fx_buffer_fill_rect(expect_a, x, y, rw, rh, colour);
		wl_surface_attach(w->surface, w->buffer->wl_buffer, 0, 0);
		wl_surface_damage_buffer(w->surface, x, y, rw, rh);
		wl_surface_commit(w->surface);
		fx_wait_idle(cl);
	}
	fx_park_pointer(cl);
	img = fx_screenshot(cl);
	fx_image_save(img, "surface-damage-sequence");
	for (int y = 0; y < 120; y++) {
		for (int x = 0; x < 160; x++) {
			uint32_t want = ((uint32_t *)expect_a->data)[y * 160 + x];

			if (!fx_color_near(fx_pixel(img, 20 + x, 250 + y), want,
					   TOL)) {
				FX_CHECK(false, "damage sequence: (%d,%d) is "
					 "%06x, expected %06x", x, y,
					 fx_pixel(img, 20 + x, 250 + y) &
					 0xffffff, want & 0xffffff);
				y = 120;
				break;
			}
		}
	}
	fx_image_destroy(img);
	fx_buffer_destroy(expect_a);
	fx_window_destroy(a);
	fx_window_destroy(b);
}

static void check_destroy_disappears(struct fx_client *cl)
{
	struct fx_image *before, *after;
	struct fx_window *w;

	fx_park_pointer(cl);
	before = fx_screenshot(cl);
	w = fx_window_create(cl, 100, 100, 0xffabcdef);
	fx_window_move(w, 500, 50);
	FX_CHECK(fx_color_near(pixel_at(cl, 550, 100), 0xffabcdef, TOL),
		 "window not shown");
	fx_window_destroy(w);
	after = fx_screenshot(cl);
	FX_CHECK(fx_image_compare(before, after, 0, NULL) == 0,
		 "destroying a window does not restore the previous picture");
	fx_image_destroy(before);
	fx_image_destroy(after);
}

int main(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct fx_client *cl = fx_client_connect(c);

	check_subsurface_modes(cl);
	check_frame_callbacks(cl);
	check_damage_sequence(cl);
	check_destroy_disappears(cl);
	fx_client_destroy(cl);
	return fx_finish(c);
}
