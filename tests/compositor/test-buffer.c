/* SPDX-License-Identifier: MIT */
/*
 * wl_buffer lifetime: a wl_shm buffer is shown in place and released only
 * when another buffer replaces it (or on detach); a buffer destroyed before
 * its release keeps showing; a pool resized while its buffer is shown keeps
 * showing it; a buffer whose pixels are not 32-bit aligned in the pool is
 * copied and released at once. A replaced buffer's release comes no later
 * than the frame callback of the commit that replaced it (both go out with
 * the presentation), and at once when no output will present.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fixture.h"

#define TOL 2

struct tracked {
	struct wl_buffer *buffer;
	int released;
};

static void on_release(void *data, struct wl_buffer *buffer)
{
	((struct tracked *)data)->released++;
}

static const struct wl_buffer_listener release_listener = { on_release };

static void track(struct tracked *t, struct wl_buffer *buffer)
{
	*t = (struct tracked){ .buffer = buffer };
	wl_buffer_add_listener(buffer, &release_listener, t);
}

/* Attach, damage all, commit, and wait until it is on screen. */
static void show(struct fx_client *cl, struct fx_window *win, struct wl_buffer *b,
		 int w, int h)
{
	wl_surface_attach(win->surface, b, 0, 0);
	wl_surface_damage_buffer(win->surface, 0, 0, w, h);
	wl_surface_commit(win->surface);
	fx_wait_idle(cl);
	fx_roundtrip(cl);
}

/* Repaint the window from what the compositor holds (no new buffer). */
static void repaint(struct fx_client *cl, struct fx_window *win, int w, int h)
{
	wl_surface_damage_buffer(win->surface, 0, 0, w, h);
	wl_surface_commit(win->surface);
	fx_wait_idle(cl);
	fx_roundtrip(cl);
}

static void expect_colour(struct fx_client *cl, int x, int y, int w, int h,
			  uint32_t argb, const char *what)
{
	struct fx_image *img = fx_screenshot(cl);

	fx_expect_rect_color(img, x, y, w, h, argb, TOL, what);
	fx_image_destroy(img);
}

static void check_held_until_replaced(struct fx_client *cl)
{
	struct fx_window *win = fx_window_create(cl, 64, 64, 0xff202020);
	struct fx_buffer *a = fx_buffer_create(cl, 64, 64, WL_SHM_FORMAT_XRGB8888);
	struct fx_buffer *b = fx_buffer_create(cl, 64, 64, WL_SHM_FORMAT_XRGB8888);
	struct tracked ta, tb;

	fx_window_move(win, 100, 100);
	track(&ta, a->wl_buffer);
	track(&tb, b->wl_buffer);
	fx_buffer_fill(a, 0xffff0000);
	fx_buffer_fill(b, 0xff00ff00);
	show(cl, win, a->wl_buffer, 64, 64);
	expect_colour(cl, 100, 100, 64, 64, 0xffff0000, "buffer A not shown");
	FX_CHECK(ta.released == 0, "A released while it is on screen");
	show(cl, win, b->wl_buffer, 64, 64);
	expect_colour(cl, 100, 100, 64, 64, 0xff00ff00, "buffer B not shown");
	FX_CHECK(ta.released == 1, "A released %d times once B replaced it",
		 ta.released);
	FX_CHECK(tb.released == 0, "B released while it is on screen");
	/* attached again while held: still held, shown as it is now */
	fx_buffer_fill(b, 0xff0000ff);
	show(cl, win, b->wl_buffer, 64, 64);
	expect_colour(cl, 100, 100, 64, 64, 0xff0000ff, "B attached again not shown");
	FX_CHECK(tb.released == 0, "B released on being attached again");
	/* detach: released, the window unmaps */
	wl_surface_attach(win->surface, NULL, 0, 0);
	wl_surface_commit(win->surface);
	fx_wait_idle(cl);
	fx_roundtrip(cl);
	FX_CHECK(tb.released == 1, "B not released on detach");
	fx_buffer_destroy(a);
	fx_buffer_destroy(b);
	fx_window_destroy(win);
}

static void check_destroyed_before_release(struct fx_client *cl)
{
	struct fx_window *win = fx_window_create(cl, 64, 64, 0xff202020);
	struct fx_buffer *a = fx_buffer_create(cl, 64, 64, WL_SHM_FORMAT_ARGB8888);

	fx_window_move(win, 300, 100);
	fx_buffer_fill(a, 0xffffff00);
	show(cl, win, a->wl_buffer, 64, 64);
	/* storage unmapped and the buffer gone: the compositor kept a copy */
	fx_buffer_destroy(a);
	fx_roundtrip(cl);
	repaint(cl, win, 64, 64);
	expect_colour(cl, 300, 100, 64, 64, 0xffffff00,
		      "content lost when the buffer was destroyed before its release");
	fx_window_destroy(win);
}

