// SPDX-License-Identifier: MIT
/* xdg_toplevel. */
#include <stdlib.h>
#include <string.h>

#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/shell.h"
#include "xdg-decoration-server-protocol.h"
#include "xdg_shell.h"

static struct gwl_window *toplevel_window(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void toplevel_destroy(struct wl_client *client, struct wl_resource *resource)
{
	struct gwl_window *window = toplevel_window(resource);
	if (window && window->decoration) {
		wl_resource_post_error(window->decoration,
			ZXDG_TOPLEVEL_DECORATION_V1_ERROR_ORPHANED,
			"xdg_toplevel destroyed before its decoration object");
		return;
	}
	wl_resource_destroy(resource);
}

static void parent_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_window *window = wl_container_of(listener, window, parent_destroy);
	wl_list_remove(&window->parent_destroy.link);
	wl_list_init(&window->parent_destroy.link);
	window->parent = NULL;
}

static void toplevel_set_parent(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *parent_resource)
{
	struct gwl_window *window = toplevel_window(resource);
	if (!window)
		return;
	struct gwl_window *parent = parent_resource ? toplevel_window(parent_resource) : NULL;
	for (struct gwl_window *p = parent; p; p = p->parent) {
		if (p == window) {
			wl_resource_post_error(resource, XDG_TOPLEVEL_ERROR_INVALID_PARENT,
				"set_parent would create a loop");
			return;
		}
	}
	wl_list_remove(&window->parent_destroy.link);
	wl_list_init(&window->parent_destroy.link);
	window->parent = parent;
	if (parent)
		wl_signal_add(&parent->destroy_signal, &window->parent_destroy);
}

static void set_string(char **dst, const char *src)
{
	char *copy = strdup(src);
	if (!copy)
		return;
	free(*dst);
	*dst = copy;
}

static void toplevel_set_title(struct wl_client *client, struct wl_resource *resource,
	const char *title)
{
	struct gwl_window *window = toplevel_window(resource);
	if (window)
		set_string(&window->title, title);
}

static void toplevel_set_app_id(struct wl_client *client, struct wl_resource *resource,
	const char *app_id)
{
	struct gwl_window *window = toplevel_window(resource);
	if (window)
		set_string(&window->app_id, app_id);
}

static void toplevel_show_window_menu(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *seat, uint32_t serial, int32_t x, int32_t y)
{
}

static void toplevel_move(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *seat, uint32_t serial)
{
	struct gwl_window *window = toplevel_window(resource);
	struct gwl_server *server = window ? window->server : NULL;
	if (!window || !window->mapped || !gwl_seat_validate_serial(server->seat, serial))
		return;
	server->shell->impl->request_move(server->shell, window);
}

static bool valid_edges(uint32_t edges)
{
	switch (edges) {
	case XDG_TOPLEVEL_RESIZE_EDGE_NONE:
	case XDG_TOPLEVEL_RESIZE_EDGE_TOP:
	case XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM:
	case XDG_TOPLEVEL_RESIZE_EDGE_LEFT:
	case XDG_TOPLEVEL_RESIZE_EDGE_TOP_LEFT:
	case XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM_LEFT:
	case XDG_TOPLEVEL_RESIZE_EDGE_RIGHT:
	case XDG_TOPLEVEL_RESIZE_EDGE_TOP_RIGHT:
	case XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM_RIGHT:
		return true;
	default:
		return false;
	}
}

static void toplevel_resize(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *seat, uint32_t serial, uint32_t edges)
{
	struct gwl_window *window = toplevel_window(resource);
	if (!valid_edges(edges)) {
		wl_resource_post_error(resource, XDG_TOPLEVEL_ERROR_INVALID_RESIZE_EDGE,
			"invalid resize edge %u", edges);
		return;
	}
	struct gwl_server *server = window ? window->server : NULL;
	if (!window || !window->mapped || !gwl_seat_validate_serial(server->seat, serial))
		return;
	server->shell->impl->request_resize(server->shell, window, edges);
}

static bool check_size(struct wl_resource *resource, int32_t w, int32_t h)
{
	if (w >= 0 && h >= 0)
		return true;
	wl_resource_post_error(resource, XDG_TOPLEVEL_ERROR_INVALID_SIZE,
		"negative size %dx%d", w, h);
	return false;
}

static void toplevel_set_max_size(struct wl_client *client, struct wl_resource *resource,
	int32_t width, int32_t height)
{
	struct gwl_window *window = toplevel_window(resource);
	if (!window || !check_size(resource, width, height))
		return;
	window->pending_max_w = width;
	window->pending_max_h = height;
}

static void toplevel_set_min_size(struct wl_client *client, struct wl_resource *resource,
	int32_t width, int32_t height)
{
	struct gwl_window *window = toplevel_window(resource);
	if (!window || !check_size(resource, width, height))
		return;
	window->pending_min_w = width;
	window->pending_min_h = height;
}

static void request_state(struct wl_resource *resource, int which, bool value)
{
	struct gwl_window *window = toplevel_window(resource);
	if (!window)
		return;
	if (which == 0)
		window->requested_maximized = value;
	else if (which == 1)
		window->requested_fullscreen = value;
	else
		window->minimized = value;
	if (window->initial_commit)
		window->server->shell->impl->request_state(window->server->shell, window);
}

static void toplevel_set_maximized(struct wl_client *client, struct wl_resource *resource)
{
	request_state(resource, 0, true);
}

static void toplevel_unset_maximized(struct wl_client *client, struct wl_resource *resource)
{
	request_state(resource, 0, false);
}

static void toplevel_set_fullscreen(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *output)
{
	request_state(resource, 1, true);
}

