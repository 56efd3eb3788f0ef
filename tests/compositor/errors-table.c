/* SPDX-License-Identifier: MIT */
/*
 * The protocol-error table: each entry provokes one error on a fresh client
 * connection. Requests are only queued here; the runner flushes and waits
 * for the error.
 */
#include <linux/input-event-codes.h>
#include <stdlib.h>
#include <unistd.h>

#include "errors.h"

bool err_button_down;
uint32_t err_destroyed_id;

static void press(struct fx_client *cl)
{
	guestwl_test_pointer_button(fx_test(cl), BTN_LEFT, 1);
	err_button_down = true;
	fx_wait_idle(cl);
	fx_roundtrip(cl);
}

static struct wl_surface *surface(struct fx_client *cl)
{
	return wl_compositor_create_surface(cl->compositor);
}

static struct wl_buffer *buffer(struct fx_client *cl, int w, int h)
{
	/* the fx_buffer struct is leaked on purpose: the client dies anyway */
	struct fx_buffer *b = fx_buffer_create(cl, w, h,
					       WL_SHM_FORMAT_XRGB8888);

	fx_buffer_fill(b, 0xff808080);
	return b->wl_buffer;
}

/* A toplevel that got its first configure (acked, not mapped). */
static struct fx_window *configured(struct fx_client *cl)
{
	struct fx_window *w = fx_window_create_unmapped(cl);

	fx_dispatch_until(cl, &w->configured);
	xdg_surface_ack_configure(w->xdg_surface, w->configure_serial);
	w->acked = true;
	return w;
}

static struct xdg_positioner *positioner(struct fx_client *cl)
{
	struct xdg_positioner *p = xdg_wm_base_create_positioner(cl->wm_base);

	xdg_positioner_set_size(p, 20, 20);
	xdg_positioner_set_anchor_rect(p, 0, 0, 10, 10);
	return p;
}

struct mapped_popup {
	struct wl_surface *s;
	struct xdg_surface *xs;
	struct xdg_popup *p;
};

static void popup_conf(void *data, struct xdg_surface *xs, uint32_t serial)
{
	xdg_surface_ack_configure(xs, serial);
	*(bool *)data = true;
}

static const struct xdg_surface_listener popup_xs_listener = { popup_conf };

static struct mapped_popup popup(struct fx_client *cl, struct xdg_surface *parent,
				 uint32_t grab_serial)
{
	struct mapped_popup m;
	struct xdg_positioner *pos = positioner(cl);
	static bool conf;

	conf = false;
	m.s = surface(cl);
	m.xs = xdg_wm_base_get_xdg_surface(cl->wm_base, m.s);
	xdg_surface_add_listener(m.xs, &popup_xs_listener, &conf);
	m.p = xdg_surface_get_popup(m.xs, parent, pos);
	if (grab_serial)
		xdg_popup_grab(m.p, cl->seat, grab_serial);
	wl_surface_commit(m.s);
	fx_dispatch_until(cl, &conf);
	wl_surface_attach(m.s, buffer(cl, 20, 20), 0, 0);
	wl_surface_commit(m.s);
	return m;
}

/* Mapped toplevel at (100,100) under the pointer; returns the window. */
static struct fx_window *focused_window(struct fx_client *cl)
{
	struct fx_window *w;

	fx_client_track_input(cl);
	w = fx_window_create(cl, 100, 100, 0xff808080);
	fx_window_move(w, 100, 100);
	guestwl_test_pointer_motion_absolute(fx_test(cl),
					     wl_fixed_from_int(120),
					     wl_fixed_from_int(120));
	fx_wait_idle(cl);
	fx_roundtrip(cl);
	return w;
}

/* ---- xdg_wm_base -------------------------------------------------------- */

static void wm_role(struct fx_client *cl)
{
	struct wl_surface *s = surface(cl);

	wl_subcompositor_get_subsurface(cl->subcompositor, s, surface(cl));
	xdg_wm_base_get_xdg_surface(cl->wm_base, s);
}

static void wm_defunct(struct fx_client *cl)
{
	xdg_wm_base_get_xdg_surface(cl->wm_base, surface(cl));
	err_destroyed_id = wl_proxy_get_id((struct wl_proxy *)cl->wm_base);
	xdg_wm_base_destroy(cl->wm_base);
	cl->wm_base = NULL;
}

static void wm_not_topmost(struct fx_client *cl)
{
	struct fx_window *w = focused_window(cl);
	struct mapped_popup a, b;
	uint32_t serial;

	press(cl);
	serial = cl->input->last_serial;
	a = popup(cl, w->xdg_surface, serial);
	b = popup(cl, a.xs, serial);
	(void)b;
	xdg_popup_destroy(a.p);
}

