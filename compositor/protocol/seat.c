// SPDX-License-Identifier: MIT
/* wl_seat, wl_pointer, wl_keyboard, wl_touch objects and focus. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-server-protocol.h>

#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/render.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/surface.h"
#include "guestwl/window.h"

#define SEAT_VERSION 8

static void unlink_resource(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static void resource_release(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

/* ---- focus helpers ---- */

static void focus_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_focus *focus = wl_container_of(listener, focus, destroy);
	wl_list_remove(&focus->destroy.link);
	wl_list_init(&focus->destroy.link);
	focus->surface = NULL;
}

void gwl_focus_init(struct gwl_focus *focus)
{
	focus->surface = NULL;
	wl_list_init(&focus->destroy.link);
	focus->destroy.notify = focus_destroyed;
}

void gwl_focus_set(struct gwl_focus *focus, struct gwl_surface *surface)
{
	wl_list_remove(&focus->destroy.link);
	wl_list_init(&focus->destroy.link);
	focus->surface = surface;
	if (surface)
		wl_signal_add(&surface->destroy_signal, &focus->destroy);
}

struct wl_client *gwl_focus_client(const struct gwl_focus *focus)
{
	return focus->surface ? wl_resource_get_client(focus->surface->resource) : NULL;
}

uint32_t gwl_seat_next_serial(struct gwl_seat *seat)
{
	uint32_t serial = wl_display_next_serial(seat->server->display);
	seat->serials[seat->serial_head] = serial;
	seat->serial_head = (seat->serial_head + 1) % 8;
	return serial;
}

bool gwl_seat_validate_serial(struct gwl_seat *seat, uint32_t serial)
{
	for (int i = 0; i < 8; i++) {
		if (seat->serials[i] == serial && serial != 0)
			return true;
	}
	return false;
}

/* ---- cursor ---- */

static void cursor_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_seat *seat = wl_container_of(listener, seat, cursor_destroy);
	gwl_seat_damage_cursor(seat);
	wl_list_remove(&seat->cursor_destroy.link);
	wl_list_init(&seat->cursor_destroy.link);
	seat->cursor_surface = NULL;
}

static void cursor_commit(struct gwl_surface *surface)
{
	struct gwl_seat *seat = surface->server->seat;
	if (seat->cursor_surface != surface)
		return;
	seat->hotspot_x = gwl_clamp_coord((int64_t)seat->hotspot_x - surface->commit_dx);
	seat->hotspot_y = gwl_clamp_coord((int64_t)seat->hotspot_y - surface->commit_dy);
	gwl_seat_damage_cursor(seat);
	/* A cursor on a plane causes no repaint: ask for its frame callbacks. */
	struct gwl_output *o;
	wl_list_for_each(o, &seat->server->outputs, link) {
		if (o->hw_cursor && !wl_list_empty(&surface->frame_callbacks))
			gwl_output_schedule_frame(o);
	}
}

static const struct gwl_surface_role cursor_role = {
	.name = "wl_pointer-cursor",
	.commit = cursor_commit,
};

bool gwl_seat_cursor_visible(const struct gwl_seat *seat)
{
	if (!seat->server->options.show_cursor)
		return false;
	struct wl_client *client = gwl_focus_client(&seat->pointer_focus);
	if (!client)
		return true;
	return !seat->client_cursor_hidden;
}

struct gwl_surface *gwl_seat_cursor_surface(const struct gwl_seat *seat)
{
	struct wl_client *client = gwl_focus_client(&seat->pointer_focus);
	struct gwl_surface *s = seat->cursor_surface;
	return s && client && wl_resource_get_client(s->resource) == client ? s : NULL;
}

static void cursor_box(struct gwl_seat *seat, int32_t *x, int32_t *y, int32_t *w, int32_t *h)
{
	struct gwl_surface *s = gwl_seat_cursor_surface(seat);
	if (s) {
		*x = (int32_t)seat->lx - seat->hotspot_x;
		*y = (int32_t)seat->ly - seat->hotspot_y;
		*w = s->width;
		*h = s->height;
	} else {
		*x = (int32_t)seat->lx;
		*y = (int32_t)seat->ly;
		*w = 12;
		*h = 19;
	}
}

