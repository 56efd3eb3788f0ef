/* SPDX-License-Identifier: MIT */
/*
 * Rendering of purpose-built clients, checked pixel by pixel with known
 * colours and against reference/render-scene.png: every required shm
 * format, alpha blending, subsurfaces, buffer scale, viewporter,
 * single-pixel buffers, buffer transforms, partial damage and frame
 * callbacks.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

#define TOL 3

static const struct { uint32_t format; const char *name; int tol; } formats[] = {
	{ WL_SHM_FORMAT_ARGB8888, "ARGB8888", TOL },
	{ WL_SHM_FORMAT_XRGB8888, "XRGB8888", TOL },
	{ WL_SHM_FORMAT_RGB565, "RGB565", 8 },
	{ WL_SHM_FORMAT_ABGR8888, "ABGR8888", TOL },
	{ WL_SHM_FORMAT_XBGR8888, "XBGR8888", TOL },
	{ WL_SHM_FORMAT_ARGB2101010, "ARGB2101010", TOL },
	{ WL_SHM_FORMAT_XRGB2101010, "XRGB2101010", TOL },
};

static struct fx_window *window_with(struct fx_client *cl, struct fx_buffer *b,
				     int x, int y)
{
	struct fx_window *w = fx_window_create_unmapped(cl);

	fx_window_attach(w, b);
	fx_window_move(w, x, y);
	return w;
}

static void scene_formats(struct fx_client *cl)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct fx_buffer *b;

		if (!fx_client_has_format(cl, formats[i].format)) {
			FX_CHECK(false, "wl_shm does not advertise %s",
				 formats[i].name);
			continue;
		}
		b = fx_buffer_create(cl, 64, 64, formats[i].format);
		fx_buffer_fill(b, 0xff3366cc);
		fx_buffer_fill_rect(b, 0, 0, 32, 32, 0xffe0c040);
		window_with(cl, b, 10 + (int)i * 74, 10);
	}
}

static void check_formats(const struct fx_image *img)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		int x = 10 + (int)i * 74;

		fx_expect_rect_color(img, x + 32, 10, 32, 64, 0xff3366cc,
				     formats[i].tol, formats[i].name);
		fx_expect_rect_color(img, x, 10, 32, 32, 0xffe0c040,
				     formats[i].tol, formats[i].name);
	}
}

/* Opaque blue, then premultiplied 50% white over its lower right part. */
static void scene_alpha(struct fx_client *cl)
{
	struct fx_buffer *b = fx_buffer_create(cl, 80, 80,
					       WL_SHM_FORMAT_XRGB8888);
	struct fx_buffer *t = fx_buffer_create(cl, 80, 80,
					       WL_SHM_FORMAT_ARGB8888);

	fx_buffer_fill(b, 0xff0000ff);
	fx_buffer_fill(t, 0x80808080);
	window_with(cl, b, 10, 100);
	window_with(cl, t, 50, 140);
}

static void check_alpha(const struct fx_image *img)
{
	fx_expect_rect_color(img, 10, 100, 80, 40, 0xff0000ff, TOL, "blue");
	fx_expect_rect_color(img, 50, 140, 40, 40, 0xff8080ff, TOL,
			     "50% white over blue");
}

static void scene_subsurface(struct fx_client *cl)
{
	struct fx_buffer *pb = fx_buffer_create(cl, 100, 100,
						WL_SHM_FORMAT_XRGB8888);
	struct fx_buffer *sb = fx_buffer_create(cl, 40, 40,
						WL_SHM_FORMAT_XRGB8888);
	struct fx_window *parent;
	struct wl_surface *child = wl_compositor_create_surface(cl->compositor);
	struct wl_subsurface *sub;

	fx_buffer_fill(pb, 0xffff0000);
	fx_buffer_fill(sb, 0xff00ff00);
	parent = fx_window_create_unmapped(cl);
	sub = wl_subcompositor_get_subsurface(cl->subcompositor, child,
					      parent->surface);
	wl_subsurface_set_position(sub, 30, 30);
	wl_surface_attach(child, sb->wl_buffer, 0, 0);
	wl_surface_damage_buffer(child, 0, 0, 40, 40);
	wl_surface_commit(child);  /* sync: applied with the parent */
	fx_window_attach(parent, pb);
	fx_window_move(parent, 200, 100);
}

