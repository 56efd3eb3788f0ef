// SPDX-License-Identifier: MIT
/* wl_compositor, wl_surface and wl_region. */
#include <stddef.h>
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/surface.h"
#include "guestwl/window.h"
#include "xdg-shell-server-protocol.h"

#define COMPOSITOR_VERSION 5

static const struct wl_region_interface region_impl;
static const struct wl_surface_interface surface_impl;

/* ---- wl_region ---- */

static pixman_region32_t *region_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void region_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void region_add(struct wl_client *client, struct wl_resource *resource, int32_t x,
	int32_t y, int32_t width, int32_t height)
{
	if (width <= 0 || height <= 0)
		return;
	pixman_region32_union_rect(region_from_resource(resource),
		region_from_resource(resource), x, y, (uint32_t)width, (uint32_t)height);
}

static void region_subtract(struct wl_client *client, struct wl_resource *resource, int32_t x,
	int32_t y, int32_t width, int32_t height)
{
	if (width <= 0 || height <= 0)
		return;
	pixman_region32_t rect;
	pixman_region32_init_rect(&rect, x, y, (uint32_t)width, (uint32_t)height);
	pixman_region32_subtract(region_from_resource(resource),
		region_from_resource(resource), &rect);
	pixman_region32_fini(&rect);
}

static const struct wl_region_interface region_impl = {
	.destroy = region_destroy,
	.add = region_add,
	.subtract = region_subtract,
};

static void region_resource_destroy(struct wl_resource *resource)
{
	pixman_region32_t *region = region_from_resource(resource);
	pixman_region32_fini(region);
	free(region);
}

/* ---- wl_surface ---- */

struct gwl_surface *gwl_surface_from_resource(struct wl_resource *resource)
{
	if (!resource)
		return NULL;
	return wl_resource_get_user_data(resource);
}

static void surface_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

/* xdg-shell: attaching a buffer before the first configure is an error. */
static bool attach_allowed(struct gwl_surface *s, struct wl_resource *buffer)
{
	struct gwl_window *window = gwl_window_from_surface(s);
	if (!buffer || !window || !window->resource || window->configured ||
		window->last_serial != 0)
		return true;
	wl_resource_post_error(window->resource, XDG_SURFACE_ERROR_UNCONFIGURED_BUFFER,
		"buffer attached before the first configure");
	return false;
}

static void surface_attach(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *buffer, int32_t x, int32_t y)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	if (!attach_allowed(s, buffer))
		return;
	if ((x || y) && wl_resource_get_version(resource) >= WL_SURFACE_OFFSET_SINCE_VERSION) {
		wl_resource_post_error(resource, WL_SURFACE_ERROR_INVALID_OFFSET,
			"attach with a non-zero offset; use wl_surface.offset");
		return;
	}
	s->pending.fields |= GWL_STATE_BUFFER;
	wl_list_remove(&s->pending.buffer_destroy.link);
	wl_list_init(&s->pending.buffer_destroy.link);
	s->pending.buffer = buffer;
	if (buffer)
		wl_resource_add_destroy_listener(buffer, &s->pending.buffer_destroy);
	if (x || y) {
		s->pending.fields |= GWL_STATE_OFFSET;
		s->pending.dx = gwl_clamp_coord((int64_t)s->pending.dx + x);
		s->pending.dy = gwl_clamp_coord((int64_t)s->pending.dy + y);
	}
}

static void add_damage(pixman_region32_t *region, int32_t x, int32_t y, int32_t w, int32_t h)
{
	if (w <= 0 || h <= 0)
		return;
	/* Clamp huge rectangles (INT32_MAX is common for "everything"). */
	int64_t x2 = (int64_t)x + w, y2 = (int64_t)y + h;
	const int64_t lim = 1 << 24;
	x = x < -lim ? (int32_t)-lim : x;
	y = y < -lim ? (int32_t)-lim : y;
	x2 = x2 > lim ? lim : x2;
	y2 = y2 > lim ? lim : y2;
	if (x2 <= x || y2 <= y)
		return;
	pixman_region32_union_rect(region, region, x, y, (uint32_t)(x2 - x),
		(uint32_t)(y2 - y));
}

static void surface_damage(struct wl_client *client, struct wl_resource *resource, int32_t x,
	int32_t y, int32_t width, int32_t height)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	add_damage(&s->pending.damage_surface, x, y, width, height);
}

static void surface_damage_buffer(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	add_damage(&s->pending.damage_buffer, x, y, width, height);
}

