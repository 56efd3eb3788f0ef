// SPDX-License-Identifier: MIT
/*
 * wl_buffer.release of buffers that were replaced on screen. The release
 * waits for the next presentation of any output and goes out with the
 * frame callbacks, so that a client drawing one frame per frame callback
 * is woken once per frame, not a second time for the release alone. A
 * replaced buffer is never read again, so the wait is safe; it is sent at
 * once when no output has a frame on the way.
 *
 * A backend scanning a buffer out directly pins it: the device may read it
 * until it leaves the plane, so its release waits for the unpin.
 */
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "guestwl/output.h"
#include "guestwl/server.h"
#include "guestwl/surface.h"

/* A buffer with a release queued, pins, or both. */
struct gwl_release {
	struct wl_resource *buffer;
	struct wl_listener destroy;
	struct wl_list link; /* gwl_server.releases */
	bool queued; /* wl_buffer.release is due */
	int pins;
};

static void release_free(struct gwl_release *r)
{
	wl_list_remove(&r->destroy.link);
	wl_list_remove(&r->link);
	free(r);
}

static void release_buffer_destroy(struct wl_listener *listener, void *data)
{
	struct gwl_release *r = wl_container_of(listener, r, destroy);
	release_free(r);
}

static struct gwl_release *find(struct gwl_server *server, struct wl_resource *buffer)
{
	struct gwl_release *r;
	wl_list_for_each(r, &server->releases, link) {
		if (r->buffer == buffer)
			return r;
	}
	return NULL;
}

static struct gwl_release *get(struct gwl_server *server, struct wl_resource *buffer)
{
	struct gwl_release *r = find(server, buffer);
	if (r)
		return r;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->buffer = buffer;
	r->destroy.notify = release_buffer_destroy;
	wl_resource_add_destroy_listener(buffer, &r->destroy);
	wl_list_insert(server->releases.prev, &r->link);
	return r;
}

/* Nothing left to do for it. */
static void release_done(struct gwl_release *r)
{
	if (!r->queued && r->pins == 0)
		release_free(r);
}

void gwl_buffer_release_later(struct gwl_server *server, struct wl_resource *buffer)
{
	struct gwl_release *r = get(server, buffer);
	if (!r) {
		wl_buffer_send_release(buffer);
		return;
	}
	r->queued = true;
}

void gwl_buffer_cancel_release(struct gwl_server *server, struct wl_resource *buffer)
{
	struct gwl_release *r = find(server, buffer);
	if (!r)
		return;
	r->queued = false;
	release_done(r);
}

bool gwl_buffer_pin(struct gwl_server *server, struct wl_resource *buffer)
{
	struct gwl_release *r = get(server, buffer);
	if (r)
		r->pins++;
	return r != NULL;
}

void gwl_buffer_unpin(struct gwl_server *server, struct wl_resource *buffer)
{
	struct gwl_release *r = find(server, buffer);
	if (!r || r->pins == 0)
		return;
	r->pins--;
	release_done(r);
	gwl_server_check_releases(server);
}

void gwl_server_send_releases(struct gwl_server *server)
{
	struct gwl_release *r, *tmp;
	wl_list_for_each_safe(r, tmp, &server->releases, link) {
		if (!r->queued || r->pins > 0)
			continue;
		wl_buffer_send_release(r->buffer);
		release_free(r);
	}
}

void gwl_server_check_releases(struct gwl_server *server)
{
	struct gwl_release *r;
	bool due = false;
	wl_list_for_each(r, &server->releases, link)
		due = due || (r->queued && r->pins == 0);
	if (!due)
		return;
	struct gwl_output *o;
	wl_list_for_each(o, &server->outputs, link) {
		if (!gwl_output_is_idle(o) || o->needs_frame)
			return; /* a presentation is on the way */
	}
	gwl_server_send_releases(server);
}
