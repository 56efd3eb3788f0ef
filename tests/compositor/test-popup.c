/* SPDX-License-Identifier: MIT */
/*
 * xdg_popup placement per xdg_positioner: anchor/gravity/offset, and the
 * constraint adjustments flip, slide and resize against the output edge
 * (640x480). Checks xdg_popup.configure and the pixels of a mapped popup,
 * xdg_popup.reposition, and that a grabbing popup is dismissed by a click
 * outside.
 */
#include <linux/input-event-codes.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

struct pcase {
	const char *name;
	int parent_x, parent_y;
	int ax, ay, aw, ah;         /* anchor rect */
	uint32_t anchor, gravity, adjust;
	int w, h, off_x, off_y;
	int ex, ey, ew, eh;          /* expected configure */
};

#define BR XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT
#define GBR XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT
#define ADJ(x) XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_##x

static const struct pcase cases[] = {
	{ "anchor-gravity-offset", 100, 100, 50, 50, 10, 10, BR, GBR, 0,
	  100, 50, 5, 3, 65, 63, 100, 50 },
	{ "centred", 100, 100, 50, 50, 10, 10, XDG_POSITIONER_ANCHOR_NONE,
	  XDG_POSITIONER_GRAVITY_NONE, 0, 100, 50, 0, 0, 5, 30, 100, 50 },
	{ "top-left", 100, 100, 50, 50, 10, 10,
	  XDG_POSITIONER_ANCHOR_TOP_LEFT, XDG_POSITIONER_GRAVITY_TOP_LEFT, 0,
	  100, 50, 0, 0, -50, 0, 100, 50 },
	{ "unconstrained-none", 400, 100, 150, 50, 10, 10, BR, GBR, 0,
	  100, 50, 0, 0, 160, 60, 100, 50 },
	{ "flip-x", 400, 100, 150, 50, 10, 10, BR, GBR, ADJ(FLIP_X),
	  100, 50, 0, 0, 50, 60, 100, 50 },
	{ "slide-x", 400, 100, 150, 50, 10, 10, BR, GBR, ADJ(SLIDE_X),
	  100, 50, 0, 0, 140, 60, 100, 50 },
	{ "resize-x", 400, 100, 150, 50, 10, 10, BR, GBR, ADJ(RESIZE_X),
	  100, 50, 0, 0, 160, 60, 80, 50 },
	{ "flip-y", 100, 350, 50, 100, 10, 10, BR, GBR, ADJ(FLIP_Y),
	  100, 50, 0, 0, 60, 50, 100, 50 },
	{ "slide-y", 100, 350, 50, 100, 10, 10, BR, GBR, ADJ(SLIDE_Y),
	  100, 50, 0, 0, 60, 80, 100, 50 },
	{ "flip-then-slide", 400, 100, 150, 50, 10, 10, BR, GBR,
	  ADJ(FLIP_X) | ADJ(SLIDE_X), 100, 50, 0, 0, 50, 60, 100, 50 },
};

struct popup {
	struct wl_surface *surface;
	struct xdg_surface *xs;
	struct xdg_popup *popup;
	bool configured, done, repositioned;
	uint32_t serial, token;
	int x, y, w, h;
};

static void xs_configure(void *data, struct xdg_surface *xs, uint32_t serial)
{
	struct popup *p = data;

	p->configured = true;
	p->serial = serial;
}

static const struct xdg_surface_listener xs_listener = { xs_configure };

static void p_configure(void *data, struct xdg_popup *xp, int32_t x,
			int32_t y, int32_t w, int32_t h)
{
	struct popup *p = data;

	p->x = x;
	p->y = y;
	p->w = w;
	p->h = h;
}

static void p_done(void *data, struct xdg_popup *xp)
{
	((struct popup *)data)->done = true;
}

static void p_repositioned(void *data, struct xdg_popup *xp, uint32_t tok)
{
	struct popup *p = data;

	p->repositioned = true;
	p->token = tok;
}

