// SPDX-License-Identifier: MIT
/* Input dispatch: pointer, keyboard and touch events into the seat. */
#include <stdlib.h>
#include <string.h>
#include <wayland-server-protocol.h>

#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/shell.h"
#include "guestwl/surface.h"
#include "guestwl/window.h"

#define for_each_client_resource(r, list, client) \
	wl_resource_for_each(r, list) if (wl_resource_get_client(r) == (client))

static void send_pointer_frame(struct gwl_seat *seat, struct wl_client *client)
{
	struct wl_resource *r;
	for_each_client_resource(r, &seat->pointers, client) {
		if (wl_resource_get_version(r) >= WL_POINTER_FRAME_SINCE_VERSION)
			wl_pointer_send_frame(r);
	}
}

static void clamp_to_outputs(struct gwl_server *server, double *lx, double *ly)
{
	if (gwl_output_at(server, *lx, *ly) || wl_list_empty(&server->outputs))
		return;
	int32_t x1 = INT32_MAX, y1 = INT32_MAX, x2 = INT32_MIN, y2 = INT32_MIN;
	struct gwl_output *o;
	wl_list_for_each(o, &server->outputs, link) {
		int32_t w, h;
		gwl_output_logical_size(o, &w, &h);
		x1 = o->lx < x1 ? o->lx : x1;
		y1 = o->ly < y1 ? o->ly : y1;
		x2 = o->lx + w > x2 ? o->lx + w : x2;
		y2 = o->ly + h > y2 ? o->ly + h : y2;
	}
	*lx = *lx < x1 ? x1 : *lx > x2 - 1 ? x2 - 1 : *lx;
	*ly = *ly < y1 ? y1 : *ly > y2 - 1 ? y2 - 1 : *ly;
}

static struct wl_client *grab_client(struct gwl_seat *seat)
{
	struct gwl_window *top = gwl_seat_top_popup_grab(seat);
	return top && top->surface ? wl_resource_get_client(top->surface->resource) : NULL;
}

/* Surface under the cursor, honouring popup grabs. */
static struct gwl_surface *pick_surface(struct gwl_seat *seat, double *sx, double *sy)
{
	struct gwl_surface *s = gwl_server_surface_at(seat->server, seat->lx, seat->ly, sx, sy);
	struct wl_client *gc = grab_client(seat);
	if (s && gc && wl_resource_get_client(s->resource) != gc)
		return NULL;
	return s;
}

void gwl_seat_update_pointer_focus(struct gwl_seat *seat)
{
	if (!seat || seat->n_buttons > 0 || gwl_data_device_dnd_active(seat))
		return;
	double sx = 0, sy = 0;
	struct gwl_surface *s = pick_surface(seat, &sx, &sy);
	bool moved = s && s == seat->pointer_focus.surface &&
		(seat->focus_ox != seat->lx - sx || seat->focus_oy != seat->ly - sy);
	if (s) {
		seat->focus_ox = seat->lx - sx;
		seat->focus_oy = seat->ly - sy;
	}
	gwl_seat_set_pointer_focus(seat, s, sx, sy);
	if (!moved)
		return;
	/* The surface moved under the cursor: new surface-local position. */
	struct wl_client *client = wl_resource_get_client(s->resource);
	struct wl_resource *r;
	for_each_client_resource(r, &seat->pointers, client)
		wl_pointer_send_motion(r, gwl_now_msec(), wl_fixed_from_double(sx),
			wl_fixed_from_double(sy));
	send_pointer_frame(seat, client);
}

void gwl_seat_pointer_motion_absolute(struct gwl_seat *seat, double lx, double ly,
	uint32_t time)
{
	struct gwl_server *server = seat->server;
	clamp_to_outputs(server, &lx, &ly);
	seat->lx = lx;
	seat->ly = ly;
	gwl_seat_damage_cursor(seat);
	if (server->shell->impl->pointer_motion(server->shell, lx, ly))
		return;
	if (gwl_data_device_dnd_active(seat)) {
		gwl_data_device_dnd_motion(seat, time);
		return;
	}
	struct gwl_surface *focus = seat->pointer_focus.surface;
	int32_t ox, oy;
	if (seat->n_buttons > 0 && focus && gwl_surface_layout_pos(focus, &ox, &oy)) {
		seat->focus_ox = ox;
		seat->focus_oy = oy;
	} else {
		gwl_seat_update_pointer_focus(seat);
		focus = seat->pointer_focus.surface;
	}
	if (!focus)
		return;
	struct wl_client *client = wl_resource_get_client(focus->resource);
	struct wl_resource *r;
	for_each_client_resource(r, &seat->pointers, client) {
		wl_pointer_send_motion(r, time, wl_fixed_from_double(lx - seat->focus_ox),
			wl_fixed_from_double(ly - seat->focus_oy));
	}
	send_pointer_frame(seat, client);
}

