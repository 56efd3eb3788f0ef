/* SPDX-License-Identifier: MIT */
/*
 * Benchmark client: N overlapping toplevels (default 20), the last one
 * animating every frame (full-window damage, throttled by frame callbacks,
 * double-buffered: it draws only into a buffer the compositor released).
 * Every frame writes every pixel: one memcpy of a background made at start
 * (x XOR y) and a 16-pixel white bar moving right. A memcpy, like a video
 * player showing a decoded frame, because under QEMU's TCG a per-pixel loop
 * (8 ns a pixel, 8 ms a 1280x800 frame) would leave the compositor and the
 * kernel too little of a 75 Hz period to measure them at the refresh rate.
 * Prints one line "presented" per frame the compositor reports presented
 * through wp_presentation feedback ("discarded" otherwise) on stdout.
 * --timestamps: "presented NS", NS the time of the presentation (the page
 * flip) on CLOCK_REALTIME, comparable with `date +%s%N`; with --boottime on
 * CLOCK_BOOTTIME, comparable with /proc/uptime.
 * --still: the last window draws one frame and stops.
 * Usage: headless-bench-client [--windows N] [--size WxH] [--timestamps]
 *        [--boottime] [--still]
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <wayland-client.h>

#include "xdg-shell-client-protocol.h"
#include "presentation-time-client-protocol.h"

#define MAX_WINDOWS 64

struct win {
	struct wl_surface *surface;
	struct xdg_surface *xs;
	struct xdg_toplevel *tl;
	struct wl_buffer *buffer[2];
	uint32_t *pixels[2];
	bool busy[2];
	int next; /* buffer to draw next */
	bool want_draw; /* a frame is due but both buffers are busy */
	bool configured;
};

static struct wl_compositor *compositor;
static struct wl_shm *shm;
static struct xdg_wm_base *wm;
static struct wp_presentation *presentation;
static clockid_t presentation_clock = CLOCK_MONOTONIC;
static bool timestamps;
static clockid_t timestamp_clock = CLOCK_REALTIME;
static bool still; /* one frame, no animation */
static int width = 320, height = 240, n_windows = 20;
static unsigned frame;
static uint32_t *background; /* width x height, what a frame is drawn from */

static void bad_usage(const char *msg)
{
	fprintf(stderr, "headless-bench-client: %s\nusage: headless-bench-client "
		"[--windows N] [--size WxH] [--timestamps] [--boottime] [--still]\n", msg);
	exit(2);
}

static void die(const char *msg)
{
	fprintf(stderr, "headless-bench-client: %s\n", msg);
	exit(1);
}

static void ping(void *d, struct xdg_wm_base *w, uint32_t serial)
{
	xdg_wm_base_pong(w, serial);
}

static const struct xdg_wm_base_listener wm_listener = { ping };

static void presentation_clock_id(void *d, struct wp_presentation *p,
				  uint32_t clk_id)
{
	presentation_clock = (clockid_t)clk_id;
}

static const struct wp_presentation_listener presentation_listener = {
	presentation_clock_id
};

static void global(void *d, struct wl_registry *r, uint32_t name,
		   const char *iface, uint32_t version)
{
	if (strcmp(iface, "wl_compositor") == 0)
		compositor = wl_registry_bind(r, name, &wl_compositor_interface,
					      4);
	else if (strcmp(iface, "wl_shm") == 0)
		shm = wl_registry_bind(r, name, &wl_shm_interface, 1);
	else if (strcmp(iface, "xdg_wm_base") == 0) {
		wm = wl_registry_bind(r, name, &xdg_wm_base_interface, 1);
		xdg_wm_base_add_listener(wm, &wm_listener, NULL);
	} else if (strcmp(iface, "wp_presentation") == 0) {
		presentation = wl_registry_bind(r, name,
						&wp_presentation_interface, 1);
		wp_presentation_add_listener(presentation,
					     &presentation_listener, NULL);
	}
}

static void global_remove(void *d, struct wl_registry *r, uint32_t n)
{
}

static const struct wl_registry_listener reg_listener = {
	global, global_remove
};

static void xs_configure(void *data, struct xdg_surface *xs, uint32_t serial)
{
	struct win *w = data;

	xdg_surface_ack_configure(xs, serial);
	w->configured = true;
}

static const struct xdg_surface_listener xs_listener = { xs_configure };

static void buffer_release(void *data, struct wl_buffer *buffer);

static const struct wl_buffer_listener buffer_listener = { buffer_release };

static void create_buffer(struct win *w, int i, uint32_t colour)
{
	size_t size = (size_t)width * height * 4;
	int fd = memfd_create("bench", MFD_CLOEXEC);
	struct wl_shm_pool *pool;

	if (fd < 0 || ftruncate(fd, (off_t)size) != 0)
		die("memfd");
	w->pixels[i] = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w->pixels[i] == MAP_FAILED)
		die("mmap");
	for (size_t j = 0; j < size / 4; j++)
		w->pixels[i][j] = colour;
	pool = wl_shm_create_pool(shm, fd, (int32_t)size);
	w->buffer[i] = wl_shm_pool_create_buffer(pool, 0, width, height,
						 width * 4,
						 WL_SHM_FORMAT_XRGB8888);
	wl_buffer_add_listener(w->buffer[i], &buffer_listener, w);
	wl_shm_pool_destroy(pool);
	close(fd);
}

static long long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static void fb_sync(void *d, struct wp_presentation_feedback *f,
		    struct wl_output *o)
{
}

