// SPDX-License-Identifier: MIT
/*
 * Kiosk shell: toplevels without a parent fill the output they start on
 * (centred when the client keeps a smaller size); dialogs (toplevels with
 * a parent) are centred over the output. The
 * newest window gets the keyboard focus.
 */
#include <stdlib.h>

#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/shell.h"
#include "guestwl/window.h"

static struct gwl_output *first_output(struct gwl_server *server)
{
	if (wl_list_empty(&server->outputs))
		return NULL;
	struct gwl_output *o = wl_container_of(server->outputs.next, o, link);
	return o;
}

static void kiosk_destroy(struct gwl_shell *shell)
{
	free(shell);
}

static void kiosk_toplevel_new(struct gwl_shell *shell, struct gwl_window *window)
{
	struct gwl_output *o = first_output(shell->server);
	window->pending.activated = true;
	if (window->parent || !o) {
		window->pending.width = window->pending.height = 0;
		return;
	}
	gwl_output_logical_size(o, &window->pending.width, &window->pending.height);
	window->pending.maximized = true;
	window->pending.fullscreen = window->requested_fullscreen;
}

static void place(struct gwl_shell *shell, struct gwl_window *window)
{
	struct gwl_output *o = first_output(shell->server);
	if (!o || window->user_placed)
		return;
	int32_t ow, oh;
	gwl_output_logical_size(o, &ow, &oh);
	struct gwl_box g = gwl_window_geometry(window);
	/* Dialogs are centred; so is a main window smaller than the output
	 * (a client that keeps its own size), in the dimension it is smaller. */
	int32_t dx = window->parent || g.width < ow ? (ow - g.width) / 2 : 0;
	int32_t dy = window->parent || g.height < oh ? (oh - g.height) / 2 : 0;
	gwl_window_move(window, o->lx + dx - g.x, o->ly + dy - g.y);
}

static void kiosk_toplevel_map(struct gwl_shell *shell, struct gwl_window *window)
{
	struct gwl_box g = gwl_window_geometry(window);
	window->lx = -g.x;
	window->ly = -g.y;
	place(shell, window);
	gwl_window_raise(window);
	gwl_seat_set_keyboard_focus(shell->server->seat, window->surface);
}

static void kiosk_toplevel_unmap(struct gwl_shell *shell, struct gwl_window *window)
{
	struct gwl_seat *seat = shell->server->seat;
	if (seat->keyboard_focus.surface != window->surface)
		return;
	struct gwl_window *w;
	wl_list_for_each_reverse(w, &shell->server->windows, link) {
		if (w != window && w->mapped) {
			gwl_seat_set_keyboard_focus(seat, w->surface);
			return;
		}
	}
	gwl_seat_set_keyboard_focus(seat, NULL);
}

static void kiosk_toplevel_commit(struct gwl_shell *shell, struct gwl_window *window)
{
	place(shell, window);
}

static void kiosk_request_move(struct gwl_shell *shell, struct gwl_window *window)
{
}

static void kiosk_request_resize(struct gwl_shell *shell, struct gwl_window *window,
	uint32_t edges)
{
}

static void kiosk_request_state(struct gwl_shell *shell, struct gwl_window *window)
{
	/* The size is fixed; fullscreen is granted as a state (no panels to hide),
	 * minimize is ignored. */
	window->minimized = false;
	if (!window->parent)
		window->pending.fullscreen = window->requested_fullscreen;
	gwl_window_schedule_configure(window);
}

static void kiosk_outputs_changed(struct gwl_shell *shell)
{
	struct gwl_output *o = first_output(shell->server);
	struct gwl_window *w;
	wl_list_for_each(w, &shell->server->windows, link) {
		if (w->parent || !o)
			continue;
		gwl_output_logical_size(o, &w->pending.width, &w->pending.height);
		gwl_window_schedule_configure(w);
		place(shell, w);
	}
}

static bool kiosk_pointer_button(struct gwl_shell *shell, uint32_t button, uint32_t state)
{
	return false;
}

static bool kiosk_pointer_motion(struct gwl_shell *shell, double lx, double ly)
{
	return false;
}

static bool kiosk_key(struct gwl_shell *shell, uint32_t key, uint32_t state, uint32_t mods)
{
	return false;
}

static const struct gwl_shell_impl kiosk_impl = {
	.destroy = kiosk_destroy,
	.toplevel_new = kiosk_toplevel_new,
	.toplevel_map = kiosk_toplevel_map,
	.toplevel_unmap = kiosk_toplevel_unmap,
	.toplevel_commit = kiosk_toplevel_commit,
	.request_move = kiosk_request_move,
	.request_resize = kiosk_request_resize,
	.request_state = kiosk_request_state,
	.outputs_changed = kiosk_outputs_changed,
	.pointer_button = kiosk_pointer_button,
	.pointer_motion = kiosk_pointer_motion,
	.key = kiosk_key,
};

struct gwl_shell *gwl_kiosk_shell_create(struct gwl_server *server)
{
	struct gwl_shell *shell = calloc(1, sizeof(*shell));
	if (!shell)
		return NULL;
	shell->impl = &kiosk_impl;
	shell->server = server;
	return shell;
}
