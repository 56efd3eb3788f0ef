/* SPDX-License-Identifier: MIT */
/* wl_seat: pointer, keyboard and touch, fed by backends and the test protocol. */
#ifndef GUESTWL_SEAT_H
#define GUESTWL_SEAT_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>
#include <xkbcommon/xkbcommon.h>

struct gwl_server;
struct gwl_surface;
struct gwl_window;

#define GWL_MAX_TOUCH 10
#define GWL_MAX_BUTTONS 16
#define GWL_MAX_GRABS 16

struct gwl_touch_point {
	int32_t id;
	bool active;
	struct gwl_surface *surface;
	struct wl_listener surface_destroy;
	double ox, oy; /* layout position of the surface origin at touch down */
};

struct gwl_focus {
	struct gwl_surface *surface;
	struct wl_listener destroy;
};

struct gwl_seat {
	struct gwl_server *server;
	struct wl_global *global;
	struct wl_list resources; /* wl_seat */
	struct wl_list pointers, keyboards, touches; /* wl_resource links */
	uint32_t capabilities;

	double lx, ly; /* cursor, layout coordinates */
	struct gwl_focus pointer_focus;
	double focus_ox, focus_oy; /* layout position of the focused surface origin */
	uint32_t buttons[GWL_MAX_BUTTONS];
	int n_buttons;
	uint32_t last_button_serial;

	struct gwl_focus keyboard_focus;
	struct xkb_context *xkb;
	struct xkb_keymap *keymap;
	struct xkb_state *xkb_state;
	bool keymap_tried; /* see gwl_seat_keymap_ready */
	int keymap_fd;
	uint32_t keymap_size;
	struct wl_array keys;
	uint32_t mods_depressed, mods_latched, mods_locked, group;
	xkb_mod_index_t mod_shift, mod_ctrl, mod_alt, mod_logo;

	struct gwl_touch_point touch[GWL_MAX_TOUCH];

	/* cursor */
	struct gwl_surface *cursor_surface;
	struct wl_listener cursor_destroy;
	int32_t hotspot_x, hotspot_y;
	bool client_cursor_hidden; /* focused client set a null cursor */
	int32_t cursor_x, cursor_y, cursor_w, cursor_h; /* last damaged cursor box */

	/* popup grab stack: topmost grabbing popup last */
	struct gwl_window *grabs[GWL_MAX_GRABS];
	int n_grabs;
	uint32_t serials[8]; /* recent input event serials */
	int serial_head;
	struct wl_client *touch_frame_clients[GWL_MAX_TOUCH];

	void *data_device; /* data_device.c */
};

struct gwl_seat *gwl_seat_create(struct gwl_server *server);
void gwl_seat_destroy(struct gwl_seat *seat);

void gwl_seat_pointer_motion_absolute(struct gwl_seat *seat, double lx, double ly,
	uint32_t time);
void gwl_seat_pointer_motion_relative(struct gwl_seat *seat, double dx, double dy,
	uint32_t time);
void gwl_seat_pointer_button(struct gwl_seat *seat, uint32_t button, uint32_t state,
	uint32_t time);
void gwl_seat_pointer_axis(struct gwl_seat *seat, uint32_t axis, double value,
	int32_t value120, uint32_t time);
void gwl_seat_key(struct gwl_seat *seat, uint32_t key, uint32_t state, uint32_t time);
void gwl_seat_touch_down(struct gwl_seat *seat, int32_t id, double lx, double ly,
	uint32_t time);
void gwl_seat_touch_motion(struct gwl_seat *seat, int32_t id, double lx, double ly,
	uint32_t time);
void gwl_seat_touch_up(struct gwl_seat *seat, int32_t id, uint32_t time);
void gwl_seat_touch_frame(struct gwl_seat *seat);

void gwl_seat_set_keyboard_focus(struct gwl_seat *seat, struct gwl_surface *surface);
/* Re-pick the pointer focus after the scene changed under the cursor. */
void gwl_seat_update_pointer_focus(struct gwl_seat *seat);
/* Compiles the keymap on first use; false: keyboards get raw key codes. */
bool gwl_seat_keymap_ready(struct gwl_seat *seat);
uint32_t gwl_seat_modifiers(const struct gwl_seat *seat); /* gwl_modifier bits */
bool gwl_seat_validate_serial(struct gwl_seat *seat, uint32_t serial);

/* Popup grabs (xdg_popup.grab). */
void gwl_seat_popup_grab(struct gwl_seat *seat, struct gwl_window *popup);
void gwl_seat_popup_ungrab(struct gwl_seat *seat, struct gwl_window *popup);
struct gwl_window *gwl_seat_top_popup_grab(struct gwl_seat *seat);
/* Dismiss every grabbing popup (focus went elsewhere). */
void gwl_seat_dismiss_popup_grabs(struct gwl_seat *seat);

/* Whether the renderer draws a cursor: seat->cursor_surface, or the
 * built-in arrow when that is NULL. */
bool gwl_seat_cursor_visible(const struct gwl_seat *seat);
/* The focused client's cursor surface, NULL: draw the built-in arrow. */
struct gwl_surface *gwl_seat_cursor_surface(const struct gwl_seat *seat);
void gwl_seat_damage_cursor(struct gwl_seat *seat);
/* Internal to seat.c / input.c. */
uint32_t gwl_seat_next_serial(struct gwl_seat *seat);
void gwl_seat_set_pointer_focus(struct gwl_seat *seat, struct gwl_surface *surface,
	double sx, double sy);
void gwl_focus_init(struct gwl_focus *focus);
void gwl_focus_set(struct gwl_focus *focus, struct gwl_surface *surface);
struct wl_client *gwl_focus_client(const struct gwl_focus *focus);

/* Data device hooks (data_device.c). */
void gwl_data_device_keyboard_focus(struct gwl_seat *seat, struct wl_client *client);
bool gwl_data_device_dnd_active(struct gwl_seat *seat);
void gwl_data_device_dnd_motion(struct gwl_seat *seat, uint32_t time);
void gwl_data_device_dnd_drop(struct gwl_seat *seat);
struct gwl_surface *gwl_data_device_dnd_icon(struct gwl_seat *seat);
void gwl_data_device_seat_destroy(struct gwl_seat *seat);

#endif