static void wm_popup_parent(struct fx_client *cl)
{
	struct xdg_surface *parent =
		xdg_wm_base_get_xdg_surface(cl->wm_base, surface(cl));
	struct xdg_surface *xs =
		xdg_wm_base_get_xdg_surface(cl->wm_base, surface(cl));

	xdg_surface_get_popup(xs, parent, positioner(cl));
}

static void wm_surface_state(struct fx_client *cl)
{
	struct wl_surface *s = surface(cl);

	wl_surface_attach(s, buffer(cl, 10, 10), 0, 0);
	wl_surface_commit(s);
	xdg_wm_base_get_xdg_surface(cl->wm_base, s);
}

static void wm_positioner(struct fx_client *cl)
{
	struct fx_window *w = configured(cl);
	struct xdg_surface *xs =
		xdg_wm_base_get_xdg_surface(cl->wm_base, surface(cl));

	/* no set_size: incomplete positioner */
	xdg_surface_get_popup(xs, w->xdg_surface,
			      xdg_wm_base_create_positioner(cl->wm_base));
}

/* ---- xdg_surface -------------------------------------------------------- */

static void xs_not_constructed(struct fx_client *cl)
{
	struct wl_surface *s = surface(cl);

	xdg_wm_base_get_xdg_surface(cl->wm_base, s);
	wl_surface_commit(s);
}

static void xs_already_constructed(struct fx_client *cl)
{
	struct xdg_surface *xs =
		xdg_wm_base_get_xdg_surface(cl->wm_base, surface(cl));

	xdg_surface_get_toplevel(xs);
	xdg_surface_get_toplevel(xs);
}

static void xs_unconfigured_buffer(struct fx_client *cl)
{
	struct wl_surface *s = surface(cl);
	struct xdg_surface *xs = xdg_wm_base_get_xdg_surface(cl->wm_base, s);

	xdg_surface_get_toplevel(xs);
	wl_surface_attach(s, buffer(cl, 10, 10), 0, 0);
	wl_surface_commit(s);
}

static void xs_invalid_serial(struct fx_client *cl)
{
	struct fx_window *w = fx_window_create_unmapped(cl);

	fx_dispatch_until(cl, &w->configured);
	xdg_surface_ack_configure(w->xdg_surface, w->configure_serial + 1000);
}

static void xs_invalid_size(struct fx_client *cl)
{
	xdg_surface_set_window_geometry(configured(cl)->xdg_surface,
					0, 0, 0, 10);
}

static void xs_defunct_role(struct fx_client *cl)
{
	struct xdg_surface *xs = configured(cl)->xdg_surface;

	err_destroyed_id = wl_proxy_get_id((struct wl_proxy *)xs);
	xdg_surface_destroy(xs);
}

/* ---- xdg_toplevel ------------------------------------------------------- */

static void tl_resize_edge(struct fx_client *cl)
{
	struct fx_window *w = focused_window(cl);

	xdg_toplevel_resize(w->toplevel, cl->seat, cl->input->last_serial, 99);
}

static void tl_invalid_parent(struct fx_client *cl)
{
	struct fx_window *w = configured(cl);

	xdg_toplevel_set_parent(w->toplevel, w->toplevel);
}

static void tl_invalid_size(struct fx_client *cl)
{
	struct fx_window *w = configured(cl);

	xdg_toplevel_set_min_size(w->toplevel, -5, 10);
	wl_surface_commit(w->surface);
}

static void tl_min_over_max(struct fx_client *cl)
{
	struct fx_window *w = configured(cl);

	xdg_toplevel_set_max_size(w->toplevel, 50, 50);
	xdg_toplevel_set_min_size(w->toplevel, 100, 100);
	wl_surface_commit(w->surface);
}

/* ---- xdg_positioner ----------------------------------------------------- */

static void pos_size(struct fx_client *cl)
{
	xdg_positioner_set_size(xdg_wm_base_create_positioner(cl->wm_base),
				0, 10);
}

static void pos_anchor_rect(struct fx_client *cl)
{
	xdg_positioner_set_anchor_rect(
		xdg_wm_base_create_positioner(cl->wm_base), 0, 0, -1, 5);
}

static void pos_anchor(struct fx_client *cl)
{
	xdg_positioner_set_anchor(xdg_wm_base_create_positioner(cl->wm_base),
				  99);
}

static void pos_gravity(struct fx_client *cl)
{
	xdg_positioner_set_gravity(xdg_wm_base_create_positioner(cl->wm_base),
				   99);
}