static void toplevel_unset_fullscreen(struct wl_client *client, struct wl_resource *resource)
{
	request_state(resource, 1, false);
}

static void toplevel_set_minimized(struct wl_client *client, struct wl_resource *resource)
{
	request_state(resource, 2, true);
}

static const struct xdg_toplevel_interface toplevel_impl = {
	.destroy = toplevel_destroy,
	.set_parent = toplevel_set_parent,
	.set_title = toplevel_set_title,
	.set_app_id = toplevel_set_app_id,
	.show_window_menu = toplevel_show_window_menu,
	.move = toplevel_move,
	.resize = toplevel_resize,
	.set_max_size = toplevel_set_max_size,
	.set_min_size = toplevel_set_min_size,
	.set_maximized = toplevel_set_maximized,
	.unset_maximized = toplevel_unset_maximized,
	.set_fullscreen = toplevel_set_fullscreen,
	.unset_fullscreen = toplevel_unset_fullscreen,
	.set_minimized = toplevel_set_minimized,
};

static void toplevel_resource_destroy(struct wl_resource *resource)
{
	struct gwl_window *window = toplevel_window(resource);
	if (!window)
		return;
	gwl_window_unmap(window);
	wl_list_remove(&window->parent_destroy.link);
	wl_list_init(&window->parent_destroy.link);
	window->parent = NULL;
	window->role_resource = NULL;
}

void gwl_xdg_toplevel_create(struct gwl_window *window, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(wl_resource_get_client(window->resource),
		&xdg_toplevel_interface, wl_resource_get_version(window->resource), id);
	if (!r) {
		wl_resource_post_no_memory(window->resource);
		return;
	}
	window->kind = GWL_WINDOW_TOPLEVEL;
	window->role_resource = r;
	wl_list_init(&window->parent_destroy.link);
	window->parent_destroy.notify = parent_destroyed;
	wl_resource_set_implementation(r, &toplevel_impl, window, toplevel_resource_destroy);
}

bool gwl_xdg_toplevel_precommit(struct gwl_window *window)
{
	int32_t min_w = window->pending_min_w, min_h = window->pending_min_h;
	int32_t max_w = window->pending_max_w, max_h = window->pending_max_h;
	if ((max_w > 0 && min_w > max_w) || (max_h > 0 && min_h > max_h)) {
		wl_resource_post_error(window->role_resource, XDG_TOPLEVEL_ERROR_INVALID_SIZE,
			"min size %dx%d larger than max size %dx%d", min_w, min_h, max_w, max_h);
		return false;
	}
	return true;
}

void gwl_xdg_toplevel_commit(struct gwl_window *window)
{
	window->min_w = window->pending_min_w;
	window->min_h = window->pending_min_h;
	window->max_w = window->pending_max_w;
	window->max_h = window->pending_max_h;
	window->current = window->acked;
	struct gwl_surface *s = window->surface;
	if (s && (s->commit_dx || s->commit_dy) && window->mapped)
		gwl_window_move(window, gwl_clamp_coord((int64_t)window->lx + s->commit_dx),
			gwl_clamp_coord((int64_t)window->ly + s->commit_dy));
	if (window->mapped)
		window->server->shell->impl->toplevel_commit(window->server->shell, window);
}

static void add_state(struct wl_array *states, uint32_t state)
{
	uint32_t *p = wl_array_add(states, sizeof(*p));
	if (p)
		*p = state;
}

void gwl_xdg_toplevel_send_configure(struct gwl_window *window, uint32_t serial)
{
	struct wl_resource *r = window->role_resource;
	uint32_t version = wl_resource_get_version(r);
	if (wl_list_length(&window->configures) == 1 && !window->configured) {
		struct gwl_output *o;
		wl_list_for_each(o, &window->server->outputs, link) {
			int32_t w, h;
			gwl_output_logical_size(o, &w, &h);
			if (version >= XDG_TOPLEVEL_CONFIGURE_BOUNDS_SINCE_VERSION)
				xdg_toplevel_send_configure_bounds(r, w, h);
			break;
		}
		if (version >= XDG_TOPLEVEL_WM_CAPABILITIES_SINCE_VERSION) {
			struct wl_array caps;
			wl_array_init(&caps);
			add_state(&caps, XDG_TOPLEVEL_WM_CAPABILITIES_MAXIMIZE);
			add_state(&caps, XDG_TOPLEVEL_WM_CAPABILITIES_FULLSCREEN);
			add_state(&caps, XDG_TOPLEVEL_WM_CAPABILITIES_MINIMIZE);
			xdg_toplevel_send_wm_capabilities(r, &caps);
			wl_array_release(&caps);
		}
	}
	struct wl_array states;
	wl_array_init(&states);
	const struct gwl_toplevel_state *st = &window->pending;
	if (st->maximized)
		add_state(&states, XDG_TOPLEVEL_STATE_MAXIMIZED);
	if (st->fullscreen)
		add_state(&states, XDG_TOPLEVEL_STATE_FULLSCREEN);
	if (st->activated)
		add_state(&states, XDG_TOPLEVEL_STATE_ACTIVATED);
	if (st->resizing)
		add_state(&states, XDG_TOPLEVEL_STATE_RESIZING);
	xdg_toplevel_send_configure(r, st->width, st->height, &states);
	wl_array_release(&states);
}

void gwl_window_send_close(struct gwl_window *window)
{
	if (window->kind == GWL_WINDOW_TOPLEVEL && window->role_resource)
		xdg_toplevel_send_close(window->role_resource);
	else if (window->kind == GWL_WINDOW_POPUP)
		gwl_popup_dismiss(window);
}
