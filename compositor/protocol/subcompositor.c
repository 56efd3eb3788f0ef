// SPDX-License-Identifier: MIT
/* wl_subcompositor and wl_subsurface (synchronized and desynchronized). */
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "guestwl/server.h"
#include "guestwl/surface.h"

static const struct gwl_surface_role subsurface_role;

static struct gwl_subsurface *sub_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

bool gwl_subsurface_is_synchronized(const struct gwl_subsurface *sub)
{
	for (; sub; sub = sub->parent ? sub->parent->subsurface : NULL) {
		if (sub->synchronized)
			return true;
	}
	return false;
}

static void damage_sub(struct gwl_subsurface *sub)
{
	int32_t lx, ly;
	if (sub->surface && gwl_surface_layout_pos(sub->surface, &lx, &ly))
		gwl_surface_damage_whole(sub->surface, lx, ly);
}

static void unlink_sub(struct gwl_subsurface *sub)
{
	damage_sub(sub);
	wl_list_remove(&sub->link);
	wl_list_init(&sub->link);
	wl_list_remove(&sub->pending_link);
	wl_list_init(&sub->pending_link);
	wl_list_remove(&sub->parent_destroy.link);
	wl_list_init(&sub->parent_destroy.link);
	sub->parent = NULL;
}

static void detach(struct gwl_subsurface *sub)
{
	if (!sub)
		return;
	unlink_sub(sub);
	wl_list_remove(&sub->surface_destroy.link);
	wl_list_init(&sub->surface_destroy.link);
	if (sub->surface) {
		sub->surface->subsurface = NULL;
		gwl_surface_clear_role_data(sub->surface);
	}
	sub->surface = NULL;
}

static void subsurface_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void subsurface_set_position(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y)
{
	struct gwl_subsurface *sub = sub_from_resource(resource);
	if (!sub)
		return;
	sub->pending_x = gwl_clamp_coord(x);
	sub->pending_y = gwl_clamp_coord(y);
}

static bool find_sibling(struct gwl_subsurface *sub, struct wl_resource *sibling_resource,
	struct gwl_surface **sibling)
{
	struct gwl_surface *s = gwl_surface_from_resource(sibling_resource);
	if (s != sub->surface && (s == sub->parent ||
			(s->subsurface && s->subsurface->parent == sub->parent))) {
		*sibling = s;
		return true;
	}
	wl_resource_post_error(sub->resource, WL_SUBSURFACE_ERROR_BAD_SURFACE,
		"wl_surface@%u is neither the parent nor a sibling",
		wl_resource_get_id(sibling_resource));
	return false;
}

static void place(struct wl_resource *resource, struct wl_resource *sibling_resource,
	bool above)
{
	struct gwl_subsurface *sub = sub_from_resource(resource);
	struct gwl_surface *sibling;
	if (!sub || !sub->parent || !find_sibling(sub, sibling_resource, &sibling))
		return;
	wl_list_remove(&sub->pending_link);
	struct gwl_surface *parent = sub->parent;
	if (sibling == parent) {
		if (above)
			wl_list_insert(&parent->pending_above, &sub->pending_link);
		else
			wl_list_insert(parent->pending_below.prev, &sub->pending_link);
		return;
	}
	struct wl_list *at = &sibling->subsurface->pending_link;
	wl_list_insert(above ? at : at->prev, &sub->pending_link);
}

static void subsurface_place_above(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *sibling)
{
	place(resource, sibling, true);
}

static void subsurface_place_below(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *sibling)
{
	place(resource, sibling, false);
}

static void subsurface_set_sync(struct wl_client *client, struct wl_resource *resource)
{
	struct gwl_subsurface *sub = sub_from_resource(resource);
	if (sub)
		sub->synchronized = true;
}

static void subsurface_set_desync(struct wl_client *client, struct wl_resource *resource)
{
	struct gwl_subsurface *sub = sub_from_resource(resource);
	if (!sub || !sub->synchronized)
		return;
	sub->synchronized = false;
	if (!gwl_subsurface_is_synchronized(sub) && sub->has_cache && sub->surface) {
		sub->has_cache = false;
		gwl_surface_apply_state(sub->surface, &sub->cached);
	}
}

static const struct wl_subsurface_interface subsurface_impl = {
	.destroy = subsurface_destroy,
	.set_position = subsurface_set_position,
	.place_above = subsurface_place_above,
	.place_below = subsurface_place_below,
	.set_sync = subsurface_set_sync,
	.set_desync = subsurface_set_desync,
};

void gwl_subsurface_commit(struct gwl_surface *surface)
{
	struct gwl_subsurface *sub = surface->subsurface;
	if (gwl_subsurface_is_synchronized(sub)) {
		gwl_surface_state_merge(&sub->cached, &surface->pending);
		sub->has_cache = true;
		return;
	}
	if (sub->has_cache) {
		gwl_surface_state_merge(&sub->cached, &surface->pending);
		sub->has_cache = false;
		gwl_surface_apply_state(surface, &sub->cached);
		return;
	}
	gwl_surface_apply_state(surface, &surface->pending);
}

