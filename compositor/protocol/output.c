// SPDX-License-Identifier: MIT
/* Outputs: wl_output global, damage and repaint scheduling. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <wayland-server-protocol.h>

#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/render.h"
#include "guestwl/server.h"
#include "guestwl/shell.h"
#include "guestwl/surface.h"

#define OUTPUT_VERSION 4

static void output_handle_release(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_output_interface output_impl = {
	.release = output_handle_release,
};

static void unlink_resource(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static void output_send_state(struct gwl_output *output, struct wl_resource *resource)
{
	uint32_t version = wl_resource_get_version(resource);
	wl_output_send_geometry(resource, output->lx, output->ly, 0, 0,
		WL_OUTPUT_SUBPIXEL_UNKNOWN, "guestwl", "virtual", output->transform);
	wl_output_send_mode(resource, WL_OUTPUT_MODE_CURRENT | WL_OUTPUT_MODE_PREFERRED,
		output->width, output->height, output->refresh_mhz);
	if (version >= WL_OUTPUT_SCALE_SINCE_VERSION)
		wl_output_send_scale(resource, output->scale);
	if (version >= WL_OUTPUT_NAME_SINCE_VERSION)
		wl_output_send_name(resource, output->name);
	if (version >= WL_OUTPUT_DESCRIPTION_SINCE_VERSION)
		wl_output_send_description(resource, output->description);
	if (version >= WL_OUTPUT_DONE_SINCE_VERSION)
		wl_output_send_done(resource);
}

static void output_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct gwl_output *output = data;
	struct wl_resource *resource =
		wl_resource_create(client, &wl_output_interface, version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	if (!output) {
		/* Removed output: an inert object. */
		wl_resource_set_implementation(resource, &output_impl, NULL, NULL);
		return;
	}
	wl_resource_set_implementation(resource, &output_impl, output, unlink_resource);
	wl_list_insert(&output->resources, wl_resource_get_link(resource));
	output_send_state(output, resource);
}

struct gwl_output *gwl_output_from_resource(struct wl_resource *resource)
{
	if (!resource)
		return NULL;
	return wl_resource_get_user_data(resource);
}

struct wl_resource *gwl_output_resource_for_client(struct gwl_output *output,
	struct wl_client *client)
{
	struct wl_resource *resource;
	wl_resource_for_each(resource, &output->resources) {
		if (wl_resource_get_client(resource) == client)
			return resource;
	}
	return NULL;
}

static int next_output_index(struct gwl_server *server)
{
	uint32_t used = 0;
	struct gwl_output *o;
	wl_list_for_each(o, &server->outputs, link)
		used |= 1u << o->index;
	for (int i = 0; i < 32; i++) {
		if (!(used & (1u << i)))
			return i;
	}
	return -1;
}

static int32_t layout_right_edge(struct gwl_server *server)
{
	int32_t x = 0;
	struct gwl_output *o;
	wl_list_for_each(o, &server->outputs, link) {
		int32_t w, h;
		gwl_output_logical_size(o, &w, &h);
		if (o->lx + w > x)
			x = o->lx + w;
	}
	return x;
}

static void output_repaint(void *data);

static int repaint_timer_fired(void *data)
{
	struct gwl_output *output = data;
	output->repaint_armed = false;
	output_repaint(output);
	return 0;
}

static void notify_shell(struct gwl_server *server)
{
	if (server->shell && server->shell->impl->outputs_changed)
		server->shell->impl->outputs_changed(server->shell);
}

