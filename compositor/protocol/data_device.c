// SPDX-License-Identifier: MIT
/* placeholder, replaced below */
#include "guestwl/seat.h"
#include "guestwl/server.h"
void gwl_data_device_keyboard_focus(struct gwl_seat *seat, struct wl_client *client) {}
bool gwl_data_device_dnd_active(struct gwl_seat *seat) { return false; }
void gwl_data_device_dnd_motion(struct gwl_seat *seat, uint32_t time) {}
void gwl_data_device_dnd_drop(struct gwl_seat *seat) {}
struct gwl_surface *gwl_data_device_dnd_icon(struct gwl_seat *seat) { return NULL; }
void gwl_data_device_seat_destroy(struct gwl_seat *seat) {}
bool gwl_data_device_init(struct gwl_server *server) { return true; }
