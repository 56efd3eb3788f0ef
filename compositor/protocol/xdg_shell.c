// SPDX-License-Identifier: MIT
/* xdg_wm_base, xdg_positioner and xdg_surface. */
#include <stdlib.h>
#include <string.h>

#include "guestwl/log.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/shell.h"
#include "xdg_shell.h"

#define WM_BASE_VERSION 5

struct window_link {
	struct gwl_window window;
	struct gwl_wm_base *wm_base;
	struct wl_list wm_link;
};

static struct window_link *link_of(struct gwl_window *window)
{
	/* window is the first member of window_link. */
	return (struct window_link *)window;
}

struct wl_resource *gwl_window_wm_base_resource(struct gwl_window *window)
{
	struct window_link *l = link_of(window);
	return l->wm_base ? l->wm_base->resource : window->resource;
}

/* ---- xdg_positioner ---- */

static const struct xdg_positioner_interface positioner_impl;

struct gwl_positioner *gwl_positioner_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void positioner_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void positioner_set_size(struct wl_client *client, struct wl_resource *resource,
	int32_t width, int32_t height)
{
	struct gwl_positioner *p = gwl_positioner_from_resource(resource);
	if (width <= 0 || height <= 0) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
			"positioner size %dx%d is not positive", width, height);
		return;
	}
	p->rules.width = gwl_clamp_coord(width);
	p->rules.height = gwl_clamp_coord(height);
	p->has_size = true;
}

static void positioner_set_anchor_rect(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct gwl_positioner *p = gwl_positioner_from_resource(resource);
	if (width < 0 || height < 0) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
			"anchor rect size %dx%d is negative", width, height);
		return;
	}
	p->rules.anchor_rect = (struct gwl_box){ gwl_clamp_coord(x), gwl_clamp_coord(y),
		gwl_clamp_coord(width), gwl_clamp_coord(height) };
	p->has_anchor_rect = true;
}

static void positioner_set_anchor(struct wl_client *client, struct wl_resource *resource,
	uint32_t anchor)
{
	if (anchor > XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
			"invalid anchor %u", anchor);
		return;
	}
	gwl_positioner_from_resource(resource)->rules.anchor = anchor;
}

static void positioner_set_gravity(struct wl_client *client, struct wl_resource *resource,
	uint32_t gravity)
{
	if (gravity > XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
			"invalid gravity %u", gravity);
		return;
	}
	gwl_positioner_from_resource(resource)->rules.gravity = gravity;
}

static void positioner_set_constraint_adjustment(struct wl_client *client,
	struct wl_resource *resource, uint32_t adjustment)
{
	gwl_positioner_from_resource(resource)->rules.constraint_adjustment = adjustment;
}

static void positioner_set_offset(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y)
{
	struct gwl_positioner *p = gwl_positioner_from_resource(resource);
	p->rules.offset_x = gwl_clamp_coord(x);
	p->rules.offset_y = gwl_clamp_coord(y);
}

static void positioner_set_reactive(struct wl_client *client, struct wl_resource *resource)
{
	gwl_positioner_from_resource(resource)->rules.reactive = true;
}

static void positioner_set_parent_size(struct wl_client *client, struct wl_resource *resource,
	int32_t width, int32_t height)
{
	struct gwl_positioner *p = gwl_positioner_from_resource(resource);
	p->rules.parent_width = width;
	p->rules.parent_height = height;
	p->rules.has_parent_size = true;
}

static void positioner_set_parent_configure(struct wl_client *client,
	struct wl_resource *resource, uint32_t serial)
{
}

static const struct xdg_positioner_interface positioner_impl = {
	.destroy = positioner_destroy,
	.set_size = positioner_set_size,
	.set_anchor_rect = positioner_set_anchor_rect,
	.set_anchor = positioner_set_anchor,
	.set_gravity = positioner_set_gravity,
	.set_constraint_adjustment = positioner_set_constraint_adjustment,
	.set_offset = positioner_set_offset,
	.set_reactive = positioner_set_reactive,
	.set_parent_size = positioner_set_parent_size,
	.set_parent_configure = positioner_set_parent_configure,
};

static void positioner_resource_destroy(struct wl_resource *resource)
{
	free(gwl_positioner_from_resource(resource));
}

/* ---- xdg_surface ---- */

static const struct xdg_surface_interface xdg_surface_impl;

static struct gwl_window *window_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void xdg_surface_destroy(struct wl_client *client, struct wl_resource *resource)
{
	struct gwl_window *window = window_from_resource(resource);
	if (window && window->role_resource) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_DEFUNCT_ROLE_OBJECT,
			"xdg_surface destroyed before its role object");
		return;
	}
	wl_resource_destroy(resource);
}