struct gwl_output *gwl_output_create(struct gwl_server *server,
	const struct gwl_output_impl *impl, const struct gwl_output_config *config,
	void *backend_data)
{
	int index = next_output_index(server);
	if (index < 0)
		return NULL;
	struct gwl_output *output = calloc(1, sizeof(*output));
	if (!output)
		return NULL;
	output->server = server;
	output->id = ++server->next_output_id;
	output->impl = impl;
	output->backend_data = backend_data;
	output->index = index;
	output->width = config->width;
	output->height = config->height;
	output->refresh_mhz = config->refresh_mhz > 0 ? config->refresh_mhz : 60000;
	output->scale = config->scale > 0 ? config->scale : 1;
	output->transform = config->transform;
	output->lx = layout_right_edge(server);
	snprintf(output->name, sizeof(output->name), "%s-%d", server->backend
		? server->backend->impl->name : "OUT", index + 1);
	snprintf(output->description, sizeof(output->description), "guestwl %dx%d output",
		output->width, output->height);
	wl_list_init(&output->resources);
	wl_list_init(&output->xdg_resources);
	wl_list_init(&output->frame_callbacks);
	wl_list_init(&output->feedbacks);
	wl_signal_init(&output->destroy_signal);
	pixman_region32_init(&output->damage);
	pixman_region32_init(&output->overlay_damage);
	gwl_damage_ring_init(&output->ring, output->width, output->height);
	output->repaint_timer = wl_event_loop_add_timer(server->loop, repaint_timer_fired, output);
	output->global = wl_global_create(server->display, &wl_output_interface,
		OUTPUT_VERSION, output, output_bind);
	if (!output->global || !output->repaint_timer) {
		if (output->global)
			wl_global_destroy(output->global);
		if (output->repaint_timer)
			wl_event_source_remove(output->repaint_timer);
		gwl_damage_ring_finish(&output->ring);
		free(output);
		return NULL;
	}
	wl_list_insert(server->outputs.prev, &output->link);
	gwl_output_damage_whole(output);
	notify_shell(server);
	return output;
}

static void destroy_resource_list(struct wl_list *list)
{
	struct wl_resource *resource, *tmp;
	wl_resource_for_each_safe(resource, tmp, list) {
		wl_list_remove(wl_resource_get_link(resource));
		wl_list_init(wl_resource_get_link(resource));
		wl_resource_set_user_data(resource, NULL);
	}
}

static void send_frame_callbacks(struct gwl_output *output, uint32_t msec)
{
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, &output->frame_callbacks) {
		wl_callback_send_done(cb, msec);
		wl_resource_destroy(cb);
	}
}

void gwl_output_destroy(struct gwl_output *output)
{
	if (!output)
		return;
	wl_signal_emit_mutable(&output->destroy_signal, output);
	if (output->impl->destroy)
		output->impl->destroy(output);
	if (output->repaint_idle)
		wl_event_source_remove(output->repaint_idle);
	wl_event_source_remove(output->repaint_timer);
	/* Pending frame callbacks go out now: the output will never present.
	 * Releases waiting for a presentation go first, as they would with
	 * one: a client redrawing on the callback needs its other buffer. */
	gwl_server_send_releases(output->server);
	send_frame_callbacks(output, gwl_now_msec());
	gwl_feedback_discard_list(&output->feedbacks);
	destroy_resource_list(&output->resources);
	destroy_resource_list(&output->xdg_resources);
	/* Clients may still bind the global until they see it removed: keep it
	 * (inert) until the display goes away. */
	wl_global_set_user_data(output->global, NULL);
	wl_global_remove(output->global);
	wl_list_remove(&output->link);
	pixman_region32_fini(&output->damage);
	pixman_region32_fini(&output->overlay_damage);
	gwl_damage_ring_finish(&output->ring);
	gwl_render_list_cache_free(output);
	struct gwl_server *server = output->server;
	free(output);
	notify_shell(server);
	gwl_server_check_idle(server); /* barriers no longer wait for it */
}

void gwl_output_logical_size(const struct gwl_output *output, int32_t *w, int32_t *h)
{
	int32_t pw = output->width, ph = output->height;
	if (gwl_transform_swaps_axes(output->transform)) {
		pw = output->height;
		ph = output->width;
	}
	*w = pw / output->scale;
	*h = ph / output->scale;
}

bool gwl_output_layout_is_translation(const struct gwl_output *output)
{
	return output->scale == 1 && output->transform == WL_OUTPUT_TRANSFORM_NORMAL;
}

void gwl_output_layout_matrix(const struct gwl_output *output, struct pixman_f_transform *m)
{
	if (gwl_output_layout_is_translation(output)) {
		pixman_f_transform_init_translate(m, -output->lx, -output->ly);
		return;
	}
	int32_t lw, lh;
	gwl_output_logical_size(output, &lw, &lh);
	struct pixman_f_transform t;
	pixman_f_transform_init_translate(m, -output->lx, -output->ly);
	pixman_f_transform_scale(m, NULL, output->scale, output->scale);
	gwl_transform_matrix(&t, output->transform, (double)lw * output->scale,
		(double)lh * output->scale);
	pixman_f_transform_multiply(m, &t, m);
}

