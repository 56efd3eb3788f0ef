/* SPDX-License-Identifier: MIT */
/*
 * Clipboard between two clients: A (focused) sets a selection, B gets the
 * offer when it gains keyboard focus, receives the text through a pipe;
 * then B takes the selection over and A's source is cancelled. Then drag
 * and drop from A to B: enter coordinates, accept/action negotiation, drop,
 * transfer, finish.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input-event-codes.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#define MIME "text/plain;charset=utf-8"
static const char text[] = "guestwl clipboard \xc3\xa9t\xc3\xa9 0123456789";

struct side {
	struct fx_client *cl;
	struct wl_data_device *dev;
	struct wl_data_source *source;
	struct wl_data_offer *selection;
	struct wl_data_offer *pending_offer;
	bool offer_has_mime, got_selection, cancelled;
	int sends;
	/* drag and drop */
	struct wl_data_offer *dnd_offer;
	uint32_t enter_serial;
	double enter_x, enter_y;
	bool entered, dropped, target_ok, drop_performed, finished;
	uint32_t action;
};

static void src_target(void *data, struct wl_data_source *s, const char *m)
{
	((struct side *)data)->target_ok = m && strcmp(m, MIME) == 0;
}

static void src_send(void *data, struct wl_data_source *s, const char *mime,
		     int32_t fd)
{
	struct side *side = data;

	side->sends++;
	if (strcmp(mime, MIME) == 0 &&
	    write(fd, text, sizeof(text) - 1) != (ssize_t)sizeof(text) - 1)
		FX_CHECK(false, "write to clipboard pipe: %s", strerror(errno));
	close(fd);
}

static void src_cancelled(void *data, struct wl_data_source *s)
{
	((struct side *)data)->cancelled = true;
}

static void src_dnd_drop(void *data, struct wl_data_source *s)
{
	((struct side *)data)->drop_performed = true;
}

static void src_dnd_finished(void *data, struct wl_data_source *s)
{
	((struct side *)data)->finished = true;
}

static void src_action(void *data, struct wl_data_source *s, uint32_t a)
{
	((struct side *)data)->action = a;
}

static const struct wl_data_source_listener source_listener = {
	src_target, src_send, src_cancelled, src_dnd_drop, src_dnd_finished,
	src_action,
};

static void offer_offer(void *data, struct wl_data_offer *o, const char *m)
{
	struct side *side = data;

	if (o == side->pending_offer && strcmp(m, MIME) == 0)
		side->offer_has_mime = true;
}

static void offer_actions(void *d, struct wl_data_offer *o, uint32_t a)
{
}

static void offer_action(void *d, struct wl_data_offer *o, uint32_t a)
{
}

static const struct wl_data_offer_listener offer_listener = {
	offer_offer, offer_actions, offer_action,
};

static void dev_data_offer(void *data, struct wl_data_device *dev,
			   struct wl_data_offer *o)
{
	struct side *side = data;

	side->pending_offer = o;
	side->offer_has_mime = false;
	wl_data_offer_add_listener(o, &offer_listener, side);
}

static void dev_enter(void *data, struct wl_data_device *dev,
		      uint32_t serial, struct wl_surface *s, wl_fixed_t x,
		      wl_fixed_t y, struct wl_data_offer *o)
{
	struct side *side = data;

	side->entered = true;
	side->dnd_offer = o;
	side->enter_serial = serial;
	side->enter_x = wl_fixed_to_double(x);
	side->enter_y = wl_fixed_to_double(y);
}

static void dev_leave(void *d, struct wl_data_device *dev)
{
}

static void dev_motion(void *d, struct wl_data_device *dev, uint32_t t,
		       wl_fixed_t x, wl_fixed_t y)
{
}

static void dev_drop(void *data, struct wl_data_device *dev)
{
	((struct side *)data)->dropped = true;
}

static void dev_selection(void *data, struct wl_data_device *dev,
			  struct wl_data_offer *o)
{
	struct side *side = data;

	side->selection = o;
	side->got_selection = o != NULL;
}

static const struct wl_data_device_listener device_listener = {
	dev_data_offer, dev_enter, dev_leave, dev_motion, dev_drop,
	dev_selection,
};

static void setup_side(struct side *side, struct fx_compositor *c)
{
	side->cl = fx_client_connect(c);
	FX_REQUIRE(side->cl->ddm && side->cl->seat,
		   "no wl_data_device_manager or wl_seat");
	fx_client_track_input(side->cl);
	side->dev = wl_data_device_manager_get_data_device(side->cl->ddm,
							   side->cl->seat);
	wl_data_device_add_listener(side->dev, &device_listener, side);
}

static void set_selection(struct side *side)
{
	struct fx_seat *s = side->cl->input;

	FX_CHECK(s->keyboard_focus != NULL, "selection owner not focused");
	side->source = wl_data_device_manager_create_data_source(side->cl->ddm);
	wl_data_source_add_listener(side->source, &source_listener, side);
	wl_data_source_offer(side->source, MIME);
	wl_data_source_offer(side->source, "text/plain");
	wl_data_device_set_selection(side->dev, side->source, s->last_serial);
	fx_roundtrip(side->cl);
}

/* B reads the offer while A serves the send request. */
static void transfer(struct side *a, struct side *b,
		     struct wl_data_offer *offer, char *out, size_t max)
{
	int p[2];
	size_t got = 0;
	int slices = 0;