/* The image a cursor plane can show as is, NULL if it needs the renderer. */
static pixman_image_t *plane_image(struct gwl_seat *seat)
{
	struct gwl_surface *s = gwl_seat_cursor_surface(seat);
	if (!s)
		return gwl_render_default_cursor();
	bool plain = s->image && s->scale == 1 && s->transform == 0 && s->src_w < 0 &&
		s->dst_w < 0 && wl_list_empty(&s->below) && wl_list_empty(&s->above);
	return plain ? s->image : NULL;
}

static bool update_plane(struct gwl_seat *seat, struct gwl_output *o, bool visible,
	pixman_image_t *image)
{
	if (!o->impl->set_cursor || o->scale != 1 || o->transform != 0 ||
		(visible && !image))
		return false;
	struct gwl_surface *s = visible ? gwl_seat_cursor_surface(seat) : NULL;
	gwl_surface_begin_access(s);
	bool ok = o->impl->set_cursor(o, visible ? image : NULL, seat->cursor_x - o->lx,
		seat->cursor_y - o->ly);
	gwl_surface_end_access(s);
	return ok;
}

void gwl_seat_damage_cursor(struct gwl_seat *seat)
{
	int32_t x = seat->cursor_x, y = seat->cursor_y, w = seat->cursor_w, h = seat->cursor_h;
	bool visible = gwl_seat_cursor_visible(seat);
	if (visible)
		cursor_box(seat, &seat->cursor_x, &seat->cursor_y, &seat->cursor_w,
			&seat->cursor_h);
	else
		seat->cursor_w = seat->cursor_h = 0;
	pixman_image_t *image = visible ? plane_image(seat) : NULL;
	struct gwl_output *o;
	wl_list_for_each(o, &seat->server->outputs, link) {
		bool was_hw = o->hw_cursor;
		o->hw_cursor = update_plane(seat, o, visible, image);
		if (!was_hw)
			gwl_output_damage_layout_box(o, x, y, w, h);
		if (!o->hw_cursor)
			gwl_output_damage_layout_box(o, seat->cursor_x, seat->cursor_y,
				seat->cursor_w, seat->cursor_h);
	}
}

static void pointer_set_cursor(struct wl_client *client, struct wl_resource *resource,
	uint32_t serial, struct wl_resource *surface_resource, int32_t hx, int32_t hy)
{
	struct gwl_seat *seat = wl_resource_get_user_data(resource);
	if (!seat || gwl_focus_client(&seat->pointer_focus) != client)
		return;
	struct gwl_surface *surface = gwl_surface_from_resource(surface_resource);
	if (surface && !gwl_surface_set_role(surface, &cursor_role, NULL, resource,
			WL_POINTER_ERROR_ROLE))
		return;
	gwl_seat_damage_cursor(seat);
	wl_list_remove(&seat->cursor_destroy.link);
	wl_list_init(&seat->cursor_destroy.link);
	seat->cursor_surface = surface;
	seat->client_cursor_hidden = surface == NULL;
	seat->hotspot_x = gwl_clamp_coord(hx);
	seat->hotspot_y = gwl_clamp_coord(hy);
	if (surface)
		wl_signal_add(&surface->destroy_signal, &seat->cursor_destroy);
	gwl_seat_damage_cursor(seat);
}

static const struct wl_pointer_interface pointer_impl = {
	.set_cursor = pointer_set_cursor,
	.release = resource_release,
};

static const struct wl_keyboard_interface keyboard_impl = {
	.release = resource_release,
};

static const struct wl_touch_interface touch_impl = {
	.release = resource_release,
};

/* ---- focus changes ---- */

