/* SPDX-License-Identifier: MIT */
/*
 * Drag and drop between two clients: A starts a drag of text/plain with the
 * left button held, the pointer moves over B's window, B accepts and gets
 * the drop, receives the data, finishes; A sees dnd_drop_performed and
 * dnd_finished. A second drag released over the background is cancelled.
 */
#include <linux/input-event-codes.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

struct dnd_state {
	bool entered, dropped, sent, performed, finished, cancelled;
	struct wl_surface *enter_surface;
	struct wl_data_offer *offer;
	bool offer_has_text;
};

static void src_target(void *d, struct wl_data_source *s, const char *m)
{
}

static void src_send(void *d, struct wl_data_source *s, const char *m, int32_t fd)
{
	struct dnd_state *st = d;

	if (strcmp(m, "text/plain") == 0 && write(fd, "dragged!", 8) == 8)
		st->sent = true;
	close(fd);
}

static void src_cancelled(void *d, struct wl_data_source *s)
{
	((struct dnd_state *)d)->cancelled = true;
}

static void src_performed(void *d, struct wl_data_source *s)
{
	((struct dnd_state *)d)->performed = true;
}

static void src_finished(void *d, struct wl_data_source *s)
{
	((struct dnd_state *)d)->finished = true;
}

static void src_action(void *d, struct wl_data_source *s, uint32_t a)
{
}

static const struct wl_data_source_listener source_listener = {
	src_target, src_send, src_cancelled, src_performed, src_finished,
	src_action,
};

static void offer_offer(void *d, struct wl_data_offer *o, const char *m)
{
	if (strcmp(m, "text/plain") == 0)
		((struct dnd_state *)d)->offer_has_text = true;
}

static void offer_source_actions(void *d, struct wl_data_offer *o, uint32_t a)
{
}

static void offer_action(void *d, struct wl_data_offer *o, uint32_t a)
{
}

static const struct wl_data_offer_listener offer_listener = {
	offer_offer, offer_source_actions, offer_action,
};

static void dd_data_offer(void *d, struct wl_data_device *dd,
			  struct wl_data_offer *o)
{
	wl_data_offer_add_listener(o, &offer_listener, d);
}

static void dd_enter(void *d, struct wl_data_device *dd, uint32_t serial,
		     struct wl_surface *s, wl_fixed_t x, wl_fixed_t y,
		     struct wl_data_offer *o)
{
	struct dnd_state *st = d;

	st->entered = true;
	st->enter_surface = s;
	st->offer = o;
	wl_data_offer_accept(o, serial, "text/plain");
	wl_data_offer_set_actions(o, WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY,
				  WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY);
}

static void dd_leave(void *d, struct wl_data_device *dd)
{
}

static void dd_motion(void *d, struct wl_data_device *dd, uint32_t t,
		      wl_fixed_t x, wl_fixed_t y)
{
}

static void dd_drop(void *d, struct wl_data_device *dd)
{
	((struct dnd_state *)d)->dropped = true;
}

static void dd_selection(void *d, struct wl_data_device *dd,
			 struct wl_data_offer *o)
{
}

static const struct wl_data_device_listener device_listener = {
	dd_data_offer, dd_enter, dd_leave, dd_motion, dd_drop, dd_selection,
};

/* Dispatch both clients until *flag (events go to either). */
static void pump(struct fx_client *a, struct fx_client *b, const bool *flag,
		 const char *what)
{
	for (int i = 0; i < 2000 && !*flag; i++) {
		if (fx_dispatch_timeout(a, 5) < 0 || fx_dispatch_timeout(b, 5) < 0)
			break;
	}
	FX_CHECK(*flag, "timed out waiting for %s", what);
}

static struct wl_data_source *start_drag(struct fx_client *a,
					 struct wl_data_device *da,
					 struct fx_window *wa,
					 struct dnd_state *st)
{
	struct wl_data_source *src =
		wl_data_device_manager_create_data_source(a->ddm);

