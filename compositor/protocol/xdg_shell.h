/* SPDX-License-Identifier: MIT */
/* Internal interface between xdg_shell.c, xdg_toplevel.c and xdg_popup.c. */
#ifndef GUESTWL_PROTOCOL_XDG_SHELL_H
#define GUESTWL_PROTOCOL_XDG_SHELL_H

#include "guestwl/window.h"
#include "xdg-shell-server-protocol.h"

struct gwl_wm_base {
	struct wl_resource *resource;
	struct gwl_server *server;
	struct wl_list windows; /* gwl_xdg_link.link */
};

struct gwl_positioner {
	struct wl_resource *resource;
	struct gwl_positioner_rules rules;
	bool has_size, has_anchor_rect;
};

struct gwl_positioner *gwl_positioner_from_resource(struct wl_resource *resource);
void gwl_xdg_toplevel_create(struct gwl_window *window, uint32_t id);
void gwl_xdg_popup_create(struct gwl_window *window, uint32_t id, struct gwl_window *parent,
	struct gwl_positioner *positioner);
/* Role-specific commit and configure handling. */
bool gwl_xdg_toplevel_precommit(struct gwl_window *window);
void gwl_xdg_toplevel_commit(struct gwl_window *window);
void gwl_xdg_toplevel_send_configure(struct gwl_window *window, uint32_t serial);
void gwl_xdg_popup_commit(struct gwl_window *window);
void gwl_xdg_popup_send_configure(struct gwl_window *window);
void gwl_xdg_popup_map(struct gwl_window *window);
void gwl_window_unmap(struct gwl_window *window);
struct wl_resource *gwl_window_wm_base_resource(struct gwl_window *window);

#endif
