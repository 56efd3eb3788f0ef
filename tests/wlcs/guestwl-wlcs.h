/* SPDX-License-Identifier: MIT */
/* Private to the wlcs integration module (tests/wlcs). */
#ifndef GUESTWL_WLCS_H
#define GUESTWL_WLCS_H

#include <pthread.h>
#include <stdbool.h>
#include <wayland-server-core.h>
#include <wlcs/display_server.h>
#include <wlcs/pointer.h>
#include <wlcs/touch.h>

struct gwl_server;

struct gwl_wlcs {
	WlcsDisplayServer base;
	struct gwl_server *server;
	pthread_t thread;
	bool running;
	int wake_fd; /* eventfd: calls queued for the compositor thread */
	struct wl_event_source *wake_source;
	pthread_mutex_t lock;
	pthread_cond_t done;
	struct wl_list calls; /* gwl_wlcs_call.link, under lock */
	struct wl_list clients; /* wlcs_client.link, compositor thread only */
	int32_t next_touch_id;
	uint32_t globals_seen; /* bit per descriptor entry */
	bool mismatch; /* a global is missing from the descriptor */
};

typedef void (*gwl_wlcs_fn)(struct gwl_wlcs *w, void *data);

/* Run fn on the compositor thread (directly when it is not running) and
 * wait until it returned. */
void gwl_wlcs_run(struct gwl_wlcs *w, gwl_wlcs_fn fn, void *data);

WlcsPointer *gwl_wlcs_create_pointer(WlcsDisplayServer *server);
WlcsTouch *gwl_wlcs_create_touch(WlcsDisplayServer *server);

/* Descriptor (descriptor.c): the protocols guestwl serves. */
const WlcsIntegrationDescriptor *gwl_wlcs_get_descriptor(const WlcsDisplayServer *server);
/* Install a global filter that checks every advertised global against the
 * descriptor; gwl_wlcs_check_descriptor reports entries never advertised. */
void gwl_wlcs_watch_globals(struct gwl_wlcs *w);
void gwl_wlcs_check_descriptor(struct gwl_wlcs *w);

#endif
