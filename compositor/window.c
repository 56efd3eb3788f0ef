// SPDX-License-Identifier: MIT
/* Window placement, stacking and scene traversal. */
#include <stdlib.h>

#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/window.h"
#include "xdg-shell-server-protocol.h"

struct gwl_window *gwl_window_from_surface(struct gwl_surface *surface)
{
	if (!surface || surface->role != &gwl_xdg_surface_role)
		return NULL;
	return surface->role_data;
}

struct gwl_box gwl_window_geometry(const struct gwl_window *window)
{
	if (window->has_geometry)
		return window->geometry;
	struct gwl_box box = { 0, 0, window->surface ? window->surface->width : 0,
		window->surface ? window->surface->height : 0 };
	return box;
}

void gwl_window_layout_pos(const struct gwl_window *window, int32_t *lx, int32_t *ly)
{
	if (window->kind != GWL_WINDOW_POPUP || !window->popup_parent) {
		*lx = window->lx;
		*ly = window->ly;
		return;
	}
	int32_t px, py;
	gwl_window_layout_pos(window->popup_parent, &px, &py);
	struct gwl_box pg = gwl_window_geometry(window->popup_parent);
	struct gwl_box g = gwl_window_geometry(window);
	*lx = px + pg.x + window->popup_box.x - g.x;
	*ly = py + pg.y + window->popup_box.y - g.y;
}

static void damage_surface(struct gwl_surface *surface, int32_t lx, int32_t ly, void *data)
{
	gwl_server_damage_box(surface->server, lx, ly, surface->width, surface->height);
}

void gwl_window_damage(struct gwl_window *window)
{
	if (window->mapped)
		gwl_window_for_each_surface(window, damage_surface, NULL);
}

void gwl_window_move(struct gwl_window *window, int32_t lx, int32_t ly)
{
	if (window->lx == lx && window->ly == ly)
		return;
	gwl_window_damage(window);
	window->lx = lx;
	window->ly = ly;
	gwl_window_damage(window);
	if (window->server->seat)
		gwl_seat_update_pointer_focus(window->server->seat);
}

void gwl_window_raise(struct gwl_window *window)
{
	if (window->kind != GWL_WINDOW_TOPLEVEL || !window->linked)
		return;
	if (window->link.next == &window->server->windows)
		return;
	wl_list_remove(&window->link);
	wl_list_insert(window->server->windows.prev, &window->link);
	gwl_window_damage(window);
}

void gwl_window_for_each_surface(struct gwl_window *window, gwl_surface_iter_fn fn,
	void *data)
{
	if (!window->mapped || !window->surface)
		return;
	int32_t lx, ly;
	gwl_window_layout_pos(window, &lx, &ly);
	gwl_surface_for_each(window->surface, lx, ly, fn, data);
	struct gwl_window *popup;
	wl_list_for_each(popup, &window->popups, link)
		gwl_window_for_each_surface(popup, fn, data);
}

void gwl_scene_for_each_surface(struct gwl_server *server, gwl_surface_iter_fn fn, void *data)
{
	struct gwl_window *window;
	wl_list_for_each(window, &server->windows, link) {
		if (!window->minimized)
			gwl_window_for_each_surface(window, fn, data);
	}
}

struct gwl_window *gwl_scene_top_window(struct gwl_server *server)
{
	struct gwl_window *window;
	wl_list_for_each_reverse(window, &server->windows, link) {
		if (window->mapped && !window->minimized)
			return window;
	}
	return NULL;
}

static void configure_idle(void *data)
{
	struct gwl_window *window = data;
	window->configure_idle = NULL;
	gwl_window_send_configure(window);
}

void gwl_window_schedule_configure(struct gwl_window *window)
{
	if (window->configure_idle || !window->resource)
		return;
	window->configure_idle =
		wl_event_loop_add_idle(window->server->loop, configure_idle, window);
}

/* ---- positioner ---- */

