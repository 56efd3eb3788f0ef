// SPDX-License-Identifier: MIT
/* wp_viewporter: crop (source) and scale (destination) of surfaces. */
#include <math.h>
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "guestwl/server.h"
#include "guestwl/surface.h"
#include "viewporter-server-protocol.h"

static struct gwl_surface *viewport_surface(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void viewport_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static struct gwl_surface *live_surface(struct wl_resource *resource)
{
	struct gwl_surface *s = viewport_surface(resource);
	if (!s)
		wl_resource_post_error(resource, WP_VIEWPORT_ERROR_NO_SURFACE,
			"the wl_surface of this viewport was destroyed");
	return s;
}

static void viewport_set_source(struct wl_client *client, struct wl_resource *resource,
	wl_fixed_t x, wl_fixed_t y, wl_fixed_t width, wl_fixed_t height)
{
	struct gwl_surface *s = live_surface(resource);
	if (!s)
		return;
	double fx = wl_fixed_to_double(x), fy = wl_fixed_to_double(y);
	double fw = wl_fixed_to_double(width), fh = wl_fixed_to_double(height);
	bool unset = fx == -1 && fy == -1 && fw == -1 && fh == -1;
	if (!unset && (fx < 0 || fy < 0 || fw <= 0 || fh <= 0)) {
		wl_resource_post_error(resource, WP_VIEWPORT_ERROR_BAD_VALUE,
			"invalid source rectangle %.2f,%.2f %.2fx%.2f", fx, fy, fw, fh);
		return;
	}
	s->pending.fields |= GWL_STATE_VIEWPORT_SRC;
	s->pending.src_x = unset ? 0 : fx;
	s->pending.src_y = unset ? 0 : fy;
	s->pending.src_w = unset ? -1 : fw;
	s->pending.src_h = unset ? -1 : fh;
}

static void viewport_set_destination(struct wl_client *client, struct wl_resource *resource,
	int32_t width, int32_t height)
{
	struct gwl_surface *s = live_surface(resource);
	if (!s)
		return;
	bool unset = width == -1 && height == -1;
	if (!unset && (width <= 0 || height <= 0)) {
		wl_resource_post_error(resource, WP_VIEWPORT_ERROR_BAD_VALUE,
			"invalid destination size %dx%d", width, height);
		return;
	}
	s->pending.fields |= GWL_STATE_VIEWPORT_DST;
	s->pending.dst_w = unset ? -1 : width;
	s->pending.dst_h = unset ? -1 : height;
}

static const struct wp_viewport_interface viewport_impl = {
	.destroy = viewport_destroy,
	.set_source = viewport_set_source,
	.set_destination = viewport_set_destination,
};

struct effective {
	int32_t bw, bh, scale, transform, dst_w;
	double src_x, src_y, src_w, src_h;
};

static bool effective_state(struct gwl_surface *s, struct effective *e)
{
	const struct gwl_surface_state *p = &s->pending;
	bool has_buffer = s->image != NULL;
	e->bw = s->buffer_w;
	e->bh = s->buffer_h;
	if (p->fields & GWL_STATE_BUFFER) {
		has_buffer = p->buffer != NULL;
		if (p->buffer)
			gwl_buffer_size(p->buffer, &e->bw, &e->bh);
	}
	e->scale = (p->fields & GWL_STATE_SCALE) ? p->scale : s->scale;
	e->transform = (p->fields & GWL_STATE_TRANSFORM) ? p->transform : s->transform;
	bool src = p->fields & GWL_STATE_VIEWPORT_SRC;
	e->src_x = src ? p->src_x : s->src_x;
	e->src_y = src ? p->src_y : s->src_y;
	e->src_w = src ? p->src_w : s->src_w;
	e->src_h = src ? p->src_h : s->src_h;
	e->dst_w = (p->fields & GWL_STATE_VIEWPORT_DST) ? p->dst_w : s->dst_w;
	return has_buffer;
}

bool gwl_viewport_validate(struct gwl_surface *s)
{
	struct effective e;
	if (!s->viewport || !effective_state(s, &e) || e.src_w < 0)
		return true;
	if (e.dst_w < 0 && (e.src_w != floor(e.src_w) || e.src_h != floor(e.src_h))) {
		wl_resource_post_error(s->viewport, WP_VIEWPORT_ERROR_BAD_SIZE,
			"source size %.2fx%.2f is not integer and no destination is set",
			e.src_w, e.src_h);
		return false;
	}
	double w = (double)e.bw / e.scale, h = (double)e.bh / e.scale;
	if (e.transform & 1) {
		double t = w;
		w = h;
		h = t;
	}
	if (e.src_x + e.src_w > w || e.src_y + e.src_h > h) {
		wl_resource_post_error(s->viewport, WP_VIEWPORT_ERROR_OUT_OF_BUFFER,
			"source rectangle extends outside the %.0fx%.0f buffer", w, h);
		return false;
	}
	return true;
}

static void surface_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_surface *s = data;
	struct wl_resource *viewport = s->viewport;
	wl_list_remove(&listener->link);
	free(listener);
	if (viewport)
		wl_resource_set_user_data(viewport, NULL);
	s->viewport = NULL;
}

static void viewport_resource_destroy(struct wl_resource *resource)
{
	struct gwl_surface *s = viewport_surface(resource);
	if (!s)
		return;
	s->viewport = NULL;
	s->pending.fields |= GWL_STATE_VIEWPORT_SRC | GWL_STATE_VIEWPORT_DST;
	s->pending.src_w = s->pending.src_h = -1;
	s->pending.dst_w = s->pending.dst_h = -1;
	struct wl_listener *l = wl_signal_get(&s->destroy_signal, surface_destroyed);
	if (l) {
		wl_list_remove(&l->link);
		free(l);
	}
}

static void viewporter_get_viewport(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *surface_resource)
{
	struct gwl_surface *s = gwl_surface_from_resource(surface_resource);
	if (s->viewport) {
		wl_resource_post_error(resource, WP_VIEWPORTER_ERROR_VIEWPORT_EXISTS,
			"wl_surface@%u already has a viewport", wl_resource_get_id(surface_resource));
		return;
	}
	struct wl_listener *l = calloc(1, sizeof(*l));
	struct wl_resource *r = l ? wl_resource_create(client, &wp_viewport_interface,
		wl_resource_get_version(resource), id) : NULL;
	if (!r) {
		free(l);
		wl_resource_post_no_memory(resource);
		return;
	}
	l->notify = surface_destroyed;
	wl_signal_add(&s->destroy_signal, l);
	s->viewport = r;
	wl_resource_set_implementation(r, &viewport_impl, s, viewport_resource_destroy);
}

static void viewporter_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_viewporter_interface viewporter_impl = {
	.destroy = viewporter_destroy,
	.get_viewport = viewporter_get_viewport,
};

static void viewporter_bind(struct wl_client *client, void *data, uint32_t version,
	uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &wp_viewporter_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &viewporter_impl, data, NULL);
}

bool gwl_viewporter_init(struct gwl_server *server)
{
	return wl_global_create(server->display, &wp_viewporter_interface, 1, server,
		viewporter_bind) != NULL;
}
