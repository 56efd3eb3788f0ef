/* SPDX-License-Identifier: MIT */
/* Window management policy. */
#ifndef GUESTWL_SHELL_H
#define GUESTWL_SHELL_H

#include <stdbool.h>
#include <stdint.h>

struct gwl_server;
struct gwl_window;
struct gwl_shell;

struct gwl_shell_impl {
	void (*destroy)(struct gwl_shell *shell);
	/* A toplevel made its initial commit: fill window->pending. */
	void (*toplevel_new)(struct gwl_shell *shell, struct gwl_window *window);
	void (*toplevel_map)(struct gwl_shell *shell, struct gwl_window *window);
	void (*toplevel_unmap)(struct gwl_shell *shell, struct gwl_window *window);
	/* A mapped toplevel committed (size or state may have changed). */
	void (*toplevel_commit)(struct gwl_shell *shell, struct gwl_window *window);
	void (*request_move)(struct gwl_shell *shell, struct gwl_window *window);
	void (*request_resize)(struct gwl_shell *shell, struct gwl_window *window,
		uint32_t edges);
	/* requested_maximized/fullscreen/minimized changed. */
	void (*request_state)(struct gwl_shell *shell, struct gwl_window *window);
	/* Optional: an output was added or removed (hotplug). */
	void (*outputs_changed)(struct gwl_shell *shell);
	/* Input hooks; return true when the shell consumed the event. */
	bool (*pointer_button)(struct gwl_shell *shell, uint32_t button, uint32_t state);
	bool (*pointer_motion)(struct gwl_shell *shell, double lx, double ly);
	bool (*key)(struct gwl_shell *shell, uint32_t key, uint32_t state, uint32_t mods);
};

struct gwl_shell {
	const struct gwl_shell_impl *impl;
	struct gwl_server *server;
};

struct gwl_shell *gwl_kiosk_shell_create(struct gwl_server *server);
struct gwl_shell *gwl_desktop_shell_create(struct gwl_server *server);

/* Modifier bits passed to the key hook. */
enum gwl_modifier {
	GWL_MOD_SHIFT = 1 << 0,
	GWL_MOD_CTRL = 1 << 1,
	GWL_MOD_ALT = 1 << 2,
	GWL_MOD_LOGO = 1 << 3,
};

#endif
