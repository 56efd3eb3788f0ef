/* SPDX-License-Identifier: MIT */
/*
 * Cursor surfaces (guestwl --show-cursor): a client's wl_pointer.set_cursor
 * surface is drawn with its hotspot at the pointer, follows it, and the
 * compositor's default cursor replaces it over the background.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

#define RED 0xffff0000

/* background colour: a point no test puts anything on */
static uint32_t bg_color(const struct fx_image *img)
{
	return fx_pixel(img, 620, 20);
}

/* pixels differing from the background in a 24x24 box from (x-4,y-4) */
static long count_cursor(const struct fx_image *img, int x, int y)
{
	long n = 0;

	for (int j = y - 4; j < y + 20; j++)
		for (int i = x - 4; i < x + 20; i++)
			n += !fx_color_near(fx_pixel(img, i, j), bg_color(img),
					    8);
	return n;
}

/* pixels off the background outside the window (100,100 300x300) and
 * outside the cursor box around (px,py) */
static long stray_pixels(const struct fx_image *img, int px, int py)
{
	long n = 0;

	for (int y = 0; y < img->height; y++) {
		for (int x = 0; x < img->width; x++) {
			bool in_win = x >= 100 && x < 400 && y >= 100 && y < 400;
			bool in_cur = x >= px - 8 && x < px + 40 &&
				      y >= py - 8 && y < py + 40;

			if (!in_win && !in_cur &&
			    !fx_color_near(fx_pixel(img, x, y), bg_color(img),
					   8))
				n++;
		}
	}
	return n;
}

/* Over the background: the default cursor, not the client's. */
static void check_default_cursor(struct fx_client *cl)
{
	struct fx_image *img;

	guestwl_test_pointer_motion_absolute(fx_test(cl), wl_fixed_from_int(500),
					     wl_fixed_from_int(450));
	img = fx_screenshot(cl);
	fx_image_save(img, "cursor-default");
	FX_CHECK(fx_image_count_color(img, 480, 430, 40, 40, RED, 2) == 0,
		 "client cursor drawn outside its surface");
	FX_CHECK(fx_image_count_color(img, 0, 0, 640, 480, RED, 2) == 0,
		 "client cursor left behind on screen");
	FX_CHECK(count_cursor(img, 500, 450) > 10,
		 "no default cursor drawn at (500,450)");
	FX_CHECK(stray_pixels(img, 500, 450) == 0,
		 "cursor pixels left elsewhere on the background (stale "
		 "cursor image; see cursor-default.png)");
	fx_image_destroy(img);
}

int main(void)
{
	static const char *const args[] = { "--show-cursor", NULL };
	struct fx_compositor_options o = { .extra_args = args };
	struct fx_compositor *c = fx_compositor_start(&o);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_seat *s = fx_client_track_input(cl);
	struct fx_window *w = fx_window_create(cl, 300, 300, 0xff202020);
	struct wl_surface *cursor = wl_compositor_create_surface(cl->compositor);
	struct fx_buffer *b = fx_buffer_create(cl, 16, 16,
					       WL_SHM_FORMAT_ARGB8888);
	struct fx_image *img;
	int at = 0;

	fx_window_move(w, 100, 100);
	guestwl_test_pointer_motion_absolute(fx_test(cl), wl_fixed_from_int(200),
					     wl_fixed_from_int(200));
	fx_wait_idle(cl);
	FX_REQUIRE(fx_wait_input(cl, &at, FX_EV_POINTER_ENTER) != NULL,
		   "no pointer enter");
	fx_buffer_fill(b, RED);
	wl_surface_attach(cursor, b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(cursor, 0, 0, 16, 16);
	wl_surface_commit(cursor);
	wl_pointer_set_cursor(s->pointer, s->pointer_enter_serial, cursor, 4, 4);
	fx_roundtrip(cl);
	img = fx_screenshot(cl);
	fx_image_save(img, "cursor-client");
	fx_expect_rect_color(img, 196, 196, 16, 16, RED, 2,
			     "client cursor with hotspot (4,4) at (200,200)");
	FX_CHECK(stray_pixels(img, 200, 200) == 0,
		 "cursor pixels left elsewhere on the background (stale "
		 "cursor image; see cursor-client.png)");
	fx_image_destroy(img);

	guestwl_test_pointer_motion_absolute(fx_test(cl), wl_fixed_from_int(300),
					     wl_fixed_from_int(250));
	img = fx_screenshot(cl);
	fx_expect_rect_color(img, 296, 246, 16, 16, RED, 2,
			     "client cursor follows the pointer");
	fx_expect_rect_color(img, 196, 196, 16, 16, 0xff202020, 2,
			     "old cursor position repainted");
	fx_image_destroy(img);

	check_default_cursor(cl);
	wl_surface_destroy(cursor);
	fx_buffer_destroy(b);
	fx_window_destroy(w);
	fx_client_destroy(cl);
	return fx_finish(c);
}
