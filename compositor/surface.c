// SPDX-License-Identifier: MIT
/* wl_surface state handling: double buffering, content, geometry, trees. */
#include <math.h>
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/surface.h"
#include "guestwl/window.h"

static void state_buffer_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_surface_state *state = wl_container_of(listener, state, buffer_destroy);
	wl_list_remove(&state->buffer_destroy.link);
	wl_list_init(&state->buffer_destroy.link);
	state->buffer = NULL;
}

void gwl_surface_state_init(struct gwl_surface_state *state)
{
	*state = (struct gwl_surface_state){ 0 };
	pixman_region32_init(&state->damage_surface);
	pixman_region32_init(&state->damage_buffer);
	pixman_region32_init(&state->opaque);
	pixman_region32_init(&state->input);
	wl_list_init(&state->frame_callbacks);
	wl_list_init(&state->feedbacks);
	wl_list_init(&state->buffer_destroy.link);
	state->buffer_destroy.notify = state_buffer_destroyed;
	state->scale = 1;
	state->src_w = -1;
	state->dst_w = state->dst_h = -1;
}

static void set_state_buffer(struct gwl_surface_state *state, struct wl_resource *buffer)
{
	wl_list_remove(&state->buffer_destroy.link);
	wl_list_init(&state->buffer_destroy.link);
	state->buffer = buffer;
	if (buffer)
		wl_resource_add_destroy_listener(buffer, &state->buffer_destroy);
}

void gwl_surface_state_finish(struct gwl_surface_state *state)
{
	set_state_buffer(state, NULL);
	pixman_region32_fini(&state->damage_surface);
	pixman_region32_fini(&state->damage_buffer);
	pixman_region32_fini(&state->opaque);
	pixman_region32_fini(&state->input);
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, &state->frame_callbacks)
		wl_resource_destroy(cb);
	gwl_feedback_discard_list(&state->feedbacks);
}

void gwl_surface_state_merge(struct gwl_surface_state *dst, struct gwl_surface_state *src)
{
	uint32_t f = src->fields;
	if (f & GWL_STATE_BUFFER) {
		/* A committed buffer replaced before it was ever used is free again. */
		if ((dst->fields & GWL_STATE_BUFFER) && dst->buffer && dst->buffer != src->buffer)
			wl_buffer_send_release(dst->buffer);
		set_state_buffer(dst, src->buffer);
	}
	if (f & GWL_STATE_OFFSET) {
		dst->dx = gwl_clamp_coord((int64_t)dst->dx + src->dx);
		dst->dy = gwl_clamp_coord((int64_t)dst->dy + src->dy);
	}
	if (f & GWL_STATE_OPAQUE)
		pixman_region32_copy(&dst->opaque, &src->opaque);
	if (f & GWL_STATE_INPUT)
		pixman_region32_copy(&dst->input, &src->input);
	if (f & GWL_STATE_SCALE)
		dst->scale = src->scale;
	if (f & GWL_STATE_TRANSFORM)
		dst->transform = src->transform;
	if (f & GWL_STATE_VIEWPORT_SRC) {
		dst->src_x = src->src_x;
		dst->src_y = src->src_y;
		dst->src_w = src->src_w;
		dst->src_h = src->src_h;
	}
	if (f & GWL_STATE_VIEWPORT_DST) {
		dst->dst_w = src->dst_w;
		dst->dst_h = src->dst_h;
	}
	dst->fields |= f;
	pixman_region32_union(&dst->damage_surface, &dst->damage_surface, &src->damage_surface);
	pixman_region32_union(&dst->damage_buffer, &dst->damage_buffer, &src->damage_buffer);
	wl_list_insert_list(dst->frame_callbacks.prev, &src->frame_callbacks);
	wl_list_init(&src->frame_callbacks);
	/* Newer feedback supersedes older one that was never shown. */
	if (!wl_list_empty(&src->feedbacks))
		gwl_feedback_discard_list(&dst->feedbacks);
	wl_list_insert_list(dst->feedbacks.prev, &src->feedbacks);
	wl_list_init(&src->feedbacks);
	/* Reset src for reuse. */
	src->fields = 0;
	src->dx = src->dy = 0;
	set_state_buffer(src, NULL);
	pixman_region32_clear(&src->damage_surface);
	pixman_region32_clear(&src->damage_buffer);
}

bool gwl_surface_has_content(const struct gwl_surface *surface)
{
	return surface->image != NULL;
}

