// SPDX-License-Identifier: MIT
/*
 * Desktop shell: stacking windows, click-to-focus, Alt+left-drag move,
 * Alt+right-drag resize, interactive move/resize requests, maximize,
 * fullscreen, minimize. Alt+F4 closes the focused window, Alt+Tab cycles.
 */
#include <linux/input-event-codes.h>
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/shell.h"
#include "guestwl/window.h"
#include "xdg-shell-server-protocol.h"

enum grab_mode { GRAB_NONE, GRAB_MOVE, GRAB_RESIZE };

struct desktop {
	struct gwl_shell base;
	struct gwl_window *focused;
	enum grab_mode grab;
	struct gwl_window *grab_window;
	struct wl_listener grab_destroy, focus_destroy;
	double grab_x, grab_y;
	struct gwl_box grab_box; /* window geometry in layout coords at grab start */
	uint32_t edges;
	int cascade;
};

static struct desktop *desktop_of(struct gwl_shell *shell)
{
	/* base is the first member. */
	return (struct desktop *)shell;
}

static struct gwl_output *output_for(struct gwl_server *server, struct gwl_window *window)
{
	struct gwl_box g = gwl_window_geometry(window);
	struct gwl_output *o = gwl_output_at(server, window->lx + g.x + g.width / 2.0,
		window->ly + g.y + g.height / 2.0);
	if (!o && !wl_list_empty(&server->outputs))
		o = wl_container_of(server->outputs.next, o, link);
	return o;
}

static void end_grab(struct desktop *d)
{
	if (d->grab == GRAB_RESIZE && d->grab_window) {
		d->grab_window->pending.resizing = false;
		gwl_window_schedule_configure(d->grab_window);
	}
	d->grab = GRAB_NONE;
	d->grab_window = NULL;
	wl_list_remove(&d->grab_destroy.link);
	wl_list_init(&d->grab_destroy.link);
}

static void grab_window_destroyed(struct wl_listener *listener, void *data)
{
	struct desktop *d = wl_container_of(listener, d, grab_destroy);
	d->grab_window = NULL;
	end_grab(d);
}

static void focus_window_destroyed(struct wl_listener *listener, void *data)
{
	struct desktop *d = wl_container_of(listener, d, focus_destroy);
	wl_list_remove(&d->focus_destroy.link);
	wl_list_init(&d->focus_destroy.link);
	d->focused = NULL;
}

static void focus(struct desktop *d, struct gwl_window *window)
{
	struct gwl_seat *seat = d->base.server->seat;
	if (d->focused == window) {
		if (window)
			gwl_seat_set_keyboard_focus(seat, window->surface);
		return;
	}
	if (d->focused) {
		d->focused->pending.activated = false;
		gwl_window_schedule_configure(d->focused);
	}
	wl_list_remove(&d->focus_destroy.link);
	wl_list_init(&d->focus_destroy.link);
	d->focused = window;
	if (!window) {
		gwl_seat_set_keyboard_focus(seat, NULL);
		return;
	}
	wl_signal_add(&window->destroy_signal, &d->focus_destroy);
	window->minimized = false;
	window->pending.activated = true;
	gwl_window_schedule_configure(window);
	gwl_window_raise(window);
	gwl_seat_set_keyboard_focus(seat, window->surface);
	gwl_log(GWL_DEBUG, "desktop: focus on the window at %d,%d", window->lx, window->ly);
}

static void focus_top(struct desktop *d, struct gwl_window *except)
{
	struct gwl_window *w;
	wl_list_for_each_reverse(w, &d->base.server->windows, link) {
		if (w != except && w->mapped && !w->minimized) {
			focus(d, w);
			return;
		}
	}
	focus(d, NULL);
}

static void desktop_destroy(struct gwl_shell *shell)
{
	struct desktop *d = desktop_of(shell);
	wl_list_remove(&d->grab_destroy.link);
	wl_list_remove(&d->focus_destroy.link);
	free(d);
}

static void desktop_request_state(struct gwl_shell *shell, struct gwl_window *window);

static void desktop_toplevel_new(struct gwl_shell *shell, struct gwl_window *window)
{
	window->pending.width = window->pending.height = 0;
	/* set_maximized / set_fullscreen before the initial commit */
	if (window->requested_maximized || window->requested_fullscreen)
		desktop_request_state(shell, window);
}