static const struct xdg_popup_listener popup_listener = {
	p_configure, p_done, p_repositioned
};

static void make_popup(struct fx_client *cl, struct fx_window *parent,
		       const struct pcase *k, struct popup *p)
{
	struct xdg_positioner *pos = xdg_wm_base_create_positioner(cl->wm_base);

	xdg_positioner_set_size(pos, k->w, k->h);
	xdg_positioner_set_anchor_rect(pos, k->ax, k->ay, k->aw, k->ah);
	xdg_positioner_set_anchor(pos, k->anchor);
	xdg_positioner_set_gravity(pos, k->gravity);
	xdg_positioner_set_constraint_adjustment(pos, k->adjust);
	xdg_positioner_set_offset(pos, k->off_x, k->off_y);
	p->surface = wl_compositor_create_surface(cl->compositor);
	p->xs = xdg_wm_base_get_xdg_surface(cl->wm_base, p->surface);
	xdg_surface_add_listener(p->xs, &xs_listener, p);
	p->popup = xdg_surface_get_popup(p->xs, parent->xdg_surface, pos);
	xdg_popup_add_listener(p->popup, &popup_listener, p);
	xdg_positioner_destroy(pos);
	wl_surface_commit(p->surface);
	fx_dispatch_until(cl, &p->configured);
}

static void destroy_popup(struct popup *p)
{
	xdg_popup_destroy(p->popup);
	xdg_surface_destroy(p->xs);
	wl_surface_destroy(p->surface);
}

static void run_case(struct fx_client *cl, struct fx_window *parent,
		     const struct pcase *k)
{
	struct popup p = { 0 };

	fx_window_move(parent, k->parent_x, k->parent_y);
	make_popup(cl, parent, k, &p);
	FX_CHECK(p.x == k->ex && p.y == k->ey && p.w == k->ew && p.h == k->eh,
		 "%s: popup configured at %d,%d %dx%d, expected %d,%d %dx%d",
		 k->name, p.x, p.y, p.w, p.h, k->ex, k->ey, k->ew, k->eh);
	destroy_popup(&p);
	fx_roundtrip(cl);
}