static void callback_unlink(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static void surface_frame(struct wl_client *client, struct wl_resource *resource,
	uint32_t callback)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	struct wl_resource *cb = wl_resource_create(client, &wl_callback_interface, 1, callback);
	if (!cb) {
		wl_resource_post_no_memory(resource);
		return;
	}
	wl_resource_set_implementation(cb, NULL, NULL, callback_unlink);
	wl_list_insert(s->pending.frame_callbacks.prev, wl_resource_get_link(cb));
}

static void set_region(pixman_region32_t *dst, struct wl_resource *region_resource)
{
	if (region_resource) {
		pixman_region32_copy(dst, region_from_resource(region_resource));
	} else {
		pixman_region32_fini(dst);
		pixman_region32_init_rect(dst, INT32_MIN / 2, INT32_MIN / 2, UINT32_MAX / 2,
			UINT32_MAX / 2);
	}
}

static void surface_set_opaque_region(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *region)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	s->pending.fields |= GWL_STATE_OPAQUE;
	if (region)
		set_region(&s->pending.opaque, region);
	else
		pixman_region32_clear(&s->pending.opaque);
}

static void surface_set_input_region(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *region)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	s->pending.fields |= GWL_STATE_INPUT;
	set_region(&s->pending.input, region);
}

static bool check_buffer_size(struct gwl_surface *s)
{
	struct gwl_surface_state *p = &s->pending;
	int32_t w, h;
	if (!(p->fields & GWL_STATE_BUFFER) || !p->buffer || !gwl_buffer_size(p->buffer, &w, &h))
		return true;
	int32_t scale = (p->fields & GWL_STATE_SCALE) ? p->scale : s->scale;
	if (w % scale == 0 && h % scale == 0)
		return true;
	wl_resource_post_error(s->resource, WL_SURFACE_ERROR_INVALID_SIZE,
		"buffer size %dx%d is not a multiple of the scale %d", w, h, scale);
	return false;
}

static void surface_commit(struct wl_client *client, struct wl_resource *resource)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	if (!check_buffer_size(s) || !gwl_viewport_validate(s))
		return;
	if (s->subsurface)
		gwl_subsurface_commit(s);
	else
		gwl_surface_apply_state(s, &s->pending);
	/* Size, input region or subsurface stacking may have changed under
	 * the cursor. */
	gwl_seat_update_pointer_focus(s->server->seat);
}

static void surface_set_buffer_transform(struct wl_client *client,
	struct wl_resource *resource, int32_t transform)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	if (!gwl_transform_is_valid(transform)) {
		wl_resource_post_error(resource, WL_SURFACE_ERROR_INVALID_TRANSFORM,
			"buffer transform %d is not a wl_output.transform value", transform);
		return;
	}
	s->pending.fields |= GWL_STATE_TRANSFORM;
	s->pending.transform = transform;
}

static void surface_set_buffer_scale(struct wl_client *client, struct wl_resource *resource,
	int32_t scale)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	if (scale < 1) {
		wl_resource_post_error(resource, WL_SURFACE_ERROR_INVALID_SCALE,
			"buffer scale %d is not positive", scale);
		return;
	}
	s->pending.fields |= GWL_STATE_SCALE;
	s->pending.scale = scale;
}

static void surface_offset(struct wl_client *client, struct wl_resource *resource, int32_t x,
	int32_t y)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	s->pending.fields |= GWL_STATE_OFFSET;
	s->pending.dx = gwl_clamp_coord((int64_t)s->pending.dx + x);
	s->pending.dy = gwl_clamp_coord((int64_t)s->pending.dy + y);
}

static const struct wl_surface_interface surface_impl = {
	.destroy = surface_destroy,
	.attach = surface_attach,
	.damage = surface_damage,
	.frame = surface_frame,
	.set_opaque_region = surface_set_opaque_region,
	.set_input_region = surface_set_input_region,
	.commit = surface_commit,
	.set_buffer_transform = surface_set_buffer_transform,
	.set_buffer_scale = surface_set_buffer_scale,
	.damage_buffer = surface_damage_buffer,
	.offset = surface_offset,
};

/*
 * wl_surface requests come several times a frame. libwayland invokes an
 * implementation through libffi (a call interface prepared per request: a
 * tenth of a frame's instructions); a dispatcher gets the demarshalled and
 * already checked arguments (opcode and version within the interface, object
 * types) and calls the same handlers directly. The opcode is the handler's
 * index in the interface struct, which lists them in protocol order.
 */
#define SURFACE_OP(field) \
	(offsetof(struct wl_surface_interface, field) / sizeof(surface_impl.destroy))