void gwl_seat_set_pointer_focus(struct gwl_seat *seat, struct gwl_surface *surface, double sx,
	double sy)
{
	if (seat->pointer_focus.surface == surface)
		return;
	struct gwl_surface *old = seat->pointer_focus.surface;
	struct wl_resource *r;
	if (old) {
		uint32_t serial = wl_display_next_serial(seat->server->display);
		struct wl_client *client = wl_resource_get_client(old->resource);
		wl_resource_for_each(r, &seat->pointers) {
			if (wl_resource_get_client(r) != client)
				continue;
			wl_pointer_send_leave(r, serial, old->resource);
			if (wl_resource_get_version(r) >= WL_POINTER_FRAME_SINCE_VERSION)
				wl_pointer_send_frame(r);
		}
	}
	gwl_seat_damage_cursor(seat);
	gwl_focus_set(&seat->pointer_focus, surface);
	seat->client_cursor_hidden = false;
	if (surface) {
		uint32_t serial = gwl_seat_next_serial(seat);
		struct wl_client *client = wl_resource_get_client(surface->resource);
		wl_resource_for_each(r, &seat->pointers) {
			if (wl_resource_get_client(r) != client)
				continue;
			wl_pointer_send_enter(r, serial, surface->resource,
				wl_fixed_from_double(sx), wl_fixed_from_double(sy));
			if (wl_resource_get_version(r) >= WL_POINTER_FRAME_SINCE_VERSION)
				wl_pointer_send_frame(r);
		}
	}
	gwl_seat_damage_cursor(seat);
}

static void send_modifiers(struct gwl_seat *seat, struct wl_client *client, uint32_t serial)
{
	struct wl_resource *r;
	wl_resource_for_each(r, &seat->keyboards) {
		if (wl_resource_get_client(r) == client)
			wl_keyboard_send_modifiers(r, serial, seat->mods_depressed,
				seat->mods_latched, seat->mods_locked, seat->group);
	}
}

void gwl_seat_set_keyboard_focus(struct gwl_seat *seat, struct gwl_surface *surface)
{
	struct gwl_surface *old = seat->keyboard_focus.surface;
	if (old == surface)
		return;
	struct wl_resource *r;
	if (old) {
		uint32_t serial = wl_display_next_serial(seat->server->display);
		struct wl_client *client = wl_resource_get_client(old->resource);
		wl_resource_for_each(r, &seat->keyboards) {
			if (wl_resource_get_client(r) == client)
				wl_keyboard_send_leave(r, serial, old->resource);
		}
	}
	gwl_focus_set(&seat->keyboard_focus, surface);
	struct wl_client *client = surface ? wl_resource_get_client(surface->resource) : NULL;
	if (surface) {
		uint32_t serial = gwl_seat_next_serial(seat);
		wl_resource_for_each(r, &seat->keyboards) {
			if (wl_resource_get_client(r) == client)
				wl_keyboard_send_enter(r, serial, surface->resource, &seat->keys);
		}
		send_modifiers(seat, client, serial);
	}
	gwl_data_device_keyboard_focus(seat, client);
}

/* ---- keymap ---- */