static bool repaint_queued(const struct gwl_output *output)
{
	return output->repaint_idle || output->repaint_armed;
}

/* Something to show: composited damage or the overlay surface's own. */
static bool has_damage(const struct gwl_output *output)
{
	return pixman_region32_not_empty((pixman_region32_t *)&output->damage) ||
		pixman_region32_not_empty((pixman_region32_t *)&output->overlay_damage);
}

static int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/*
 * Milliseconds until the repaint: the repaint window before the refresh
 * after the last presentation. 0 (at once) when that moment has passed, or
 * when the output has not presented for a refresh period: an idle output has
 * no vblank phase to keep, and waiting would only delay the first frame.
 */
static int repaint_delay_ms(const struct gwl_output *output)
{
	int window = output->server->options.repaint_window_ms;
	if (window <= 0 || output->last_present_ns <= 0)
		return 0;
	int64_t now = clock_ns(output->server->presentation_clock);
	int64_t next = output->last_present_ns + 1000000000000ll / output->refresh_mhz;
	int64_t delay = next - (int64_t)window * 1000000 - now;
	if (now >= next || delay < 1000000)
		return 0;
	return (int)(delay / 1000000);
}

/* Repaint now rather than when the repaint window opens. */
static void repaint_now(struct gwl_output *output)
{
	if (!output->repaint_armed)
		return;
	wl_event_source_timer_update(output->repaint_timer, 0);
	output->repaint_armed = false;
	output->repaint_idle =
		wl_event_loop_add_idle(output->server->loop, output_repaint, output);
}

void gwl_output_await_surface(struct gwl_output *output, struct gwl_surface *surface)
{
	if (surface->await_output == output->id && surface->await_seq == output->frame_seq)
		return;
	gwl_output_surface_answered(surface);
	surface->await_output = output->id;
	surface->await_seq = output->frame_seq;
	output->collected++;
	output->asked = true;
}

void gwl_output_surface_answered(struct gwl_surface *surface)
{
	struct gwl_output *o;
	uint32_t id = surface->await_output;
	surface->await_output = 0;
	if (!id)
		return;
	wl_list_for_each(o, &surface->server->outputs, link) {
		if (o->id != id)
			continue;
		if (surface->await_seq == o->frame_seq && o->frame_pending && o->collected > 0) {
			o->collected--; /* answered before its frame was even shown */
		} else if (surface->await_seq == o->await_seq && o->awaited > 0 &&
			--o->awaited == 0) {
			o->all_answered = true; /* nobody else to wait for */
			repaint_now(o);
		}
		return;
	}
}

static void schedule_repaint(struct gwl_output *output)
{
	if (output->frame_pending || repaint_queued(output))
		return;
	int delay = output->all_answered ? 0 : repaint_delay_ms(output);
	if (delay > 0 && wl_event_source_timer_update(output->repaint_timer, delay) == 0) {
		output->repaint_armed = true;
		return;
	}
	output->repaint_idle =
		wl_event_loop_add_idle(output->server->loop, output_repaint, output);
}

void gwl_output_damage(struct gwl_output *output, const pixman_region32_t *region)
{
	pixman_region32_t clipped;
	pixman_region32_init(&clipped);
	pixman_region32_intersect_rect(&clipped, (pixman_region32_t *)region, 0, 0,
		output->width, output->height);
	if (pixman_region32_not_empty(&clipped)) {
		pixman_region32_union(&output->damage, &output->damage, &clipped);
		schedule_repaint(output);
	}
	pixman_region32_fini(&clipped);
}

void gwl_output_damage_layout_box(struct gwl_output *output, int32_t lx, int32_t ly,
	int32_t w, int32_t h)
{
	if (w <= 0 || h <= 0)
		return;
	pixman_region32_t box;
	pixman_region32_init_rect(&box, lx, ly, (uint32_t)w, (uint32_t)h);
	if (gwl_output_layout_is_translation(output)) {
		pixman_region32_translate(&box, -output->lx, -output->ly);
	} else {
		struct pixman_f_transform m;
		gwl_output_layout_matrix(output, &m);
		gwl_region_transform(&box, &box, &m, true);
	}
	gwl_output_damage(output, &box);
	pixman_region32_fini(&box);
}

