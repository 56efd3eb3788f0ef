// SPDX-License-Identifier: MIT
/*
 * Input through libinput: keyboards (the seat applies the xkb keymap),
 * pointers (relative with libinput's acceleration, absolute tablets mapped
 * onto the first output), scrolling, touch mapped through the output's
 * transform. Ctrl+Alt+Fn switches VT through the session.
 */
#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <linux/input-event-codes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server-protocol.h>

#include "../drm/session.h"
#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "input.h"
#include "libinput-loader.h"

static const struct gwl_libinput_api *lib; /* loaded by the first input_new() */

struct gwl_input {
	struct gwl_server *server;
	struct gwl_session *session; /* NULL: plain open() */
	struct libinput *li;
	struct wl_event_source *source;
	struct { int fd, id; } opened[64];
	bool ctrl, alt;
};

static int open_restricted(const char *path, int flags, void *data)
{
	struct gwl_input *input = data;
	int fd, id = -1;
	if (input->session)
		fd = gwl_session_open(input->session, path, &id);
	else
		fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(input->opened) / sizeof(input->opened[0]); i++) {
		if (input->opened[i].fd == 0) {
			input->opened[i].fd = fd + 1; /* 0 marks a free slot */
			input->opened[i].id = id;
			break;
		}
	}
	return fd;
}

static void close_restricted(int fd, void *data)
{
	struct gwl_input *input = data;
	int id = -1;
	for (size_t i = 0; i < sizeof(input->opened) / sizeof(input->opened[0]); i++) {
		if (input->opened[i].fd == fd + 1) {
			id = input->opened[i].id;
			input->opened[i].fd = 0;
			break;
		}
	}
	if (input->session)
		gwl_session_close(input->session, fd, id);
	else
		close(fd);
}

static const struct libinput_interface li_interface = {
	.open_restricted = open_restricted,
	.close_restricted = close_restricted,
};

static struct gwl_output *first_output(struct gwl_server *server)
{
	if (wl_list_empty(&server->outputs))
		return NULL;
	struct gwl_output *o = wl_container_of(server->outputs.next, o, link);
	return o;
}

/* Output buffer pixels -> layout coordinates (inverse output transform). */
static void buffer_to_layout(struct gwl_output *o, double bx, double by, double *lx,
	double *ly)
{
	struct pixman_f_transform m, inv;
	gwl_output_layout_matrix(o, &m);
	if (!pixman_f_transform_invert(&inv, &m)) {
		*lx = bx;
		*ly = by;
		return;
	}
	double v[3] = { bx, by, 1 };
	pixman_f_transform_point(&inv, (struct pixman_f_vector *)v);
	*lx = v[0];
	*ly = v[1];
}

static bool vt_switch_key(struct gwl_input *input, uint32_t key, bool pressed)
{
	if (key == KEY_LEFTCTRL || key == KEY_RIGHTCTRL)
		input->ctrl = pressed;
	if (key == KEY_LEFTALT || key == KEY_RIGHTALT)
		input->alt = pressed;
	if (!pressed || !input->ctrl || !input->alt || !input->session)
		return false;
	int vt = 0;
	if (key >= KEY_F1 && key <= KEY_F10)
		vt = (int)(key - KEY_F1) + 1;
	else if (key == KEY_F11 || key == KEY_F12)
		vt = (int)(key - KEY_F11) + 11;
	if (!vt)
		return false;
	if (!gwl_session_switch_vt(input->session, vt))
		gwl_log(GWL_INFO, "input: cannot switch to VT %d in this session", vt);
	return true;
}

static void handle_key(struct gwl_input *input, struct libinput_event_keyboard *ev)
{
	uint32_t key = lib->libinput_event_keyboard_get_key(ev);
	bool pressed = lib->libinput_event_keyboard_get_key_state(ev) == LIBINPUT_KEY_STATE_PRESSED;
	uint32_t count = lib->libinput_event_keyboard_get_seat_key_count(ev);
	/* Only the first press and the last release of a key on the seat. */
	if ((pressed && count != 1) || (!pressed && count != 0))
		return;
	if (vt_switch_key(input, key, pressed))
		return;
	gwl_seat_key(input->server->seat, key, pressed ? WL_KEYBOARD_KEY_STATE_PRESSED
		: WL_KEYBOARD_KEY_STATE_RELEASED, lib->libinput_event_keyboard_get_time(ev));
}

static void handle_absolute(struct gwl_input *input, struct libinput_event_pointer *ev)
{
	struct gwl_output *o = first_output(input->server);
	if (!o)
		return;
	double bx = lib->libinput_event_pointer_get_absolute_x_transformed(ev, (uint32_t)o->width);
	double by = lib->libinput_event_pointer_get_absolute_y_transformed(ev, (uint32_t)o->height);
	double lx, ly;
	buffer_to_layout(o, bx, by, &lx, &ly);
	gwl_seat_pointer_motion_absolute(input->server->seat, lx, ly,
		lib->libinput_event_pointer_get_time(ev));
}

