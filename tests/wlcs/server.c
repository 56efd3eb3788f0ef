// SPDX-License-Identifier: MIT
/*
 * wlcs integration: a headless guestwl whose wl_event_loop runs on its own
 * thread. Every call from wlcs that touches compositor state is queued for
 * that thread through an eventfd and the caller waits for it to finish.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wayland-client-core.h>

#include "guestwl/backend.h"
#include "guestwl/log.h"
#include "guestwl/server.h"
#include "guestwl/surface.h"
#include "guestwl/window.h"
#include "guestwl-wlcs.h"

struct gwl_wlcs_call {
	gwl_wlcs_fn fn;
	void *data;
	bool done;
	struct wl_list link;
};

/* A client made by create_client_socket: the fd wlcs connects with. */
struct wlcs_client {
	struct wl_list link;
	int client_fd;
	struct wl_client *client;
	struct wl_listener destroy;
};

static struct gwl_wlcs *wlcs_of(WlcsDisplayServer *server)
{
	return (struct gwl_wlcs *)server; /* base is the first member */
}

static void die(const char *what)
{
	fprintf(stderr, "guestwl-wlcs: %s: %s\n", what, strerror(errno));
	abort();
}

void gwl_wlcs_run(struct gwl_wlcs *w, gwl_wlcs_fn fn, void *data)
{
	if (!w->running) {
		fn(w, data);
		return;
	}
	struct gwl_wlcs_call call = { .fn = fn, .data = data };
	pthread_mutex_lock(&w->lock);
	wl_list_insert(w->calls.prev, &call.link);
	pthread_mutex_unlock(&w->lock);
	uint64_t one = 1;
	if (write(w->wake_fd, &one, sizeof(one)) != sizeof(one))
		die("cannot wake the compositor thread");
	pthread_mutex_lock(&w->lock);
	while (!call.done)
		pthread_cond_wait(&w->done, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

static int handle_wake(int fd, uint32_t mask, void *data)
{
	struct gwl_wlcs *w = data;
	uint64_t count;
	if (read(fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		die("eventfd read");
	for (;;) {
		pthread_mutex_lock(&w->lock);
		if (wl_list_empty(&w->calls)) {
			pthread_mutex_unlock(&w->lock);
			return 0;
		}
		struct gwl_wlcs_call *call = wl_container_of(w->calls.next, call, link);
		wl_list_remove(&call->link);
		pthread_mutex_unlock(&w->lock);
		call->fn(w, call->data);
		pthread_mutex_lock(&w->lock);
		call->done = true; /* the caller may free it from here on */
		pthread_cond_broadcast(&w->done);
		pthread_mutex_unlock(&w->lock);
	}
}

static void *loop_thread(void *data)
{
	struct gwl_wlcs *w = data;
	wl_display_run(w->server->display);
	return NULL;
}

static void wlcs_start(WlcsDisplayServer *server)
{
	struct gwl_wlcs *w = wlcs_of(server);
	w->running = true;
	int err = pthread_create(&w->thread, NULL, loop_thread, w);
	if (err) {
		errno = err;
		die("cannot start the compositor thread");
	}
}

static void terminate(struct gwl_wlcs *w, void *data)
{
	wl_display_terminate(w->server->display);
}

static void wlcs_stop(WlcsDisplayServer *server)
{
	struct gwl_wlcs *w = wlcs_of(server);
	if (!w->running)
		return;
	gwl_wlcs_run(w, terminate, NULL);
	pthread_join(w->thread, NULL);
	w->running = false;
}

/* ---- clients ---- */

static void forget_client(struct wlcs_client *c)
{
	wl_list_remove(&c->link);
	wl_list_remove(&c->destroy.link);
	free(c);
}

static void client_destroyed(struct wl_listener *listener, void *data)
{
	struct wlcs_client *c = wl_container_of(listener, c, destroy);
	forget_client(c);
}

static struct wl_client *client_by_fd(struct gwl_wlcs *w, int fd)
{
	struct wlcs_client *c;
	wl_list_for_each(c, &w->clients, link) {
		if (c->client_fd == fd)
			return c->client;
	}
	return NULL;
}

struct new_client {
	int server_fd, client_fd;
	bool ok;
};

static void add_client(struct gwl_wlcs *w, void *data)
{
	struct new_client *nc = data;
	struct wlcs_client *c = calloc(1, sizeof(*c)), *old, *tmp;
	if (!c)
		return;
	/* wlcs closed the previous user of this fd number. */
	wl_list_for_each_safe(old, tmp, &w->clients, link) {
		if (old->client_fd == nc->client_fd)
			forget_client(old);
	}
	c->client = wl_client_create(w->server->display, nc->server_fd);
	if (!c->client) {
		free(c);
		return;
	}
	c->client_fd = nc->client_fd;
	c->destroy.notify = client_destroyed;
	wl_client_add_destroy_listener(c->client, &c->destroy);
	wl_list_insert(&w->clients, &c->link);
	nc->ok = true;
}

static int wlcs_create_client_socket(WlcsDisplayServer *server)
{
	struct gwl_wlcs *w = wlcs_of(server);
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0) {
		fprintf(stderr, "guestwl-wlcs: socketpair: %s\n", strerror(errno));
		return -1;
	}
	struct new_client nc = { .server_fd = fds[0], .client_fd = fds[1] };
	gwl_wlcs_run(w, add_client, &nc);
	if (!nc.ok) {
		fprintf(stderr, "guestwl-wlcs: wl_client_create failed\n");
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	return fds[1];
}

/* ---- window placement ---- */

struct place {
	int client_fd;
	uint32_t surface_id;
	int x, y;
};

static void place_window(struct gwl_wlcs *w, void *data)
{
	struct place *p = data;
	struct wl_client *client = client_by_fd(w, p->client_fd);
	struct wl_resource *res = client ? wl_client_get_object(client, p->surface_id) : NULL;
	if (!res || strcmp(wl_resource_get_class(res), "wl_surface") != 0) {
		fprintf(stderr, "guestwl-wlcs: position_window_absolute: no wl_surface@%u\n",
			p->surface_id);
		return;
	}
	struct gwl_surface *surface = gwl_surface_from_resource(res);
	struct gwl_window *window = gwl_window_from_surface(gwl_surface_root(surface));
	if (!window || window->kind != GWL_WINDOW_TOPLEVEL) {
		fprintf(stderr, "guestwl-wlcs: position_window_absolute: wl_surface@%u "
			"is not a toplevel\n", p->surface_id);
		return;
	}
	struct gwl_box g = gwl_window_geometry(window);
	gwl_log(GWL_DEBUG, "wlcs: wl_surface@%u window geometry at %d,%d", p->surface_id, p->x,
		p->y);
	window->user_placed = true;
	gwl_window_move(window, p->x - g.x, p->y - g.y);
}

static void wlcs_position_window_absolute(WlcsDisplayServer *server, struct wl_display *client,
	struct wl_surface *surface, int x, int y)
{
	struct place p = {
		.client_fd = wl_display_get_fd(client),
		.surface_id = wl_proxy_get_id((struct wl_proxy *)surface),
		.x = x, .y = y,
	};
	gwl_wlcs_run(wlcs_of(server), place_window, &p);
}

/* ---- creation ---- */

static void destroy_wlcs(struct gwl_wlcs *w)
{
	struct wlcs_client *c, *tmp;
	wl_list_for_each_safe(c, tmp, &w->clients, link)
		forget_client(c);
	if (w->wake_source)
		wl_event_source_remove(w->wake_source);
	gwl_server_destroy(w->server);
	if (w->wake_fd >= 0)
		close(w->wake_fd);
	pthread_cond_destroy(&w->done);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

static bool start_compositor(struct gwl_wlcs *w)
{
	static const struct gwl_output_config output = { 1920, 1080, 60000, 1, 0 };
	struct gwl_server_options options = { .kiosk = false, .configure_on_create = true };
	w->server = gwl_server_create(&options);
	if (!w->server)
		return false;
	w->server->backend = gwl_headless_backend_create(w->server, &output, 1);
	if (!w->server->backend || !w->server->backend->impl->start(w->server->backend) ||
		!gwl_server_init_globals(w->server))
		return false;
	gwl_wlcs_watch_globals(w);
	w->wake_source = wl_event_loop_add_fd(w->server->loop, w->wake_fd,
		WL_EVENT_READABLE, handle_wake, w);
	return w->wake_source != NULL;
}

static WlcsDisplayServer *wlcs_create_server(int argc, const char **argv)
{
	gwl_log_init();
	struct gwl_wlcs *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->done, NULL);
	wl_list_init(&w->calls);
	wl_list_init(&w->clients);
	w->next_touch_id = 1;
	w->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->wake_fd < 0 || !start_compositor(w)) {
		fprintf(stderr, "guestwl-wlcs: cannot create the compositor\n");
		destroy_wlcs(w);
		return NULL;
	}
	w->base = (WlcsDisplayServer){
		.version = 3,
		.start = wlcs_start,
		.stop = wlcs_stop,
		.create_client_socket = wlcs_create_client_socket,
		.position_window_absolute = wlcs_position_window_absolute,
		.create_pointer = gwl_wlcs_create_pointer,
		.create_touch = gwl_wlcs_create_touch,
		.get_descriptor = gwl_wlcs_get_descriptor,
	};
	return &w->base;
}

static void wlcs_destroy_server(WlcsDisplayServer *server)
{
	struct gwl_wlcs *w = wlcs_of(server);
	wlcs_stop(server);
	gwl_wlcs_check_descriptor(w);
	destroy_wlcs(w);
}

__attribute__((visibility("default")))
const WlcsServerIntegration wlcs_server_integration = {
	.version = 1,
	.create_server = wlcs_create_server,
	.destroy_server = wlcs_destroy_server,
};