static bool check_constructed(struct gwl_window *window, struct wl_resource *resource)
{
	if (window->kind != GWL_WINDOW_NONE) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_ALREADY_CONSTRUCTED,
			"xdg_surface already has a role object");
		return false;
	}
	return true;
}

/* options.configure_on_create: see server.h and docs/wlcs.md. */
static void configure_on_create(struct gwl_window *window)
{
	struct gwl_server *server = window->server;
	if (!server->options.configure_on_create || window->kind == GWL_WINDOW_NONE)
		return;
	if (window->kind == GWL_WINDOW_TOPLEVEL)
		server->shell->impl->toplevel_new(server->shell, window);
	gwl_window_send_configure(window);
	window->configured = true;
}

static void xdg_surface_get_toplevel(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	struct gwl_window *window = window_from_resource(resource);
	if (!window || !check_constructed(window, resource))
		return;
	gwl_xdg_toplevel_create(window, id);
	configure_on_create(window);
}

static void xdg_surface_get_popup(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *parent_resource, struct wl_resource *positioner)
{
	struct gwl_window *window = window_from_resource(resource);
	if (!window || !check_constructed(window, resource))
		return;
	struct gwl_positioner *p = gwl_positioner_from_resource(positioner);
	if (!p->has_size || !p->has_anchor_rect) {
		wl_resource_post_error(gwl_window_wm_base_resource(window),
			XDG_WM_BASE_ERROR_INVALID_POSITIONER,
			"positioner without size or anchor rectangle");
		return;
	}
	struct gwl_window *parent = parent_resource ? window_from_resource(parent_resource)
		: NULL;
	gwl_xdg_popup_create(window, id, parent, p);
	configure_on_create(window);
}

static void xdg_surface_set_window_geometry(struct wl_client *client,
	struct wl_resource *resource, int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct gwl_window *window = window_from_resource(resource);
	if (!window)
		return;
	if (window->kind == GWL_WINDOW_NONE) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_NOT_CONSTRUCTED,
			"set_window_geometry before a role object");
		return;
	}
	if (width <= 0 || height <= 0) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_INVALID_SIZE,
			"window geometry %dx%d is not positive", width, height);
		return;
	}
	window->pending_geometry = (struct gwl_box){ gwl_clamp_coord(x), gwl_clamp_coord(y),
		gwl_clamp_coord(width), gwl_clamp_coord(height) };
	window->pending_has_geometry = true;
}

static void xdg_surface_ack_configure(struct wl_client *client, struct wl_resource *resource,
	uint32_t serial)
{
	struct gwl_window *window = window_from_resource(resource);
	if (!window)
		return;
	if (window->kind == GWL_WINDOW_NONE) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_NOT_CONSTRUCTED,
			"ack_configure before a role object");
		return;
	}
	struct gwl_configure *c, *tmp, *found = NULL;
	wl_list_for_each(c, &window->configures, link) {
		if (c->serial == serial) {
			found = c;
			break;
		}
	}
	if (!found) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_INVALID_SERIAL,
			"serial %u was not sent or already acked", serial);
		return;
	}
	wl_list_for_each_safe(c, tmp, &window->configures, link) {
		bool last = c == found;
		if (last)
			window->acked = c->state;
		wl_list_remove(&c->link);
		free(c);
		if (last)
			break;
	}
	window->configured = true;
}

static const struct xdg_surface_interface xdg_surface_impl = {
	.destroy = xdg_surface_destroy,
	.get_toplevel = xdg_surface_get_toplevel,
	.get_popup = xdg_surface_get_popup,
	.set_window_geometry = xdg_surface_set_window_geometry,
	.ack_configure = xdg_surface_ack_configure,
};

static bool xdg_precommit(struct gwl_surface *surface, const struct gwl_surface_state *next)
{
	struct gwl_window *window = gwl_window_from_surface(surface);
	if (!window || !window->resource)
		return true;
	bool attaching = (next->fields & GWL_STATE_BUFFER) && next->buffer;
	if (window->kind == GWL_WINDOW_NONE) {
		wl_resource_post_error(window->resource, XDG_SURFACE_ERROR_NOT_CONSTRUCTED,
			"xdg_surface committed before it got a role object");
		return false;
	}
	if (attaching && !window->configured) {
		wl_resource_post_error(window->resource, XDG_SURFACE_ERROR_UNCONFIGURED_BUFFER,
			"buffer committed before the first ack_configure");
		return false;
	}
	if (window->kind == GWL_WINDOW_TOPLEVEL)
		return gwl_xdg_toplevel_precommit(window);
	return true;
}

static void map_window(struct gwl_window *window)
{
	struct gwl_server *server = window->server;
	window->mapped = true;
	if (window->kind == GWL_WINDOW_TOPLEVEL) {
		wl_list_insert(server->windows.prev, &window->link);
		window->linked = true;
		server->shell->impl->toplevel_map(server->shell, window);
	} else {
		gwl_xdg_popup_map(window);
	}
	gwl_window_damage(window);
	gwl_seat_update_pointer_focus(server->seat);
}