/* ---- xdg_popup ---------------------------------------------------------- */

static void popup_late_grab(struct fx_client *cl)
{
	struct fx_window *w = focused_window(cl);
	struct mapped_popup p = popup(cl, w->xdg_surface, 0);

	fx_roundtrip(cl);
	xdg_popup_grab(p.p, cl->seat, cl->input->last_serial);
}

/* ---- wl_surface --------------------------------------------------------- */

static void surf_scale(struct fx_client *cl)
{
	wl_surface_set_buffer_scale(surface(cl), 0);
}

static void surf_transform(struct fx_client *cl)
{
	wl_surface_set_buffer_transform(surface(cl), 8);
}

static void surf_size(struct fx_client *cl)
{
	struct fx_window *w = configured(cl);

	wl_surface_set_buffer_scale(w->surface, 2);
	wl_surface_attach(w->surface, buffer(cl, 3, 3), 0, 0);
	wl_surface_commit(w->surface);
}

static void surf_offset(struct fx_client *cl)
{
	FX_REQUIRE(cl->compositor_version >= 5, "wl_compositor < v5");
	wl_surface_attach(surface(cl), buffer(cl, 10, 10), 5, 5);
}

/* ---- wl_shm ------------------------------------------------------------- */

static struct wl_shm_pool *pool(struct fx_client *cl, int size)
{
	int fd = fx_memfd((size_t)size);
	struct wl_shm_pool *p = wl_shm_create_pool(cl->shm, fd, size);

	close(fd);
	return p;
}

static void shm_format(struct fx_client *cl)
{
	wl_shm_pool_create_buffer(pool(cl, 4096), 0, 16, 16, 64, 0x12345678);
}

static void shm_stride(struct fx_client *cl)
{
	/* libwayland's wl_shm requires stride >= width */
	wl_shm_pool_create_buffer(pool(cl, 4096), 0, 16, 16, 8,
				  WL_SHM_FORMAT_XRGB8888);
}

static void shm_beyond_pool(struct fx_client *cl)
{
	wl_shm_pool_create_buffer(pool(cl, 4096), 0, 64, 64, 256,
				  WL_SHM_FORMAT_XRGB8888);
}

static void shm_pool_size(struct fx_client *cl)
{
	int fd = fx_memfd(4096);

	wl_shm_create_pool(cl->shm, fd, 0);
	close(fd);
}

static void shm_fd(struct fx_client *cl)
{
	int p[2];

	FX_REQUIRE(pipe(p) == 0, "pipe");
	wl_shm_create_pool(cl->shm, p[0], 4096);
	close(p[0]);
	close(p[1]);
}

/* ---- wl_subcompositor / wl_subsurface ----------------------------------- */

static void sub_self(struct fx_client *cl)
{
	struct wl_surface *s = surface(cl);

	wl_subcompositor_get_subsurface(cl->subcompositor, s, s);
}

static void sub_has_role(struct fx_client *cl)
{
	wl_subcompositor_get_subsurface(cl->subcompositor,
					configured(cl)->surface, surface(cl));
}

static void sub_loop(struct fx_client *cl)
{
	struct wl_surface *a = surface(cl), *b = surface(cl);

	wl_subcompositor_get_subsurface(cl->subcompositor, a, b);
	wl_subcompositor_get_subsurface(cl->subcompositor, b, a);
}

static void sub_not_sibling(struct fx_client *cl)
{
	struct wl_surface *parent = surface(cl);
	struct wl_subsurface *sub = wl_subcompositor_get_subsurface(
		cl->subcompositor, surface(cl), parent);

	wl_subsurface_place_above(sub, surface(cl));
}

/* ---- wl_pointer / wl_data_* --------------------------------------------- */

static void pointer_role(struct fx_client *cl)
{
	struct fx_window *w = focused_window(cl);
	struct fx_window *other = configured(cl);

	FX_REQUIRE(cl->input->pointer_focus == w->surface,
		   "pointer did not enter the window");
	wl_pointer_set_cursor(cl->input->pointer,
			      cl->input->pointer_enter_serial, other->surface,
			      0, 0);
}

static void source_action_mask(struct fx_client *cl)
{
	wl_data_source_set_actions(
		wl_data_device_manager_create_data_source(cl->ddm), 0x80);
}

static void source_dnd_as_selection(struct fx_client *cl)
{
	struct wl_data_source *src =
		wl_data_device_manager_create_data_source(cl->ddm);
	struct wl_data_device *dev =
		wl_data_device_manager_get_data_device(cl->ddm, cl->seat);

	wl_data_source_set_actions(src,
				   WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY);
	wl_data_device_set_selection(dev, src, 0);
}

