// SPDX-License-Identifier: MIT
/* wl_data_device_manager v3: clipboard selection and drag-and-drop. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server-protocol.h>

#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl/surface.h"

#define DDM_VERSION 3
#define ALL_ACTIONS (WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY | \
	WL_DATA_DEVICE_MANAGER_DND_ACTION_MOVE | WL_DATA_DEVICE_MANAGER_DND_ACTION_ASK)

struct data_source {
	struct wl_resource *resource;
	struct wl_array mime_types; /* char * */
	uint32_t actions;
	bool actions_set, used_for_dnd;
	bool accepted;
	uint32_t action;
	struct wl_signal destroy_signal;
};

struct data_offer {
	struct wl_resource *resource;
	struct data_source *source;
	struct wl_listener source_destroy;
	bool dnd, dropped;
	uint32_t actions, preferred;
};

struct data_seat {
	struct gwl_seat *seat;
	struct wl_list devices; /* wl_data_device resources */
	struct data_source *selection;
	struct wl_listener selection_destroy;
	bool dnd_active;
	struct data_source *dnd_source;
	struct wl_listener dnd_source_destroy;
	struct wl_client *dnd_client;
	struct gwl_focus dnd_focus;
	struct data_offer *dnd_offer;
	struct gwl_focus icon;
	int32_t icon_x, icon_y;
};

static struct data_seat *dseat_of(struct gwl_seat *seat)
{
	return seat ? seat->data_device : NULL;
}

/* ---- wl_data_source ---- */