static void xdg_commit(struct gwl_surface *surface)
{
	struct gwl_window *window = gwl_window_from_surface(surface);
	if (!window || window->kind == GWL_WINDOW_NONE || !window->role_resource)
		return;
	if (window->pending_has_geometry) {
		if (window->mapped)
			gwl_window_damage(window);
		window->geometry = window->pending_geometry;
		window->has_geometry = true;
	}
	if (window->kind == GWL_WINDOW_TOPLEVEL)
		gwl_xdg_toplevel_commit(window);
	else
		gwl_xdg_popup_commit(window);
	if (!window->initial_commit) {
		window->initial_commit = true;
		if (window->kind == GWL_WINDOW_TOPLEVEL)
			window->server->shell->impl->toplevel_new(window->server->shell, window);
		gwl_window_schedule_configure(window);
		if (!window->configured) /* always, unless configure_on_create */
			return;
	}
	if (gwl_surface_has_content(surface) && !window->mapped && window->configured)
		map_window(window);
	else if (!gwl_surface_has_content(surface) && window->mapped) {
		gwl_window_unmap(window);
		configure_on_create(window); /* ready to be mapped again */
	}
}

const struct gwl_surface_role gwl_xdg_surface_role = {
	.name = "xdg_surface",
	.commit = xdg_commit,
	.precommit = xdg_precommit,
};

static void free_configures(struct gwl_window *window)
{
	struct gwl_configure *c, *tmp;
	wl_list_for_each_safe(c, tmp, &window->configures, link) {
		wl_list_remove(&c->link);
		free(c);
	}
}

void gwl_window_unmap(struct gwl_window *window)
{
	struct gwl_server *server = window->server;
	struct gwl_window *popup, *tmp;
	if (window->mapped) {
		gwl_window_damage(window);
		window->mapped = false;
		if (window->kind == GWL_WINDOW_TOPLEVEL)
			server->shell->impl->toplevel_unmap(server->shell, window);
		if (window->surface)
			gwl_surface_update_outputs(window->surface, 0);
	}
	/* After unmapping: a dismissed grabbing popup must not hand the
	 * keyboard focus back to this window (its surface may be dying). */
	wl_list_for_each_safe(popup, tmp, &window->popups, link)
		gwl_popup_dismiss(popup);
	if (window->linked) {
		wl_list_remove(&window->link);
		wl_list_init(&window->link);
		window->linked = false;
	}
	gwl_seat_popup_ungrab(server->seat, window);
	window->initial_commit = false;
	window->configured = false;
	free_configures(window);
	gwl_seat_update_pointer_focus(server->seat);
}

void gwl_window_send_configure(struct gwl_window *window)
{
	if (!window->resource || !window->role_resource)
		return;
	uint32_t serial = wl_display_next_serial(window->server->display);
	if (window->kind == GWL_WINDOW_TOPLEVEL) {
		struct gwl_configure *c = calloc(1, sizeof(*c));
		if (!c) {
			wl_resource_post_no_memory(window->resource);
			return;
		}
		c->serial = serial;
		c->state = window->pending;
		wl_list_insert(window->configures.prev, &c->link);
		gwl_xdg_toplevel_send_configure(window, serial);
	} else if (window->kind == GWL_WINDOW_POPUP) {
		struct gwl_configure *c = calloc(1, sizeof(*c));
		if (!c) {
			wl_resource_post_no_memory(window->resource);
			return;
		}
		c->serial = serial;
		wl_list_insert(window->configures.prev, &c->link);
		gwl_xdg_popup_send_configure(window);
	}
	window->last_serial = serial;
	xdg_surface_send_configure(window->resource, serial);
}

static void window_surface_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_window *window = wl_container_of(listener, window, surface_destroy);
	gwl_window_unmap(window);
	wl_list_remove(&window->surface_destroy.link);
	wl_list_init(&window->surface_destroy.link);
	window->surface = NULL;
}

static void xdg_surface_resource_destroy(struct wl_resource *resource)
{
	struct gwl_window *window = window_from_resource(resource);
	if (!window)
		return;
	struct window_link *l = link_of(window);
	gwl_window_unmap(window);
	wl_signal_emit_mutable(&window->destroy_signal, window);
	if (window->role_resource)
		wl_resource_set_user_data(window->role_resource, NULL);
	if (window->configure_idle)
		wl_event_source_remove(window->configure_idle);
	if (window->surface)
		gwl_surface_clear_role_data(window->surface);
	wl_list_remove(&window->surface_destroy.link);
	wl_list_remove(&l->wm_link);
	free(window->title);
	free(window->app_id);
	free(l);
}