static int keymap_memfd(const char *text, uint32_t *size_out)
{
	size_t size = strlen(text) + 1;
	int fd = memfd_create("guestwl-keymap", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	if (write(fd, text, size) != (ssize_t)size || fcntl(fd, F_ADD_SEALS,
		F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		close(fd);
		return -1;
	}
	*size_out = (uint32_t)size;
	return fd;
}

static const char *env_or_empty(const char *name)
{
	const char *v = getenv(name);
	return v ? v : "";
}

/* NAMES NULL: the XKB_DEFAULT_* variables, or xkbcommon's defaults. */
static bool keymap_compile(struct gwl_seat *seat, const struct xkb_rule_names *names)
{
	struct xkb_keymap *keymap = xkb_keymap_new_from_names(seat->xkb, names,
		XKB_KEYMAP_COMPILE_NO_FLAGS);
	struct xkb_state *state = keymap ? xkb_state_new(keymap) : NULL;
	char *text = state ? xkb_keymap_get_as_string(keymap, XKB_KEYMAP_FORMAT_TEXT_V1) : NULL;
	int fd = text ? keymap_memfd(text, &seat->keymap_size) : -1;
	free(text);
	if (fd < 0) {
		xkb_state_unref(state);
		xkb_keymap_unref(keymap);
		return false;
	}
	seat->keymap = keymap;
	seat->xkb_state = state;
	seat->keymap_fd = fd;
	seat->mod_shift = xkb_keymap_mod_get_index(keymap, XKB_MOD_NAME_SHIFT);
	seat->mod_ctrl = xkb_keymap_mod_get_index(keymap, XKB_MOD_NAME_CTRL);
	seat->mod_alt = xkb_keymap_mod_get_index(keymap, XKB_MOD_NAME_ALT);
	seat->mod_logo = xkb_keymap_mod_get_index(keymap, XKB_MOD_NAME_LOGO);
	return true;
}

/*
 * The keymap is compiled on first use (a wl_keyboard, a key) or when the
 * backend's input starts, not at start-up: compiling takes ~0.1 s in a TCG
 * guest, which would delay the first client's first frame by as much. A
 * keymap the XKB_DEFAULT_* variables name that does not compile falls back
 * to us; with no XKB data at all keyboards get raw key codes.
 */
bool gwl_seat_keymap_ready(struct gwl_seat *seat)
{
	if (seat->keymap_tried)
		return seat->xkb_state != NULL;
	seat->keymap_tried = true;
	seat->xkb = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	if (!seat->xkb) {
		gwl_log(GWL_ERROR, "seat: no xkbcommon context: keyboards get raw key codes");
		return false;
	}
	if (keymap_compile(seat, NULL)) {
		gwl_log(GWL_DEBUG, "seat: keymap compiled");
		return true;
	}
	gwl_log(GWL_ERROR, "seat: cannot compile the XKB keymap from XKB_DEFAULT_* "
		"(layout '%s', variant '%s', model '%s', options '%s'): using us",
		env_or_empty("XKB_DEFAULT_LAYOUT"), env_or_empty("XKB_DEFAULT_VARIANT"),
		env_or_empty("XKB_DEFAULT_MODEL"), env_or_empty("XKB_DEFAULT_OPTIONS"));
	static const struct xkb_rule_names us = {
		.rules = "evdev", .model = "pc105", .layout = "us", .variant = "", .options = "",
	};
	if (keymap_compile(seat, &us))
		return true;
	gwl_log(GWL_ERROR, "seat: no XKB keymap compiles: keyboards get raw key codes");
	return false;
}

uint32_t gwl_seat_modifiers(const struct gwl_seat *seat)
{
	static const struct {
		size_t offset;
		uint32_t bit;
	} map[] = {
		{ offsetof(struct gwl_seat, mod_shift), 1 << 0 },
		{ offsetof(struct gwl_seat, mod_ctrl), 1 << 1 },
		{ offsetof(struct gwl_seat, mod_alt), 1 << 2 },
		{ offsetof(struct gwl_seat, mod_logo), 1 << 3 },
	};
	uint32_t mods = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		xkb_mod_index_t idx = *(const xkb_mod_index_t *)((const char *)seat +
			map[i].offset);
		if (seat->xkb_state && idx != XKB_MOD_INVALID &&
			xkb_state_mod_index_is_active(seat->xkb_state,
				idx, XKB_STATE_MODS_EFFECTIVE) > 0)
			mods |= map[i].bit;
	}
	return mods;
}

/* ---- wl_seat ---- */

static void seat_get_pointer(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	struct gwl_seat *seat = wl_resource_get_user_data(resource);
	struct wl_resource *r = wl_resource_create(client, &wl_pointer_interface,
		wl_resource_get_version(resource), id);
	if (!r) {
		wl_resource_post_no_memory(resource);
		return;
	}
	wl_resource_set_implementation(r, &pointer_impl, seat, unlink_resource);
	wl_list_insert(&seat->pointers, wl_resource_get_link(r));
	struct gwl_surface *focus = seat->pointer_focus.surface;
	if (focus && wl_resource_get_client(focus->resource) == client) {
		wl_pointer_send_enter(r, gwl_seat_next_serial(seat), focus->resource,
			wl_fixed_from_double(seat->lx - seat->focus_ox),
			wl_fixed_from_double(seat->ly - seat->focus_oy));
		if (wl_resource_get_version(r) >= WL_POINTER_FRAME_SINCE_VERSION)
			wl_pointer_send_frame(r);
	}
}

static void send_keymap(struct gwl_seat *seat, struct wl_resource *keyboard)
{
	if (gwl_seat_keymap_ready(seat)) {
		wl_keyboard_send_keymap(keyboard, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1,
			seat->keymap_fd, seat->keymap_size);
		return;
	}
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		wl_client_post_no_memory(wl_resource_get_client(keyboard));
		return;
	}
	wl_keyboard_send_keymap(keyboard, WL_KEYBOARD_KEYMAP_FORMAT_NO_KEYMAP, fd, 0);
	close(fd);
}