void gwl_seat_pointer_motion_relative(struct gwl_seat *seat, double dx, double dy,
	uint32_t time)
{
	gwl_seat_pointer_motion_absolute(seat, seat->lx + dx, seat->ly + dy, time);
}

static bool track_button(struct gwl_seat *seat, uint32_t button, uint32_t state)
{
	for (int i = 0; i < seat->n_buttons; i++) {
		if (seat->buttons[i] != button)
			continue;
		if (state == WL_POINTER_BUTTON_STATE_PRESSED)
			return false;
		seat->buttons[i] = seat->buttons[--seat->n_buttons];
		return true;
	}
	if (state != WL_POINTER_BUTTON_STATE_PRESSED || seat->n_buttons == GWL_MAX_BUTTONS)
		return false;
	seat->buttons[seat->n_buttons++] = button;
	return true;
}

void gwl_seat_dismiss_popup_grabs(struct gwl_seat *seat)
{
	while (seat->n_grabs > 0) {
		struct gwl_window *bottom = seat->grabs[0];
		gwl_popup_dismiss(bottom);
		if (seat->n_grabs > 0 && seat->grabs[0] == bottom)
			gwl_seat_popup_ungrab(seat, bottom);
	}
}

void gwl_seat_pointer_button(struct gwl_seat *seat, uint32_t button, uint32_t state,
	uint32_t time)
{
	struct gwl_server *server = seat->server;
	if (!track_button(seat, button, state))
		return;
	bool pressed = state == WL_POINTER_BUTTON_STATE_PRESSED;
	if (server->shell->impl->pointer_button(server->shell, button, state))
		return;
	if (gwl_data_device_dnd_active(seat)) {
		if (!pressed && seat->n_buttons == 0)
			gwl_data_device_dnd_drop(seat);
		return;
	}
	struct gwl_surface *focus = seat->pointer_focus.surface;
	if (pressed && seat->n_grabs > 0 && !focus) {
		gwl_seat_dismiss_popup_grabs(seat);
		return;
	}
	if (focus) {
		uint32_t serial = gwl_seat_next_serial(seat);
		struct wl_client *client = wl_resource_get_client(focus->resource);
		struct wl_resource *r;
		for_each_client_resource(r, &seat->pointers, client)
			wl_pointer_send_button(r, serial, time, button, state);
		send_pointer_frame(seat, client);
		seat->last_button_serial = serial;
	}
	if (!pressed && seat->n_buttons == 0)
		gwl_seat_update_pointer_focus(seat);
}

void gwl_seat_pointer_axis(struct gwl_seat *seat, uint32_t axis, double value,
	int32_t value120, uint32_t time)
{
	struct gwl_surface *focus = seat->pointer_focus.surface;
	if (!focus || axis > WL_POINTER_AXIS_HORIZONTAL_SCROLL)
		return;
	struct wl_client *client = wl_resource_get_client(focus->resource);
	struct wl_resource *r;
	for_each_client_resource(r, &seat->pointers, client) {
		uint32_t v = wl_resource_get_version(r);
		if (value120 && v >= WL_POINTER_AXIS_SOURCE_SINCE_VERSION)
			wl_pointer_send_axis_source(r, WL_POINTER_AXIS_SOURCE_WHEEL);
		if (value120 && v >= WL_POINTER_AXIS_VALUE120_SINCE_VERSION)
			wl_pointer_send_axis_value120(r, axis, value120);
		else if (value120 && v >= WL_POINTER_AXIS_DISCRETE_SINCE_VERSION)
			wl_pointer_send_axis_discrete(r, axis, value120 / 120);
		if (value == 0 && v >= WL_POINTER_AXIS_STOP_SINCE_VERSION)
			wl_pointer_send_axis_stop(r, time, axis);
		else
			wl_pointer_send_axis(r, time, axis, wl_fixed_from_double(value));
	}
	send_pointer_frame(seat, client);
}