/* Untransformed surface size before the viewport (surface coords). */
static void unviewported_size(const struct gwl_surface *s, double *w, double *h)
{
	double bw = s->buffer_w, bh = s->buffer_h;
	if (gwl_transform_swaps_axes(s->transform)) {
		bw = s->buffer_h;
		bh = s->buffer_w;
	}
	*w = bw / s->scale;
	*h = bh / s->scale;
}

bool gwl_surface_buffer_is_plain(const struct gwl_surface *s)
{
	return s->scale == 1 && s->transform == WL_OUTPUT_TRANSFORM_NORMAL && s->src_w < 0 &&
		s->dst_w < 0;
}

void gwl_surface_buffer_matrix(const struct gwl_surface *s, struct pixman_f_transform *m)
{
	/* No float arithmetic for plain buffers (under TCG each double
	 * operation is a call into QEMU's softfloat helpers). */
	if (gwl_surface_buffer_is_plain(s)) {
		pixman_f_transform_init_identity(m);
		return;
	}
	/* Forward: surface -> viewport source space -> buffer. */
	double uw, uh;
	unviewported_size(s, &uw, &uh);
	struct pixman_f_transform fwd, t;
	pixman_f_transform_init_identity(&fwd);
	if (s->width > 0 && s->height > 0) {
		double sx = uw, sy = uh, ox = 0, oy = 0;
		if (s->src_w >= 0) {
			sx = s->src_w;
			sy = s->src_h;
			ox = s->src_x;
			oy = s->src_y;
		}
		pixman_f_transform_init_scale(&fwd, sx / s->width, sy / s->height);
		pixman_f_transform_translate(&fwd, NULL, ox, oy);
	}
	gwl_transform_matrix(&t, s->transform, uw, uh);
	pixman_f_transform_multiply(&fwd, &t, &fwd);
	pixman_f_transform_scale(&fwd, NULL, s->scale, s->scale);
	if (!pixman_f_transform_invert(m, &fwd))
		pixman_f_transform_init_identity(m);
}

static void compute_size(struct gwl_surface *s)
{
	if (!s->image) {
		s->width = s->height = 0;
		return;
	}
	double uw, uh;
	unviewported_size(s, &uw, &uh);
	if (s->dst_w >= 0) {
		s->width = s->dst_w;
		s->height = s->dst_h;
	} else if (s->src_w >= 0) {
		s->width = (int32_t)s->src_w;
		s->height = (int32_t)s->src_h;
	} else {
		s->width = (int32_t)uw;
		s->height = (int32_t)uh;
	}
	s->width = s->width > GWL_COORD_MAX ? GWL_COORD_MAX : s->width;
	s->height = s->height > GWL_COORD_MAX ? GWL_COORD_MAX : s->height;
}

bool gwl_surface_set_role(struct gwl_surface *surface, const struct gwl_surface_role *role,
	void *data, struct wl_resource *error_resource, uint32_t error_code)
{
	if (surface->role && (surface->role != role || surface->role_data)) {
		wl_resource_post_error(error_resource, error_code,
			"wl_surface@%u already has the role %s",
			wl_resource_get_id(surface->resource), surface->role->name);
		return false;
	}
	surface->role = role;
	surface->role_data = data;
	return true;
}

void gwl_surface_clear_role_data(struct gwl_surface *surface)
{
	surface->role_data = NULL;
}

struct gwl_surface *gwl_surface_root(struct gwl_surface *surface)
{
	while (surface->subsurface && surface->subsurface->parent)
		surface = surface->subsurface->parent;
	return surface;
}

bool gwl_surface_layout_pos(struct gwl_surface *surface, int32_t *lx, int32_t *ly)
{
	int32_t x = 0, y = 0;
	while (surface->subsurface) {
		struct gwl_subsurface *sub = surface->subsurface;
		if (!sub->parent || !sub->mapped)
			return false;
		x += sub->x;
		y += sub->y;
		surface = sub->parent;
	}
	struct gwl_window *window = gwl_window_from_surface(surface);
	if (!window || !window->mapped)
		return false;
	int32_t wx, wy;
	gwl_window_layout_pos(window, &wx, &wy);
	*lx = x + wx;
	*ly = y + wy;
	return true;
}

void gwl_surface_for_each(struct gwl_surface *surface, int32_t sx, int32_t sy,
	gwl_surface_iter_fn fn, void *data)
{
	struct gwl_subsurface *sub;
	wl_list_for_each(sub, &surface->below, link) {
		if (sub->mapped)
			gwl_surface_for_each(sub->surface, sx + sub->x, sy + sub->y, fn, data);
	}
	fn(surface, sx, sy, data);
	wl_list_for_each(sub, &surface->above, link) {
		if (sub->mapped)
			gwl_surface_for_each(sub->surface, sx + sub->x, sy + sub->y, fn, data);
	}
}

