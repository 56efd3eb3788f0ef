/* SPDX-License-Identifier: MIT */
/* xdg_surface based windows (toplevels and popups). */
#ifndef GUESTWL_WINDOW_H
#define GUESTWL_WINDOW_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

#include "guestwl/surface.h"

struct gwl_box {
	int32_t x, y, width, height;
};

enum gwl_window_kind {
	GWL_WINDOW_NONE,
	GWL_WINDOW_TOPLEVEL,
	GWL_WINDOW_POPUP,
};

struct gwl_toplevel_state {
	int32_t width, height;
	bool maximized, fullscreen, activated, resizing;
};

struct gwl_positioner_rules {
	int32_t width, height;
	struct gwl_box anchor_rect;
	uint32_t anchor, gravity, constraint_adjustment;
	int32_t offset_x, offset_y;
	bool reactive;
	int32_t parent_width, parent_height;
	bool has_parent_size;
};

struct gwl_configure {
	struct wl_list link;
	uint32_t serial;
	struct gwl_toplevel_state state;
};

struct gwl_window {
	struct gwl_server *server;
	struct wl_resource *resource; /* xdg_surface */
	struct wl_resource *role_resource; /* xdg_toplevel / xdg_popup */
	struct gwl_surface *surface;
	struct wl_listener surface_destroy;
	enum gwl_window_kind kind;
	struct wl_list link; /* toplevel: server->windows; popup: parent->popups */
	bool linked;
	bool mapped;
	bool initial_commit; /* the client made its first commit */
	bool configured; /* acked a configure */
	uint32_t last_serial;
	struct wl_list configures; /* gwl_configure sent, not acked yet */
	struct wl_event_source *configure_idle;
	bool has_geometry, pending_has_geometry;
	struct gwl_box geometry, pending_geometry;
	int32_t lx, ly; /* toplevel: layout position of the surface origin */

	/* toplevel */
	char *title, *app_id;
	int32_t min_w, min_h, max_w, max_h;
	int32_t pending_min_w, pending_min_h, pending_max_w, pending_max_h;
	struct gwl_window *parent;
	struct wl_listener parent_destroy;
	struct gwl_toplevel_state pending; /* next configure */
	struct gwl_toplevel_state acked; /* last acked configure */
	struct gwl_toplevel_state current; /* acked and committed */
	bool requested_maximized, requested_fullscreen, minimized;
	struct wl_resource *decoration;

	/* popup */
	struct gwl_window *popup_parent;
	struct wl_list popups; /* child popups, gwl_window.link */
	struct gwl_positioner_rules rules;
	struct gwl_box popup_box; /* relative to the parent's geometry origin */
	bool popup_grab;
	uint32_t reposition_token;
	bool has_reposition;

	struct gwl_box saved; /* shell: position and size before maximize */
	bool saved_valid;
	bool user_placed; /* moved by guestwl_test.move_surface: shells keep it */
	void *shell_data;
	struct wl_signal destroy_signal;
};

extern const struct gwl_surface_role gwl_xdg_surface_role;

struct gwl_window *gwl_window_from_surface(struct gwl_surface *surface);
/* Send the configure queued by gwl_window_schedule_configure (xdg_shell.c). */
void gwl_window_send_configure(struct gwl_window *window);
/* Layout position of the window's surface origin. */
void gwl_window_layout_pos(const struct gwl_window *window, int32_t *lx, int32_t *ly);
/* Window geometry (xdg_surface.set_window_geometry or surface extent). */
struct gwl_box gwl_window_geometry(const struct gwl_window *window);
void gwl_window_move(struct gwl_window *window, int32_t lx, int32_t ly);
void gwl_window_raise(struct gwl_window *window);
/* Queue a configure carrying window->pending (sent from an idle callback). */
void gwl_window_schedule_configure(struct gwl_window *window);
void gwl_window_send_close(struct gwl_window *window);
void gwl_window_damage(struct gwl_window *window);
/* Dismiss a popup and its children (xdg_popup.popup_done). */
void gwl_popup_dismiss(struct gwl_window *popup);
/* Visit the window's surfaces and popups bottom to top (layout coords). */
void gwl_window_for_each_surface(struct gwl_window *window, gwl_surface_iter_fn fn,
	void *data);
/* Visit all mapped windows' surfaces bottom to top. */
void gwl_scene_for_each_surface(struct gwl_server *server, gwl_surface_iter_fn fn, void *data);
/* Topmost mapped toplevel, or NULL. */
struct gwl_window *gwl_scene_top_window(struct gwl_server *server);
/* Apply positioner rules inside constraint box (layout coords relative to
 * the parent geometry origin); returns the popup box. Unit-tested. */
struct gwl_box gwl_positioner_place(const struct gwl_positioner_rules *rules,
	const struct gwl_box *constraint);

#endif