static bool track_key(struct gwl_seat *seat, uint32_t key, bool pressed)
{
	uint32_t *k;
	wl_array_for_each(k, &seat->keys) {
		if (*k != key)
			continue;
		if (pressed)
			return false;
		uint32_t *last = (uint32_t *)((char *)seat->keys.data + seat->keys.size) - 1;
		*k = *last;
		seat->keys.size -= sizeof(uint32_t);
		return true;
	}
	if (!pressed || seat->keys.size >= 64 * sizeof(uint32_t))
		return false;
	k = wl_array_add(&seat->keys, sizeof(*k));
	if (!k)
		return false;
	*k = key;
	return true;
}

static bool update_modifiers(struct gwl_seat *seat)
{
	struct xkb_state *st = seat->xkb_state;
	uint32_t dep = xkb_state_serialize_mods(st, XKB_STATE_MODS_DEPRESSED);
	uint32_t lat = xkb_state_serialize_mods(st, XKB_STATE_MODS_LATCHED);
	uint32_t loc = xkb_state_serialize_mods(st, XKB_STATE_MODS_LOCKED);
	uint32_t grp = xkb_state_serialize_layout(st, XKB_STATE_LAYOUT_EFFECTIVE);
	if (dep == seat->mods_depressed && lat == seat->mods_latched &&
		loc == seat->mods_locked && grp == seat->group)
		return false;
	seat->mods_depressed = dep;
	seat->mods_latched = lat;
	seat->mods_locked = loc;
	seat->group = grp;
	return true;
}

void gwl_seat_key(struct gwl_seat *seat, uint32_t key, uint32_t state, uint32_t time)
{
	struct gwl_server *server = seat->server;
	bool pressed = state == WL_KEYBOARD_KEY_STATE_PRESSED;
	if (key > 0xffff || !track_key(seat, key, pressed))
		return;
	bool mods_changed = false;
	if (gwl_seat_keymap_ready(seat)) {
		xkb_state_update_key(seat->xkb_state, key + 8,
			pressed ? XKB_KEY_DOWN : XKB_KEY_UP);
		mods_changed = update_modifiers(seat);
	}
	bool consumed = server->shell->impl->key(server->shell, key, state,
		gwl_seat_modifiers(seat));
	struct gwl_surface *focus = seat->keyboard_focus.surface;
	if (!focus)
		return;
	struct wl_client *client = wl_resource_get_client(focus->resource);
	uint32_t serial = gwl_seat_next_serial(seat);
	struct wl_resource *r;
	for_each_client_resource(r, &seat->keyboards, client) {
		if (!consumed)
			wl_keyboard_send_key(r, serial, time, key, state);
		if (mods_changed)
			wl_keyboard_send_modifiers(r, serial, seat->mods_depressed,
				seat->mods_latched, seat->mods_locked, seat->group);
	}
}

/* ---- touch ---- */

static void touch_surface_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_touch_point *p = wl_container_of(listener, p, surface_destroy);
	struct gwl_seat *seat = p->surface->server->seat;
	struct wl_client *client = wl_resource_get_client(p->surface->resource);
	wl_list_remove(&p->surface_destroy.link);
	wl_list_init(&p->surface_destroy.link);
	p->surface = NULL;
	/* The client loses the touch point with the surface. */
	uint32_t serial = gwl_seat_next_serial(seat);
	struct wl_resource *r;
	for_each_client_resource(r, &seat->touches, client) {
		wl_touch_send_up(r, serial, gwl_now_msec(), p->id);
		wl_touch_send_frame(r);
	}
}

static struct gwl_touch_point *find_point(struct gwl_seat *seat, int32_t id)
{
	for (int i = 0; i < GWL_MAX_TOUCH; i++) {
		if (seat->touch[i].active && seat->touch[i].id == id)
			return &seat->touch[i];
	}
	return NULL;
}

static void mark_frame_client(struct gwl_seat *seat, struct wl_client *client)
{
	for (int i = 0; i < GWL_MAX_TOUCH; i++) {
		if (seat->touch_frame_clients[i] == client)
			return;
		if (!seat->touch_frame_clients[i]) {
			seat->touch_frame_clients[i] = client;
			return;
		}
	}
}