static void damage_one(struct gwl_surface *surface, int32_t lx, int32_t ly, void *data)
{
	gwl_server_damage_box(surface->server, lx, ly, surface->width, surface->height);
}

void gwl_surface_damage_whole(struct gwl_surface *surface, int32_t lx, int32_t ly)
{
	gwl_surface_for_each(surface, lx, ly, damage_one, NULL);
}

void gwl_surface_update_outputs(struct gwl_surface *surface, uint32_t mask)
{
	uint32_t changed = mask ^ surface->output_mask;
	surface->output_mask = mask;
	if (!changed)
		return;
	struct wl_client *client = wl_resource_get_client(surface->resource);
	struct gwl_output *o;
	wl_list_for_each(o, &surface->server->outputs, link) {
		if (!(changed & (1u << o->index)))
			continue;
		struct wl_resource *r;
		wl_resource_for_each(r, &o->resources) {
			if (wl_resource_get_client(r) != client)
				continue;
			if (mask & (1u << o->index))
				wl_surface_send_enter(surface->resource, r);
			else
				wl_surface_send_leave(surface->resource, r);
		}
	}
}

/* Buffer damage of this commit, in buffer pixels. */
static void buffer_damage(struct gwl_surface *s, struct gwl_surface_state *state,
	pixman_region32_t *out)
{
	pixman_region32_copy(out, &state->damage_buffer);
	if (!pixman_region32_not_empty(&state->damage_surface))
		return;
	if (gwl_surface_buffer_is_plain(s)) {
		pixman_region32_union(out, out, &state->damage_surface);
		return;
	}
	struct pixman_f_transform b2s, s2b;
	gwl_surface_buffer_matrix(s, &b2s);
	if (!pixman_f_transform_invert(&s2b, &b2s)) {
		pixman_region32_union_rect(out, out, 0, 0, s->buffer_w, s->buffer_h);
		return;
	}
	pixman_region32_t r;
	pixman_region32_init(&r);
	gwl_region_transform(&r, &state->damage_surface, &s2b, true);
	pixman_region32_union(out, out, &r);
	pixman_region32_fini(&r);
}

static void apply_geometry(struct gwl_surface *s, struct gwl_surface_state *state)
{
	if (state->fields & GWL_STATE_SCALE)
		s->scale = state->scale;
	if (state->fields & GWL_STATE_TRANSFORM)
		s->transform = state->transform;
	if (state->fields & GWL_STATE_VIEWPORT_SRC) {
		s->src_x = state->src_x;
		s->src_y = state->src_y;
		s->src_w = state->src_w;
		s->src_h = state->src_h;
	}
	if (state->fields & GWL_STATE_VIEWPORT_DST) {
		s->dst_w = state->dst_w;
		s->dst_h = state->dst_h;
	}
	if (state->fields & GWL_STATE_OPAQUE)
		pixman_region32_copy(&s->opaque, &state->opaque);
	if (state->fields & GWL_STATE_INPUT)
		pixman_region32_copy(&s->input, &state->input);
}

static bool apply_buffer(struct gwl_surface *s, struct gwl_surface_state *state,
	bool *resized)
{
	int32_t old_w = s->buffer_w, old_h = s->buffer_h;
	if (!(state->fields & GWL_STATE_BUFFER) || !state->buffer) {
		if ((state->fields & GWL_STATE_BUFFER) && s->image) {
			gwl_surface_release_hold(s);
			pixman_image_unref(s->image);
			s->image = NULL;
			s->buffer_w = s->buffer_h = 0;
			*resized = true;
		}
		return true;
	}
	pixman_region32_t bdamage;
	pixman_region32_init(&bdamage);
	buffer_damage(s, state, &bdamage);
	enum gwl_upload r = gwl_buffer_upload(s, state->buffer, &bdamage);
	pixman_region32_fini(&bdamage);
	if (r == GWL_UPLOAD_COPIED)
		wl_buffer_send_release(state->buffer);
	bool ok = r != GWL_UPLOAD_FAILED;
	*resized = *resized || old_w != s->buffer_w || old_h != s->buffer_h;
	return ok;
}

