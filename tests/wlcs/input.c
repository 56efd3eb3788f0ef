// SPDX-License-Identifier: MIT
/*
 * wlcs fake pointers and touches. Events go through the gwl_seat_* entry
 * points that the libinput backend uses, on the compositor thread.
 */
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "guestwl/log.h"
#include "guestwl/seat.h"
#include "guestwl/server.h"
#include "guestwl-wlcs.h"

struct fake_pointer {
	WlcsPointer base;
	struct gwl_wlcs *w;
};

struct fake_touch {
	WlcsTouch base;
	struct gwl_wlcs *w;
	int32_t id;
	bool down;
};

/* One input event, executed on the compositor thread. */
struct input_event {
	enum { MOTION_ABS, MOTION_REL, BUTTON, TOUCH_DOWN, TOUCH_MOTION, TOUCH_UP } type;
	double x, y;
	uint32_t code, state;
	int32_t id;
};

static void deliver(struct gwl_wlcs *w, void *data)
{
	const struct input_event *ev = data;
	struct gwl_seat *seat = w->server->seat;
	uint32_t now = gwl_now_msec();
	gwl_log(GWL_DEBUG, "wlcs: input %d at %.1f,%.1f code %u state %u id %d", (int)ev->type,
		ev->x, ev->y, ev->code, ev->state, ev->id);
	switch (ev->type) {
	case MOTION_ABS:
		gwl_seat_pointer_motion_absolute(seat, ev->x, ev->y, now);
		break;
	case MOTION_REL:
		gwl_seat_pointer_motion_relative(seat, ev->x, ev->y, now);
		break;
	case BUTTON:
		gwl_seat_pointer_button(seat, ev->code, ev->state, now);
		break;
	case TOUCH_DOWN:
		gwl_seat_touch_down(seat, ev->id, ev->x, ev->y, now);
		gwl_seat_touch_frame(seat);
		break;
	case TOUCH_MOTION:
		gwl_seat_touch_motion(seat, ev->id, ev->x, ev->y, now);
		gwl_seat_touch_frame(seat);
		break;
	case TOUCH_UP:
		gwl_seat_touch_up(seat, ev->id, now);
		gwl_seat_touch_frame(seat);
		break;
	}
}

static void send_event(struct gwl_wlcs *w, struct input_event ev)
{
	gwl_wlcs_run(w, deliver, &ev);
}

/* ---- pointer ---- */

static struct fake_pointer *pointer_of(WlcsPointer *pointer)
{
	return (struct fake_pointer *)pointer; /* base is the first member */
}

static void pointer_move_absolute(WlcsPointer *pointer, wl_fixed_t x, wl_fixed_t y)
{
	send_event(pointer_of(pointer)->w, (struct input_event){ .type = MOTION_ABS,
		.x = wl_fixed_to_double(x), .y = wl_fixed_to_double(y) });
}

static void pointer_move_relative(WlcsPointer *pointer, wl_fixed_t dx, wl_fixed_t dy)
{
	send_event(pointer_of(pointer)->w, (struct input_event){ .type = MOTION_REL,
		.x = wl_fixed_to_double(dx), .y = wl_fixed_to_double(dy) });
}

static void pointer_button(WlcsPointer *pointer, int button, uint32_t state)
{
	if (button < 0)
		return;
	send_event(pointer_of(pointer)->w, (struct input_event){ .type = BUTTON,
		.code = (uint32_t)button, .state = state });
}

static void pointer_button_down(WlcsPointer *pointer, int button)
{
	pointer_button(pointer, button, WL_POINTER_BUTTON_STATE_PRESSED);
}

static void pointer_button_up(WlcsPointer *pointer, int button)
{
	pointer_button(pointer, button, WL_POINTER_BUTTON_STATE_RELEASED);
}

static void pointer_destroy(WlcsPointer *pointer)
{
	free(pointer_of(pointer));
}

WlcsPointer *gwl_wlcs_create_pointer(WlcsDisplayServer *server)
{
	struct fake_pointer *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->w = (struct gwl_wlcs *)server;
	p->base = (WlcsPointer){
		.version = 1,
		.move_absolute = pointer_move_absolute,
		.move_relative = pointer_move_relative,
		.button_up = pointer_button_up,
		.button_down = pointer_button_down,
		.destroy = pointer_destroy,
	};
	return &p->base;
}

/* ---- touch ----
 *
 * wlcs declares the touch coordinates wl_fixed_t but passes plain integer
 * pixels (wlcs::Touch::down_at(int x, int y) hands them on unconverted),
 * so they are taken as integers here.
 */

static struct fake_touch *touch_of(WlcsTouch *touch)
{
	return (struct fake_touch *)touch; /* base is the first member */
}

static void touch_down(WlcsTouch *touch, wl_fixed_t x, wl_fixed_t y)
{
	struct fake_touch *t = touch_of(touch);
	t->down = true;
	send_event(t->w, (struct input_event){ .type = TOUCH_DOWN, .id = t->id,
		.x = x, .y = y });
}

static void touch_move(WlcsTouch *touch, wl_fixed_t x, wl_fixed_t y)
{
	struct fake_touch *t = touch_of(touch);
	send_event(t->w, (struct input_event){ .type = TOUCH_MOTION, .id = t->id,
		.x = x, .y = y });
}

static void touch_up(WlcsTouch *touch)
{
	struct fake_touch *t = touch_of(touch);
	t->down = false;
	send_event(t->w, (struct input_event){ .type = TOUCH_UP, .id = t->id });
}

static void touch_destroy(WlcsTouch *touch)
{
	struct fake_touch *t = touch_of(touch);
	if (t->down)
		touch_up(touch);
	free(t);
}

WlcsTouch *gwl_wlcs_create_touch(WlcsDisplayServer *server)
{
	struct fake_touch *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->w = (struct gwl_wlcs *)server;
	/* Called from the wlcs thread only; ids stay unique per server. */
	t->id = t->w->next_touch_id++;
	t->base = (WlcsTouch){
		.version = 1,
		.touch_down = touch_down,
		.touch_move = touch_move,
		.touch_up = touch_up,
		.destroy = touch_destroy,
	};
	return &t->base;
}