	FX_REQUIRE(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0, "pipe: %s",
		   strerror(errno));
	wl_data_offer_receive(offer, MIME, p[1]);
	close(p[1]);
	wl_display_flush(b->cl->display);
	for (;;) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		ssize_t n;

		if (fx_dispatch_timeout(a->cl, 0) < 0)
			FX_DIE("source client lost its connection");
		if (poll(&pf, 1, 100) < 0)
			FX_DIE("poll: %s", strerror(errno));
		n = read(p[0], out + got, max - 1 - got);
		if (n == 0)
			break;
		if (n > 0)
			got += (size_t)n;
		else if (errno != EAGAIN)
			FX_DIE("read: %s", strerror(errno));
		FX_REQUIRE(a->sends <= 1 && got < max - 1, "runaway transfer");
		FX_REQUIRE(++slices < 200, "clipboard transfer timed out "
			   "(%d send requests, %zu bytes)", a->sends, got);
		if (a->sends == 0 && got == 0)
			fx_dispatch_timeout(a->cl, 100);
	}
	out[got] = '\0';
	close(p[0]);
}

/* Drag from A's window (50,50 200x100) to B's (350,50), copy action. */
static void drag_and_drop(struct fx_client *ctl, struct side *a,
			  struct side *b, struct fx_window *wa)
{
	struct guestwl_test *t = fx_test(ctl);
	struct wl_data_source *src;
	char buf[256];

	a->sends = 0;
	guestwl_test_pointer_motion_absolute(t, wl_fixed_from_int(100),
					     wl_fixed_from_int(100));
	guestwl_test_pointer_button(t, BTN_LEFT, 1);
	fx_wait_idle(ctl);
	fx_roundtrip(a->cl);
	src = wl_data_device_manager_create_data_source(a->cl->ddm);
	wl_data_source_add_listener(src, &source_listener, a);
	wl_data_source_offer(src, MIME);
	wl_data_source_set_actions(src, WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY |
				   WL_DATA_DEVICE_MANAGER_DND_ACTION_MOVE);
	wl_data_device_start_drag(a->dev, src, wa->surface, NULL,
				  a->cl->input->last_serial);
	fx_roundtrip(a->cl);
	guestwl_test_pointer_motion_absolute(t, wl_fixed_from_double(400.5),
					     wl_fixed_from_int(110));
	fx_wait_idle(ctl);
	fx_dispatch_until(b->cl, &b->entered);
	FX_CHECK(fabs(b->enter_x - 50.5) < 0.01 && fabs(b->enter_y - 60) < 0.01,
		 "dnd enter at (%.2f,%.2f), expected (50.5,60)", b->enter_x,
		 b->enter_y);
	FX_REQUIRE(b->dnd_offer != NULL, "dnd enter without an offer");
	wl_data_offer_accept(b->dnd_offer, b->enter_serial, MIME);
	wl_data_offer_set_actions(b->dnd_offer,
				  WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY,
				  WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY);
	fx_roundtrip(b->cl);
	fx_roundtrip(a->cl);
	FX_CHECK(a->target_ok, "source got no target event for " MIME);
	FX_CHECK(a->action == WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY,
		 "negotiated action %u, expected copy", a->action);
	guestwl_test_pointer_button(t, BTN_LEFT, 0);
	fx_wait_idle(ctl);
	fx_dispatch_until(b->cl, &b->dropped);
	transfer(a, b, b->dnd_offer, buf, sizeof(buf));
	FX_CHECK(strcmp(buf, text) == 0, "dropped \"%s\", expected \"%s\"",
		 buf, text);
	wl_data_offer_finish(b->dnd_offer);
	fx_roundtrip(b->cl);
	fx_dispatch_until(a->cl, &a->drop_performed);
	fx_dispatch_until(a->cl, &a->finished);
	wl_data_source_destroy(src);
}

int main(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct side a = { 0 }, b = { 0 };
	struct fx_window *wa, *wb;
	char buf[256];

	setup_side(&a, c);
	setup_side(&b, c);
	wa = fx_window_create(a.cl, 200, 100, 0xff204060);
	wb = fx_window_create(b.cl, 200, 100, 0xff602040);
	fx_window_move(wa, 50, 50);
	fx_window_move(wb, 350, 50);
	fx_click(a.cl, 100, 100);
	set_selection(&a);
	/* focus B: it must get the selection offer */
	fx_click(a.cl, 400, 100);
	fx_roundtrip(b.cl);
	fx_dispatch_until(b.cl, &b.got_selection);
	FX_CHECK(b.offer_has_mime, "selection offer lacks " MIME);
	transfer(&a, &b, b.selection, buf, sizeof(buf));
	FX_CHECK(a.sends == 1, "source got %d send requests", a.sends);
	FX_CHECK(strcmp(buf, text) == 0, "received \"%s\", expected \"%s\"",
		 buf, text);
	/* B takes the selection over: A's source is cancelled */
	set_selection(&b);
	fx_dispatch_until(a.cl, &a.cancelled);
	drag_and_drop(a.cl, &a, &b, wa);
	FX_CHECK(fx_compositor_alive(c), "compositor died");
	fx_window_destroy(wa);
	fx_window_destroy(wb);
	fx_client_destroy(a.cl);
	fx_client_destroy(b.cl);
	return fx_finish(c);
}
