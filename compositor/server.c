// SPDX-License-Identifier: MIT
/* Server: display, globals, scene queries. */
#include <stdlib.h>
#include <time.h>
#include <wayland-server-protocol.h>

#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/shell.h"
#include "guestwl/surface.h"
#include "guestwl/window.h"

uint32_t gwl_now_msec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

struct gwl_server *gwl_server_create(const struct gwl_server_options *options)
{
	struct gwl_server *server = calloc(1, sizeof(*server));
	if (!server)
		return NULL;
	server->options = *options;
	server->display = wl_display_create();
	if (!server->display) {
		free(server);
		return NULL;
	}
	server->loop = wl_display_get_event_loop(server->display);
	server->background = 0xff303040;
	server->presentation_clock = CLOCK_MONOTONIC;
	wl_list_init(&server->outputs);
	wl_list_init(&server->windows);
	wl_list_init(&server->idle_waiters);
	wl_list_init(&server->releases);
	wl_list_init(&server->idle_inhibitors);
	wl_signal_init(&server->destroy_signal);
	return server;
}

bool gwl_server_init_globals(struct gwl_server *server)
{
	server->seat = gwl_seat_create(server);
	if (!server->seat)
		return false;
	server->shell = server->options.kiosk ? gwl_kiosk_shell_create(server)
		: gwl_desktop_shell_create(server);
	if (!server->shell)
		return false;
	bool ok = gwl_compositor_init(server) && gwl_subcompositor_init(server) &&
		gwl_shm_init(server) && gwl_xdg_shell_init(server) &&
		gwl_xdg_output_init(server) && gwl_data_device_init(server) &&
		gwl_viewporter_init(server) && gwl_presentation_init(server) &&
		gwl_single_pixel_buffer_init(server) && gwl_xdg_decoration_init(server) &&
		gwl_idle_inhibit_init(server);
	if (ok && server->options.test_protocol)
		ok = gwl_test_init(server);
	return ok;
}

void gwl_server_destroy(struct gwl_server *server)
{
	if (!server)
		return;
	wl_display_destroy_clients(server->display);
	wl_signal_emit_mutable(&server->destroy_signal, server);
	if (server->backend)
		server->backend->impl->destroy(server->backend);
	if (server->shell)
		server->shell->impl->destroy(server->shell);
	gwl_seat_destroy(server->seat);
	wl_display_destroy(server->display);
	free(server);
}

static bool surface_accepts(struct gwl_surface *s, double sx, double sy)
{
	if (sx < 0 || sy < 0 || sx >= s->width || sy >= s->height || !s->image)
		return false;
	return pixman_region32_contains_point(&s->input, (int)sx - (sx < 0),
		(int)sy - (sy < 0), NULL);
}

struct hit_test {
	double lx, ly;
	struct gwl_surface *found;
	double sx, sy;
};

static void hit_surface(struct gwl_surface *surface, int32_t lx, int32_t ly, void *data)
{
	/* Visited bottom to top: the last hit is the topmost. */
	struct hit_test *h = data;
	double sx = h->lx - lx, sy = h->ly - ly;
	if (surface_accepts(surface, sx, sy)) {
		h->found = surface;
		h->sx = sx;
		h->sy = sy;
	}
}

struct gwl_surface *gwl_server_surface_at(struct gwl_server *server, double lx, double ly,
	double *sx, double *sy)
{
	struct hit_test h = { .lx = lx, .ly = ly };
	gwl_scene_for_each_surface(server, hit_surface, &h);
	if (h.found) {
		*sx = h.sx;
		*sy = h.sy;
	}
	return h.found;
}

void gwl_server_damage_box(struct gwl_server *server, int32_t lx, int32_t ly, int32_t w,
	int32_t h)
{
	struct gwl_output *o;
	wl_list_for_each(o, &server->outputs, link)
		gwl_output_damage_layout_box(o, lx, ly, w, h);
}

void gwl_server_damage_surface_box(struct gwl_server *server, const struct gwl_surface *s,
	int32_t lx, int32_t ly, int32_t w, int32_t h)
{
	struct gwl_output *o;
	wl_list_for_each(o, &server->outputs, link) {
		if (!gwl_output_damage_overlay(o, s, lx, ly, w, h))
			gwl_output_damage_layout_box(o, lx, ly, w, h);
	}
}

static bool waiter_reached(struct gwl_server *server, const struct gwl_idle_waiter *w)
{
	struct gwl_output *o;
	wl_list_for_each(o, &server->outputs, link) {
		if (!gwl_output_is_idle(o) && o->presented < w->target[o->index])
			return false;
	}
	return true;
}

void gwl_server_check_idle(struct gwl_server *server)
{
	gwl_server_check_releases(server);
	struct gwl_idle_waiter *w, *tmp;
	wl_list_for_each_safe(w, tmp, &server->idle_waiters, link) {
		if (!waiter_reached(server, w))
			continue;
		wl_callback_send_done(w->callback, gwl_now_msec());
		wl_resource_destroy(w->callback);
	}
}