static bool check_new_xdg_surface(struct wl_resource *wm_resource, struct gwl_surface *surface)
{
	if (surface->role && (surface->role != &gwl_xdg_surface_role || surface->role_data)) {
		wl_resource_post_error(wm_resource, XDG_WM_BASE_ERROR_ROLE,
			"wl_surface@%u already has a role",
			wl_resource_get_id(surface->resource));
		return false;
	}
	if (gwl_surface_has_content(surface) ||
		((surface->pending.fields & GWL_STATE_BUFFER) && surface->pending.buffer)) {
		wl_resource_post_error(wm_resource, XDG_WM_BASE_ERROR_INVALID_SURFACE_STATE,
			"wl_surface@%u already has a buffer",
			wl_resource_get_id(surface->resource));
		return false;
	}
	return true;
}

static void wm_base_get_xdg_surface(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *surface_resource)
{
	struct gwl_wm_base *wm = wl_resource_get_user_data(resource);
	struct gwl_surface *surface = gwl_surface_from_resource(surface_resource);
	if (!check_new_xdg_surface(resource, surface))
		return;
	struct window_link *l = calloc(1, sizeof(*l));
	struct wl_resource *r = l ? wl_resource_create(client, &xdg_surface_interface,
		wl_resource_get_version(resource), id) : NULL;
	if (!r) {
		free(l);
		wl_resource_post_no_memory(resource);
		return;
	}
	struct gwl_window *window = &l->window;
	l->wm_base = wm;
	wl_list_insert(&wm->windows, &l->wm_link);
	window->server = wm->server;
	window->resource = r;
	window->surface = surface;
	wl_list_init(&window->link);
	wl_list_init(&window->configures);
	wl_list_init(&window->popups);
	wl_signal_init(&window->destroy_signal);
	window->surface_destroy.notify = window_surface_destroyed;
	wl_signal_add(&surface->destroy_signal, &window->surface_destroy);
	surface->role = &gwl_xdg_surface_role;
	surface->role_data = window;
	wl_resource_set_implementation(r, &xdg_surface_impl, window,
		xdg_surface_resource_destroy);
}

static void wm_base_create_positioner(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	struct gwl_positioner *p = calloc(1, sizeof(*p));
	struct wl_resource *r = p ? wl_resource_create(client, &xdg_positioner_interface,
		wl_resource_get_version(resource), id) : NULL;
	if (!r) {
		free(p);
		wl_resource_post_no_memory(resource);
		return;
	}
	p->resource = r;
	wl_resource_set_implementation(r, &positioner_impl, p, positioner_resource_destroy);
}

static void wm_base_destroy(struct wl_client *client, struct wl_resource *resource)
{
	struct gwl_wm_base *wm = wl_resource_get_user_data(resource);
	if (!wl_list_empty(&wm->windows)) {
		wl_resource_post_error(resource, XDG_WM_BASE_ERROR_DEFUNCT_SURFACES,
			"xdg_wm_base destroyed while xdg_surfaces exist");
		return;
	}
	wl_resource_destroy(resource);
}

static void wm_base_pong(struct wl_client *client, struct wl_resource *resource,
	uint32_t serial)
{
}

static const struct xdg_wm_base_interface wm_base_impl = {
	.destroy = wm_base_destroy,
	.create_positioner = wm_base_create_positioner,
	.get_xdg_surface = wm_base_get_xdg_surface,
	.pong = wm_base_pong,
};

static void wm_base_resource_destroy(struct wl_resource *resource)
{
	struct gwl_wm_base *wm = wl_resource_get_user_data(resource);
	struct window_link *l, *tmp;
	wl_list_for_each_safe(l, tmp, &wm->windows, wm_link) {
		wl_list_remove(&l->wm_link);
		wl_list_init(&l->wm_link);
		l->wm_base = NULL;
	}
	free(wm);
}

static void wm_base_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct gwl_wm_base *wm = calloc(1, sizeof(*wm));
	struct wl_resource *r = wm ? wl_resource_create(client, &xdg_wm_base_interface,
		version, id) : NULL;
	if (!r) {
		free(wm);
		wl_client_post_no_memory(client);
		return;
	}
	wm->resource = r;
	wm->server = data;
	wl_list_init(&wm->windows);
	wl_resource_set_implementation(r, &wm_base_impl, wm, wm_base_resource_destroy);
}

bool gwl_xdg_shell_init(struct gwl_server *server)
{
	int version = server->options.xdg_shell_version;
	if (version <= 0 || version > WM_BASE_VERSION)
		version = WM_BASE_VERSION;
	return wl_global_create(server->display, &xdg_wm_base_interface, version, server,
		wm_base_bind) != NULL;
}
