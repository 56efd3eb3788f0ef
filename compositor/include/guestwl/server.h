/* SPDX-License-Identifier: MIT */
#ifndef GUESTWL_SERVER_H
#define GUESTWL_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

#include "guestwl/backend.h"

struct gwl_seat;
struct gwl_shell;
struct gwl_surface;
struct gwl_window;
struct gwl_data_device_manager;

struct gwl_server_options {
	bool test_protocol;
	bool show_cursor;
	bool kiosk;
	int xdg_shell_version; /* 0: 5 */
	/* Repaint this many ms before the next refresh (0: as soon as damage
	 * arrives, what tests that build a server themselves get). */
	int repaint_window_ms;
	/* wlcs 1.5 compatibility (docs/wlcs.md): configure xdg surfaces when
	 * the role is created and accept a buffer once that was sent. */
	bool configure_on_create;
};

struct gwl_server {
	struct wl_display *display;
	struct wl_event_loop *loop;
	struct gwl_server_options options;
	struct gwl_backend *backend;
	struct wl_list outputs; /* gwl_output.link, layout order */
	struct wl_list windows; /* gwl_window.link, stacking order bottom to top */
	struct gwl_seat *seat;
	struct gwl_shell *shell;
	struct wl_list idle_waiters; /* gwl_idle_waiter.link */
	struct wl_list idle_inhibitors; /* gwl_idle_inhibitor.link */
	struct wl_list releases; /* gwl_release.link (buffer.c): queued, pinned */
	struct wl_global *presentation;
	uint32_t background; /* a8r8g8b8 */
	clockid_t presentation_clock;
	uint32_t next_output_id; /* gwl_output.id of the last output created */
	struct wl_signal destroy_signal;
};

/* A guestwl_test.wait_idle barrier: done once every output has presented
 * what was damaged or committed when it was asked for (or is idle). */
struct gwl_idle_waiter {
	struct wl_resource *callback;
	struct wl_list link; /* gwl_server.idle_waiters */
	uint64_t target[32]; /* gwl_output.presented, by gwl_output.index */
};

struct gwl_server *gwl_server_create(const struct gwl_server_options *options);
/* Register the globals; call after the backend created its outputs. */
bool gwl_server_init_globals(struct gwl_server *server);
void gwl_server_destroy(struct gwl_server *server);

/* Topmost surface accepting input at layout point; sets surface-local coords. */
struct gwl_surface *gwl_server_surface_at(struct gwl_server *server, double lx, double ly,
	double *sx, double *sy);
/* Damage the layout box on every output it touches. */
void gwl_server_damage_box(struct gwl_server *server, int32_t lx, int32_t ly, int32_t w,
	int32_t h);
/* The same for a change of surface s's content: an output showing s on its
 * overlay plane updates the plane alone. */
void gwl_server_damage_surface_box(struct gwl_server *server, const struct gwl_surface *s,
	int32_t lx, int32_t ly, int32_t w, int32_t h);
/* Run the wait_idle callbacks whose barrier has been reached. */
void gwl_server_check_idle(struct gwl_server *server);
uint32_t gwl_now_msec(void);
/* wl_buffer.release of replaced buffers, sent with the next presentation
 * (buffer.c): queue one, take it back (the buffer is shown again), send
 * them all, or send them unless some output has a frame on the way. */
void gwl_buffer_release_later(struct gwl_server *server, struct wl_resource *buffer);
void gwl_buffer_cancel_release(struct gwl_server *server, struct wl_resource *buffer);
void gwl_server_send_releases(struct gwl_server *server);
void gwl_server_check_releases(struct gwl_server *server);
/* A backend shows the buffer directly: its release waits until every pin
 * is undone (counted; a destroyed buffer drops its pins). */
bool gwl_buffer_pin(struct gwl_server *server, struct wl_resource *buffer);
void gwl_buffer_unpin(struct gwl_server *server, struct wl_resource *buffer);
/* A visible surface holds an idle inhibitor (idle_inhibit.c). */
bool gwl_idle_inhibited(struct gwl_server *server);

/* Globals, one per protocol file. */
bool gwl_compositor_init(struct gwl_server *server);
bool gwl_subcompositor_init(struct gwl_server *server);
bool gwl_shm_init(struct gwl_server *server);
bool gwl_xdg_shell_init(struct gwl_server *server);
bool gwl_xdg_output_init(struct gwl_server *server);
bool gwl_data_device_init(struct gwl_server *server);
bool gwl_viewporter_init(struct gwl_server *server);
bool gwl_presentation_init(struct gwl_server *server);
bool gwl_single_pixel_buffer_init(struct gwl_server *server);
bool gwl_xdg_decoration_init(struct gwl_server *server);
bool gwl_idle_inhibit_init(struct gwl_server *server);
bool gwl_test_init(struct gwl_server *server);

#endif
