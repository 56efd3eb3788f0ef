// SPDX-License-Identifier: MIT
/* guestwl executable: options, runtime directory, socket, the app. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guestwl/log.h"
#include "guestwl/server.h"
#include "guestwl/options.h"
#include "backend/drm/drm-backend.h"
#include "backend/drm/notify.h"

struct app {
	struct gwl_server *server;
	char **argv;
	pid_t pid;
	bool restart;
	int exit_status;
	struct timespec started;
	int backoff_ms;
	struct wl_event_source *restart_timer;
};

static bool ensure_runtime_dir(void)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");
	if (dir && *dir)
		return true;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/guestwl-runtime-%u", (unsigned)getuid());
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "guestwl: cannot create %s: %s\n", path, strerror(errno));
		return false;
	}
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
		(st.st_mode & 0777) != 0700) {
		fprintf(stderr, "guestwl: %s is not a private directory owned by us; "
			"set XDG_RUNTIME_DIR\n", path);
		return false;
	}
	setenv("XDG_RUNTIME_DIR", path, 1);
	gwl_log(GWL_INFO, "XDG_RUNTIME_DIR was unset, using %s", path);
	return true;
}

static void app_exited(struct app *app, int status);

static void spawn_failed(void *data)
{
	app_exited(data, W_EXITCODE(127, 0));
}

/*
 * posix_spawn, not fork: the child shares our memory until it execs, so
 * nothing copies the page tables of a process that maps its dumb buffers
 * (and under TCG every copy-on-write fault afterwards is expensive).
 */
static void spawn_app(struct app *app)
{
	clock_gettime(CLOCK_MONOTONIC, &app->started);
	posix_spawnattr_t attr;
	sigset_t none, pipe;
	sigemptyset(&none);
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pid_t pid;
	int err = posix_spawnattr_init(&attr);
	if (!err)
		err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (!err)
		err = posix_spawnattr_setsigmask(&attr, &none);
	if (!err)
		err = posix_spawnattr_setsigdefault(&attr, &pipe);
	if (!err)
		err = posix_spawnp(&pid, app->argv[0], NULL, &attr, app->argv, environ);
	posix_spawnattr_destroy(&attr);
	if (err) {
		gwl_log(GWL_ERROR, "cannot run %s: %s", app->argv[0], strerror(err));
		/* from the loop: an exit asked for before it runs would be lost */
		wl_event_loop_add_idle(app->server->loop, spawn_failed, app);
		return;
	}
	app->pid = pid;
	gwl_log(GWL_DEBUG, "started %s (pid %d)", app->argv[0], (int)pid);
}

static int restart_timer_fired(void *data)
{
	spawn_app(data);
	return 0;
}

static void app_exited(struct app *app, int status)
{
	app->pid = 0;
	app->exit_status = WIFEXITED(status) ? WEXITSTATUS(status)
		: WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
	if (!app->restart) {
		wl_display_terminate(app->server->display);
		return;
	}
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ran_ms = (now.tv_sec - app->started.tv_sec) * 1000 +
		(now.tv_nsec - app->started.tv_nsec) / 1000000;
	/* Crashing quickly again and again: wait longer each time. */
	app->backoff_ms = ran_ms < 5000 ? (app->backoff_ms ? app->backoff_ms * 2 : 250) : 0;
	if (app->backoff_ms > 30000)
		app->backoff_ms = 30000;
	gwl_log(GWL_INFO, "%s exited with status %d, restarting in %d ms", app->argv[0],
		app->exit_status, app->backoff_ms);
	if (app->backoff_ms == 0) {
		spawn_app(app);
		return;
	}
	wl_event_source_timer_update(app->restart_timer, app->backoff_ms);
}

static int handle_sigchld(int sig, void *data)
{
	struct app *app = data;
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == app->pid)
			app_exited(app, status);
	}
	return 0;
}

static int handle_terminate(int sig, void *data)
{
	/* Asked to stop: a clean exit. */
	struct app *app = data;
	app->exit_status = 0;
	wl_display_terminate(app->server->display);
	return 0;
}