	guestwl_test_pointer_motion_absolute(fx_test(a), wl_fixed_from_int(50),
					     wl_fixed_from_int(50));
	guestwl_test_pointer_button(fx_test(a), BTN_LEFT, 1);
	fx_roundtrip(a);
	fx_roundtrip(a);
	wl_data_source_add_listener(src, &source_listener, st);
	wl_data_source_offer(src, "text/plain");
	wl_data_source_set_actions(src, WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY);
	wl_data_device_start_drag(da, src, wa->surface, NULL,
				  a->input->last_serial);
	fx_roundtrip(a);
	return src;
}

/* A drags text from its window to B's, which receives and finishes it. */
static void drag_to_b(struct fx_client *a, struct fx_client *b,
		      struct wl_data_device *da, struct fx_window *wa,
		      struct fx_window *wb, struct dnd_state *sa,
		      struct dnd_state *sb)
{
	struct wl_data_source *src;
	char buf[32] = { 0 };
	int p[2];

	src = start_drag(a, da, wa, sa);
	guestwl_test_pointer_motion_absolute(fx_test(a), wl_fixed_from_int(350),
					     wl_fixed_from_int(50));
	fx_roundtrip(a);
	pump(a, b, &sb->entered, "data_device.enter on B");
	FX_CHECK(sb->enter_surface == wb->surface, "enter on the wrong surface");
	FX_CHECK(sb->offer_has_text, "offer lacks text/plain");
	fx_roundtrip(b);
	guestwl_test_pointer_button(fx_test(a), BTN_LEFT, 0);
	fx_roundtrip(a);
	pump(a, b, &sb->dropped, "drop on B");
	pump(a, b, &sa->performed, "dnd_drop_performed on A");
	FX_REQUIRE(pipe(p) == 0, "pipe");
	wl_data_offer_receive(sb->offer, "text/plain", p[1]);
	close(p[1]);
	fx_roundtrip(b);
	pump(a, b, &sa->sent, "data_source.send on A");
	FX_CHECK(read(p[0], buf, sizeof(buf) - 1) == 8 &&
		 strcmp(buf, "dragged!") == 0, "B received '%s'", buf);
	close(p[0]);
	wl_data_offer_finish(sb->offer);
	fx_roundtrip(b);
	pump(a, b, &sa->finished, "dnd_finished on A");
	FX_CHECK(!sa->cancelled, "completed drag was cancelled");
	wl_data_source_destroy(src);
}

int main(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct fx_client *a = fx_client_connect(c);
	struct fx_client *b = fx_client_connect(c);
	struct dnd_state sa = { 0 }, sb = { 0 }, s2 = { 0 };
	struct fx_window *wa, *wb;
	struct wl_data_device *da, *db;
	struct wl_data_source *src;

	fx_client_track_input(a);
	fx_client_track_input(b);
	FX_REQUIRE(a->ddm && b->ddm, "no wl_data_device_manager");
	wa = fx_window_create(a, 100, 100, 0xffc02020);
	wb = fx_window_create(b, 100, 100, 0xff20c020);
	fx_window_move(wa, 10, 10);
	fx_window_move(wb, 300, 10);
	da = wl_data_device_manager_get_data_device(a->ddm, a->seat);
	db = wl_data_device_manager_get_data_device(b->ddm, b->seat);
	wl_data_device_add_listener(db, &device_listener, &sb);
	fx_roundtrip(a);
	fx_roundtrip(b);

	drag_to_b(a, b, da, wa, wb, &sa, &sb);

	/* Released over the background: cancelled, nothing dropped. */
	sb.dropped = false;
	src = start_drag(a, da, wa, &s2);
	guestwl_test_pointer_motion_absolute(fx_test(a), wl_fixed_from_int(600),
					     wl_fixed_from_int(400));
	guestwl_test_pointer_button(fx_test(a), BTN_LEFT, 0);
	fx_roundtrip(a);
	pump(a, b, &s2.cancelled, "cancelled on a drop over the background");
	FX_CHECK(!sb.dropped && !s2.performed, "drop over the background");
	wl_data_source_destroy(src);

	wl_data_device_destroy(da);
	wl_data_device_destroy(db);
	fx_window_destroy(wa);
	fx_window_destroy(wb);
	fx_client_destroy(a);
	fx_client_destroy(b);
	return fx_finish(c);
}