static int surface_dispatch(const void *impl, void *target, uint32_t opcode,
	const struct wl_message *message, union wl_argument *a)
{
	struct wl_resource *r = target;
	struct wl_client *c = wl_resource_get_client(r);
	switch (opcode) {
	case SURFACE_OP(destroy): surface_destroy(c, r); break;
	case SURFACE_OP(attach):
		surface_attach(c, r, (struct wl_resource *)a[0].o, a[1].i, a[2].i);
		break;
	case SURFACE_OP(damage): surface_damage(c, r, a[0].i, a[1].i, a[2].i, a[3].i); break;
	case SURFACE_OP(frame): surface_frame(c, r, a[0].n); break;
	case SURFACE_OP(set_opaque_region):
		surface_set_opaque_region(c, r, (struct wl_resource *)a[0].o);
		break;
	case SURFACE_OP(set_input_region):
		surface_set_input_region(c, r, (struct wl_resource *)a[0].o);
		break;
	case SURFACE_OP(commit): surface_commit(c, r); break;
	case SURFACE_OP(set_buffer_transform): surface_set_buffer_transform(c, r, a[0].i); break;
	case SURFACE_OP(set_buffer_scale): surface_set_buffer_scale(c, r, a[0].i); break;
	case SURFACE_OP(damage_buffer):
		surface_damage_buffer(c, r, a[0].i, a[1].i, a[2].i, a[3].i);
		break;
	case SURFACE_OP(offset): surface_offset(c, r, a[0].i, a[1].i); break;
	default: /* libwayland has checked the opcode: a newer protocol than ours */
		wl_client_post_implementation_error(c, "wl_surface@%u.%s is not implemented",
			wl_resource_get_id(r), message->name);
		break;
	}
	return 0;
}

static void surface_resource_destroy(struct wl_resource *resource)
{
	struct gwl_surface *s = gwl_surface_from_resource(resource);
	int32_t lx, ly;
	if (gwl_surface_layout_pos(s, &lx, &ly))
		gwl_server_damage_box(s->server, lx, ly, s->width, s->height);
	wl_signal_emit_mutable(&s->destroy_signal, s);
	struct gwl_output *o;
	wl_list_for_each(o, &s->server->outputs, link)
		gwl_output_surface_gone(o, s);
	gwl_output_surface_answered(s);
	gwl_surface_state_finish(&s->pending);
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, &s->frame_callbacks)
		wl_resource_destroy(cb);
	gwl_feedback_discard_list(&s->feedbacks);
	gwl_surface_release_hold(s);
	gwl_server_check_releases(s->server);
	if (s->image)
		pixman_image_unref(s->image);
	pixman_region32_fini(&s->opaque);
	pixman_region32_fini(&s->input);
	pixman_region32_fini(&s->damage);
	free(s);
}

static void compositor_create_surface(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	struct gwl_server *server = wl_resource_get_user_data(resource);
	struct gwl_surface *s = calloc(1, sizeof(*s));
	if (!s) {
		wl_resource_post_no_memory(resource);
		return;
	}
	s->resource = wl_resource_create(client, &wl_surface_interface,
		wl_resource_get_version(resource), id);
	if (!s->resource) {
		free(s);
		wl_resource_post_no_memory(resource);
		return;
	}
	s->server = server;
	gwl_surface_state_init(&s->pending);
	s->scale = 1;
	s->src_w = -1;
	s->dst_w = s->dst_h = -1;
	pixman_region32_init(&s->opaque);
	pixman_region32_init_rect(&s->input, INT32_MIN / 2, INT32_MIN / 2, UINT32_MAX / 2,
		UINT32_MAX / 2);
	pixman_region32_init(&s->damage);
	wl_list_init(&s->frame_callbacks);
	wl_list_init(&s->feedbacks);
	wl_list_init(&s->below);
	wl_list_init(&s->above);
	wl_list_init(&s->pending_below);
	wl_list_init(&s->pending_above);
	wl_signal_init(&s->destroy_signal);
	wl_resource_set_dispatcher(s->resource, surface_dispatch, &surface_impl, s,
		surface_resource_destroy);
}

static void compositor_create_region(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	pixman_region32_t *region = calloc(1, sizeof(*region));
	struct wl_resource *r = region ? wl_resource_create(client, &wl_region_interface, 1, id)
		: NULL;
	if (!r) {
		free(region);
		wl_resource_post_no_memory(resource);
		return;
	}
	pixman_region32_init(region);
	wl_resource_set_implementation(r, &region_impl, region, region_resource_destroy);
}

static const struct wl_compositor_interface compositor_impl = {
	.create_surface = compositor_create_surface,
	.create_region = compositor_create_region,
};

static void compositor_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &wl_compositor_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &compositor_impl, data, NULL);
}

bool gwl_compositor_init(struct gwl_server *server)
{
	return wl_global_create(server->display, &wl_compositor_interface, COMPOSITOR_VERSION,
		server, compositor_bind) != NULL;
}
