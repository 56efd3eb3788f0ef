// SPDX-License-Identifier: MIT
/* wp_presentation: feedback carries the backend's presentation times. */
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "guestwl/output.h"
#include "guestwl/server.h"
#include "guestwl/surface.h"
#include "presentation-time-server-protocol.h"

static void feedback_resource_destroy(struct wl_resource *resource)
{
	struct gwl_feedback *fb = wl_resource_get_user_data(resource);
	wl_list_remove(&fb->link);
	free(fb);
}

void gwl_feedback_discard_list(struct wl_list *list)
{
	struct gwl_feedback *fb, *tmp;
	wl_list_for_each_safe(fb, tmp, list, link) {
		wp_presentation_feedback_send_discarded(fb->resource);
		wl_resource_destroy(fb->resource);
	}
}

void gwl_feedback_present_list(struct wl_list *list, struct gwl_output *output,
	const struct timespec *when, uint64_t seq, uint32_t refresh_ns, uint32_t flags)
{
	struct gwl_feedback *fb, *tmp;
	uint64_t sec = (uint64_t)when->tv_sec;
	wl_list_for_each_safe(fb, tmp, list, link) {
		struct wl_client *client = wl_resource_get_client(fb->resource);
		struct wl_resource *r;
		wl_resource_for_each(r, &output->resources) {
			if (wl_resource_get_client(r) == client)
				wp_presentation_feedback_send_sync_output(fb->resource, r);
		}
		wp_presentation_feedback_send_presented(fb->resource, (uint32_t)(sec >> 32),
			(uint32_t)sec, (uint32_t)when->tv_nsec, refresh_ns, (uint32_t)(seq >> 32),
			(uint32_t)seq, flags);
		wl_resource_destroy(fb->resource);
	}
}

static void presentation_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void presentation_feedback(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *surface_resource, uint32_t id)
{
	struct gwl_surface *surface = gwl_surface_from_resource(surface_resource);
	struct gwl_feedback *fb = calloc(1, sizeof(*fb));
	struct wl_resource *r = fb ? wl_resource_create(client,
		&wp_presentation_feedback_interface, 1, id) : NULL;
	if (!r) {
		free(fb);
		wl_resource_post_no_memory(resource);
		return;
	}
	fb->resource = r;
	wl_list_insert(surface->pending.feedbacks.prev, &fb->link);
	wl_resource_set_implementation(r, NULL, fb, feedback_resource_destroy);
}

static const struct wp_presentation_interface presentation_impl = {
	.destroy = presentation_destroy,
	.feedback = presentation_feedback,
};

static void presentation_bind(struct wl_client *client, void *data, uint32_t version,
	uint32_t id)
{
	struct gwl_server *server = data;
	struct wl_resource *r = wl_resource_create(client, &wp_presentation_interface, version,
		id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &presentation_impl, server, NULL);
	wp_presentation_send_clock_id(r, (uint32_t)server->presentation_clock);
}

bool gwl_presentation_init(struct gwl_server *server)
{
	server->presentation = wl_global_create(server->display, &wp_presentation_interface, 1,
		server, presentation_bind);
	return server->presentation != NULL;
}
