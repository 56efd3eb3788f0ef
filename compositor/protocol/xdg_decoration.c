// SPDX-License-Identifier: MIT
/* zxdg_decoration_manager_v1: guestwl draws no decorations, so the answer
 * is always client-side. */
#include <stdlib.h>

#include "guestwl/server.h"
#include "guestwl/window.h"
#include "xdg-decoration-server-protocol.h"
#include "xdg-shell-server-protocol.h"

struct decoration {
	struct wl_resource *resource;
	struct gwl_window *window;
	struct wl_listener window_destroy;
};

static struct decoration *decoration_from(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void decoration_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void send_mode(struct wl_resource *resource)
{
	struct decoration *d = decoration_from(resource);
	if (!d->window) {
		wl_resource_post_error(resource, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_ORPHANED,
			"the xdg_toplevel of this decoration was destroyed");
		return;
	}
	zxdg_toplevel_decoration_v1_send_configure(resource,
		ZXDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE);
	if (d->window->initial_commit)
		gwl_window_schedule_configure(d->window);
}

static void decoration_set_mode(struct wl_client *client, struct wl_resource *resource,
	uint32_t mode)
{
	send_mode(resource);
}

static void decoration_unset_mode(struct wl_client *client, struct wl_resource *resource)
{
	send_mode(resource);
}

static const struct zxdg_toplevel_decoration_v1_interface decoration_impl = {
	.destroy = decoration_destroy,
	.set_mode = decoration_set_mode,
	.unset_mode = decoration_unset_mode,
};

static void detach(struct decoration *d)
{
	wl_list_remove(&d->window_destroy.link);
	wl_list_init(&d->window_destroy.link);
	if (d->window)
		d->window->decoration = NULL;
	d->window = NULL;
}

static void decoration_resource_destroy(struct wl_resource *resource)
{
	struct decoration *d = decoration_from(resource);
	detach(d);
	free(d);
}

static void window_destroyed(struct wl_listener *listener, void *data)
{
	struct decoration *d = wl_container_of(listener, d, window_destroy);
	detach(d);
}

static void manager_get_toplevel_decoration(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *toplevel)
{
	struct gwl_window *window = wl_resource_get_user_data(toplevel);
	if (window && window->decoration) {
		wl_resource_post_error(resource, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_ALREADY_CONSTRUCTED,
			"the xdg_toplevel already has a decoration object");
		return;
	}
	if (window && window->surface && gwl_surface_has_content(window->surface)) {
		wl_resource_post_error(resource, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_UNCONFIGURED_BUFFER,
			"the xdg_toplevel already has a buffer");
		return;
	}
	struct decoration *d = calloc(1, sizeof(*d));
	struct wl_resource *r = d ? wl_resource_create(client,
		&zxdg_toplevel_decoration_v1_interface, wl_resource_get_version(resource), id)
		: NULL;
	if (!r) {
		free(d);
		wl_resource_post_no_memory(resource);
		return;
	}
	d->resource = r;
	d->window = window;
	wl_list_init(&d->window_destroy.link);
	d->window_destroy.notify = window_destroyed;
	if (window) {
		window->decoration = r;
		wl_signal_add(&window->destroy_signal, &d->window_destroy);
	}
	wl_resource_set_implementation(r, &decoration_impl, d, decoration_resource_destroy);
	if (window)
		zxdg_toplevel_decoration_v1_send_configure(r,
			ZXDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE);
}

static void manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zxdg_decoration_manager_v1_interface manager_impl = {
	.destroy = manager_destroy,
	.get_toplevel_decoration = manager_get_toplevel_decoration,
};

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &zxdg_decoration_manager_v1_interface,
		version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &manager_impl, data, NULL);
}

bool gwl_xdg_decoration_init(struct gwl_server *server)
{
	return wl_global_create(server->display, &zxdg_decoration_manager_v1_interface, 1,
		server, manager_bind) != NULL;
}
