/* SPDX-License-Identifier: MIT */
/*
 * Output scale and transform (guestwl --output WxH,scale=N / ,transform=T):
 * wl_output events, the logical size a maximized window is configured to,
 * and pixel-exact placement of scale-1 and scale-2 buffers on a scale-2
 * output (screenshots are in output pixels).
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

#define RED 0xffff0000
#define GREEN 0xff00ff00

static struct fx_window *maximized(struct fx_client *cl, uint32_t argb)
{
	struct fx_window *w = fx_window_create_unmapped(cl);
	struct fx_buffer *b;

	xdg_toplevel_set_maximized(w->toplevel);
	fx_dispatch_until(cl, &w->configured);
	fx_roundtrip(cl);
	xdg_surface_ack_configure(w->xdg_surface, w->configure_serial);
	w->acked = true;
	FX_REQUIRE(w->conf_width > 0 && w->conf_height > 0,
		   "maximized window configured to %dx%d", w->conf_width,
		   w->conf_height);
	b = fx_buffer_create(cl, w->conf_width, w->conf_height,
			     WL_SHM_FORMAT_XRGB8888);
	fx_buffer_fill(b, argb);
	fx_window_attach(w, b);
	return w;
}

static void scale2(void)
{
	struct fx_compositor_options o = {
		.width = 640, .height = 480, .output_spec = "1280x960,scale=2",
	};
	struct fx_compositor *c = fx_compositor_start(&o);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *max, *w1, *w2;
	struct fx_buffer *b1, *b2;
	struct fx_image *img;

	FX_CHECK(cl->out_scale == 2, "wl_output.scale %d, expected 2",
		 cl->out_scale);
	FX_CHECK(cl->out_mode_w == 1280 && cl->out_mode_h == 960,
		 "wl_output mode %dx%d, expected 1280x960", cl->out_mode_w,
		 cl->out_mode_h);
	max = maximized(cl, 0xff202020);
	FX_CHECK(max->conf_width == 640 && max->conf_height == 480,
		 "maximized on a 1280x960 scale-2 output: %dx%d, expected "
		 "640x480", max->conf_width, max->conf_height);
	fx_window_destroy(max);

	w1 = fx_window_create_unmapped(cl);
	b1 = fx_buffer_create(cl, 100, 100, WL_SHM_FORMAT_XRGB8888);
	fx_buffer_fill(b1, RED);
	fx_buffer_fill_rect(b1, 50, 0, 50, 100, GREEN);
	wl_surface_set_buffer_scale(w1->surface, 2);
	fx_window_attach(w1, b1);
	fx_window_move(w1, 10, 10);
	w2 = fx_window_create_unmapped(cl);
	b2 = fx_buffer_create(cl, 50, 50, WL_SHM_FORMAT_XRGB8888);
	fx_buffer_fill(b2, 0xff0000ff);
	fx_window_attach(w2, b2);
	fx_window_move(w2, 200, 10);
	fx_park_pointer(cl);
	img = fx_screenshot(cl);
	fx_image_save(img, "output-scale2");
	FX_CHECK(img->width == 1280 && img->height == 960,
		 "screenshot %dx%d, expected the output's 1280x960",
		 img->width, img->height);
	if (img->width == 1280) {
		/* scale-2 buffer: one buffer pixel per output pixel */
		fx_expect_rect_color(img, 20, 20, 50, 100, RED, 2,
				     "scale-2 buffer, left half");
		fx_expect_rect_color(img, 70, 20, 50, 100, GREEN, 2,
				     "scale-2 buffer, right half");
		/* scale-1 buffer: 2x2 output pixels per buffer pixel */
		fx_expect_rect_color(img, 400, 20, 100, 100, 0xff0000ff, 2,
				     "scale-1 buffer upscaled");
		FX_CHECK(!fx_color_near(fx_pixel(img, 501, 60), 0xff0000ff, 2),
			 "scale-1 buffer wider than 100 output pixels");
	}
	fx_image_destroy(img);
	fx_window_destroy(w1);
	fx_window_destroy(w2);
	fx_client_destroy(cl);
	if (!fx_compositor_stop(c))
		FX_CHECK(false, "compositor did not exit cleanly");
	free(c);
}

static void transform90(void)
{
	struct fx_compositor_options o = {
		.width = 480, .height = 640, .output_spec = "640x480,transform=90",
	};
	struct fx_compositor *c = fx_compositor_start(&o);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *max;
	struct fx_image *img;

	FX_CHECK(cl->out_transform == WL_OUTPUT_TRANSFORM_90,
		 "wl_output transform %d, expected 90 (1)", cl->out_transform);
	max = maximized(cl, 0xff30a030);
	FX_CHECK(max->conf_width == 480 && max->conf_height == 640,
		 "maximized on a 640x480 output rotated 90: %dx%d, expected "
		 "480x640", max->conf_width, max->conf_height);
	fx_park_pointer(cl);
	img = fx_screenshot(cl);
	fx_image_save(img, "output-transform90");
	FX_CHECK(fx_image_count_color(img, 0, 0, img->width, img->height,
				      0xff30a030, 2) ==
		 (long)img->width * img->height,
		 "the maximized window does not cover the rotated output");
	fx_image_destroy(img);
	fx_window_destroy(max);
	fx_client_destroy(cl);
	if (!fx_compositor_stop(c))
		FX_CHECK(false, "compositor did not exit cleanly");
	free(c);
}

int main(void)
{
	scale2();
	transform90();
	return fx_finish(NULL);
}