bool gwl_output_damage_overlay(struct gwl_output *output, const struct gwl_surface *s,
	int32_t lx, int32_t ly, int32_t w, int32_t h)
{
	if (!output->overlay_on || output->overlay_surface != s || w <= 0 || h <= 0 ||
		!gwl_output_layout_is_translation(output))
		return false;
	const pixman_box32_t *b = &output->overlay_box;
	pixman_region32_t r;
	pixman_region32_init_rect(&r, lx - output->lx, ly - output->ly, (uint32_t)w,
		(uint32_t)h);
	pixman_region32_intersect_rect(&r, &r, b->x1, b->y1, (uint32_t)(b->x2 - b->x1),
		(uint32_t)(b->y2 - b->y1));
	pixman_region32_union(&output->overlay_damage, &output->overlay_damage, &r);
	pixman_region32_fini(&r);
	schedule_repaint(output);
	return true;
}

/* The overlay surface's own damage becomes composited damage. */
static void overlay_damage_merge(struct gwl_output *output)
{
	pixman_region32_union(&output->damage, &output->damage, &output->overlay_damage);
	pixman_region32_clear(&output->overlay_damage);
}

void gwl_output_surface_gone(struct gwl_output *output, const struct gwl_surface *s)
{
	if (output->overlay_surface != s)
		return;
	output->overlay_surface = NULL;
	overlay_damage_merge(output);
}

void gwl_output_damage_whole(struct gwl_output *output)
{
	pixman_region32_union_rect(&output->damage, &output->damage, 0, 0, output->width,
		output->height);
	schedule_repaint(output);
}

void gwl_output_schedule_frame(struct gwl_output *output)
{
	output->needs_frame = true;
	schedule_repaint(output);
}

bool gwl_output_is_idle(const struct gwl_output *output)
{
	return !output->frame_pending && !repaint_queued(output) && !has_damage(output);
}

uint64_t gwl_output_barrier_target(const struct gwl_output *output)
{
	uint64_t target = output->presented;
	if (output->frame_pending)
		target++;
	if (repaint_queued(output) || output->needs_frame || has_damage(output))
		target++;
	return target;
}

/* GUESTWL_CHECK_DAMAGE=1: compare every partially drawn frame with a full
 * redraw and log differing pixels (debugging damage tracking). */
static void check_damage(struct gwl_output *output, pixman_image_t *image)
{
	static int enabled = -1;
	if (enabled < 0) {
		const char *env = getenv("GUESTWL_CHECK_DAMAGE");
		enabled = env && *env == '1';
	}
	/* snapshots include the plane cursor and the overlay surface */
	if (!enabled || output->hw_cursor || output->overlay_on)
		return;
	pixman_image_t *full = gwl_output_snapshot(output);
	if (!full)
		return;
	int w = output->width, h = output->height, bad = 0, fx = 0, fy = 0;
	const uint32_t *a = pixman_image_get_data(image), *b = pixman_image_get_data(full);
	int sa = pixman_image_get_stride(image) / 4, sb = pixman_image_get_stride(full) / 4;
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			if (((a[y * sa + x] ^ b[y * sb + x]) & 0xffffff) && !bad++) {
				fx = x;
				fy = y;
			}
		}
	}
	if (bad)
		gwl_log(GWL_ERROR, "%s: damage check: %d pixels differ, first at %d,%d",
			output->name, bad, fx, fy);
	pixman_image_unref(full);
}

/* The frame is on its way: the damage is the backend's now. */
static void frame_submitted(struct gwl_output *output)
{
	gwl_damage_ring_push(&output->ring, &output->damage);
	output->needs_frame = false;
	output->frame_pending = true;
	output->repaints++;
	pixman_region32_clear(&output->damage);
	pixman_region32_clear(&output->overlay_damage);
}

/* The overlay plane goes off with the next frame, which redraws under it. */
static void overlay_off(struct gwl_output *output)
{
	if (!output->overlay_on)
		return;
	output->overlay_on = false;
	output->overlay_surface = NULL;
	output->impl->set_overlay(output, NULL, 0, 0, NULL);
	const pixman_box32_t *b = &output->overlay_box;
	pixman_region32_union_rect(&output->damage, &output->damage, b->x1, b->y1,
		(unsigned)(b->x2 - b->x1), (unsigned)(b->y2 - b->y1));
	overlay_damage_merge(output);
	gwl_log(GWL_DEBUG, "%s: overlay plane off", output->name);
}