static struct gwl_backend *create_backend(struct gwl_server *server,
	const struct gwl_cli_options *opts)
{
	if (strcmp(opts->backend, "headless") == 0)
		return gwl_headless_backend_create(server, opts->outputs, opts->n_outputs);
	struct gwl_drm_options drm = {
		.device = opts->drm_device,
		.width = opts->mode.width, .height = opts->mode.height,
		.refresh_mhz = opts->mode.refresh_mhz,
		.transform = opts->n_outputs > 0 ? opts->outputs[0].transform : 0,
	};
	return gwl_drm_backend_create(server, &drm);
}

/*
 * Disconnect the clients first (some apps, foot, wait on their own children
 * after SIGTERM but exit at once when the display goes away), then ask the
 * app to stop and kill it if it is still there after 2 s.
 */
static void stop_app(struct gwl_server *server, struct app *app)
{
	if (app->pid <= 0)
		return;
	wl_display_destroy_clients(server->display);
	kill(app->pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(app->pid, NULL, WNOHANG) != 0)
			return;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	kill(app->pid, SIGKILL);
	waitpid(app->pid, NULL, 0);
}

static bool listen_socket(struct gwl_server *server, const struct gwl_cli_options *opts)
{
	const char *socket = opts->socket;
	if (socket) {
		if (wl_display_add_socket(server->display, socket) != 0) {
			fprintf(stderr, "guestwl: cannot listen on socket %s: %s\n", socket,
				strerror(errno));
			return false;
		}
	} else if (!(socket = wl_display_add_socket_auto(server->display))) {
		fprintf(stderr, "guestwl: no free Wayland socket name\n");
		return false;
	}
	setenv("WAYLAND_DISPLAY", socket, 1);
	gwl_log(GWL_INFO, "listening on WAYLAND_DISPLAY=%s", socket);
	return true;
}

static bool start_backend(struct gwl_server *server, const struct gwl_cli_options *opts)
{
	server->backend = create_backend(server, opts);
	if (server->backend && server->backend->impl->start(server->backend) &&
		gwl_server_init_globals(server))
		return true;
	if (server->backend)
		fprintf(stderr, "guestwl: initialisation failed\n");
	return false;
}

/*
 * The app starts before the backend, so that its exec and start-up overlap
 * opening the session and the device and the first modeset. It cannot see a
 * half-ready server: its connection is only accepted once the loop runs,
 * with every global in place.
 */
static int run(struct gwl_server *server, const struct gwl_cli_options *opts, struct app *app)
{
	if (!listen_socket(server, opts))
		return 1;
	struct wl_event_loop *loop = server->loop;
	struct wl_event_source *sources[3] = {
		wl_event_loop_add_signal(loop, SIGCHLD, handle_sigchld, app),
		wl_event_loop_add_signal(loop, SIGINT, handle_terminate, app),
		wl_event_loop_add_signal(loop, SIGTERM, handle_terminate, app),
	};
	app->restart_timer = wl_event_loop_add_timer(loop, restart_timer_fired, app);
	if (app->argv)
		spawn_app(app);
	int status = 1;
	if (start_backend(server, opts)) {
		gwl_notify_ready();
		wl_display_run(server->display);
		status = app->exit_status;
	}
	stop_app(server, app);
	for (int i = 0; i < 3; i++) {
		if (sources[i])
			wl_event_source_remove(sources[i]);
	}
	wl_event_source_remove(app->restart_timer);
	return status;
}

int main(int argc, char *argv[])
{
	struct gwl_cli_options opts;
	int rc = gwl_parse_options(argc, argv, &opts);
	if (rc >= 0)
		return rc;
	gwl_log_init();
	signal(SIGPIPE, SIG_IGN);
	if (!ensure_runtime_dir())
		return 1;
	struct gwl_server_options so = {
		.test_protocol = opts.test_protocol,
		.show_cursor = opts.show_cursor,
		.kiosk = opts.kiosk,
		.xdg_shell_version = opts.xdg_shell_version,
		.repaint_window_ms = opts.repaint_window_ms,
	};
	if (!gwl_notify_init(opts.notify_fd))
		return 2;
	struct gwl_server *server = gwl_server_create(&so);
	if (!server)
		return 1;
	struct app app = { .server = server, .argv = opts.app_argv, .restart = opts.restart_app };
	int status = run(server, &opts, &app);
	gwl_server_destroy(server);
	gwl_notify_finish();
	gwl_free_options(&opts);
	return status;
}