static void check_subsurface(const struct fx_image *img)
{
	fx_expect_rect_color(img, 200, 100, 100, 30, 0xffff0000, TOL,
			     "subsurface parent");
	fx_expect_rect_color(img, 230, 130, 40, 40, 0xff00ff00, TOL,
			     "subsurface at (30,30)");
}

/* 100x100 buffer with scale 2 covers 50x50 of a scale-1 output. */
static void scene_scale(struct fx_client *cl)
{
	struct fx_buffer *b = fx_buffer_create(cl, 100, 100,
					       WL_SHM_FORMAT_XRGB8888);
	struct fx_window *w = fx_window_create_unmapped(cl);

	fx_buffer_fill(b, 0xff00c0c0);
	wl_surface_set_buffer_scale(w->surface, 2);
	fx_window_attach(w, b);
	fx_window_move(w, 320, 100);
}

static void check_scale(const struct fx_image *img, const struct fx_image *bg)
{
	fx_expect_rect_color(img, 320, 100, 50, 50, 0xff00c0c0, TOL,
			     "buffer_scale 2");
	FX_CHECK(fx_pixel(img, 372, 125) == fx_pixel(bg, 372, 125) &&
		 fx_pixel(img, 345, 152) == fx_pixel(bg, 345, 152),
		 "buffer_scale 2 surface larger than 50x50");
}

static void scene_viewport(struct fx_client *cl)
{
	struct fx_buffer *b = fx_buffer_create(cl, 10, 10,
					       WL_SHM_FORMAT_XRGB8888);
	struct fx_window *w = fx_window_create_unmapped(cl);
	struct wp_viewport *vp;

	if (!cl->viewporter) {
		FX_CHECK(false, "no wp_viewporter");
		return;
	}
	vp = wp_viewporter_get_viewport(cl->viewporter, w->surface);
	wp_viewport_set_destination(vp, 80, 60);
	fx_buffer_fill(b, 0xffc000c0);
	fx_window_attach(w, b);
	fx_window_move(w, 400, 100);
}

static void scene_single_pixel(struct fx_client *cl)
{
	struct fx_window *w = fx_window_create_unmapped(cl);
	struct wp_viewport *vp;
	struct wl_buffer *buf;

	if (!cl->viewporter || !cl->spb) {
		FX_CHECK(false, "no wp_viewporter or single-pixel-buffer");
		return;
	}
	vp = wp_viewporter_get_viewport(cl->viewporter, w->surface);
	wp_viewport_set_destination(vp, 50, 50);
	/* 32-bit premultiplied channels: orange */
	buf = wp_single_pixel_buffer_manager_v1_create_u32_rgba_buffer(
		cl->spb, 0xffffffffu, 0x80000000u, 0, 0xffffffffu);
	fx_dispatch_until(cl, &w->configured);
	xdg_surface_ack_configure(w->xdg_surface, w->configure_serial);
	w->acked = true;
	wl_surface_attach(w->surface, buf, 0, 0);
	wl_surface_damage_buffer(w->surface, 0, 0, 1, 1);
	wl_surface_commit(w->surface);
	fx_window_move(w, 500, 100);
}

static void check_viewports(const struct fx_image *img)
{
	fx_expect_rect_color(img, 400, 100, 80, 60, 0xffc000c0, TOL,
			     "viewport 10x10 -> 80x60");
	fx_expect_rect_color(img, 500, 100, 50, 50, 0xffff8000, TOL,
			     "single pixel buffer 50x50");
}

