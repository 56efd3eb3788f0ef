// SPDX-License-Identifier: MIT
/* wp_single_pixel_buffer_manager_v1: 1x1 buffers of one premultiplied colour. */
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "guestwl/server.h"
#include "guestwl/surface.h"
#include "single-pixel-buffer-server-protocol.h"

struct single_pixel {
	uint32_t r, g, b, a;
};

static void buffer_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_buffer_interface buffer_impl = {
	.destroy = buffer_destroy,
};

static void buffer_resource_destroy(struct wl_resource *resource)
{
	free(wl_resource_get_user_data(resource));
}

bool gwl_single_pixel_buffer_upload(struct gwl_surface *surface, struct wl_resource *buffer)
{
	if (!wl_resource_instance_of(buffer, &wl_buffer_interface, &buffer_impl))
		return false;
	struct single_pixel *px = wl_resource_get_user_data(buffer);
	pixman_image_t *image = pixman_image_create_bits(PIXMAN_a8r8g8b8, 1, 1, NULL, 0);
	if (!image) {
		wl_resource_post_no_memory(surface->resource);
		return true;
	}
	uint32_t *data = pixman_image_get_data(image);
	*data = (px->a >> 24) << 24 | (px->r >> 24) << 16 | (px->g >> 24) << 8 | px->b >> 24;
	gwl_surface_release_hold(surface);
	if (surface->image)
		pixman_image_unref(surface->image);
	surface->image = image;
	surface->buffer_w = surface->buffer_h = 1;
	surface->opaque_format = px->a == UINT32_MAX;
	return true;
}

static void manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void manager_create_u32_rgba_buffer(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, uint32_t r, uint32_t g, uint32_t b,
	uint32_t a)
{
	struct single_pixel *px = calloc(1, sizeof(*px));
	struct wl_resource *br = px ? wl_resource_create(client, &wl_buffer_interface, 1, id)
		: NULL;
	if (!br) {
		free(px);
		wl_resource_post_no_memory(resource);
		return;
	}
	*px = (struct single_pixel){ r, g, b, a };
	/* Premultiplied: colour channels cannot exceed alpha; clamp. */
	px->r = px->r > a ? a : px->r;
	px->g = px->g > a ? a : px->g;
	px->b = px->b > a ? a : px->b;
	wl_resource_set_implementation(br, &buffer_impl, px, buffer_resource_destroy);
}

static const struct wp_single_pixel_buffer_manager_v1_interface manager_impl = {
	.destroy = manager_destroy,
	.create_u32_rgba_buffer = manager_create_u32_rgba_buffer,
};

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client,
		&wp_single_pixel_buffer_manager_v1_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &manager_impl, data, NULL);
}

bool gwl_single_pixel_buffer_init(struct gwl_server *server)
{
	return wl_global_create(server->display, &wp_single_pixel_buffer_manager_v1_interface,
		1, server, manager_bind) != NULL;
}