static void handle_scroll(struct gwl_input *input, struct libinput_event_pointer *ev,
	enum libinput_event_type type)
{
	static const enum libinput_pointer_axis axes[] = {
		LIBINPUT_POINTER_AXIS_SCROLL_VERTICAL, LIBINPUT_POINTER_AXIS_SCROLL_HORIZONTAL,
	};
	uint32_t time = lib->libinput_event_pointer_get_time(ev);
	for (int i = 0; i < 2; i++) {
		if (!lib->libinput_event_pointer_has_axis(ev, axes[i]))
			continue;
		double v = lib->libinput_event_pointer_get_scroll_value(ev, axes[i]);
		int32_t v120 = type == LIBINPUT_EVENT_POINTER_SCROLL_WHEEL
			? (int32_t)lib->libinput_event_pointer_get_scroll_value_v120(ev, axes[i])
			: 0;
		gwl_seat_pointer_axis(input->server->seat, i == 0
			? WL_POINTER_AXIS_VERTICAL_SCROLL : WL_POINTER_AXIS_HORIZONTAL_SCROLL,
			v, v120, time);
	}
}

static void handle_pointer(struct gwl_input *input, struct libinput_event *event)
{
	struct libinput_event_pointer *ev = lib->libinput_event_get_pointer_event(event);
	struct gwl_seat *seat = input->server->seat;
	enum libinput_event_type type = lib->libinput_event_get_type(event);
	bool pressed;
	switch (type) {
	case LIBINPUT_EVENT_POINTER_MOTION:
		gwl_seat_pointer_motion_relative(seat, lib->libinput_event_pointer_get_dx(ev),
			lib->libinput_event_pointer_get_dy(ev),
			lib->libinput_event_pointer_get_time(ev));
		break;
	case LIBINPUT_EVENT_POINTER_MOTION_ABSOLUTE:
		handle_absolute(input, ev);
		break;
	case LIBINPUT_EVENT_POINTER_BUTTON:
		pressed = lib->libinput_event_pointer_get_button_state(ev) ==
			LIBINPUT_BUTTON_STATE_PRESSED;
		gwl_seat_pointer_button(seat, lib->libinput_event_pointer_get_button(ev),
			pressed ? WL_POINTER_BUTTON_STATE_PRESSED
				: WL_POINTER_BUTTON_STATE_RELEASED,
			lib->libinput_event_pointer_get_time(ev));
		break;
	case LIBINPUT_EVENT_POINTER_SCROLL_WHEEL:
	case LIBINPUT_EVENT_POINTER_SCROLL_FINGER:
	case LIBINPUT_EVENT_POINTER_SCROLL_CONTINUOUS:
		handle_scroll(input, ev, type);
		break;
	default:
		break;
	}
}

static void touch_position(struct gwl_input *input, struct libinput_event_touch *ev,
	double *lx, double *ly)
{
	struct gwl_output *o = first_output(input->server);
	*lx = *ly = 0;
	if (!o)
		return;
	double bx = lib->libinput_event_touch_get_x_transformed(ev, (uint32_t)o->width);
	double by = lib->libinput_event_touch_get_y_transformed(ev, (uint32_t)o->height);
	buffer_to_layout(o, bx, by, lx, ly);
}

static void handle_touch(struct gwl_input *input, struct libinput_event *event)
{
	struct libinput_event_touch *ev = lib->libinput_event_get_touch_event(event);
	struct gwl_seat *seat = input->server->seat;
	double lx, ly;
	switch (lib->libinput_event_get_type(event)) {
	case LIBINPUT_EVENT_TOUCH_DOWN:
		touch_position(input, ev, &lx, &ly);
		gwl_seat_touch_down(seat, lib->libinput_event_touch_get_seat_slot(ev), lx, ly,
			lib->libinput_event_touch_get_time(ev));
		break;
	case LIBINPUT_EVENT_TOUCH_MOTION:
		touch_position(input, ev, &lx, &ly);
		gwl_seat_touch_motion(seat, lib->libinput_event_touch_get_seat_slot(ev), lx, ly,
			lib->libinput_event_touch_get_time(ev));
		break;
	case LIBINPUT_EVENT_TOUCH_UP:
		gwl_seat_touch_up(seat, lib->libinput_event_touch_get_seat_slot(ev),
			lib->libinput_event_touch_get_time(ev));
		break;
	case LIBINPUT_EVENT_TOUCH_FRAME:
		gwl_seat_touch_frame(seat);
		break;
	default:
		break;
	}
}

