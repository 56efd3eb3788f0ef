// SPDX-License-Identifier: MIT
/*
 * Headless backend: virtual outputs drawn into two pixman images each
 * (double buffering with buffer age, like a KMS dumb-buffer swapchain) and
 * paced by a timerfd at the output's refresh rate. A frame submitted
 * between two refreshes is "presented" at the next refresh boundary.
 *
 * GUESTWL_HEADLESS_SCANOUT=1 emulates direct scanout for tests: a client
 * buffer the core hands over is read (copied) at the commit, like guestkms
 * copies damage into VRAM, goes on screen at the next refresh and is read
 * again whenever the screen is looked at (screenshots; guestkms re-reads
 * the plane's framebuffer for cursor moves). It stays pinned until a later
 * frame replaces it, so a buffer released too early shows what the client
 * drew into it since.
 *
 * GUESTWL_HEADLESS_OVERLAY=1 emulates an overlay plane the same way: the
 * buffer handed to set_overlay is read at the commit, shown above the
 * composited images from the next refresh on and read again for each
 * screenshot, so what the core failed to composite under or around it
 * shows once it moves or goes off.
 *
 * GUESTWL_HEADLESS_LATCH=1 emulates guestkms' latching: a commit reads its
 * frame and nothing reads what it replaced again, so the buffers it
 * replaced are unpinned at the commit (what they showed stays on screen
 * until the refresh) and the core is told (gwl_output_latched).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <wayland-server-core.h>

#include "guestwl/backend.h"
#include "guestwl/log.h"
#include "guestwl/output.h"
#include "guestwl/server.h"
#include "presentation-time-server-protocol.h"

struct headless_output {
	struct gwl_output *output;
	struct headless_backend *backend;
	pixman_image_t *images[2];
	int ages[2]; /* 0: never shown */
	int front; /* -1: nothing shown yet */
	int timer_fd;
	struct wl_event_source *timer_source;
	struct timespec epoch;
	uint64_t period_ns;
	uint64_t seq;
	/* GUESTWL_HEADLESS_CURSOR_PLANE=1: emulate a cursor plane (tests). */
	bool cursor_plane;
	pixman_image_t *cursor; /* copy of the plane's image */
	int32_t cursor_x, cursor_y;
	pixman_image_t *composed; /* front image + cursor, for screenshots */
	/* GUESTWL_HEADLESS_SCANOUT=1 */
	bool scanout;
	struct headless_scanout {
		struct wl_resource *buffer; /* NULL: none, or destroyed */
		struct wl_listener destroy;
		pixman_image_t *copy; /* read at commit */
		bool alpha; /* keep an ARGB buffer's alpha (the overlay blends it) */
	} shown, next; /* on screen / committed */
	bool drop_shown; /* a composited frame replaces shown when presented */
	uint64_t scanouts;
	/* GUESTWL_HEADLESS_OVERLAY=1: the overlay plane, shown / committed */
	bool overlay;
	struct headless_scanout ov_shown, ov_next;
	int32_t ov_x, ov_y, ov_next_x, ov_next_y;
	bool ov_off_next; /* the plane goes off at the next refresh */
	uint64_t overlays;
	bool latch; /* GUESTWL_HEADLESS_LATCH=1 */
};

struct headless_backend {
	struct gwl_backend base;
	struct gwl_output_config *configs;
	int n_configs;
	struct headless_output **outputs;
	int n_outputs;
};

static uint64_t ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

static struct timespec ns_ts(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };
	return ts;
}

static void arm_timer(struct headless_output *ho);

/* Nothing reads the buffer again: unpin it (the copy stays). */
static void scanout_unpin(struct headless_output *ho, struct headless_scanout *sc)
{
	if (sc->buffer) {
		wl_list_remove(&sc->destroy.link);
		gwl_buffer_unpin(ho->output->server, sc->buffer);
	}
	sc->buffer = NULL;
}

