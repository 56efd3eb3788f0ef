// SPDX-License-Identifier: MIT
/* xdg_popup: placement through the positioner, grabs, dismissal. */
#include <stdlib.h>

#include "guestwl/output.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "xdg_shell.h"

static struct gwl_window *popup_window(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void popup_destroy(struct wl_client *client, struct wl_resource *resource)
{
	struct gwl_window *window = popup_window(resource);
	if (window) {
		struct gwl_window *child;
		wl_list_for_each(child, &window->popups, link) {
			if (child->mapped) {
				wl_resource_post_error(gwl_window_wm_base_resource(window),
					XDG_WM_BASE_ERROR_NOT_THE_TOPMOST_POPUP,
					"xdg_popup destroyed while it has child popups");
				return;
			}
		}
	}
	wl_resource_destroy(resource);
}

static void popup_grab(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *seat, uint32_t serial)
{
	struct gwl_window *window = popup_window(resource);
	if (!window)
		return;
	if (window->mapped || window->initial_commit) {
		wl_resource_post_error(resource, XDG_POPUP_ERROR_INVALID_GRAB,
			"grab requested after the popup was committed");
		return;
	}
	if (!gwl_seat_validate_serial(window->server->seat, serial)) {
		/* An invalid grab dismisses the popup at once. */
		xdg_popup_send_popup_done(resource);
		return;
	}
	window->popup_grab = true;
}

static void popup_reposition(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *positioner, uint32_t token)
{
	struct gwl_window *window = popup_window(resource);
	struct gwl_positioner *p = gwl_positioner_from_resource(positioner);
	if (!window)
		return;
	if (!p->has_size || !p->has_anchor_rect) {
		wl_resource_post_error(gwl_window_wm_base_resource(window),
			XDG_WM_BASE_ERROR_INVALID_POSITIONER,
			"positioner without size or anchor rectangle");
		return;
	}
	window->rules = p->rules;
	window->reposition_token = token;
	window->has_reposition = true;
	if (window->initial_commit)
		gwl_window_schedule_configure(window);
}

static const struct xdg_popup_interface popup_impl = {
	.destroy = popup_destroy,
	.grab = popup_grab,
	.reposition = popup_reposition,
};

static void detach_from_parent(struct gwl_window *window)
{
	wl_list_remove(&window->parent_destroy.link);
	wl_list_init(&window->parent_destroy.link);
	window->popup_parent = NULL;
}

static void popup_resource_destroy(struct wl_resource *resource)
{
	struct gwl_window *window = popup_window(resource);
	if (!window)
		return;
	gwl_window_unmap(window);
	detach_from_parent(window);
	window->role_resource = NULL;
}

static void popup_parent_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_window *window = wl_container_of(listener, window, parent_destroy);
	gwl_popup_dismiss(window);
	detach_from_parent(window);
}

void gwl_xdg_popup_create(struct gwl_window *window, uint32_t id, struct gwl_window *parent,
	struct gwl_positioner *positioner)
{
	if (parent && parent->kind == GWL_WINDOW_NONE) {
		wl_resource_post_error(gwl_window_wm_base_resource(window),
			XDG_WM_BASE_ERROR_INVALID_POPUP_PARENT,
			"popup parent has no role");
		return;
	}
	struct wl_resource *r = wl_resource_create(wl_resource_get_client(window->resource),
		&xdg_popup_interface, wl_resource_get_version(window->resource), id);
	if (!r) {
		wl_resource_post_no_memory(window->resource);
		return;
	}
	window->kind = GWL_WINDOW_POPUP;
	window->role_resource = r;
	window->rules = positioner->rules;
	window->popup_parent = parent;
	window->parent_destroy.notify = popup_parent_destroyed;
	wl_list_init(&window->parent_destroy.link);
	if (parent)
		wl_signal_add(&parent->destroy_signal, &window->parent_destroy);
	wl_resource_set_implementation(r, &popup_impl, window, popup_resource_destroy);
}

/* Output area around the popup's root window, relative to the parent's
 * geometry origin. */
static struct gwl_box constraint_box(struct gwl_window *window)
{
	struct gwl_window *parent = window->popup_parent;
	int32_t px, py;
	gwl_window_layout_pos(parent, &px, &py);
	struct gwl_box pg = gwl_window_geometry(parent);
	int32_t ox = px + pg.x, oy = py + pg.y;
	struct gwl_output *output = gwl_output_at(window->server, ox + pg.width / 2.0,
		oy + pg.height / 2.0);
	if (!output && !wl_list_empty(&window->server->outputs))
		output = wl_container_of(window->server->outputs.next, output, link);
	struct gwl_box box = { -ox, -oy, 1 << 16, 1 << 16 };
	if (output) {
		gwl_output_logical_size(output, &box.width, &box.height);
		box.x = output->lx - ox;
		box.y = output->ly - oy;
	}
	return box;
}

void gwl_xdg_popup_send_configure(struct gwl_window *window)
{
	if (!window->popup_parent) {
		xdg_popup_send_popup_done(window->role_resource);
		return;
	}
	struct gwl_box c = constraint_box(window);
	struct gwl_box box = gwl_positioner_place(&window->rules, &c);
	if (window->mapped)
		gwl_window_damage(window);
	window->popup_box = box;
	if (window->mapped)
		gwl_window_damage(window);
	if (window->has_reposition &&
		wl_resource_get_version(window->role_resource) >=
			XDG_POPUP_REPOSITIONED_SINCE_VERSION) {
		xdg_popup_send_repositioned(window->role_resource, window->reposition_token);
		window->has_reposition = false;
	}
	xdg_popup_send_configure(window->role_resource, box.x, box.y, box.width, box.height);
}

void gwl_xdg_popup_commit(struct gwl_window *window)
{
	struct gwl_surface *s = window->surface;
	if (s && (s->commit_dx || s->commit_dy) && window->mapped) {
		gwl_window_damage(window);
		window->popup_box.x = gwl_clamp_coord((int64_t)window->popup_box.x + s->commit_dx);
		window->popup_box.y = gwl_clamp_coord((int64_t)window->popup_box.y + s->commit_dy);
		gwl_window_damage(window);
	}
}

void gwl_xdg_popup_map(struct gwl_window *window)
{
	struct gwl_window *parent = window->popup_parent;
	if (!parent || !parent->mapped) {
		window->mapped = false;
		xdg_popup_send_popup_done(window->role_resource);
		return;
	}
	wl_list_insert(parent->popups.prev, &window->link);
	window->linked = true;
	if (window->popup_grab)
		gwl_seat_popup_grab(window->server->seat, window);
}

void gwl_popup_dismiss(struct gwl_window *popup)
{
	if (popup->kind != GWL_WINDOW_POPUP)
		return;
	struct gwl_window *child, *tmp;
	wl_list_for_each_safe(child, tmp, &popup->popups, link)
		gwl_popup_dismiss(child);
	bool was_live = popup->mapped || popup->initial_commit;
	gwl_window_unmap(popup);
	if (was_live && popup->role_resource)
		xdg_popup_send_popup_done(popup->role_resource);
}
