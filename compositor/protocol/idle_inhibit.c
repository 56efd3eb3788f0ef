// SPDX-License-Identifier: MIT
/* zwp_idle_inhibit_manager_v1: surfaces that keep the screen on. guestwl
 * never blanks on its own; backends that do (DRM DPMS) ask
 * gwl_idle_inhibited(). */
#include <stdlib.h>

#include "guestwl/server.h"
#include "guestwl/surface.h"
#include "idle-inhibit-server-protocol.h"

struct gwl_idle_inhibitor {
	struct wl_resource *resource;
	struct gwl_surface *surface;
	struct wl_listener surface_destroy;
	struct wl_list link;
};

bool gwl_idle_inhibited(struct gwl_server *server)
{
	struct gwl_idle_inhibitor *in;
	wl_list_for_each(in, &server->idle_inhibitors, link) {
		if (in->surface && in->surface->shown_mask)
			return true;
	}
	return false;
}

static void inhibitor_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zwp_idle_inhibitor_v1_interface inhibitor_impl = {
	.destroy = inhibitor_destroy,
};

static void inhibitor_resource_destroy(struct wl_resource *resource)
{
	struct gwl_idle_inhibitor *in = wl_resource_get_user_data(resource);
	wl_list_remove(&in->surface_destroy.link);
	wl_list_remove(&in->link);
	free(in);
}

static void surface_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_idle_inhibitor *in = wl_container_of(listener, in, surface_destroy);
	wl_list_remove(&in->surface_destroy.link);
	wl_list_init(&in->surface_destroy.link);
	in->surface = NULL;
}

static void manager_create_inhibitor(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *surface_resource)
{
	struct gwl_server *server = wl_resource_get_user_data(resource);
	struct gwl_idle_inhibitor *in = calloc(1, sizeof(*in));
	struct wl_resource *r = in ? wl_resource_create(client, &zwp_idle_inhibitor_v1_interface,
		wl_resource_get_version(resource), id) : NULL;
	if (!r) {
		free(in);
		wl_resource_post_no_memory(resource);
		return;
	}
	in->resource = r;
	in->surface = gwl_surface_from_resource(surface_resource);
	in->surface_destroy.notify = surface_destroyed;
	wl_signal_add(&in->surface->destroy_signal, &in->surface_destroy);
	wl_list_insert(&server->idle_inhibitors, &in->link);
	wl_resource_set_implementation(r, &inhibitor_impl, in, inhibitor_resource_destroy);
}

static void manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zwp_idle_inhibit_manager_v1_interface manager_impl = {
	.destroy = manager_destroy,
	.create_inhibitor = manager_create_inhibitor,
};

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &zwp_idle_inhibit_manager_v1_interface,
		version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &manager_impl, data, NULL);
}

bool gwl_idle_inhibit_init(struct gwl_server *server)
{
	return wl_global_create(server->display, &zwp_idle_inhibit_manager_v1_interface, 1,
		server, manager_bind) != NULL;
}