static void device_icon_role(struct fx_client *cl)
{
	struct fx_window *w = focused_window(cl);
	struct wl_data_device *dev =
		wl_data_device_manager_get_data_device(cl->ddm, cl->seat);
	struct wl_data_source *src =
		wl_data_device_manager_create_data_source(cl->ddm);

	press(cl);
	wl_data_source_offer(src, "text/plain");
	/* the icon already is a toplevel: role error */
	wl_data_device_start_drag(dev, src, w->surface, configured(cl)->surface,
				  cl->input->last_serial);
}

/* ---- wp_viewporter ------------------------------------------------------ */

static void vp_exists(struct fx_client *cl)
{
	struct wl_surface *s = surface(cl);

	wp_viewporter_get_viewport(cl->viewporter, s);
	wp_viewporter_get_viewport(cl->viewporter, s);
}

static void vp_bad_source(struct fx_client *cl)
{
	wp_viewport_set_source(wp_viewporter_get_viewport(cl->viewporter,
							  surface(cl)),
			       wl_fixed_from_int(-1), 0, wl_fixed_from_int(5),
			       wl_fixed_from_int(5));
}

static void vp_bad_dest(struct fx_client *cl)
{
	wp_viewport_set_destination(
		wp_viewporter_get_viewport(cl->viewporter, surface(cl)), 0, 10);
}

static void vp_bad_size(struct fx_client *cl)
{
	struct fx_window *w = configured(cl);
	struct wp_viewport *vp = wp_viewporter_get_viewport(cl->viewporter,
							    w->surface);

	wp_viewport_set_source(vp, 0, 0, wl_fixed_from_double(5.5),
			       wl_fixed_from_int(5));
	wl_surface_attach(w->surface, buffer(cl, 10, 10), 0, 0);
	wl_surface_commit(w->surface);
}

static void vp_out_of_buffer(struct fx_client *cl)
{
	struct fx_window *w = configured(cl);
	struct wp_viewport *vp = wp_viewporter_get_viewport(cl->viewporter,
							    w->surface);

	wp_viewport_set_source(vp, 0, 0, wl_fixed_from_int(50),
			       wl_fixed_from_int(50));
	wl_surface_attach(w->surface, buffer(cl, 10, 10), 0, 0);
	wl_surface_commit(w->surface);
}

static void vp_no_surface(struct fx_client *cl)
{
	struct wl_surface *s = surface(cl);
	struct wp_viewport *vp = wp_viewporter_get_viewport(cl->viewporter, s);

	wl_surface_destroy(s);
	wp_viewport_set_destination(vp, 10, 10);
}

/* ---- zxdg_decoration_manager_v1 ----------------------------------------- */

static void deco_twice(struct fx_client *cl)
{
	struct fx_window *w = configured(cl);

	zxdg_decoration_manager_v1_get_toplevel_decoration(cl->decoration,
							   w->toplevel);
	zxdg_decoration_manager_v1_get_toplevel_decoration(cl->decoration,
							   w->toplevel);
}

static void deco_after_buffer(struct fx_client *cl)
{
	struct fx_window *w = fx_window_create(cl, 20, 20, 0xff808080);

	zxdg_decoration_manager_v1_get_toplevel_decoration(cl->decoration,
							   w->toplevel);
}

static void deco_orphaned(struct fx_client *cl)
{
	struct fx_window *w = configured(cl);

	zxdg_decoration_manager_v1_get_toplevel_decoration(cl->decoration,
							   w->toplevel);
	err_destroyed_id = wl_proxy_get_id((struct wl_proxy *)w->toplevel);
	xdg_toplevel_destroy(w->toplevel);
}

#define E(g, n, f, i, c) { g, n, f, i, c, NULL }
/*
 * The decoration errors are codes of zxdg_toplevel_decoration_v1; for the
 * two raised by get_toplevel_decoration, wlroots posts them on the manager
 * (the request's object), so that object is accepted too.
 */