static void scanout_clear(struct headless_output *ho, struct headless_scanout *sc)
{
	scanout_unpin(ho, sc);
	if (sc->copy)
		pixman_image_unref(sc->copy);
	sc->copy = NULL;
}

/* The client destroyed it: its pins went with it; the copy stays. */
static void scanout_buffer_destroy(struct wl_listener *listener, void *data)
{
	struct headless_scanout *sc = wl_container_of(listener, sc, destroy);
	wl_list_remove(&sc->destroy.link);
	sc->buffer = NULL;
}

/* Copy the client buffer into sc->copy (made on first use). */
static bool scanout_read(struct headless_scanout *sc)
{
	struct wl_shm_buffer *shm = sc->buffer ? wl_shm_buffer_get(sc->buffer) : NULL;
	if (!shm)
		return sc->copy != NULL;
	int w = wl_shm_buffer_get_width(shm), h = wl_shm_buffer_get_height(shm);
	pixman_format_code_t format = sc->alpha &&
		wl_shm_buffer_get_format(shm) == WL_SHM_FORMAT_ARGB8888 ?
		PIXMAN_a8r8g8b8 : PIXMAN_x8r8g8b8;
	if (!sc->copy)
		sc->copy = pixman_image_create_bits(format, w, h, NULL, 0);
	if (!sc->copy)
		return false;
	wl_shm_buffer_begin_access(shm);
	pixman_image_t *src = pixman_image_create_bits(format, w, h,
		wl_shm_buffer_get_data(shm), wl_shm_buffer_get_stride(shm));
	if (src) {
		pixman_image_composite32(PIXMAN_OP_SRC, src, NULL, sc->copy, 0, 0, 0, 0, 0, 0,
			w, h);
		pixman_image_unref(src);
	}
	wl_shm_buffer_end_access(shm);
	return src != NULL;
}

/* Take buffer into sc (pinned, read now); false when it cannot be shown. */
static bool scanout_take(struct headless_output *ho, struct headless_scanout *sc,
	struct wl_resource *buffer, bool alpha)
{
	struct wl_shm_buffer *shm = wl_shm_buffer_get(buffer);
	if (!shm || (wl_shm_buffer_get_format(shm) != WL_SHM_FORMAT_XRGB8888 &&
		wl_shm_buffer_get_format(shm) != WL_SHM_FORMAT_ARGB8888))
		return false;
	if (!gwl_buffer_pin(ho->output->server, buffer))
		return false;
	scanout_clear(ho, sc);
	*sc = (struct headless_scanout){ .buffer = buffer, .alpha = alpha };
	sc->destroy.notify = scanout_buffer_destroy;
	wl_resource_add_destroy_listener(buffer, &sc->destroy);
	if (!scanout_read(sc)) {
		scanout_clear(ho, sc);
		return false;
	}
	return true;
}

/* GUESTWL_HEADLESS_LATCH=1: the commit took the frame; what it replaces
 * is shown until the refresh but never read again. */
static void latch(struct headless_output *ho)
{
	if (!ho->latch)
		return;
	if (ho->next.copy || ho->drop_shown)
		scanout_unpin(ho, &ho->shown);
	if (ho->ov_next.copy || ho->ov_off_next)
		scanout_unpin(ho, &ho->ov_shown);
	gwl_output_latched(ho->output);
}

static bool headless_scanout(struct gwl_output *output, struct wl_resource *buffer,
	const pixman_region32_t *damage)
{
	struct headless_output *ho = output->backend_data;
	if (!ho->scanout || !scanout_take(ho, &ho->next, buffer, false))
		return false;
	/* The composited images no longer hold what is on screen. */
	ho->ages[0] = ho->ages[1] = 0;
	ho->drop_shown = false;
	ho->scanouts++;
	arm_timer(ho);
	latch(ho);
	return true;
}

