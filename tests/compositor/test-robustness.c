/* SPDX-License-Identifier: MIT */
/*
 * Misbehaving clients never take the compositor down: a shm pool truncated
 * behind the compositor's back (before and after the first attach), a
 * client that dies with an uncommitted or just-committed frame, one that
 * sends half a request, and one SIGKILLed while committing in a loop.
 * After each, the compositor still runs and a new client's window appears.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"

static void truncate_after_map(struct fx_client *cl)
{
	struct fx_window *w = fx_window_create(cl, 200, 200, 0xff00ff00);

	fx_window_move(w, 10, 10);
	FX_REQUIRE(ftruncate(w->buffer->fd, 0) == 0, "ftruncate: %s",
		   strerror(errno));
	wl_surface_attach(w->surface, w->buffer->wl_buffer, 0, 0);
	wl_surface_damage_buffer(w->surface, 0, 0, 200, 200);
	wl_surface_commit(w->surface);
	wl_display_flush(cl->display);
}

static void truncate_before_attach(struct fx_client *cl)
{
	struct fx_window *w = fx_window_create_unmapped(cl);
	struct fx_buffer *b = fx_buffer_create(cl, 300, 300,
					       WL_SHM_FORMAT_ARGB8888);

	/* shrink to a quarter: most rows are beyond the end of the file */
	FX_REQUIRE(ftruncate(b->fd, (off_t)b->size / 4) == 0, "ftruncate");
	b->size /= 4;
	fx_dispatch_until(cl, &w->configured);
	xdg_surface_ack_configure(w->xdg_surface, w->configure_serial);
	wl_surface_attach(w->surface, b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(w->surface, 0, 0, 300, 300);
	wl_surface_commit(w->surface);
	wl_display_flush(cl->display);
}

static void die_uncommitted(struct fx_client *cl)
{
	struct fx_window *w = fx_window_create(cl, 100, 100, 0xffff0000);
	struct fx_buffer *b = fx_buffer_create(cl, 100, 100,
					       WL_SHM_FORMAT_XRGB8888);

	wl_surface_frame(w->surface);
	wl_surface_attach(w->surface, b->wl_buffer, 0, 0);
	wl_surface_damage(w->surface, 0, 0, 100, 100);
	wl_display_flush(cl->display);
}

static void die_just_committed(struct fx_client *cl)
{
	struct fx_window *w = fx_window_create(cl, 100, 100, 0xffff0000);

	wl_surface_frame(w->surface);
	wl_surface_attach(w->surface, w->buffer->wl_buffer, 0, 0);
	wl_surface_damage(w->surface, 0, 0, 100, 100);
	wl_surface_commit(w->surface);
	wl_display_flush(cl->display);
}

static void half_request(struct fx_client *cl)
{
	/* object 1, opcode 0, size 12: only 6 bytes of it */
	static const unsigned char msg[6] = { 1, 0, 0, 0, 0, 0 };

	fx_window_create(cl, 50, 50, 0xff0000ff);
	if (write(wl_display_get_fd(cl->display), msg, sizeof(msg)) < 0)
		_exit(3);
}

static void commit_loop(struct fx_client *cl)
{
	struct fx_window *w = fx_window_create(cl, 200, 200, 0xff808000);

	for (unsigned i = 0;; i++) {
		fx_buffer_fill(w->buffer, 0xff000000 | (i * 2654435761u));
		wl_surface_attach(w->surface, w->buffer->wl_buffer, 0, 0);
		wl_surface_damage_buffer(w->surface, 0, 0, 200, 200);
		wl_surface_commit(w->surface);
		if (wl_display_flush(cl->display) < 0 && errno != EAGAIN)
			_exit(0);
		if (i == 20) {
			/* tell the parent we are committing */
			if (write(STDOUT_FILENO, "x", 1) != 1)
				_exit(3);
		}
		wl_display_dispatch_pending(cl->display);
	}
}

struct scenario {
	const char *name;
	void (*run)(struct fx_client *cl);
	bool kill_after_ready;
};

static const struct scenario scenarios[] = {
	{ "truncate-after-map", truncate_after_map, false },
	{ "truncate-before-attach", truncate_before_attach, false },
	{ "die-uncommitted", die_uncommitted, false },
	{ "die-just-committed", die_just_committed, false },
	{ "half-request", half_request, false },
	{ "sigkill-while-committing", commit_loop, true },
};

/* Runs the scenario in a child process with its own connection. */
static void run_child(struct fx_compositor *c, const struct scenario *s)
{
	int p[2];
	pid_t pid;
	int status;
	char ch;

	FX_REQUIRE(pipe(p) == 0, "pipe");
	fflush(NULL);
	pid = fork();
	FX_REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		struct fx_client *cl;

		fx_child_detach();
		close(p[0]);
		dup2(p[1], STDOUT_FILENO);
		cl = fx_client_connect(c);
		s->run(cl);
		/* exit without disconnecting cleanly */
		_exit(0);
	}
	close(p[1]);
	if (s->kill_after_ready) {
		FX_CHECK(read(p[0], &ch, 1) == 1, "%s: child never got going",
			 s->name);
		kill(pid, SIGKILL);
	}
	waitpid(pid, &status, 0);
	close(p[0]);
	if (!s->kill_after_ready)
		FX_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			 "%s: child client failed (status 0x%x)", s->name,
			 status);
}

static void check_still_works(struct fx_compositor *c, const char *name)
{
	struct fx_client *cl;
	struct fx_window *w;
	struct fx_image *img;

	FX_REQUIRE(fx_compositor_alive(c), "compositor died in %s", name);
	cl = fx_client_connect(c);
	w = fx_window_create(cl, 120, 80, 0xff20c0a0);
	fx_window_move(w, 400, 300);
	fx_park_pointer(cl);
	img = fx_screenshot(cl);
	fx_expect_rect_color(img, 400, 300, 120, 80, 0xff20c0a0, 3, name);
	fx_image_destroy(img);
	fx_window_destroy(w);
	fx_client_destroy(cl);
	FX_REQUIRE(fx_compositor_alive(c), "compositor died after %s", name);
	printf("ok %s\n", name);
}

int main(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);

	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		run_child(c, &scenarios[i]);
		check_still_works(c, scenarios[i].name);
	}
	/* the same, with the truncating client staying connected */
	{
		struct fx_client *bad = fx_client_connect(c);

		truncate_after_map(bad);
		check_still_works(c, "truncate-still-connected");
		fx_client_destroy(bad);
	}
	return fx_finish(c);
}