static struct data_source *source_from(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void source_offer(struct wl_client *client, struct wl_resource *resource,
	const char *mime_type)
{
	struct data_source *s = source_from(resource);
	char **p = wl_array_add(&s->mime_types, sizeof(*p));
	if (!p || !(*p = strdup(mime_type))) {
		if (p)
			s->mime_types.size -= sizeof(*p);
		wl_resource_post_no_memory(resource);
	}
}

static void source_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void source_set_actions(struct wl_client *client, struct wl_resource *resource,
	uint32_t actions)
{
	struct data_source *s = source_from(resource);
	if (actions & ~ALL_ACTIONS) {
		wl_resource_post_error(resource, WL_DATA_SOURCE_ERROR_INVALID_ACTION_MASK,
			"invalid action mask %x", actions);
		return;
	}
	if (s->actions_set || s->used_for_dnd) {
		wl_resource_post_error(resource, WL_DATA_SOURCE_ERROR_INVALID_ACTION_MASK,
			"set_actions after the actions were set or the drag started");
		return;
	}
	s->actions = actions;
	s->actions_set = true;
}

static const struct wl_data_source_interface source_impl = {
	.offer = source_offer,
	.destroy = source_destroy,
	.set_actions = source_set_actions,
};

static void source_resource_destroy(struct wl_resource *resource)
{
	struct data_source *s = source_from(resource);
	wl_signal_emit_mutable(&s->destroy_signal, s);
	char **p;
	wl_array_for_each(p, &s->mime_types)
		free(*p);
	wl_array_release(&s->mime_types);
	free(s);
}

/* ---- wl_data_offer ---- */

static struct data_offer *offer_from(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void offer_accept(struct wl_client *client, struct wl_resource *resource,
	uint32_t serial, const char *mime_type)
{
	struct data_offer *o = offer_from(resource);
	if (!o->source || !o->dnd)
		return;
	o->source->accepted = mime_type != NULL;
	wl_data_source_send_target(o->source->resource, mime_type);
}

static void offer_receive(struct wl_client *client, struct wl_resource *resource,
	const char *mime_type, int32_t fd)
{
	struct data_offer *o = offer_from(resource);
	if (o->source)
		wl_data_source_send_send(o->source->resource, mime_type, fd);
	close(fd);
}

static void offer_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static uint32_t choose_action(struct data_offer *o)
{
	uint32_t source_actions = o->source->actions_set ? o->source->actions
		: WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY;
	uint32_t available = source_actions & o->actions;
	if (o->preferred & available)
		return o->preferred;
	for (uint32_t bit = 1; bit <= WL_DATA_DEVICE_MANAGER_DND_ACTION_ASK; bit <<= 1) {
		if (available & bit)
			return bit;
	}
	return 0;
}

static void update_action(struct data_offer *o)
{
	if (!o->source)
		return;
	uint32_t action = choose_action(o);
	if (action == o->source->action)
		return;
	o->source->action = action;
	if (wl_resource_get_version(o->resource) >= WL_DATA_OFFER_ACTION_SINCE_VERSION)
		wl_data_offer_send_action(o->resource, action);
	if (wl_resource_get_version(o->source->resource) >= WL_DATA_SOURCE_ACTION_SINCE_VERSION)
		wl_data_source_send_action(o->source->resource, action);
}

static void offer_finish(struct wl_client *client, struct wl_resource *resource)
{
	struct data_offer *o = offer_from(resource);
	if (!o->dnd || !o->dropped || !o->source || !o->source->action) {
		wl_resource_post_error(resource, WL_DATA_OFFER_ERROR_INVALID_FINISH,
			"finish on an offer that was not dropped or has no action");
		return;
	}
	if (wl_resource_get_version(o->source->resource) >=
		WL_DATA_SOURCE_DND_FINISHED_SINCE_VERSION)
		wl_data_source_send_dnd_finished(o->source->resource);
	o->dropped = false;
}

static bool single_bit(uint32_t v)
{
	return v && !(v & (v - 1));
}

static void offer_set_actions(struct wl_client *client, struct wl_resource *resource,
	uint32_t actions, uint32_t preferred)
{
	struct data_offer *o = offer_from(resource);
	if (actions & ~ALL_ACTIONS) {
		wl_resource_post_error(resource, WL_DATA_OFFER_ERROR_INVALID_ACTION_MASK,
			"invalid action mask %x", actions);
		return;
	}
	if (preferred && (!single_bit(preferred) || !(preferred & actions))) {
		wl_resource_post_error(resource, WL_DATA_OFFER_ERROR_INVALID_ACTION,
			"invalid preferred action %x", preferred);
		return;
	}
	if (!o->dnd) {
		wl_resource_post_error(resource, WL_DATA_OFFER_ERROR_INVALID_OFFER,
			"set_actions on a selection offer");
		return;
	}
	o->actions = actions;
	o->preferred = preferred;
	update_action(o);
}

static const struct wl_data_offer_interface offer_impl = {
	.accept = offer_accept,
	.receive = offer_receive,
	.destroy = offer_destroy,
	.finish = offer_finish,
	.set_actions = offer_set_actions,
};

static void offer_detach(struct data_offer *o)
{
	wl_list_remove(&o->source_destroy.link);
	wl_list_init(&o->source_destroy.link);
	o->source = NULL;
}

static void offer_source_destroyed(struct wl_listener *listener, void *data)
{
	struct data_offer *o = wl_container_of(listener, o, source_destroy);
	offer_detach(o);
}

static void offer_resource_destroy(struct wl_resource *resource)
{
	struct data_offer *o = offer_from(resource);
	offer_detach(o);
	free(o);
}

/* Create an offer of source for a data device and announce its types. */
static struct data_offer *create_offer(struct wl_resource *device, struct data_source *source,
	bool dnd)
{
	struct data_offer *o = calloc(1, sizeof(*o));
	struct wl_resource *r = o ? wl_resource_create(wl_resource_get_client(device),
		&wl_data_offer_interface, wl_resource_get_version(device), 0) : NULL;
	if (!r) {
		free(o);
		wl_resource_post_no_memory(device);
		return NULL;
	}
	o->resource = r;
	o->source = source;
	o->dnd = dnd;
	o->source_destroy.notify = offer_source_destroyed;
	wl_signal_add(&source->destroy_signal, &o->source_destroy);
	wl_resource_set_implementation(r, &offer_impl, o, offer_resource_destroy);
	wl_data_device_send_data_offer(device, r);
	char **p;
	wl_array_for_each(p, &source->mime_types)
		wl_data_offer_send_offer(r, *p);
	if (dnd && wl_resource_get_version(r) >= WL_DATA_OFFER_SOURCE_ACTIONS_SINCE_VERSION)
		wl_data_offer_send_source_actions(r, source->actions_set ? source->actions
			: WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY);
	return o;
}

/* ---- selection ---- */

static void send_selection(struct data_seat *ds, struct wl_client *client)
{
	if (!client)
		return;
	struct wl_resource *device;
	wl_resource_for_each(device, &ds->devices) {
		if (wl_resource_get_client(device) != client)
			continue;
		struct data_offer *o = ds->selection ? create_offer(device, ds->selection, false)
			: NULL;
		wl_data_device_send_selection(device, o ? o->resource : NULL);
	}
}

static void set_selection(struct data_seat *ds, struct data_source *source)
{
	if (ds->selection == source)
		return;
	if (ds->selection) {
		wl_data_source_send_cancelled(ds->selection->resource);
		wl_list_remove(&ds->selection_destroy.link);
		wl_list_init(&ds->selection_destroy.link);
	}
	ds->selection = source;
	if (source)
		wl_signal_add(&source->destroy_signal, &ds->selection_destroy);
	send_selection(ds, gwl_focus_client(&ds->seat->keyboard_focus));
}

static void selection_source_destroyed(struct wl_listener *listener, void *data)
{
	struct data_seat *ds = wl_container_of(listener, ds, selection_destroy);
	wl_list_remove(&ds->selection_destroy.link);
	wl_list_init(&ds->selection_destroy.link);
	ds->selection = NULL;
	send_selection(ds, gwl_focus_client(&ds->seat->keyboard_focus));
}

void gwl_data_device_keyboard_focus(struct gwl_seat *seat, struct wl_client *client)
{
	struct data_seat *ds = dseat_of(seat);
	if (ds)
		send_selection(ds, client);
}

/* ---- drag and drop ---- */

static void damage_icon(struct data_seat *ds)
{
	struct gwl_surface *icon = ds->icon.surface;
	if (icon)
		gwl_surface_damage_whole(icon, ds->icon_x, ds->icon_y);
}

static void icon_commit(struct gwl_surface *surface)
{
	struct data_seat *ds = dseat_of(surface->server->seat);
	if (ds && ds->icon.surface == surface) {
		ds->icon_x = gwl_clamp_coord((int64_t)ds->icon_x + surface->commit_dx);
		ds->icon_y = gwl_clamp_coord((int64_t)ds->icon_y + surface->commit_dy);
		damage_icon(ds);
	}
}

static const struct gwl_surface_role icon_role = {
	.name = "wl_data_device-icon",
	.commit = icon_commit,
};

struct gwl_surface *gwl_data_device_dnd_icon(struct gwl_seat *seat)
{
	struct data_seat *ds = dseat_of(seat);
	return ds && ds->dnd_active ? ds->icon.surface : NULL;
}

bool gwl_data_device_dnd_active(struct gwl_seat *seat)
{
	struct data_seat *ds = dseat_of(seat);
	return ds && ds->dnd_active;
}

static void for_each_focus_device(struct data_seat *ds, void (*fn)(struct wl_resource *, void *),
	void *data)
{
	struct wl_client *client = gwl_focus_client(&ds->dnd_focus);
	struct wl_resource *device;
	wl_resource_for_each(device, &ds->devices) {
		if (wl_resource_get_client(device) == client)
			fn(device, data);
	}
}

static void send_leave(struct wl_resource *device, void *data)
{
	wl_data_device_send_leave(device);
}

static void dnd_leave(struct data_seat *ds)
{
	if (ds->dnd_focus.surface)
		for_each_focus_device(ds, send_leave, NULL);
	gwl_focus_set(&ds->dnd_focus, NULL);
	ds->dnd_offer = NULL;
}

struct enter_args {
	struct data_seat *ds;
	uint32_t serial;
	double sx, sy;
};

static void send_enter(struct wl_resource *device, void *data)
{
	struct enter_args *a = data;
	struct data_seat *ds = a->ds;
	struct data_offer *o = NULL;
	if (ds->dnd_source) {
		o = create_offer(device, ds->dnd_source, true);
		if (!o)
			return;
		ds->dnd_offer = o;
	}
	wl_data_device_send_enter(device, a->serial, ds->dnd_focus.surface->resource,
		wl_fixed_from_double(a->sx), wl_fixed_from_double(a->sy), o ? o->resource : NULL);
}

static void dnd_enter(struct data_seat *ds, struct gwl_surface *surface, double sx, double sy)
{
	dnd_leave(ds);
	struct wl_client *client = wl_resource_get_client(surface->resource);
	/* A drag without source stays inside the client that started it. */
	if (!ds->dnd_source && client != ds->dnd_client)
		return;
	gwl_focus_set(&ds->dnd_focus, surface);
	if (ds->dnd_source) {
		ds->dnd_source->accepted = false;
		ds->dnd_source->action = 0;
	}
	struct enter_args a = { ds, wl_display_next_serial(ds->seat->server->display), sx, sy };
	for_each_focus_device(ds, send_enter, &a);
}

struct motion_args {
	uint32_t time;
	double sx, sy;
};

static void send_motion(struct wl_resource *device, void *data)
{
	struct motion_args *a = data;
	wl_data_device_send_motion(device, a->time, wl_fixed_from_double(a->sx),
		wl_fixed_from_double(a->sy));
}

void gwl_data_device_dnd_motion(struct gwl_seat *seat, uint32_t time)
{
	struct data_seat *ds = dseat_of(seat);
	if (!ds || !ds->dnd_active)
		return;
	damage_icon(ds);
	ds->icon_x = (int32_t)seat->lx;
	ds->icon_y = (int32_t)seat->ly;
	damage_icon(ds);
	double sx = 0, sy = 0;
	struct gwl_surface *s = gwl_server_surface_at(seat->server, seat->lx, seat->ly, &sx, &sy);
	if (s != ds->dnd_focus.surface) {
		if (s)
			dnd_enter(ds, s, sx, sy);
		else
			dnd_leave(ds);
		return;
	}
	if (s) {
		struct motion_args a = { time, sx, sy };
		for_each_focus_device(ds, send_motion, &a);
	}
}

static void end_dnd(struct data_seat *ds)
{
	damage_icon(ds);
	gwl_focus_set(&ds->icon, NULL);
	ds->dnd_active = false;
	ds->dnd_offer = NULL;
	gwl_focus_set(&ds->dnd_focus, NULL);
	if (ds->dnd_source) {
		wl_list_remove(&ds->dnd_source_destroy.link);
		wl_list_init(&ds->dnd_source_destroy.link);
		ds->dnd_source = NULL;
	}
	gwl_seat_update_pointer_focus(ds->seat);
}

static void send_drop(struct wl_resource *device, void *data)
{
	wl_data_device_send_drop(device);
}

void gwl_data_device_dnd_drop(struct gwl_seat *seat)
{
	struct data_seat *ds = dseat_of(seat);
	if (!ds || !ds->dnd_active)
		return;
	struct data_source *src = ds->dnd_source;
	bool v3 = src && wl_resource_get_version(src->resource) >=
		WL_DATA_SOURCE_DND_DROP_PERFORMED_SINCE_VERSION;
	bool ok = ds->dnd_focus.surface && (!src || (src->accepted && (!v3 || src->action)));
	if (ok) {
		for_each_focus_device(ds, send_drop, NULL);
		if (ds->dnd_offer)
			ds->dnd_offer->dropped = true;
		if (v3)
			wl_data_source_send_dnd_drop_performed(src->resource);
	} else {
		dnd_leave(ds);
		if (src)
			wl_data_source_send_cancelled(src->resource);
	}
	end_dnd(ds);
}

static void dnd_source_destroyed(struct wl_listener *listener, void *data)
{
	struct data_seat *ds = wl_container_of(listener, ds, dnd_source_destroy);
	dnd_leave(ds);
	wl_list_remove(&ds->dnd_source_destroy.link);
	wl_list_init(&ds->dnd_source_destroy.link);
	ds->dnd_source = NULL;
	end_dnd(ds);
}

/* ---- wl_data_device ---- */

static void device_start_drag(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *source_resource, struct wl_resource *origin,
	struct wl_resource *icon_resource, uint32_t serial)
{
	struct data_seat *ds = wl_resource_get_user_data(resource);
	struct data_source *source = source_resource ? source_from(source_resource) : NULL;
	struct gwl_surface *icon = gwl_surface_from_resource(icon_resource);
	if (icon && !gwl_surface_set_role(icon, &icon_role, NULL, resource,
			WL_DATA_DEVICE_ERROR_ROLE))
		return;
	struct gwl_seat *seat = ds ? ds->seat : NULL;
	bool allowed = seat && !ds->dnd_active && seat->n_buttons > 0 &&
		seat->pointer_focus.surface == gwl_surface_from_resource(origin) &&
		gwl_seat_validate_serial(seat, serial);
	if (!allowed) {
		if (source)
			wl_data_source_send_cancelled(source->resource);
		return;
	}
	ds->dnd_active = true;
	ds->dnd_client = client;
	ds->dnd_source = source;
	if (source) {
		source->used_for_dnd = true;
		wl_signal_add(&source->destroy_signal, &ds->dnd_source_destroy);
	}
	gwl_focus_set(&ds->icon, icon);
	gwl_seat_set_pointer_focus(seat, NULL, 0, 0);
	gwl_data_device_dnd_motion(seat, gwl_now_msec());
}

static void device_set_selection(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *source_resource, uint32_t serial)
{
	struct data_seat *ds = wl_resource_get_user_data(resource);
	struct data_source *source = source_resource ? source_from(source_resource) : NULL;
	if (source && (source->actions_set || source->used_for_dnd)) {
		wl_resource_post_error(source_resource, WL_DATA_SOURCE_ERROR_INVALID_SOURCE,
			"a drag-and-drop source cannot be the selection");
		return;
	}
	if (ds)
		set_selection(ds, source);
}

static void device_release(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_data_device_interface device_impl = {
	.start_drag = device_start_drag,
	.set_selection = device_set_selection,
	.release = device_release,
};

static void device_unlink(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

/* ---- wl_data_device_manager ---- */

static void manager_create_data_source(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	struct data_source *s = calloc(1, sizeof(*s));
	struct wl_resource *r = s ? wl_resource_create(client, &wl_data_source_interface,
		wl_resource_get_version(resource), id) : NULL;
	if (!r) {
		free(s);
		wl_resource_post_no_memory(resource);
		return;
	}
	s->resource = r;
	wl_array_init(&s->mime_types);
	wl_signal_init(&s->destroy_signal);
	wl_resource_set_implementation(r, &source_impl, s, source_resource_destroy);
}

static void manager_get_data_device(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *seat_resource)
{
	struct gwl_seat *seat = wl_resource_get_user_data(seat_resource);
	struct data_seat *ds = dseat_of(seat);
	struct wl_resource *r = wl_resource_create(client, &wl_data_device_interface,
		wl_resource_get_version(resource), id);
	if (!r) {
		wl_resource_post_no_memory(resource);
		return;
	}
	wl_resource_set_implementation(r, &device_impl, ds, device_unlink);
	if (!ds) {
		wl_list_init(wl_resource_get_link(r));
		return;
	}
	wl_list_insert(&ds->devices, wl_resource_get_link(r));
	if (gwl_focus_client(&seat->keyboard_focus) == client && ds->selection) {
		struct data_offer *o = create_offer(r, ds->selection, false);
		wl_data_device_send_selection(r, o ? o->resource : NULL);
	}
}

static const struct wl_data_device_manager_interface manager_impl = {
	.create_data_source = manager_create_data_source,
	.get_data_device = manager_get_data_device,
};

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &wl_data_device_manager_interface,
		version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &manager_impl, data, NULL);
}

bool gwl_data_device_init(struct gwl_server *server)
{
	struct data_seat *ds = calloc(1, sizeof(*ds));
	if (!ds)
		return false;
	ds->seat = server->seat;
	wl_list_init(&ds->devices);
	wl_list_init(&ds->selection_destroy.link);
	wl_list_init(&ds->dnd_source_destroy.link);
	gwl_focus_init(&ds->dnd_focus);
	gwl_focus_init(&ds->icon);
	ds->selection_destroy.notify = selection_source_destroyed;
	ds->dnd_source_destroy.notify = dnd_source_destroyed;
	server->seat->data_device = ds;
	return wl_global_create(server->display, &wl_data_device_manager_interface, DDM_VERSION,
		server, manager_bind) != NULL;
}

void gwl_data_device_seat_destroy(struct gwl_seat *seat)
{
	struct data_seat *ds = dseat_of(seat);
	if (!ds)
		return;
	struct wl_resource *r, *tmp;
	wl_resource_for_each_safe(r, tmp, &ds->devices) {
		wl_list_remove(wl_resource_get_link(r));
		wl_list_init(wl_resource_get_link(r));
		wl_resource_set_user_data(r, NULL);
	}
	wl_list_remove(&ds->selection_destroy.link);
	wl_list_remove(&ds->dnd_source_destroy.link);
	gwl_focus_set(&ds->dnd_focus, NULL);
	gwl_focus_set(&ds->icon, NULL);
	seat->data_device = NULL;
	free(ds);
}