static void device_added(struct libinput_device *dev)
{
	bool keyboard = lib->libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_KEYBOARD);
	bool pointer = lib->libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_POINTER);
	bool touch = lib->libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_TOUCH);
	gwl_log(GWL_INFO, "input: %s:%s%s%s", lib->libinput_device_get_name(dev),
		keyboard ? " keyboard" : "", pointer ? " pointer" : "", touch ? " touch" : "");
	if (lib->libinput_device_config_accel_is_available(dev))
		lib->libinput_device_config_accel_set_profile(dev,
			LIBINPUT_CONFIG_ACCEL_PROFILE_ADAPTIVE);
	if (lib->libinput_device_config_tap_get_finger_count(dev) > 0)
		lib->libinput_device_config_tap_set_enabled(dev, LIBINPUT_CONFIG_TAP_ENABLED);
}

static void handle_event(struct gwl_input *input, struct libinput_event *event)
{
	enum libinput_event_type type = lib->libinput_event_get_type(event);
	if (type == LIBINPUT_EVENT_DEVICE_ADDED)
		device_added(lib->libinput_event_get_device(event));
	else if (type == LIBINPUT_EVENT_KEYBOARD_KEY)
		handle_key(input, lib->libinput_event_get_keyboard_event(event));
	else if (type >= LIBINPUT_EVENT_POINTER_MOTION && type <= LIBINPUT_EVENT_POINTER_SCROLL_CONTINUOUS)
		handle_pointer(input, event);
	else if (type >= LIBINPUT_EVENT_TOUCH_DOWN && type <= LIBINPUT_EVENT_TOUCH_FRAME)
		handle_touch(input, event);
}

static int input_dispatch(int fd, uint32_t mask, void *data)
{
	struct gwl_input *input = data;
	if (lib->libinput_dispatch(input->li) != 0)
		gwl_log(GWL_ERROR, "input: libinput dispatch failed");
	struct libinput_event *event;
	while ((event = lib->libinput_get_event(input->li))) {
		handle_event(input, event);
		lib->libinput_event_destroy(event);
	}
	return 0;
}

static void li_log(struct libinput *li, enum libinput_log_priority prio, const char *fmt,
	va_list args)
{
	char line[256];
	vsnprintf(line, sizeof(line), fmt, args);
	line[strcspn(line, "\n")] = '\0';
	gwl_log(prio >= LIBINPUT_LOG_PRIORITY_ERROR ? GWL_ERROR : GWL_DEBUG, "libinput: %s",
		line);
}

static struct gwl_input *input_new(struct gwl_server *server, struct gwl_session *session)
{
	if (!lib && !(lib = gwl_libinput_load()))
		return NULL;
	struct gwl_input *input = calloc(1, sizeof(*input));
	if (!input)
		return NULL;
	input->server = server;
	input->session = session;
	return input;
}

static bool input_finish_setup(struct gwl_input *input)
{
	lib->libinput_log_set_handler(input->li, li_log);
	lib->libinput_log_set_priority(input->li, LIBINPUT_LOG_PRIORITY_ERROR);
	input->source = wl_event_loop_add_fd(input->server->loop, lib->libinput_get_fd(input->li),
		WL_EVENT_READABLE, input_dispatch, input);
	if (!input->source)
		return false;
	input_dispatch(0, 0, input);
	return true;
}

struct gwl_input *gwl_input_create_udev(struct gwl_server *server, struct udev *udev,
	struct gwl_session *session, const char *seat)
{
	struct gwl_input *input = input_new(server, session);
	if (!input)
		return NULL;
	input->li = lib->libinput_udev_create_context(&li_interface, input, udev);
	if (!input->li || lib->libinput_udev_assign_seat(input->li, seat ? seat : "seat0") != 0) {
		gwl_log(GWL_ERROR, "input: libinput cannot use seat %s", seat ? seat : "seat0");
		gwl_input_destroy(input);
		return NULL;
	}
	if (!input_finish_setup(input)) {
		gwl_input_destroy(input);
		return NULL;
	}
	return input;
}

struct gwl_input *gwl_input_create_path(struct gwl_server *server, const char *const *paths,
	int n_paths)
{
	struct gwl_input *input = input_new(server, NULL);
	if (!input)
		return NULL;
	input->li = lib->libinput_path_create_context(&li_interface, input);
	for (int i = 0; input->li && i < n_paths; i++) {
		if (!lib->libinput_path_add_device(input->li, paths[i]))
			gwl_log(GWL_ERROR, "input: cannot use %s", paths[i]);
	}
	if (!input->li || !input_finish_setup(input)) {
		gwl_input_destroy(input);
		return NULL;
	}
	return input;
}

void gwl_input_suspend(struct gwl_input *input)
{
	lib->libinput_suspend(input->li);
}

void gwl_input_resume(struct gwl_input *input)
{
	if (lib->libinput_resume(input->li) != 0)
		gwl_log(GWL_ERROR, "input: cannot resume devices");
}

void gwl_input_destroy(struct gwl_input *input)
{
	if (!input)
		return;
	if (input->source)
		wl_event_source_remove(input->source);
	if (input->li)
		lib->libinput_unref(input->li);
	free(input);
}