/* One surface covers the output: the backend shows its buffer as it is. */
static bool try_scanout(struct gwl_output *output, struct gwl_render_list *list)
{
	if (!output->impl->scanout)
		return false;
	struct gwl_surface *s = gwl_render_list_scanout(list);
	if (!s)
		return false;
	overlay_off(output);
	gwl_render_list_collect(list);
	if (!output->impl->scanout(output, s->hold.buffer, &output->damage))
		return false;
	output->scanouts++;
	if (!output->scanning_out)
		gwl_log(GWL_DEBUG, "%s: scanning out a client's buffer", output->name);
	output->scanning_out = true;
	frame_submitted(output);
	return true;
}

/* Draw the damaged part of the frame outside box into the backend's next
 * buffer and submit it with damage (what changed on its plane). */
static void draw_and_submit(struct gwl_output *output, struct gwl_render_list *list,
	const pixman_region32_t *box, const pixman_region32_t *damage)
{
	int age = 0;
	pixman_image_t *image = output->impl->begin_frame(output, &age);
	if (!image) {
		gwl_log(GWL_ERROR, "%s: no buffer to draw into", output->name);
		return;
	}
	if (output->scanning_out)
		gwl_log(GWL_DEBUG, "%s: compositing again", output->name);
	output->scanning_out = false;
	pixman_region32_t region;
	pixman_region32_init(&region);
	gwl_damage_ring_repaint_region(&output->ring, age, &output->damage, &region);
	pixman_region32_subtract(&region, &region, (pixman_region32_t *)box);
	gwl_render_list_draw(list, image, &region);
	pixman_region32_fini(&region);
	check_damage(output, image);
	gwl_render_list_collect(list);
	frame_submitted(output);
	output->impl->submit_frame(output, image, damage);
}

/* Composite the frame into the backend's next buffer and submit it; with
 * lifted (the overlay plane's box), everything but that box, or everything
 * but its surface when the plane blends it over what is under it. */
static void composite(struct gwl_output *output, struct gwl_render_list *list,
	const pixman_box32_t *lifted, bool translucent)
{
	pixman_region32_t damage, box;
	pixman_region32_init(&damage);
	pixman_region32_init(&box);
	if (lifted && !translucent)
		pixman_region32_init_rects(&box, lifted, 1);
	else if (!lifted)
		overlay_off(output);
	pixman_region32_subtract(&damage, &output->damage, &box);
	if (lifted && !pixman_region32_not_empty(&damage)) {
		/* Only the overlay plane changes. */
		gwl_render_list_collect(list);
		frame_submitted(output);
		output->impl->submit_frame(output, NULL, &damage);
	} else {
		draw_and_submit(output, list, &box, &damage);
	}
	pixman_region32_fini(&box);
	pixman_region32_fini(&damage);
}

/* Whether the plane keeps showing s where it is (its damage alone changes). */
static bool overlay_kept(const struct gwl_output *output, const struct gwl_surface *s,
	const pixman_box32_t *box, bool translucent)
{
	const pixman_box32_t *old = &output->overlay_box;
	return output->overlay_on && output->overlay_surface == s &&
		output->overlay_translucent == translucent && old->x1 == box->x1 &&
		old->y1 == box->y1 && old->x2 == box->x2 && old->y2 == box->y2;
}