static void desktop_toplevel_map(struct gwl_shell *shell, struct gwl_window *window)
{
	struct desktop *d = desktop_of(shell);
	if (!window->user_placed) {
		struct gwl_box g = gwl_window_geometry(window);
		struct gwl_output *o = output_for(shell->server, window);
		int32_t ox = o ? o->lx : 0, oy = o ? o->ly : 0;
		int32_t step = 32 * (d->cascade++ % 10);
		bool full = window->current.maximized || window->current.fullscreen;
		window->lx = ox + (full ? 0 : 40 + step) - g.x;
		window->ly = oy + (full ? 0 : 40 + step) - g.y;
	}
	/* The new window takes the focus: popup grabs end. */
	gwl_seat_dismiss_popup_grabs(shell->server->seat);
	focus(d, window);
}

static void desktop_toplevel_unmap(struct gwl_shell *shell, struct gwl_window *window)
{
	struct desktop *d = desktop_of(shell);
	if (d->grab_window == window)
		end_grab(d);
	if (d->focused == window)
		focus_top(d, window);
}

static void desktop_toplevel_commit(struct gwl_shell *shell, struct gwl_window *window)
{
	struct desktop *d = desktop_of(shell);
	struct gwl_box g = gwl_window_geometry(window);
	if (window->current.maximized || window->current.fullscreen) {
		struct gwl_output *o = output_for(shell->server, window);
		if (o && !window->user_placed)
			gwl_window_move(window, o->lx - g.x, o->ly - g.y);
		return;
	}
	if (d->grab != GRAB_RESIZE || d->grab_window != window)
		return;
	/* Keep the edge opposite to the one being dragged in place. */
	int32_t x = d->grab_box.x, y = d->grab_box.y;
	if (d->edges & XDG_TOPLEVEL_RESIZE_EDGE_LEFT)
		x = d->grab_box.x + d->grab_box.width - g.width;
	if (d->edges & XDG_TOPLEVEL_RESIZE_EDGE_TOP)
		y = d->grab_box.y + d->grab_box.height - g.height;
	gwl_window_move(window, x - g.x, y - g.y);
}

static void start_grab(struct desktop *d, struct gwl_window *window, enum grab_mode mode,
	uint32_t edges)
{
	struct gwl_seat *seat = d->base.server->seat;
	end_grab(d);
	struct gwl_box g = gwl_window_geometry(window);
	d->grab = mode;
	d->grab_window = window;
	d->grab_x = seat->lx;
	d->grab_y = seat->ly;
	d->grab_box = (struct gwl_box){ window->lx + g.x, window->ly + g.y, g.width, g.height };
	d->edges = edges;
	wl_signal_add(&window->destroy_signal, &d->grab_destroy);
	if (mode == GRAB_RESIZE) {
		window->pending.resizing = true;
		gwl_window_schedule_configure(window);
	}
	gwl_seat_set_pointer_focus(seat, NULL, 0, 0);
}

static void desktop_request_move(struct gwl_shell *shell, struct gwl_window *window)
{
	struct desktop *d = desktop_of(shell);
	if (shell->server->seat->n_buttons > 0 && !window->current.fullscreen)
		start_grab(d, window, GRAB_MOVE, 0);
}

static void desktop_request_resize(struct gwl_shell *shell, struct gwl_window *window,
	uint32_t edges)
{
	struct desktop *d = desktop_of(shell);
	if (shell->server->seat->n_buttons > 0 && edges != 0)
		start_grab(d, window, GRAB_RESIZE, edges);
}

static void save_geometry(struct gwl_window *window)
{
	if (window->saved_valid)
		return;
	struct gwl_box g = gwl_window_geometry(window);
	window->saved = (struct gwl_box){ window->lx, window->ly, g.width, g.height };
	window->saved_valid = true;
}

static void desktop_request_state(struct gwl_shell *shell, struct gwl_window *window)
{
	struct desktop *d = desktop_of(shell);
	if (window->minimized) {
		gwl_window_damage(window);
		if (d->focused == window)
			focus_top(d, window);
		return;
	}
	bool max = window->requested_maximized, full = window->requested_fullscreen;
	struct gwl_output *o = output_for(shell->server, window);
	if ((max || full) && o) {
		save_geometry(window);
		gwl_output_logical_size(o, &window->pending.width, &window->pending.height);
	} else if (window->saved_valid) {
		window->pending.width = window->saved.width;
		window->pending.height = window->saved.height;
		gwl_window_move(window, window->saved.x, window->saved.y);
		window->saved_valid = false;
	}
	window->pending.maximized = max && !full;
	window->pending.fullscreen = full;
	gwl_window_schedule_configure(window);
}

static struct gwl_window *window_under_cursor(struct gwl_server *server)
{
	double sx, sy;
	struct gwl_seat *seat = server->seat;
	struct gwl_surface *s = gwl_server_surface_at(server, seat->lx, seat->ly, &sx, &sy);
	if (!s)
		return NULL;
	struct gwl_window *w = gwl_window_from_surface(gwl_surface_root(s));
	while (w && w->kind == GWL_WINDOW_POPUP && w->popup_parent)
		w = w->popup_parent;
	return w && w->kind == GWL_WINDOW_TOPLEVEL ? w : NULL;
}

