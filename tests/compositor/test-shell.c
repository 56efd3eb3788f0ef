/* SPDX-License-Identifier: MIT */
/*
 * Shell behaviour: desktop maximize / fullscreen / unmaximize configures
 * (size and states) and their pixels; kiosk mode: the first toplevel fills
 * the output, a dialog (toplevel with a parent) is centred over it, an app
 * that keeps a smaller size is centred.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

#define W 640
#define H 480
#define STATE(s) (1u << XDG_TOPLEVEL_STATE_##s)

static void map_configured(struct fx_window *w, uint32_t argb)
{
	struct fx_buffer *b = fx_buffer_create(w->cl, w->conf_width,
					       w->conf_height,
					       WL_SHM_FORMAT_XRGB8888);

	fx_buffer_fill(b, argb);
	fx_window_attach(w, b);
}

static void check_full(struct fx_client *cl, uint32_t argb, const char *what)
{
	struct fx_image *img = fx_screenshot(cl);

	fx_expect_rect_color(img, 0, 0, W, H, argb, 2, what);
	fx_image_destroy(img);
}

/* set_maximized before the initial commit: mapped maximized at once */
static void maximized_before_map(struct fx_client *cl)
{
	struct fx_window *w = fx_window_create_unmapped(cl);

	xdg_toplevel_set_maximized(w->toplevel);
	wl_surface_commit(w->surface);
	fx_window_next_configure(w);
	FX_CHECK(w->conf_width == W && w->conf_height == H &&
		 (w->conf_states & STATE(MAXIMIZED)),
		 "maximized before map: configured %dx%d states %#x",
		 w->conf_width, w->conf_height, w->conf_states);
	if (w->conf_width > 0 && w->conf_height > 0) {
		map_configured(w, 0xff8040c0);
		check_full(cl, 0xff8040c0,
			   "window maximized before map covers the output");
	}
	fx_window_destroy(w);
}

static void desktop(void)
{
	struct fx_compositor_options o = { .width = W, .height = H };
	struct fx_compositor *c = fx_compositor_start(&o);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *other = fx_window_create(cl, 100, 100, 0xff00ff00);
	struct fx_window *w = fx_window_create(cl, 200, 150, 0xff2040c0);

	fx_park_pointer(cl);
	xdg_toplevel_set_maximized(w->toplevel);
	fx_window_next_configure(w);
	FX_CHECK(w->conf_width == W && w->conf_height == H,
		 "maximize: configured %dx%d, expected %dx%d", w->conf_width,
		 w->conf_height, W, H);
	FX_CHECK(w->conf_states & STATE(MAXIMIZED), "no maximized state");
	map_configured(w, 0xff2040c0);
	check_full(cl, 0xff2040c0, "maximized window covers the output");

	xdg_toplevel_unset_maximized(w->toplevel);
	fx_window_next_configure(w);
	FX_CHECK(!(w->conf_states & STATE(MAXIMIZED)),
		 "maximized state kept after unset_maximized");
	fx_window_map(w, 200, 150, 0xff2040c0);

	xdg_toplevel_set_fullscreen(w->toplevel, NULL);
	fx_window_next_configure(w);
	FX_CHECK(w->conf_width == W && w->conf_height == H,
		 "fullscreen: configured %dx%d, expected %dx%d", w->conf_width,
		 w->conf_height, W, H);
	FX_CHECK(w->conf_states & STATE(FULLSCREEN), "no fullscreen state");
	map_configured(w, 0xffc04020);
	check_full(cl, 0xffc04020, "fullscreen window covers the output");

	xdg_toplevel_unset_fullscreen(w->toplevel);
	fx_window_next_configure(w);
	FX_CHECK(!(w->conf_states & STATE(FULLSCREEN)),
		 "fullscreen state kept after unset_fullscreen");
	fx_window_destroy(w);
	maximized_before_map(cl);
	fx_window_destroy(other);
	fx_client_destroy(cl);
	if (!fx_compositor_stop(c))
		FX_CHECK(false, "desktop compositor did not exit cleanly");
	free(c);
}

/* Screenshot: a 200x100 window of colour 0xffe0e040 centred on the output,
 * colour around above and to the left of it. */
static void expect_centred(struct fx_client *cl, const char *name, uint32_t around,
			   const char *what)
{
	struct fx_image *img = fx_screenshot(cl);
	static const char *const parts[] = { "centred", "above it", "left of it" };
	const int box[3][4] = {
		{ (W - 200) / 2, (H - 100) / 2, 200, 100 },
		{ 0, 0, W, (H - 100) / 2 },
		{ 0, 0, (W - 200) / 2, H },
	};
	char msg[128];

	fx_image_save(img, name);
	for (int i = 0; i < 3; i++) {
		snprintf(msg, sizeof(msg), "%s: %s", what, parts[i]);
		fx_expect_rect_color(img, box[i][0], box[i][1], box[i][2], box[i][3],
				     i ? around : 0xffe0e040, 2, msg);
	}
	fx_image_destroy(img);
}

/* A main window that ignores the configured size (weston-simple-shm keeps
 * 250x250) is centred, the background around it. */
static void kiosk_small_app(struct fx_client *cl)
{
	struct fx_window *app = fx_window_create_unmapped(cl);

	fx_dispatch_until(cl, &app->configured);
	fx_window_map(app, 200, 100, 0xffe0e040);
	expect_centred(cl, "kiosk-small-app", 0xff303040, "undersized kiosk app");
	fx_window_destroy(app);
}

static void kiosk(void)
{
	static const char *const args[] = { "--kiosk", NULL };
	struct fx_compositor_options o = { .width = W, .height = H,
					   .extra_args = args };
	struct fx_compositor *c = fx_compositor_start(&o);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *app = fx_window_create_unmapped(cl);
	struct fx_window *dialog;

	fx_dispatch_until(cl, &app->configured);
	FX_CHECK(app->conf_width == W && app->conf_height == H,
		 "kiosk: first toplevel configured %dx%d, expected %dx%d",
		 app->conf_width, app->conf_height, W, H);
	if (app->conf_width <= 0 || app->conf_height <= 0) {
		app->conf_width = W;
		app->conf_height = H;
	}
	map_configured(app, 0xff306090);
	check_full(cl, 0xff306090, "kiosk app fills the output");

	dialog = fx_window_create_unmapped(cl);
	xdg_toplevel_set_parent(dialog->toplevel, app->toplevel);
	fx_window_map(dialog, 200, 100, 0xffe0e040);
	expect_centred(cl, "kiosk-dialog", 0xff306090, "kiosk dialog over the app");
	fx_window_destroy(dialog);
	fx_window_destroy(app);
	kiosk_small_app(cl);
	fx_client_destroy(cl);
	if (!fx_compositor_stop(c))
		FX_CHECK(false, "kiosk compositor did not exit cleanly");
	free(c);
}

int main(void)
{
	desktop();
	kiosk();
	return fx_finish(NULL);
}