static void compute_damage(struct gwl_surface *s, struct gwl_surface_state *state,
	bool resized)
{
	pixman_region32_clear(&s->damage);
	if (resized) {
		pixman_region32_union_rect(&s->damage, &s->damage, 0, 0, s->width, s->height);
		return;
	}
	pixman_region32_copy(&s->damage, &state->damage_surface);
	if (pixman_region32_not_empty(&state->damage_buffer) && gwl_surface_buffer_is_plain(s)) {
		pixman_region32_union(&s->damage, &s->damage, &state->damage_buffer);
	} else if (pixman_region32_not_empty(&state->damage_buffer)) {
		struct pixman_f_transform b2s;
		pixman_region32_t r;
		pixman_region32_init(&r);
		gwl_surface_buffer_matrix(s, &b2s);
		gwl_region_transform(&r, &state->damage_buffer, &b2s, true);
		pixman_region32_union(&s->damage, &s->damage, &r);
		pixman_region32_fini(&r);
	}
	pixman_region32_intersect_rect(&s->damage, &s->damage, 0, 0, s->width, s->height);
}

static void damage_outputs(struct gwl_surface *s, int32_t old_w, int32_t old_h,
	bool resized)
{
	int32_t lx, ly;
	if (!gwl_surface_layout_pos(s, &lx, &ly))
		return;
	if (resized)
		gwl_server_damage_box(s->server, lx, ly, old_w, old_h);
	pixman_region32_t r;
	pixman_region32_init(&r);
	pixman_region32_copy(&r, &s->damage);
	pixman_region32_translate(&r, lx, ly);
	int n;
	pixman_box32_t *b = pixman_region32_rectangles(&r, &n);
	for (int i = 0; i < n; i++) {
		int32_t w = b[i].x2 - b[i].x1, h = b[i].y2 - b[i].y1;
		if (resized)
			gwl_server_damage_box(s->server, b[i].x1, b[i].y1, w, h);
		else
			gwl_server_damage_surface_box(s->server, s, b[i].x1, b[i].y1, w, h);
	}
	pixman_region32_fini(&r);
	if (!wl_list_empty(&s->frame_callbacks)) {
		struct gwl_output *o;
		wl_list_for_each(o, &s->server->outputs, link) {
			if (s->shown_mask & (1u << o->index))
				gwl_output_schedule_frame(o);
		}
	}
}

void gwl_surface_apply_state(struct gwl_surface *s, struct gwl_surface_state *state)
{
	if (s->role && s->role->precommit && !s->role->precommit(s, state))
		return;
	int32_t old_w = s->width, old_h = s->height;
	bool resized = false;
	double old_src[4] = { s->src_x, s->src_y, s->src_w, s->src_h };
	apply_geometry(s, state);
	if (!apply_buffer(s, state, &resized))
		return;
	compute_size(s);
	resized = resized || old_w != s->width || old_h != s->height ||
		old_src[0] != s->src_x || old_src[1] != s->src_y ||
		(state->fields & (GWL_STATE_SCALE | GWL_STATE_TRANSFORM));
	compute_damage(s, state, resized);
	pixman_region32_intersect_rect(&s->opaque, &s->opaque, 0, 0, s->width, s->height);
	wl_list_insert_list(s->frame_callbacks.prev, &state->frame_callbacks);
	wl_list_init(&state->frame_callbacks);
	if (!wl_list_empty(&state->feedbacks))
		gwl_feedback_discard_list(&s->feedbacks);
	wl_list_insert_list(s->feedbacks.prev, &state->feedbacks);
	wl_list_init(&state->feedbacks);
	int32_t dx = state->dx, dy = state->dy;
	uint32_t state_fields = state->fields;
	state->dx = state->dy = 0;
	state->fields = 0;
	set_state_buffer(state, NULL);
	pixman_region32_clear(&state->damage_surface);
	pixman_region32_clear(&state->damage_buffer);
	s->commit_dx = dx;
	s->commit_dy = dy;
	if (s->role && s->role->commit)
		s->role->commit(s);
	/* Before the damage: the repaint it schedules knows whether this was
	 * the last commit the frame waited for (no timer armed and disarmed). */
	gwl_output_surface_answered(s);
	damage_outputs(s, old_w, old_h, resized);
	gwl_subsurface_parent_commit(s);
	/* The surface under a resting pointer may have changed. */
	int32_t lx, ly;
	if ((resized || (state_fields & GWL_STATE_INPUT)) && s->server->seat &&
		gwl_surface_layout_pos(s, &lx, &ly))
		gwl_seat_update_pointer_focus(s->server->seat);
	/* A replaced buffer waits for the next presentation, if one comes. */
	gwl_server_check_releases(s->server);
}

void gwl_surface_send_frame_done(struct gwl_surface *surface, uint32_t msec)
{
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, &surface->frame_callbacks) {
		wl_callback_send_done(cb, msec);
		wl_resource_destroy(cb);
	}
}
