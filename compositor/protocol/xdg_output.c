// SPDX-License-Identifier: MIT
/* zxdg_output_manager_v1: logical geometry of outputs. */
#include <wayland-server-protocol.h>

#include "guestwl/output.h"
#include "guestwl/server.h"
#include "xdg-output-server-protocol.h"

#define XDG_OUTPUT_VERSION 3

static void xdg_output_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zxdg_output_v1_interface xdg_output_impl = {
	.destroy = xdg_output_destroy,
};

static void xdg_output_unlink(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static void send_details(struct gwl_output *output, struct wl_resource *r,
	struct wl_resource *output_resource)
{
	uint32_t version = wl_resource_get_version(r);
	int32_t w, h;
	gwl_output_logical_size(output, &w, &h);
	zxdg_output_v1_send_logical_position(r, output->lx, output->ly);
	zxdg_output_v1_send_logical_size(r, w, h);
	if (version >= ZXDG_OUTPUT_V1_NAME_SINCE_VERSION)
		zxdg_output_v1_send_name(r, output->name);
	if (version >= ZXDG_OUTPUT_V1_DESCRIPTION_SINCE_VERSION)
		zxdg_output_v1_send_description(r, output->description);
	if (version < 3)
		zxdg_output_v1_send_done(r);
	else if (wl_resource_get_version(output_resource) >= WL_OUTPUT_DONE_SINCE_VERSION)
		wl_output_send_done(output_resource);
}

static void manager_get_xdg_output(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *output_resource)
{
	struct wl_resource *r = wl_resource_create(client, &zxdg_output_v1_interface,
		wl_resource_get_version(resource), id);
	if (!r) {
		wl_resource_post_no_memory(resource);
		return;
	}
	struct gwl_output *output = gwl_output_from_resource(output_resource);
	wl_resource_set_implementation(r, &xdg_output_impl, output, xdg_output_unlink);
	if (!output) {
		/* The output is gone: an inert object. */
		wl_list_init(wl_resource_get_link(r));
		return;
	}
	wl_list_insert(&output->xdg_resources, wl_resource_get_link(r));
	send_details(output, r, output_resource);
}

static void manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zxdg_output_manager_v1_interface manager_impl = {
	.destroy = manager_destroy,
	.get_xdg_output = manager_get_xdg_output,
};

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &zxdg_output_manager_v1_interface,
		version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &manager_impl, data, NULL);
}

bool gwl_xdg_output_init(struct gwl_server *server)
{
	return wl_global_create(server->display, &zxdg_output_manager_v1_interface,
		XDG_OUTPUT_VERSION, server, manager_bind) != NULL;
}
