/* SPDX-License-Identifier: MIT */
/*
 * libinput is loaded when input starts, after the first frame, rather than
 * with the executable: with libwacom, GUdev, GObject and GLib it is eight
 * libraries that cost every start ~40 ms under TCG before main() (and input
 * is not wanted before the app is on screen).
 */
#ifndef GUESTWL_LIBINPUT_LOADER_H
#define GUESTWL_LIBINPUT_LOADER_H

#include <libinput.h>

/* Every libinput function guestwl calls. */
#define GWL_LIBINPUT_FUNCTIONS(X) \
	X(libinput_device_config_accel_is_available) \
	X(libinput_device_config_accel_set_profile) \
	X(libinput_device_config_tap_get_finger_count) \
	X(libinput_device_config_tap_set_enabled) \
	X(libinput_device_get_name) \
	X(libinput_device_has_capability) \
	X(libinput_dispatch) \
	X(libinput_event_destroy) \
	X(libinput_event_get_device) \
	X(libinput_event_get_keyboard_event) \
	X(libinput_event_get_pointer_event) \
	X(libinput_event_get_touch_event) \
	X(libinput_event_get_type) \
	X(libinput_event_keyboard_get_key) \
	X(libinput_event_keyboard_get_key_state) \
	X(libinput_event_keyboard_get_seat_key_count) \
	X(libinput_event_keyboard_get_time) \
	X(libinput_event_pointer_get_absolute_x_transformed) \
	X(libinput_event_pointer_get_absolute_y_transformed) \
	X(libinput_event_pointer_get_button) \
	X(libinput_event_pointer_get_button_state) \
	X(libinput_event_pointer_get_dx) \
	X(libinput_event_pointer_get_dy) \
	X(libinput_event_pointer_get_scroll_value) \
	X(libinput_event_pointer_get_scroll_value_v120) \
	X(libinput_event_pointer_get_time) \
	X(libinput_event_pointer_has_axis) \
	X(libinput_event_touch_get_seat_slot) \
	X(libinput_event_touch_get_time) \
	X(libinput_event_touch_get_x_transformed) \
	X(libinput_event_touch_get_y_transformed) \
	X(libinput_get_event) \
	X(libinput_get_fd) \
	X(libinput_log_set_handler) \
	X(libinput_log_set_priority) \
	X(libinput_path_add_device) \
	X(libinput_path_create_context) \
	X(libinput_resume) \
	X(libinput_suspend) \
	X(libinput_udev_assign_seat) \
	X(libinput_udev_create_context) \
	X(libinput_unref)

struct gwl_libinput_api {
#define GWL_LIBINPUT_MEMBER(name) __typeof__(name) *name;
	GWL_LIBINPUT_FUNCTIONS(GWL_LIBINPUT_MEMBER)
#undef GWL_LIBINPUT_MEMBER
};

/* The functions (loaded once), or NULL after logging why not. */
const struct gwl_libinput_api *gwl_libinput_load(void);

#endif