void gwl_seat_touch_down(struct gwl_seat *seat, int32_t id, double lx, double ly,
	uint32_t time)
{
	struct gwl_touch_point *p = NULL;
	for (int i = 0; i < GWL_MAX_TOUCH && !p; i++) {
		if (!seat->touch[i].active)
			p = &seat->touch[i];
	}
	if (!p || find_point(seat, id))
		return;
	double sx, sy;
	struct gwl_surface *s = gwl_server_surface_at(seat->server, lx, ly, &sx, &sy);
	if (!s)
		return;
	p->active = true;
	p->id = id;
	p->surface = s;
	p->ox = lx - sx;
	p->oy = ly - sy;
	p->surface_destroy.notify = touch_surface_destroyed;
	wl_signal_add(&s->destroy_signal, &p->surface_destroy);
	uint32_t serial = gwl_seat_next_serial(seat);
	struct wl_client *client = wl_resource_get_client(s->resource);
	struct wl_resource *r;
	for_each_client_resource(r, &seat->touches, client)
		wl_touch_send_down(r, serial, time, s->resource, id, wl_fixed_from_double(sx),
			wl_fixed_from_double(sy));
	mark_frame_client(seat, client);
}

void gwl_seat_touch_motion(struct gwl_seat *seat, int32_t id, double lx, double ly,
	uint32_t time)
{
	struct gwl_touch_point *p = find_point(seat, id);
	if (!p || !p->surface)
		return;
	struct wl_client *client = wl_resource_get_client(p->surface->resource);
	struct wl_resource *r;
	for_each_client_resource(r, &seat->touches, client)
		wl_touch_send_motion(r, time, id, wl_fixed_from_double(lx - p->ox),
			wl_fixed_from_double(ly - p->oy));
	mark_frame_client(seat, client);
}

void gwl_seat_touch_up(struct gwl_seat *seat, int32_t id, uint32_t time)
{
	struct gwl_touch_point *p = find_point(seat, id);
	if (!p)
		return;
	if (p->surface) {
		struct wl_client *client = wl_resource_get_client(p->surface->resource);
		uint32_t serial = gwl_seat_next_serial(seat);
		struct wl_resource *r;
		for_each_client_resource(r, &seat->touches, client)
			wl_touch_send_up(r, serial, time, id);
		mark_frame_client(seat, client);
	}
	p->active = false;
	p->surface = NULL;
	wl_list_remove(&p->surface_destroy.link);
	wl_list_init(&p->surface_destroy.link);
}

void gwl_seat_touch_frame(struct gwl_seat *seat)
{
	for (int i = 0; i < GWL_MAX_TOUCH && seat->touch_frame_clients[i]; i++) {
		struct wl_resource *r;
		for_each_client_resource(r, &seat->touches, seat->touch_frame_clients[i])
			wl_touch_send_frame(r);
		seat->touch_frame_clients[i] = NULL;
	}
}

/* ---- popup grabs ---- */

void gwl_seat_popup_grab(struct gwl_seat *seat, struct gwl_window *popup)
{
	if (seat->n_grabs == GWL_MAX_GRABS) {
		gwl_popup_dismiss(popup);
		return;
	}
	seat->grabs[seat->n_grabs++] = popup;
	gwl_seat_set_keyboard_focus(seat, popup->surface);
	gwl_seat_update_pointer_focus(seat);
}

static struct gwl_window *root_window(struct gwl_window *w)
{
	while (w->kind == GWL_WINDOW_POPUP && w->popup_parent)
		w = w->popup_parent;
	return w;
}

void gwl_seat_popup_ungrab(struct gwl_seat *seat, struct gwl_window *popup)
{
	if (!seat)
		return;
	bool found = false;
	for (int i = 0; i < seat->n_grabs; i++) {
		if (seat->grabs[i] == popup)
			found = true;
		if (found && i + 1 < seat->n_grabs)
			seat->grabs[i] = seat->grabs[i + 1];
	}
	if (!found)
		return;
	seat->n_grabs--;
	struct gwl_window *next = gwl_seat_top_popup_grab(seat);
	if (!next)
		next = root_window(popup);
	if (next && next->mapped && next->surface)
		gwl_seat_set_keyboard_focus(seat, next->surface);
}

struct gwl_window *gwl_seat_top_popup_grab(struct gwl_seat *seat)
{
	return seat->n_grabs > 0 ? seat->grabs[seat->n_grabs - 1] : NULL;
}