static bool desktop_pointer_button(struct gwl_shell *shell, uint32_t button, uint32_t state)
{
	struct desktop *d = desktop_of(shell);
	struct gwl_seat *seat = shell->server->seat;
	if (d->grab != GRAB_NONE) {
		if (state == WL_POINTER_BUTTON_STATE_RELEASED && seat->n_buttons == 0) {
			end_grab(d);
			gwl_seat_update_pointer_focus(seat);
		}
		return true;
	}
	if (state != WL_POINTER_BUTTON_STATE_PRESSED || seat->n_grabs > 0)
		return false;
	struct gwl_window *w = window_under_cursor(shell->server);
	if (!w)
		return false;
	focus(d, w);
	if (!(gwl_seat_modifiers(seat) & GWL_MOD_ALT))
		return false;
	if (button == BTN_LEFT)
		start_grab(d, w, GRAB_MOVE, 0);
	else if (button == BTN_RIGHT)
		start_grab(d, w, GRAB_RESIZE, XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM_RIGHT);
	else
		return false;
	return true;
}

static bool desktop_pointer_motion(struct gwl_shell *shell, double lx, double ly)
{
	struct desktop *d = desktop_of(shell);
	struct gwl_window *w = d->grab_window;
	if (d->grab == GRAB_NONE || !w)
		return false;
	int32_t dx = (int32_t)(lx - d->grab_x), dy = (int32_t)(ly - d->grab_y);
	struct gwl_box g = gwl_window_geometry(w);
	if (d->grab == GRAB_MOVE) {
		gwl_window_move(w, d->grab_box.x + dx - g.x, d->grab_box.y + dy - g.y);
		return true;
	}
	int32_t width = d->grab_box.width, height = d->grab_box.height;
	if (d->edges & XDG_TOPLEVEL_RESIZE_EDGE_LEFT)
		width -= dx;
	if (d->edges & XDG_TOPLEVEL_RESIZE_EDGE_RIGHT)
		width += dx;
	if (d->edges & XDG_TOPLEVEL_RESIZE_EDGE_TOP)
		height -= dy;
	if (d->edges & XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM)
		height += dy;
	int32_t min_w = w->min_w > 1 ? w->min_w : 1, min_h = w->min_h > 1 ? w->min_h : 1;
	width = width < min_w ? min_w : width;
	height = height < min_h ? min_h : height;
	if (w->max_w > 0 && width > w->max_w)
		width = w->max_w;
	if (w->max_h > 0 && height > w->max_h)
		height = w->max_h;
	w->pending.width = width;
	w->pending.height = height;
	gwl_window_schedule_configure(w);
	return true;
}

static void cycle(struct desktop *d)
{
	struct gwl_server *server = d->base.server;
	struct gwl_window *w;
	/* The bottom-most window comes to the top. */
	wl_list_for_each(w, &server->windows, link) {
		if (w->mapped && w != d->focused) {
			focus(d, w);
			return;
		}
	}
}

static bool desktop_key(struct gwl_shell *shell, uint32_t key, uint32_t state, uint32_t mods)
{
	struct desktop *d = desktop_of(shell);
	if (state != WL_KEYBOARD_KEY_STATE_PRESSED || !(mods & GWL_MOD_ALT))
		return false;
	if (key == KEY_F4 && d->focused) {
		gwl_window_send_close(d->focused);
		return true;
	}
	if (key == KEY_TAB) {
		cycle(d);
		return true;
	}
	return false;
}

static const struct gwl_shell_impl desktop_impl = {
	.destroy = desktop_destroy,
	.toplevel_new = desktop_toplevel_new,
	.toplevel_map = desktop_toplevel_map,
	.toplevel_unmap = desktop_toplevel_unmap,
	.toplevel_commit = desktop_toplevel_commit,
	.request_move = desktop_request_move,
	.request_resize = desktop_request_resize,
	.request_state = desktop_request_state,
	.pointer_button = desktop_pointer_button,
	.pointer_motion = desktop_pointer_motion,
	.key = desktop_key,
};

struct gwl_shell *gwl_desktop_shell_create(struct gwl_server *server)
{
	struct desktop *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->base.impl = &desktop_impl;
	d->base.server = server;
	wl_list_init(&d->grab_destroy.link);
	wl_list_init(&d->focus_destroy.link);
	d->grab_destroy.notify = grab_window_destroyed;
	d->focus_destroy.notify = focus_window_destroyed;
	return &d->base;
}