static void check_pool_resize(struct fx_client *cl)
{
	struct fx_window *win = fx_window_create(cl, 64, 64, 0xff202020);
	size_t size = 64 * 64 * 4;
	int fd = fx_memfd(size);
	uint32_t *px = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct wl_shm_pool *pool = wl_shm_create_pool(cl->shm, fd, (int32_t)size);
	struct wl_buffer *buf = wl_shm_pool_create_buffer(pool, 0, 64, 64, 256,
							  WL_SHM_FORMAT_XRGB8888);

	FX_REQUIRE(px != MAP_FAILED, "mmap");
	fx_window_move(win, 100, 300);
	for (size_t i = 0; i < 64 * 64; i++)
		px[i] = 0xff00ffff;
	show(cl, win, buf, 64, 64);
	/* grow the pool 64 times while the buffer is on screen */
	FX_REQUIRE(ftruncate(fd, (off_t)size * 64) == 0, "ftruncate");
	wl_shm_pool_resize(pool, (int32_t)(size * 64));
	fx_roundtrip(cl);
	repaint(cl, win, 64, 64);
	expect_colour(cl, 100, 300, 64, 64, 0xff00ffff,
		      "buffer not shown after its pool grew");
	wl_buffer_destroy(buf);
	wl_shm_pool_destroy(pool);
	munmap(px, size);
	close(fd);
	fx_window_destroy(win);
}

static void check_unaligned_copied(struct fx_client *cl)
{
	struct fx_window *win = fx_window_create(cl, 64, 64, 0xff202020);
	size_t size = 64 * 64 * 4 + 4;
	int fd = fx_memfd(size);
	uint8_t *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct wl_shm_pool *pool = wl_shm_create_pool(cl->shm, fd, (int32_t)size);
	/* offset 2: pixman cannot read 32-bit pixels there in place */
	struct wl_buffer *buf = wl_shm_pool_create_buffer(pool, 2, 64, 64, 256,
							  WL_SHM_FORMAT_XRGB8888);
	struct tracked t;
	const uint32_t colour = 0xffff00ff;

	FX_REQUIRE(mem != MAP_FAILED, "mmap");
	track(&t, buf);
	for (size_t i = 0; i < 64 * 64; i++)
		memcpy(mem + 2 + i * 4, &colour, 4);
	fx_window_move(win, 300, 300);
	show(cl, win, buf, 64, 64);
	FX_CHECK(t.released == 1, "unaligned buffer released %d times after its commit",
		 t.released);
	/* the copy stays when the client reuses the storage after release */
	memset(mem, 0, size);
	repaint(cl, win, 64, 64);
	expect_colour(cl, 300, 300, 64, 64, colour, "unaligned buffer not copied");
	wl_buffer_destroy(buf);
	wl_shm_pool_destroy(pool);
	munmap(mem, size);
	close(fd);
	fx_window_destroy(win);
}

struct frame_seen {
	bool done;
	int released_then; /* the tracked buffer's releases when done came */
	struct tracked *t;
};

static void frame_done(void *data, struct wl_callback *cb, uint32_t msec)
{
	struct frame_seen *f = data;

	f->done = true;
	f->released_then = f->t->released;
	wl_callback_destroy(cb);
}

static const struct wl_callback_listener frame_listener = { frame_done };

static void check_release_timing(struct fx_client *cl)
{
	struct fx_window *win = fx_window_create(cl, 64, 64, 0xff202020);
	struct fx_buffer *a = fx_buffer_create(cl, 64, 64, WL_SHM_FORMAT_XRGB8888);
	struct fx_buffer *b = fx_buffer_create(cl, 64, 64, WL_SHM_FORMAT_XRGB8888);
	struct tracked ta;
	struct frame_seen seen = { .t = &ta };
	struct wl_callback *cb;

	fx_window_move(win, 500, 100);
	track(&ta, a->wl_buffer);
	fx_buffer_fill(a, 0xff804000);
	fx_buffer_fill(b, 0xff008040);
	show(cl, win, a->wl_buffer, 64, 64);
	/* on screen: A's release comes with (before) B's frame callback */
	cb = wl_surface_frame(win->surface);
	wl_callback_add_listener(cb, &frame_listener, &seen);
	wl_surface_attach(win->surface, b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(win->surface, 0, 0, 64, 64);
	wl_surface_commit(win->surface);
	fx_dispatch_until(cl, &seen.done);
	FX_CHECK(seen.released_then == 1,
		 "A released %d times when the frame callback came", seen.released_then);
	/* off every output, nothing to present: released by the next roundtrip */
	fx_window_move(win, 5000, 5000);
	fx_wait_idle(cl);
	show(cl, win, a->wl_buffer, 64, 64);
	ta.released = 0;
	wl_surface_attach(win->surface, b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(win->surface, 0, 0, 64, 64);
	wl_surface_commit(win->surface);
	fx_roundtrip(cl);
	FX_CHECK(ta.released == 1, "A off screen released %d times after a roundtrip",
		 ta.released);
	fx_buffer_destroy(a);
	fx_buffer_destroy(b);
	fx_window_destroy(win);
}

int main(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct fx_client *cl = fx_client_connect(c);

	check_held_until_replaced(cl);
	check_destroyed_before_release(cl);
	check_pool_resize(cl);
	check_unaligned_copied(cl);
	check_release_timing(cl);
	fx_client_destroy(cl);
	return fx_finish(c);
}
