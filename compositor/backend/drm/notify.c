// SPDX-License-Identifier: MIT
/* --notify-fd: readiness and first-presentation lines for scripts. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drm-private.h"
#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/server.h"
#include "guestwl/window.h"
#include "notify.h"

struct notified {
	struct wl_list link;
	struct gwl_window *window;
	struct wl_listener destroy;
};

static int notify_fd = -1;
static struct wl_list notified = { &notified, &notified }; /* notified.link */

bool gwl_notify_init(int fd)
{
	if (fd < 0)
		return true;
	if (fcntl(fd, F_GETFD) < 0) {
		gwl_log(GWL_ERROR, "--notify-fd %d: not an open file descriptor", fd);
		return false;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	/* A reader that went away must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	notify_fd = fd;
	return true;
}

static void notify_line(const char *line)
{
	if (notify_fd < 0)
		return;
	size_t len = strlen(line);
	if (write(notify_fd, line, len) != (ssize_t)len) {
		gwl_log(GWL_ERROR, "--notify-fd: write failed (%s): notifications off",
			strerror(errno));
		close(notify_fd);
		notify_fd = -1;
	}
}

void gwl_notify_ready(void)
{
	notify_line("ready\n");
}

static void notified_destroy(struct wl_listener *listener, void *data)
{
	struct notified *n = wl_container_of(listener, n, destroy);
	wl_list_remove(&n->link);
	wl_list_remove(&n->destroy.link);
	free(n);
}

static bool was_notified(struct gwl_window *window)
{
	struct notified *n;
	wl_list_for_each(n, &notified, link) {
		if (n->window == window)
			return true;
	}
	return false;
}

static void notify_window(struct gwl_window *window)
{
	struct notified *n = calloc(1, sizeof(*n));
	if (!n)
		return;
	n->window = window;
	n->destroy.notify = notified_destroy;
	wl_signal_add(&window->destroy_signal, &n->destroy);
	wl_list_insert(&notified, &n->link);
	char line[160];
	if (window->app_id && *window->app_id) {
		snprintf(line, sizeof(line), "presented %.128s\n", window->app_id);
	} else {
		pid_t pid = 0;
		wl_client_get_credentials(wl_resource_get_client(window->resource), &pid, NULL,
			NULL);
		snprintf(line, sizeof(line), "presented %d\n", (int)pid);
	}
	/* One line, no spaces or newlines inside the id. */
	for (char *p = line + 10; *p && p[1]; p++) {
		if (*p == ' ' || *p == '\n')
			*p = '_';
	}
	notify_line(line);
}

static bool window_shown(struct gwl_window *window, struct gwl_output *output)
{
	struct gwl_surface *s = window->surface;
	return window->mapped && s && window->resource &&
		(s->shown_mask & (1u << output->index)) && gwl_surface_has_content(s);
}

void gwl_notify_presented(struct gwl_output *output)
{
	if (notify_fd < 0 || !output)
		return;
	struct gwl_window *window;
	wl_list_for_each(window, &output->server->windows, link) {
		if (window_shown(window, output) && !was_notified(window))
			notify_window(window);
	}
}

bool drm_notify_window_shown(struct gwl_output *output)
{
	struct gwl_window *window;
	wl_list_for_each(window, &output->server->windows, link) {
		if (window_shown(window, output))
			return true;
	}
	return false;
}

void gwl_notify_input(bool ok)
{
	notify_line(ok ? "input-ready\n" : "input-failed\n");
}

void drm_notify_presented(struct gwl_output *output)
{
	gwl_notify_presented(output);
}

void gwl_notify_finish(void)
{
	if (notify_fd >= 0)
		close(notify_fd);
	notify_fd = -1;
	struct notified *n, *tmp;
	wl_list_for_each_safe(n, tmp, &notified, link)
		notified_destroy(&n->destroy, NULL);
}