static void seat_get_keyboard(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	struct gwl_seat *seat = wl_resource_get_user_data(resource);
	struct wl_resource *r = wl_resource_create(client, &wl_keyboard_interface,
		wl_resource_get_version(resource), id);
	if (!r) {
		wl_resource_post_no_memory(resource);
		return;
	}
	wl_resource_set_implementation(r, &keyboard_impl, seat, unlink_resource);
	wl_list_insert(&seat->keyboards, wl_resource_get_link(r));
	send_keymap(seat, r);
	if (wl_resource_get_version(r) >= WL_KEYBOARD_REPEAT_INFO_SINCE_VERSION)
		wl_keyboard_send_repeat_info(r, 25, 600);
	struct gwl_surface *focus = seat->keyboard_focus.surface;
	if (focus && wl_resource_get_client(focus->resource) == client) {
		uint32_t serial = gwl_seat_next_serial(seat);
		wl_keyboard_send_enter(r, serial, focus->resource, &seat->keys);
		wl_keyboard_send_modifiers(r, serial, seat->mods_depressed, seat->mods_latched,
			seat->mods_locked, seat->group);
	}
}

static void seat_get_touch(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	struct gwl_seat *seat = wl_resource_get_user_data(resource);
	struct wl_resource *r = wl_resource_create(client, &wl_touch_interface,
		wl_resource_get_version(resource), id);
	if (!r) {
		wl_resource_post_no_memory(resource);
		return;
	}
	wl_resource_set_implementation(r, &touch_impl, seat, unlink_resource);
	wl_list_insert(&seat->touches, wl_resource_get_link(r));
}

static const struct wl_seat_interface seat_impl = {
	.get_pointer = seat_get_pointer,
	.get_keyboard = seat_get_keyboard,
	.get_touch = seat_get_touch,
	.release = resource_release,
};

static void seat_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct gwl_seat *seat = data;
	struct wl_resource *r = wl_resource_create(client, &wl_seat_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &seat_impl, seat, unlink_resource);
	wl_list_insert(&seat->resources, wl_resource_get_link(r));
	wl_seat_send_capabilities(r, seat->capabilities);
	if (version >= WL_SEAT_NAME_SINCE_VERSION)
		wl_seat_send_name(r, "seat0");
}

struct gwl_seat *gwl_seat_create(struct gwl_server *server)
{
	struct gwl_seat *seat = calloc(1, sizeof(*seat));
	if (!seat)
		return NULL;
	seat->server = server;
	seat->keymap_fd = -1;
	wl_list_init(&seat->resources);
	wl_list_init(&seat->pointers);
	wl_list_init(&seat->keyboards);
	wl_list_init(&seat->touches);
	gwl_focus_init(&seat->pointer_focus);
	gwl_focus_init(&seat->keyboard_focus);
	wl_list_init(&seat->cursor_destroy.link);
	seat->cursor_destroy.notify = cursor_destroyed;
	for (int i = 0; i < GWL_MAX_TOUCH; i++)
		wl_list_init(&seat->touch[i].surface_destroy.link);
	wl_array_init(&seat->keys);
	seat->capabilities = WL_SEAT_CAPABILITY_POINTER | WL_SEAT_CAPABILITY_KEYBOARD |
		WL_SEAT_CAPABILITY_TOUCH;
	seat->global = wl_global_create(server->display, &wl_seat_interface, SEAT_VERSION,
		seat, seat_bind);
	if (!seat->global) {
		gwl_seat_destroy(seat);
		return NULL;
	}
	/* Remember where the first frame draws the cursor. */
	gwl_seat_damage_cursor(seat);
	return seat;
}

void gwl_seat_destroy(struct gwl_seat *seat)
{
	if (!seat)
		return;
	gwl_data_device_seat_destroy(seat);
	gwl_focus_set(&seat->pointer_focus, NULL);
	gwl_focus_set(&seat->keyboard_focus, NULL);
	wl_list_remove(&seat->cursor_destroy.link);
	for (int i = 0; i < GWL_MAX_TOUCH; i++)
		wl_list_remove(&seat->touch[i].surface_destroy.link);
	if (seat->global)
		wl_global_destroy(seat->global);
	if (seat->keymap_fd >= 0)
		close(seat->keymap_fd);
	xkb_state_unref(seat->xkb_state);
	xkb_keymap_unref(seat->keymap);
	xkb_context_unref(seat->xkb);
	wl_array_release(&seat->keys);
	free(seat);
}