#define DECO "zxdg_toplevel_decoration_v1"
const struct err_case err_cases[] = {
	E("xdg_wm_base", "role", wm_role, "xdg_wm_base", 0),
	E("xdg_wm_base", "defunct_surfaces", wm_defunct, "xdg_wm_base", 1),
	E("xdg_wm_base", "not_the_topmost_popup", wm_not_topmost,
	  "xdg_wm_base", 2),
	E("xdg_wm_base", "invalid_popup_parent", wm_popup_parent,
	  "xdg_wm_base", 3),
	E("xdg_wm_base", "invalid_surface_state", wm_surface_state,
	  "xdg_wm_base", 4),
	E("xdg_wm_base", "invalid_positioner", wm_positioner, "xdg_wm_base", 5),
	E("xdg_surface", "not_constructed", xs_not_constructed,
	  "xdg_surface", 1),
	E("xdg_surface", "already_constructed", xs_already_constructed,
	  "xdg_surface", 2),
	E("xdg_surface", "unconfigured_buffer", xs_unconfigured_buffer,
	  "xdg_surface", 3),
	E("xdg_surface", "invalid_serial", xs_invalid_serial, "xdg_surface", 4),
	E("xdg_surface", "invalid_size", xs_invalid_size, "xdg_surface", 5),
	E("xdg_surface", "defunct_role_object", xs_defunct_role,
	  "xdg_surface", 6),
	E("xdg_toplevel", "invalid_resize_edge", tl_resize_edge,
	  "xdg_toplevel", 0),
	E("xdg_toplevel", "invalid_parent", tl_invalid_parent,
	  "xdg_toplevel", 1),
	E("xdg_toplevel", "invalid_size", tl_invalid_size, "xdg_toplevel", 2),
	E("xdg_toplevel", "min_over_max", tl_min_over_max, "xdg_toplevel", 2),
	E("xdg_positioner", "zero_size", pos_size, "xdg_positioner", 0),
	E("xdg_positioner", "negative_anchor_rect", pos_anchor_rect,
	  "xdg_positioner", 0),
	E("xdg_positioner", "bad_anchor", pos_anchor, "xdg_positioner", 0),
	E("xdg_positioner", "bad_gravity", pos_gravity, "xdg_positioner", 0),
	E("xdg_popup", "invalid_grab", popup_late_grab, "xdg_popup", 0),
	E("wl_surface", "invalid_scale", surf_scale, "wl_surface", 0),
	E("wl_surface", "invalid_transform", surf_transform, "wl_surface", 1),
	E("wl_surface", "invalid_size", surf_size, "wl_surface", 2),
	E("wl_surface", "invalid_offset", surf_offset, "wl_surface", 3),
	/* wl_shm_pool requests raise wl_shm error codes on the pool */
	E("wl_shm", "invalid_format", shm_format, "wl_shm_pool", 0),
	E("wl_shm", "invalid_stride", shm_stride, "wl_shm_pool", 1),
	E("wl_shm", "buffer_beyond_pool", shm_beyond_pool, "wl_shm_pool", 1),
	E("wl_shm", "pool_size_zero", shm_pool_size, "wl_shm", 1),
	E("wl_shm", "invalid_fd", shm_fd, "wl_shm", 2),
	E("wl_subcompositor", "self_parent", sub_self, "wl_subcompositor", 0),
	E("wl_subcompositor", "surface_has_role", sub_has_role,
	  "wl_subcompositor", 0),
	E("wl_subcompositor", "parent_loop", sub_loop, "wl_subcompositor", 0),
	E("wl_subsurface", "not_a_sibling", sub_not_sibling,
	  "wl_subsurface", 0),
	E("wl_pointer", "role", pointer_role, "wl_pointer", 0),
	E("wl_data", "source_invalid_action_mask", source_action_mask,
	  "wl_data_source", 0),
	E("wl_data", "source_dnd_as_selection", source_dnd_as_selection,
	  "wl_data_source", 1),
	E("wl_data", "device_icon_role", device_icon_role, "wl_data_device", 0),
	E("wp_viewport", "viewport_exists", vp_exists, "wp_viewporter", 0),
	E("wp_viewport", "bad_source", vp_bad_source, "wp_viewport", 0),
	E("wp_viewport", "bad_destination", vp_bad_dest, "wp_viewport", 0),
	E("wp_viewport", "bad_size", vp_bad_size, "wp_viewport", 1),
	E("wp_viewport", "out_of_buffer", vp_out_of_buffer, "wp_viewport", 2),
	E("wp_viewport", "no_surface", vp_no_surface, "wp_viewport", 3),
	{ DECO, "already_constructed", deco_twice, DECO, 1,
	  "zxdg_decoration_manager_v1" },
	{ DECO, "unconfigured_buffer", deco_after_buffer, DECO, 0,
	  "zxdg_decoration_manager_v1" },
	E("zxdg_toplevel_decoration_v1", "orphaned", deco_orphaned,
	  "zxdg_toplevel_decoration_v1", 2),
};
const size_t n_err_cases = sizeof(err_cases) / sizeof(err_cases[0]);