/* The top surface on the backend's overlay plane, the rest composited. */
static bool try_overlay(struct gwl_output *output, struct gwl_render_list *list)
{
	pixman_box32_t box;
	bool translucent = false;
	struct gwl_surface *s = output->impl->set_overlay ?
		gwl_render_list_overlay(list, &box, &translucent) : NULL;
	if (!s)
		return false;
	bool same = overlay_kept(output, s, &box, translucent);
	if (!same) {
		overlay_off(output);
		if (translucent) /* the composited buffers hold s under its box */
			pixman_region32_union_rect(&output->damage, &output->damage, box.x1,
				box.y1, (unsigned)s->width, (unsigned)s->height);
	}
	if (output->scanning_out) /* the primary plane shows a client's buffer */
		pixman_region32_union_rect(&output->damage, &output->damage, 0, 0,
			(unsigned)output->width, (unsigned)output->height);
	pixman_region32_t damage; /* buffer pixels */
	pixman_region32_init_rect(&damage, 0, 0, (unsigned)s->width, (unsigned)s->height);
	if (same) {
		pixman_region32_union(&damage, &output->damage, &output->overlay_damage);
		pixman_region32_intersect_rect(&damage, &damage, box.x1, box.y1,
			(unsigned)s->width, (unsigned)s->height);
		pixman_region32_translate(&damage, -box.x1, -box.y1);
	}
	bool ok = output->impl->set_overlay(output, s->hold.buffer, box.x1, box.y1, &damage);
	pixman_region32_fini(&damage);
	if (!ok)
		return false;
	if (!output->overlay_on)
		gwl_log(GWL_DEBUG, "%s: overlay plane at %d,%d %dx%d%s", output->name, box.x1,
			box.y1, s->width, s->height, translucent ? " (blended)" : "");
	output->overlay_on = true;
	output->overlay_box = box;
	output->overlay_surface = s;
	output->overlay_translucent = translucent;
	output->overlays++;
	output->scanning_out = false;
	gwl_render_list_lift(list);
	composite(output, list, &box, translucent);
	return true;
}

static void output_repaint(void *data)
{
	struct gwl_output *output = data;
	output->repaint_idle = NULL;
	if (output->frame_pending)
		return;
	output->frame_seq++; /* surfaces drawn now are awaited after it is shown */
	output->collected = 0;
	output->asked = false;
	if (!has_damage(output)) {
		if (!output->needs_frame) {
			gwl_server_check_idle(output->server);
			return;
		}
		output->needs_frame = false;
		gwl_render_output(output, NULL, &output->damage, true);
		output->frame_pending = true;
		output->impl->schedule_frame(output);
		return;
	}
	struct gwl_render_list *list = gwl_render_list_build(output, true);
	if (!list) {
		gwl_log(GWL_ERROR, "%s: out of memory for the frame", output->name);
		return;
	}
	if (!try_scanout(output, list) && !try_overlay(output, list))
		composite(output, list, NULL, false);
	gwl_render_list_finish(list);
}

void gwl_output_presented(struct gwl_output *output, const struct timespec *when,
	uint64_t seq, uint32_t flags)
{
	output->frame_pending = false;
	output->presented++;
	output->last_present_ns = (int64_t)when->tv_sec * 1000000000ll + when->tv_nsec;
	output->await_seq = output->frame_seq;
	output->awaited = output->collected;
	/* Every surface the frame asked already committed its next one (its
	 * callback went out when the frame latched): repaint at once. */
	output->all_answered = output->asked && output->collected == 0;
	output->collected = 0;
	output->asked = false;
	uint32_t msec = (uint32_t)(when->tv_sec * 1000 + when->tv_nsec / 1000000);
	gwl_server_send_releases(output->server);
	send_frame_callbacks(output, msec);
	uint32_t refresh_ns = (uint32_t)(1000000000000ull / (uint64_t)output->refresh_mhz);
	gwl_feedback_present_list(&output->feedbacks, output, when, seq, refresh_ns, flags);
	if (has_damage(output) || output->needs_frame)
		schedule_repaint(output);
	gwl_server_check_idle(output->server);
}

void gwl_output_latched(struct gwl_output *output)
{
	gwl_server_send_releases(output->server);
	send_frame_callbacks(output, gwl_now_msec());
}

struct gwl_output *gwl_output_at(struct gwl_server *server, double lx, double ly)
{
	struct gwl_output *o;
	wl_list_for_each(o, &server->outputs, link) {
		int32_t w, h;
		gwl_output_logical_size(o, &w, &h);
		if (lx >= o->lx && ly >= o->ly && lx < o->lx + w && ly < o->ly + h)
			return o;
	}
	return NULL;
}

pixman_image_t *gwl_output_snapshot(struct gwl_output *output)
{
	pixman_image_t *image = pixman_image_create_bits(PIXMAN_x8r8g8b8, output->width,
		output->height, NULL, 0);
	if (!image)
		return NULL;
	pixman_region32_t all;
	pixman_region32_init_rect(&all, 0, 0, output->width, output->height);
	gwl_render_output(output, image, &all, false);
	pixman_region32_fini(&all);
	return image;
}