static void rebuild_order(struct wl_list *current, struct wl_list *pending)
{
	struct gwl_subsurface *sub;
	wl_list_for_each(sub, pending, pending_link) {
		wl_list_remove(&sub->link);
		wl_list_insert(current->prev, &sub->link);
	}
}

void gwl_subsurface_parent_commit(struct gwl_surface *parent)
{
	rebuild_order(&parent->below, &parent->pending_below);
	rebuild_order(&parent->above, &parent->pending_above);
	struct gwl_subsurface *sub, *tmp;
	struct wl_list *lists[2] = { &parent->below, &parent->above };
	for (int i = 0; i < 2; i++) {
		wl_list_for_each_safe(sub, tmp, lists[i], link) {
			if (sub->x != sub->pending_x || sub->y != sub->pending_y) {
				damage_sub(sub);
				sub->x = sub->pending_x;
				sub->y = sub->pending_y;
				damage_sub(sub);
			}
			if (sub->has_cache && gwl_subsurface_is_synchronized(sub)) {
				sub->has_cache = false;
				gwl_surface_apply_state(sub->surface, &sub->cached);
			}
		}
	}
}

static void subsurface_role_commit(struct gwl_surface *surface)
{
	struct gwl_subsurface *sub = surface->subsurface;
	if (!sub)
		return;
	bool mapped = gwl_surface_has_content(surface);
	if (mapped == sub->mapped)
		return;
	if (!mapped)
		damage_sub(sub);
	sub->mapped = mapped;
	if (mapped)
		damage_sub(sub);
}

static const struct gwl_surface_role subsurface_role = {
	.name = "wl_subsurface",
	.commit = subsurface_role_commit,
};

static void subsurface_resource_destroy(struct wl_resource *resource)
{
	struct gwl_subsurface *sub = sub_from_resource(resource);
	if (!sub)
		return;
	detach(sub);
	gwl_surface_state_finish(&sub->cached);
	free(sub);
}

static void parent_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_subsurface *sub = wl_container_of(listener, sub, parent_destroy);
	unlink_sub(sub);
}

static void surface_destroyed(struct wl_listener *listener, void *data)
{
	struct gwl_subsurface *sub = wl_container_of(listener, sub, surface_destroy);
	detach(sub);
}

static bool check_subsurface(struct wl_resource *resource, struct gwl_surface *surface,
	struct gwl_surface *parent)
{
	const char *why = NULL;
	if (surface == parent)
		why = "a surface cannot be its own parent";
	else if (surface->subsurface || (surface->role && surface->role != &subsurface_role))
		why = "the surface already has a role";
	for (struct gwl_surface *p = parent; !why && p;
		p = p->subsurface ? p->subsurface->parent : NULL) {
		if (p == surface)
			why = "the parent is a descendant of the surface";
	}
	if (why)
		wl_resource_post_error(resource, WL_SUBCOMPOSITOR_ERROR_BAD_SURFACE, "%s", why);
	return !why;
}

static void subcompositor_get_subsurface(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *surface_resource,
	struct wl_resource *parent_resource)
{
	struct gwl_surface *surface = gwl_surface_from_resource(surface_resource);
	struct gwl_surface *parent = gwl_surface_from_resource(parent_resource);
	if (!check_subsurface(resource, surface, parent))
		return;
	struct gwl_subsurface *sub = calloc(1, sizeof(*sub));
	struct wl_resource *r = sub ? wl_resource_create(client, &wl_subsurface_interface,
		wl_resource_get_version(resource), id) : NULL;
	if (!r) {
		free(sub);
		wl_resource_post_no_memory(resource);
		return;
	}
	sub->resource = r;
	sub->surface = surface;
	sub->parent = parent;
	sub->synchronized = true;
	sub->mapped = gwl_surface_has_content(surface);
	gwl_surface_state_init(&sub->cached);
	wl_list_init(&sub->link);
	wl_list_insert(parent->pending_above.prev, &sub->pending_link);
	sub->parent_destroy.notify = parent_destroyed;
	wl_signal_add(&parent->destroy_signal, &sub->parent_destroy);
	sub->surface_destroy.notify = surface_destroyed;
	wl_signal_add(&surface->destroy_signal, &sub->surface_destroy);
	surface->subsurface = sub;
	surface->role = &subsurface_role;
	surface->role_data = sub;
	wl_resource_set_implementation(r, &subsurface_impl, sub, subsurface_resource_destroy);
}

static void subcompositor_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_subcompositor_interface subcompositor_impl = {
	.destroy = subcompositor_destroy,
	.get_subsurface = subcompositor_get_subsurface,
};

static void subcompositor_bind(struct wl_client *client, void *data, uint32_t version,
	uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &wl_subcompositor_interface, version,
		id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &subcompositor_impl, data, NULL);
}

bool gwl_subcompositor_init(struct gwl_server *server)
{
	return wl_global_create(server->display, &wl_subcompositor_interface, 1, server,
		subcompositor_bind) != NULL;
}