/* The committed buffer replaces the one shown. */
static void scanout_move(struct headless_output *ho, struct headless_scanout *shown,
	struct headless_scanout *next)
{
	scanout_clear(ho, shown);
	*shown = *next;
	*next = (struct headless_scanout){ 0 };
	if (shown->buffer) {
		wl_list_remove(&shown->destroy.link);
		wl_resource_add_destroy_listener(shown->buffer, &shown->destroy);
	}
}

/* At the refresh: what was committed replaces what was shown. */
static void scanout_presented(struct headless_output *ho)
{
	if (ho->next.copy)
		scanout_move(ho, &ho->shown, &ho->next);
	else if (ho->drop_shown)
		scanout_clear(ho, &ho->shown);
	ho->drop_shown = false;
	if (ho->ov_next.copy) {
		scanout_move(ho, &ho->ov_shown, &ho->ov_next);
		ho->ov_x = ho->ov_next_x;
		ho->ov_y = ho->ov_next_y;
	} else if (ho->ov_off_next) {
		scanout_clear(ho, &ho->ov_shown);
	}
	ho->ov_off_next = false;
}

static bool headless_set_overlay(struct gwl_output *output, struct wl_resource *buffer,
	int32_t ox, int32_t oy, const pixman_region32_t *damage)
{
	struct headless_output *ho = output->backend_data;
	if (!buffer) {
		scanout_clear(ho, &ho->ov_next);
		ho->ov_off_next = true;
		return true;
	}
	if (!ho->overlay || !scanout_take(ho, &ho->ov_next, buffer, true))
		return false;
	ho->ov_next_x = ox;
	ho->ov_next_y = oy;
	ho->ov_off_next = false;
	ho->overlays++;
	return true;
}