static void fb_presented(void *d, struct wp_presentation_feedback *f,
			 uint32_t hi, uint32_t lo, uint32_t nsec,
			 uint32_t refresh, uint32_t shi, uint32_t slo,
			 uint32_t flags)
{
	if (!timestamps) {
		printf("presented\n");
	} else {
		long long at = (long long)(((uint64_t)hi << 32) | lo) *
			       1000000000LL + nsec;
		struct timespec clk, real;

		/* the presentation clock's "now" and the output clock's, together */
		clock_gettime(presentation_clock, &clk);
		clock_gettime(timestamp_clock, &real);
		printf("presented %lld\n", ns_of(&real) - (ns_of(&clk) - at));
	}
	fflush(stdout);
	wp_presentation_feedback_destroy(f);
}

static void fb_discarded(void *d, struct wp_presentation_feedback *f)
{
	printf("discarded\n");
	fflush(stdout);
	wp_presentation_feedback_destroy(f);
}

static const struct wp_presentation_feedback_listener fb_listener = {
	fb_sync, fb_presented, fb_discarded
};

static void draw(struct win *w);

static void frame_done(void *data, struct wl_callback *cb, uint32_t t)
{
	wl_callback_destroy(cb);
	if (!still)
		draw(data);
}

static const struct wl_callback_listener frame_listener = { frame_done };

static void buffer_release(void *data, struct wl_buffer *buffer)
{
	struct win *w = data;

	for (int i = 0; i < 2; i++)
		if (w->buffer[i] == buffer)
			w->busy[i] = false;
	if (w->want_draw)
		draw(w);
}

static void draw(struct win *w)
{
	int bar = (int)(frame % (unsigned)width);
	int bar_end = bar + 16 < width ? bar + 16 : width;
	struct wl_callback *cb;
	uint32_t *px;
	int b = w->next;

	if (w->busy[b])
		b ^= 1;
	if (w->busy[b]) {
		w->want_draw = true;
		return;
	}
	w->want_draw = false;
	frame++;
	px = w->pixels[b];
	/* one large copy: per-row copies would be glibc's "rep movsb" range,
	 * which TCG runs a byte per iteration */
	memcpy(px, background, (size_t)width * height * 4);
	for (int y = 0; y < height; y++)
		for (int x = bar; x < bar_end; x++)
			px[(size_t)y * width + x] = 0xffffffff;
	cb = wl_surface_frame(w->surface);
	wl_callback_add_listener(cb, &frame_listener, w);
	if (presentation) {
		struct wp_presentation_feedback *f =
			wp_presentation_feedback(presentation, w->surface);

		wp_presentation_feedback_add_listener(f, &fb_listener, NULL);
	}
	wl_surface_attach(w->surface, w->buffer[b], 0, 0);
	wl_surface_damage(w->surface, 0, 0, width, height);
	wl_surface_commit(w->surface);
	w->busy[b] = true;
	w->next = b ^ 1;
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--windows") == 0 && i + 1 < argc)
			n_windows = atoi(argv[++i]);
		else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
			if (sscanf(argv[++i], "%dx%d", &width, &height) != 2)
				bad_usage("bad --size");
		} else if (strcmp(argv[i], "--timestamps") == 0) {
			timestamps = true;
		} else if (strcmp(argv[i], "--boottime") == 0) {
			timestamp_clock = CLOCK_BOOTTIME;
		} else if (strcmp(argv[i], "--still") == 0) {
			still = true;
		} else {
			bad_usage("unknown option");
		}
	}
	if (n_windows < 1 || n_windows > MAX_WINDOWS || width < 16 ||
	    height < 16 || width > 4096 || height > 4096)
		bad_usage("windows must be 1..64 and size 16..4096");
}

int main(int argc, char **argv)
{
	static struct win wins[MAX_WINDOWS];
	struct wl_display *dpy;

	parse_args(argc, argv);
	background = malloc((size_t)width * height * 4);
	if (!background)
		die("out of memory");
	for (int y = 0; y < height; y++)
		for (int x = 0; x < width; x++)
			background[(size_t)y * width + x] = 0xff000000 | (uint32_t)(x ^ y);
	dpy = wl_display_connect(NULL);
	if (!dpy)
		die("cannot connect");
	wl_registry_add_listener(wl_display_get_registry(dpy), &reg_listener,
				 NULL);
	wl_display_roundtrip(dpy);
	if (!compositor || !shm || !wm)
		die("missing wl_compositor, wl_shm or xdg_wm_base");
	if (!presentation)
		fprintf(stderr, "no wp_presentation: counting nothing\n");
	for (int i = 0; i < n_windows; i++) {
		struct win *w = &wins[i];

		w->surface = wl_compositor_create_surface(compositor);
		w->xs = xdg_wm_base_get_xdg_surface(wm, w->surface);
		xdg_surface_add_listener(w->xs, &xs_listener, w);
		w->tl = xdg_surface_get_toplevel(w->xs);
		xdg_toplevel_set_title(w->tl, "bench");
		wl_surface_commit(w->surface);
		while (!w->configured)
			if (wl_display_dispatch(dpy) < 0)
				die("connection lost");
		for (int b = 0; b < (i == n_windows - 1 ? 2 : 1); b++)
			create_buffer(w, b, 0xff000000u | (uint32_t)(i * 0x0b0d07));
		wl_surface_attach(w->surface, w->buffer[0], 0, 0);
		wl_surface_damage(w->surface, 0, 0, width, height);
		wl_surface_commit(w->surface);
		w->busy[0] = true;
		w->next = 1;
	}
	draw(&wins[n_windows - 1]);
	while (wl_display_dispatch(dpy) >= 0)
		;
	fprintf(stderr, "connection closed: %s\n", strerror(errno));
	return 0;
}