/* Map the first case's popup and find its pixels on screen. */
static void check_mapped(struct fx_client *cl, struct fx_window *parent)
{
	const struct pcase *k = &cases[0];
	struct popup p = { 0 };
	struct fx_buffer *b;
	struct fx_image *img;
	int lx = k->parent_x + k->ex, ly = k->parent_y + k->ey;

	fx_park_pointer(cl);
	fx_window_move(parent, k->parent_x, k->parent_y);
	make_popup(cl, parent, k, &p);
	xdg_surface_ack_configure(p.xs, p.serial);
	b = fx_buffer_create(cl, p.w > 0 ? p.w : 1, p.h > 0 ? p.h : 1,
			     WL_SHM_FORMAT_XRGB8888);
	fx_buffer_fill(b, 0xffe08000);
	wl_surface_attach(p.surface, b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(p.surface, 0, 0, b->width, b->height);
	wl_surface_commit(p.surface);
	img = fx_screenshot(cl);
	fx_image_save(img, "popup-mapped");
	fx_expect_rect_color(img, lx, ly, k->w, k->h, 0xffe08000, 3,
			     "mapped popup");
	fx_expect_rect_color(img, k->parent_x, k->parent_y, 50, 50,
			     0xff3050a0, 3, "parent under the popup");
	FX_CHECK(!p.done, "popup dismissed unexpectedly");
	fx_image_destroy(img);
	destroy_popup(&p);
	fx_buffer_destroy(b);
}

static void map_popup(struct fx_client *cl, struct popup *p, uint32_t argb)
{
	struct fx_buffer *b = fx_buffer_create(cl, p->w, p->h,
					       WL_SHM_FORMAT_XRGB8888);

	xdg_surface_ack_configure(p->xs, p->serial);
	fx_buffer_fill(b, argb);
	wl_surface_attach(p->surface, b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(p->surface, 0, 0, b->width, b->height);
	wl_surface_commit(p->surface);
	fx_roundtrip(cl);
	/* the buffer stays attached; released with the connection */
}

/* xdg_popup.reposition: new geometry and the token in repositioned. */
static void check_reposition(struct fx_client *cl, struct fx_window *parent)
{
	const struct pcase *k = &cases[0];
	struct popup p = { 0 };
	struct xdg_positioner *pos = xdg_wm_base_create_positioner(cl->wm_base);

	fx_window_move(parent, k->parent_x, k->parent_y);
	make_popup(cl, parent, k, &p);
	map_popup(cl, &p, 0xff00a0a0);
	xdg_positioner_set_size(pos, 40, 30);
	xdg_positioner_set_anchor_rect(pos, 10, 20, 1, 1);
	xdg_positioner_set_anchor(pos, XDG_POSITIONER_ANCHOR_TOP_LEFT);
	xdg_positioner_set_gravity(pos, XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT);
	p.configured = false;
	xdg_popup_reposition(p.popup, pos, 4242);
	xdg_positioner_destroy(pos);
	fx_dispatch_until(cl, &p.configured);
	FX_CHECK(p.repositioned && p.token == 4242,
		 "no repositioned event with token 4242");
	FX_CHECK(p.x == 10 && p.y == 20 && p.w == 40 && p.h == 30,
		 "repositioned popup at %d,%d %dx%d, expected 10,20 40x30",
		 p.x, p.y, p.w, p.h);
	destroy_popup(&p);
	fx_roundtrip(cl);
}

/* A grabbing popup is dismissed (popup_done) by a click outside it. */
static void check_grab_dismiss(struct fx_client *cl, struct fx_window *parent)
{
	const struct pcase *k = &cases[0];
	struct popup p = { 0 };
	struct xdg_positioner *pos = xdg_wm_base_create_positioner(cl->wm_base);
	struct guestwl_test *t = fx_test(cl);
	struct fx_seat *s = fx_client_track_input(cl);

	fx_window_move(parent, k->parent_x, k->parent_y);
	guestwl_test_pointer_motion_absolute(t, wl_fixed_from_int(150),
					     wl_fixed_from_int(150));
	guestwl_test_pointer_button(t, BTN_LEFT, 1);
	fx_wait_idle(cl);
	fx_roundtrip(cl);
	xdg_positioner_set_size(pos, 60, 40);
	xdg_positioner_set_anchor_rect(pos, 50, 50, 1, 1);
	p.surface = wl_compositor_create_surface(cl->compositor);
	p.xs = xdg_wm_base_get_xdg_surface(cl->wm_base, p.surface);
	xdg_surface_add_listener(p.xs, &xs_listener, &p);
	p.popup = xdg_surface_get_popup(p.xs, parent->xdg_surface, pos);
	xdg_popup_add_listener(p.popup, &popup_listener, &p);
	xdg_positioner_destroy(pos);
	xdg_popup_grab(p.popup, cl->seat, s->last_serial);
	wl_surface_commit(p.surface);
	fx_dispatch_until(cl, &p.configured);
	map_popup(cl, &p, 0xffa000a0);
	guestwl_test_pointer_button(t, BTN_LEFT, 0);
	fx_wait_idle(cl);
	fx_roundtrip(cl);
	FX_CHECK(!p.done, "grabbing popup dismissed before any outside click");
	/* click on the background, outside the client's surfaces */
	fx_click(cl, 600, 450);
	fx_dispatch_until(cl, &p.done);
	destroy_popup(&p);
	fx_roundtrip(cl);
}

int main(int argc, char **argv)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_window *parent = fx_window_create(cl, 200, 200, 0xff3050a0);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(cl, parent, &cases[i]);
	check_mapped(cl, parent);
	check_reposition(cl, parent);
	check_grab_dismiss(cl, parent);
	fx_window_destroy(parent);
	fx_client_destroy(cl);
	return fx_finish(c);
}