/* Arm the timer for the first refresh boundary after now. */
static void arm_timer(struct headless_output *ho)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	uint64_t epoch = ts_ns(&ho->epoch), t = ts_ns(&now);
	uint64_t n = (t - epoch) / ho->period_ns + 1;
	if (n <= ho->seq)
		n = ho->seq + 1;
	struct itimerspec its = { .it_value = ns_ts(epoch + n * ho->period_ns) };
	if (timerfd_settime(ho->timer_fd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		gwl_log(GWL_ERROR, "timerfd_settime: %s", strerror(errno));
}

static int timer_fired(int fd, uint32_t mask, void *data)
{
	struct headless_output *ho = data;
	uint64_t expirations;
	if (read(fd, &expirations, sizeof(expirations)) < 0)
		return 0;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	uint64_t epoch = ts_ns(&ho->epoch);
	ho->seq = (ts_ns(&now) - epoch) / ho->period_ns;
	struct timespec when = ns_ts(epoch + ho->seq * ho->period_ns);
	scanout_presented(ho);
	gwl_output_presented(ho->output, &when, ho->seq,
		WP_PRESENTATION_FEEDBACK_KIND_VSYNC);
	return 0;
}

static pixman_image_t *headless_begin_frame(struct gwl_output *output, int *age)
{
	struct headless_output *ho = output->backend_data;
	int back = ho->front == 0 ? 1 : 0;
	*age = ho->ages[back];
	return ho->images[back];
}

static void headless_submit_frame(struct gwl_output *output, pixman_image_t *image,
	const pixman_region32_t *damage)
{
	struct headless_output *ho = output->backend_data;
	for (int i = 0; i < 2; i++) {
		if (ho->ages[i] > 0)
			ho->ages[i]++;
	}
	if (image) {
		int idx = ho->images[0] == image ? 0 : 1;
		ho->ages[idx] = 1;
		ho->front = idx;
		ho->drop_shown = ho->shown.copy != NULL;
	} /* else only the overlay plane changes */
	arm_timer(ho);
	latch(ho);
}

static void headless_schedule_frame(struct gwl_output *output)
{
	arm_timer(output->backend_data);
}

static bool headless_set_cursor(struct gwl_output *output, pixman_image_t *image, int32_t x,
	int32_t y)
{
	struct headless_output *ho = output->backend_data;
	if (!ho->cursor_plane)
		return false;
	if (ho->cursor)
		pixman_image_unref(ho->cursor);
	ho->cursor = NULL;
	if (image) {
		int w = pixman_image_get_width(image), h = pixman_image_get_height(image);
		ho->cursor = pixman_image_create_bits(PIXMAN_a8r8g8b8, w, h, NULL, 0);
		if (!ho->cursor)
			return false;
		pixman_image_composite32(PIXMAN_OP_SRC, image, NULL, ho->cursor, 0, 0, 0, 0,
			0, 0, w, h);
	}
	ho->cursor_x = x;
	ho->cursor_y = y;
	return true;
}

static pixman_image_t *headless_front_image(struct gwl_output *output)
{
	struct headless_output *ho = output->backend_data;
	pixman_image_t *front = NULL;
	if (ho->shown.copy && scanout_read(&ho->shown))
		front = ho->shown.copy; /* read again, as the device would */
	else if (ho->front >= 0)
		front = ho->images[ho->front];
	if (!front)
		return NULL;
	bool overlay = ho->ov_shown.copy && scanout_read(&ho->ov_shown);
	if (!ho->cursor && !overlay)
		return front;
	/* What the screen shows: the primary plane, the overlay and the cursor. */
	int w = pixman_image_get_width(front), h = pixman_image_get_height(front);
	if (ho->composed)
		pixman_image_unref(ho->composed);
	ho->composed = pixman_image_create_bits(PIXMAN_x8r8g8b8, w, h, NULL, 0);
	if (!ho->composed)
		return front;
	pixman_image_composite32(PIXMAN_OP_SRC, front, NULL, ho->composed, 0, 0, 0, 0, 0, 0,
		w, h);
	if (overlay) /* premultiplied alpha over the primary, as guestkms blends */
		pixman_image_composite32(PIXMAN_OP_OVER, ho->ov_shown.copy, NULL, ho->composed, 0,
			0, 0, 0, ho->ov_x, ho->ov_y, pixman_image_get_width(ho->ov_shown.copy),
			pixman_image_get_height(ho->ov_shown.copy));
	if (!ho->cursor)
		return ho->composed;
	pixman_image_composite32(PIXMAN_OP_OVER, ho->cursor, NULL, ho->composed, 0, 0, 0, 0,
		ho->cursor_x, ho->cursor_y, pixman_image_get_width(ho->cursor),
		pixman_image_get_height(ho->cursor));
	return ho->composed;
}

static void free_headless_output(struct headless_output *ho)
{
	if (ho->scanouts)
		gwl_log(GWL_INFO, "headless: %llu of the frames scanned out a client's buffer "
			"directly", (unsigned long long)ho->scanouts);
	if (ho->overlays)
		gwl_log(GWL_INFO, "headless: %llu of the frames showed a client's buffer on the "
			"overlay plane", (unsigned long long)ho->overlays);
	if (ho->output) {
		scanout_clear(ho, &ho->shown);
		scanout_clear(ho, &ho->next);
		scanout_clear(ho, &ho->ov_shown);
		scanout_clear(ho, &ho->ov_next);
	}
	if (ho->timer_source)
		wl_event_source_remove(ho->timer_source);
	if (ho->timer_fd >= 0)
		close(ho->timer_fd);
	for (int i = 0; i < 2; i++) {
		if (ho->images[i])
			pixman_image_unref(ho->images[i]);
	}
	if (ho->cursor)
		pixman_image_unref(ho->cursor);
	if (ho->composed)
		pixman_image_unref(ho->composed);
	struct headless_backend *b = ho->backend;
	for (int i = 0; i < b->n_outputs; i++) {
		if (b->outputs[i] == ho)
			b->outputs[i] = NULL;
	}
	free(ho);
}

static void headless_output_destroy(struct gwl_output *output)
{
	struct headless_output *ho = output->backend_data;
	output->backend_data = NULL;
	if (ho)
		free_headless_output(ho);
}

static const struct gwl_output_impl headless_output_impl = {
	.begin_frame = headless_begin_frame,
	.submit_frame = headless_submit_frame,
	.schedule_frame = headless_schedule_frame,
	.set_cursor = headless_set_cursor,
	.scanout = headless_scanout,
	.set_overlay = headless_set_overlay,
	.front_image = headless_front_image,
	.destroy = headless_output_destroy,
};

static struct headless_output *create_output(struct headless_backend *b,
	const struct gwl_output_config *config)
{
	struct headless_output *ho = calloc(1, sizeof(*ho));
	if (!ho)
		return NULL;
	ho->backend = b;
	ho->front = -1;
	const char *plane = getenv("GUESTWL_HEADLESS_CURSOR_PLANE");
	ho->cursor_plane = plane && *plane == '1';
	const char *scanout = getenv("GUESTWL_HEADLESS_SCANOUT");
	ho->scanout = scanout && *scanout == '1';
	const char *overlay = getenv("GUESTWL_HEADLESS_OVERLAY");
	ho->overlay = overlay && *overlay == '1';
	const char *latch_env = getenv("GUESTWL_HEADLESS_LATCH");
	ho->latch = latch_env && *latch_env == '1';
	ho->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	int32_t refresh = config->refresh_mhz > 0 ? config->refresh_mhz : 60000;
	ho->period_ns = 1000000000000ull / (uint64_t)refresh;
	clock_gettime(CLOCK_MONOTONIC, &ho->epoch);
	for (int i = 0; i < 2; i++)
		ho->images[i] = pixman_image_create_bits(PIXMAN_x8r8g8b8, config->width,
			config->height, NULL, 0);
	if (ho->timer_fd < 0 || !ho->images[0] || !ho->images[1])
		goto fail;
	ho->timer_source = wl_event_loop_add_fd(b->base.server->loop, ho->timer_fd,
		WL_EVENT_READABLE, timer_fired, ho);
	if (!ho->timer_source)
		goto fail;
	return ho;
fail:
	free_headless_output(ho);
	return NULL;
}

static bool headless_start(struct gwl_backend *base)
{
	struct headless_backend *b = (struct headless_backend *)base;
	b->outputs = calloc(b->n_configs, sizeof(*b->outputs));
	if (!b->outputs)
		return false;
	for (int i = 0; i < b->n_configs; i++) {
		struct headless_output *ho = create_output(b, &b->configs[i]);
		if (!ho)
			return false;
		b->outputs[b->n_outputs++] = ho;
		ho->output = gwl_output_create(base->server, &headless_output_impl,
			&b->configs[i], ho);
		if (!ho->output) {
			free_headless_output(ho);
			return false;
		}
		ho->output->overlay_blends = ho->overlay;
	}
	return true;
}

static void headless_destroy(struct gwl_backend *base)
{
	struct headless_backend *b = (struct headless_backend *)base;
	for (int i = 0; i < b->n_outputs; i++) {
		if (b->outputs[i])
			gwl_output_destroy(b->outputs[i]->output);
	}
	free(b->outputs);
	free(b->configs);
	free(b);
}

static const struct gwl_backend_impl headless_impl = {
	.name = "HEADLESS",
	.start = headless_start,
	.destroy = headless_destroy,
};

struct gwl_backend *gwl_headless_backend_create(struct gwl_server *server,
	const struct gwl_output_config *configs, int n_configs)
{
	struct headless_backend *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	static const struct gwl_output_config fallback = { 1024, 768, 60000, 1, 0 };
	if (n_configs <= 0) {
		configs = &fallback;
		n_configs = 1;
	}
	b->configs = calloc(n_configs, sizeof(*configs));
	if (!b->configs) {
		free(b);
		return NULL;
	}
	memcpy(b->configs, configs, n_configs * sizeof(*configs));
	b->n_configs = n_configs;
	b->base.impl = &headless_impl;
	b->base.server = server;
	return &b->base;
}