/* 60x20 buffer, transform 90: the surface is 20x60 with both halves. */
static void scene_transform(struct fx_client *cl)
{
	struct fx_buffer *b = fx_buffer_create(cl, 60, 20,
					       WL_SHM_FORMAT_XRGB8888);
	struct fx_window *w = fx_window_create_unmapped(cl);

	fx_buffer_fill(b, 0xff800000);
	fx_buffer_fill_rect(b, 30, 0, 30, 20, 0xff008000);
	wl_surface_set_buffer_transform(w->surface, WL_OUTPUT_TRANSFORM_90);
	fx_window_attach(w, b);
	fx_window_move(w, 10, 250);
}

static void check_transform(const struct fx_image *img,
			    const struct fx_image *bg)
{
	long dark_red = fx_image_count_color(img, 10, 250, 20, 60,
					     0xff800000, TOL);
	long dark_green = fx_image_count_color(img, 10, 250, 20, 60,
					       0xff008000, TOL);

	FX_CHECK(dark_red == 600 && dark_green == 600,
		 "transform 90: 20x60 surface should hold 600 px of each half, "
		 "got %ld red %ld green", dark_red, dark_green);
	FX_CHECK(fx_pixel(img, 40, 255) == fx_pixel(bg, 40, 255),
		 "transform 90: surface wider than 20 px");
	/* surface (x,y) samples buffer (60 - y, x), as in weston: the
	 * buffer's right (green) half is the surface's top */
	fx_expect_rect_color(img, 10, 250, 20, 30, 0xff008000, TOL,
			     "transform 90: top half from the buffer's right");
	fx_expect_rect_color(img, 10, 280, 20, 30, 0xff800000, TOL,
			     "transform 90: bottom half from the buffer's left");
}

/* Partial damage: only the damaged rect needs to be redrawn. */
static struct fx_window *scene_damage(struct fx_client *cl)
{
	struct fx_buffer *b = fx_buffer_create(cl, 100, 100,
					       WL_SHM_FORMAT_XRGB8888);

	fx_buffer_fill(b, 0xff404040);
	return window_with(cl, b, 200, 250);
}

static void frame_done(void *data, struct wl_callback *cb, uint32_t t)
{
	*(bool *)data = true;
	wl_callback_destroy(cb);
}

static const struct wl_callback_listener frame_listener = { frame_done };

static void update_damage(struct fx_client *cl, struct fx_window *w)
{
	bool done = false;
	struct wl_callback *cb;

	fx_buffer_fill_rect(w->buffer, 10, 10, 20, 20, 0xffffff00);
	cb = wl_surface_frame(w->surface);
	wl_callback_add_listener(cb, &frame_listener, &done);
	wl_surface_attach(w->surface, w->buffer->wl_buffer, 0, 0);
	wl_surface_damage_buffer(w->surface, 10, 10, 20, 20);
	wl_surface_commit(w->surface);
	/* a shown surface gets its frame callback */
	fx_dispatch_until(cl, &done);
}

int main(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_image *bg, *img;
	struct fx_window *dmg;

	fx_park_pointer(cl);
	bg = fx_screenshot(cl);

	scene_formats(cl);
	scene_alpha(cl);
	scene_subsurface(cl);
	scene_scale(cl);
	scene_viewport(cl);
	scene_single_pixel(cl);
	scene_transform(cl);
	dmg = scene_damage(cl);
	update_damage(cl, dmg);
	fx_park_pointer(cl);
	img = fx_screenshot(cl);
	fx_image_save(img, "render-scene-actual-last");
	check_formats(img);
	check_alpha(img);
	check_subsurface(img);
	check_scale(img, bg);
	check_viewports(img);
	check_transform(img, bg);
	fx_expect_rect_color(img, 210, 260, 20, 20, 0xffffff00, TOL,
			     "damaged rect updated");
	fx_expect_rect_color(img, 240, 290, 40, 40, 0xff404040, TOL,
			     "undamaged part of the damage window");
	fx_expect_reference(img, "render-scene", 2);
	fx_image_destroy(img);
	fx_image_destroy(bg);
	fx_client_destroy(cl);
	return fx_finish(c);
}