static int anchor_dx(uint32_t a)
{
	switch (a) {
	case XDG_POSITIONER_ANCHOR_LEFT:
	case XDG_POSITIONER_ANCHOR_TOP_LEFT:
	case XDG_POSITIONER_ANCHOR_BOTTOM_LEFT:
		return -1;
	case XDG_POSITIONER_ANCHOR_RIGHT:
	case XDG_POSITIONER_ANCHOR_TOP_RIGHT:
	case XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT:
		return 1;
	default:
		return 0;
	}
}

static int anchor_dy(uint32_t a)
{
	switch (a) {
	case XDG_POSITIONER_ANCHOR_TOP:
	case XDG_POSITIONER_ANCHOR_TOP_LEFT:
	case XDG_POSITIONER_ANCHOR_TOP_RIGHT:
		return -1;
	case XDG_POSITIONER_ANCHOR_BOTTOM:
	case XDG_POSITIONER_ANCHOR_BOTTOM_LEFT:
	case XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT:
		return 1;
	default:
		return 0;
	}
}

/* Position along one axis for anchor side a and gravity side g (-1, 0, 1). */
static int32_t place_axis(int32_t rect_pos, int32_t rect_len, int32_t size, int a, int g,
	int32_t offset)
{
	int32_t p = rect_pos + (a < 0 ? 0 : a > 0 ? rect_len : rect_len / 2);
	p += g < 0 ? -size : g > 0 ? 0 : -size / 2;
	return p + offset;
}

static bool axis_fits(int32_t pos, int32_t size, int32_t cpos, int32_t csize)
{
	return pos >= cpos && pos + size <= cpos + csize;
}

struct axis_rules {
	int32_t rect_pos, rect_len, size, offset, cpos, csize;
	int a, g;
	bool flip, slide, resize;
};

static void adjust_axis(const struct axis_rules *r, int32_t *pos, int32_t *size)
{
	*size = r->size;
	*pos = place_axis(r->rect_pos, r->rect_len, r->size, r->a, r->g, r->offset);
	if (axis_fits(*pos, *size, r->cpos, r->csize))
		return;
	if (r->flip && (r->a != 0 || r->g != 0)) {
		int32_t flipped = place_axis(r->rect_pos, r->rect_len, r->size, -r->a, -r->g,
			-r->offset);
		if (axis_fits(flipped, *size, r->cpos, r->csize)) {
			*pos = flipped;
			return;
		}
	}
	if (r->slide) {
		if (*pos + *size > r->cpos + r->csize)
			*pos = r->cpos + r->csize - *size;
		if (*pos < r->cpos)
			*pos = r->cpos;
		if (axis_fits(*pos, *size, r->cpos, r->csize))
			return;
	}
	if (r->resize) {
		int32_t start = *pos < r->cpos ? r->cpos : *pos;
		int32_t end = *pos + *size > r->cpos + r->csize ? r->cpos + r->csize
			: *pos + *size;
		if (end > start) {
			*pos = start;
			*size = end - start;
		}
	}
}

struct gwl_box gwl_positioner_place(const struct gwl_positioner_rules *rules,
	const struct gwl_box *c)
{
	uint32_t ca = rules->constraint_adjustment;
	struct axis_rules x = {
		.rect_pos = rules->anchor_rect.x, .rect_len = rules->anchor_rect.width,
		.size = rules->width, .offset = rules->offset_x,
		.cpos = c->x, .csize = c->width,
		.a = anchor_dx(rules->anchor), .g = anchor_dx(rules->gravity),
		.flip = ca & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_FLIP_X,
		.slide = ca & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_X,
		.resize = ca & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_RESIZE_X,
	};
	struct axis_rules y = {
		.rect_pos = rules->anchor_rect.y, .rect_len = rules->anchor_rect.height,
		.size = rules->height, .offset = rules->offset_y,
		.cpos = c->y, .csize = c->height,
		.a = anchor_dy(rules->anchor), .g = anchor_dy(rules->gravity),
		.flip = ca & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_FLIP_Y,
		.slide = ca & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_Y,
		.resize = ca & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_RESIZE_Y,
	};
	struct gwl_box box;
	adjust_axis(&x, &box.x, &box.width);
	adjust_axis(&y, &box.y, &box.height);
	return box;
}
