/* SPDX-License-Identifier: MIT */
/*
 * Input injected through guestwl_test reaches the focused client with the
 * right surface-local coordinates: pointer enter/motion/button/axis/leave,
 * keyboard enter/key, touch down/motion/up.
 */
#include <linux/input-event-codes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define WIN_X 100
#define WIN_Y 80

static bool near(double a, double b)
{
	return fabs(a - b) < 1.0 / 128;
}

static void motion(struct fx_client *cl, double x, double y)
{
	guestwl_test_pointer_motion_absolute(fx_test(cl),
					     wl_fixed_from_double(x),
					     wl_fixed_from_double(y));
}

/* Next motion event at (x,y); an extra motion at the enter position that a
 * compositor may send first is skipped. */
static const struct fx_input_event *wait_motion_at(struct fx_client *cl,
						   int *at, double x, double y)
{
	const struct fx_input_event *e;

	while ((e = fx_wait_input(cl, at, FX_EV_POINTER_MOTION)))
		if (near(e->x, x) && near(e->y, y))
			return e;
	return NULL;
}

static void check_pointer(struct fx_client *cl, struct fx_window *a,
			  struct fx_window *b, int *at)
{
	const struct fx_input_event *e;

	motion(cl, WIN_X + 50.5, WIN_Y + 50.25);
	e = fx_wait_input(cl, at, FX_EV_POINTER_ENTER);
	FX_CHECK(e && e->surface == a->surface, "no pointer enter on window");
	if (e)
		FX_CHECK(near(e->x, 50.5) && near(e->y, 50.25),
			 "enter at (%.3f,%.3f), expected (50.5,50.25)",
			 e->x, e->y);
	motion(cl, WIN_X + 60, WIN_Y + 70);
	e = wait_motion_at(cl, at, 60, 70);
	FX_CHECK(e != NULL, "no pointer motion at surface-local (60,70)");
	guestwl_test_pointer_button(fx_test(cl), BTN_LEFT, 1);
	e = fx_wait_input(cl, at, FX_EV_POINTER_BUTTON);
	FX_CHECK(e && e->button_or_key == BTN_LEFT && e->state == 1,
		 "no BTN_LEFT press");
	guestwl_test_pointer_button(fx_test(cl), BTN_LEFT, 0);
	e = fx_wait_input(cl, at, FX_EV_POINTER_BUTTON);
	FX_CHECK(e && e->button_or_key == BTN_LEFT && e->state == 0,
		 "no BTN_LEFT release");
	guestwl_test_pointer_axis(fx_test(cl), WL_POINTER_AXIS_VERTICAL_SCROLL,
				  wl_fixed_from_int(15), 120);
	e = fx_wait_input(cl, at, FX_EV_POINTER_AXIS);
	FX_CHECK(e && e->button_or_key == WL_POINTER_AXIS_VERTICAL_SCROLL &&
		 near(e->value, 15), "no vertical axis event of 15");
	e = fx_wait_input(cl, at, FX_EV_POINTER_FRAME);
	FX_CHECK(e != NULL, "no wl_pointer.frame after axis (v5+ seat)");
	/* onto the second window: leave a, enter b at local (10,20) */
	motion(cl, 400 + 10, WIN_Y + 20);
	e = fx_wait_input(cl, at, FX_EV_POINTER_LEAVE);
	FX_CHECK(e && e->surface == a->surface, "no leave from window a");
	e = fx_wait_input(cl, at, FX_EV_POINTER_ENTER);
	FX_CHECK(e && e->surface == b->surface, "no enter on window b");
	if (e)
		FX_CHECK(near(e->x, 10) && near(e->y, 20),
			 "enter b at (%.3f,%.3f), expected (10,20)", e->x, e->y);
	/* to empty background: leave b */
	motion(cl, 600, 450);
	e = fx_wait_input(cl, at, FX_EV_POINTER_LEAVE);
	FX_CHECK(e && e->surface == b->surface, "no leave from window b");
}

static void check_keyboard(struct fx_client *cl, struct fx_window *a, int *at)
{
	struct fx_seat *s = cl->input;
	const struct fx_input_event *e;

	FX_CHECK(s->keymap_format == WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1 &&
		 s->keymap_size > 0, "no xkb keymap sent (format %d size %u)",
		 s->keymap_format, s->keymap_size);
	/* click a: keyboard focus follows the click */
	fx_click(cl, WIN_X + 5, WIN_Y + 5);
	FX_CHECK(s->keyboard_focus == a->surface,
		 "keyboard focus not on the clicked window");
	*at = s->n_events;
	guestwl_test_key(fx_test(cl), KEY_A, 1);
	e = fx_wait_input(cl, at, FX_EV_KEYBOARD_KEY);
	FX_CHECK(e && e->button_or_key == KEY_A && e->state == 1,
		 "no KEY_A press");
	guestwl_test_key(fx_test(cl), KEY_A, 0);
	e = fx_wait_input(cl, at, FX_EV_KEYBOARD_KEY);
	FX_CHECK(e && e->button_or_key == KEY_A && e->state == 0,
		 "no KEY_A release");
	/* shift: xkb state is tracked and sent as modifiers */
	guestwl_test_key(fx_test(cl), KEY_LEFTSHIFT, 1);
	e = fx_wait_input(cl, at, FX_EV_KEYBOARD_MODIFIERS);
	FX_CHECK(e && e->state != 0, "no depressed modifier after shift");
	guestwl_test_key(fx_test(cl), KEY_LEFTSHIFT, 0);
	e = fx_wait_input(cl, at, FX_EV_KEYBOARD_MODIFIERS);
	FX_CHECK(e && e->state == 0, "modifier still depressed after release");
}

static void check_touch(struct fx_client *cl, struct fx_window *a, int *at)
{
	struct guestwl_test *t = fx_test(cl);
	const struct fx_input_event *e;

	FX_CHECK(cl->input->touch != NULL, "seat has no touch capability");
	if (!cl->input->touch)
		return;
	guestwl_test_touch_down(t, 3, wl_fixed_from_int(WIN_X + 20),
				wl_fixed_from_int(WIN_Y + 10));
	guestwl_test_touch_frame(t);
	e = fx_wait_input(cl, at, FX_EV_TOUCH_DOWN);
	FX_CHECK(e && e->surface == a->surface && e->id == 3,
		 "no touch down on window");
	if (e)
		FX_CHECK(near(e->x, 20) && near(e->y, 10),
			 "touch down at (%.3f,%.3f), expected (20,10)",
			 e->x, e->y);
	guestwl_test_touch_motion(t, 3, wl_fixed_from_int(WIN_X + 30),
				  wl_fixed_from_int(WIN_Y + 25));
	guestwl_test_touch_frame(t);
	e = fx_wait_input(cl, at, FX_EV_TOUCH_MOTION);
	FX_CHECK(e && e->id == 3, "no touch motion");
	if (e)
		FX_CHECK(near(e->x, 30) && near(e->y, 25),
			 "touch motion at (%.3f,%.3f), expected (30,25)",
			 e->x, e->y);
	guestwl_test_touch_up(t, 3);
	guestwl_test_touch_frame(t);
	e = fx_wait_input(cl, at, FX_EV_TOUCH_UP);
	FX_CHECK(e && e->id == 3, "no touch up");
	e = fx_wait_input(cl, at, FX_EV_TOUCH_FRAME);
	FX_CHECK(e != NULL, "no touch frame");
}

/*
 * A layout XKB_DEFAULT_LAYOUT names that does not exist: the error is
 * logged and keyboards get the us keymap (the keymap is compiled on first
 * use, so this is found when the client asks for its keyboard).
 */
static void check_keymap_fallback(void)
{
	struct fx_compositor *c;
	struct fx_client *cl;
	struct fx_seat *s;
	char log[8192];
	FILE *f;
	size_t n;

	setenv("XKB_DEFAULT_LAYOUT", "guestwl-no-such-layout", 1);
	c = fx_compositor_start(NULL);
	unsetenv("XKB_DEFAULT_LAYOUT");
	cl = fx_client_connect(c);
	s = fx_client_track_input(cl);
	FX_CHECK(s->keymap_format == WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1 &&
		 strcmp(s->keymap_group1, "English (US)") == 0,
		 "bad layout: keymap format %d layout \"%s\", expected the us fallback",
		 s->keymap_format, s->keymap_group1);
	fx_client_destroy(cl);
	f = fopen(c->log_path, "r");
	n = f ? fread(log, 1, sizeof(log) - 1, f) : 0;
	log[n] = 0;
	if (f)
		fclose(f);
	FX_CHECK(strstr(log, "cannot compile the XKB keymap") &&
		 strstr(log, "guestwl-no-such-layout"),
		 "no error naming the bad layout in the log:\n%s", log);
	if (!fx_compositor_stop(c))
		FX_CHECK(false, "compositor with a bad layout did not exit cleanly");
	free(c);
}

int main(void)
{
	struct fx_compositor *c = fx_compositor_start(NULL);
	struct fx_client *cl = fx_client_connect(c);
	struct fx_seat *s = fx_client_track_input(cl);
	struct fx_window *a, *b;
	int at;

	FX_CHECK(s->pointer && s->keyboard, "seat lacks pointer or keyboard");
	a = fx_window_create(cl, 200, 150, 0xff2080c0);
	b = fx_window_create(cl, 100, 100, 0xffc08020);
	fx_window_move(a, WIN_X, WIN_Y);
	fx_window_move(b, 400, WIN_Y);
	/* park the pointer on the background first */
	motion(cl, 5, 5);
	fx_wait_idle(cl);
	fx_roundtrip(cl);
	at = s->n_events;
	if (s->pointer)
		check_pointer(cl, a, b, &at);
	if (s->keyboard)
		check_keyboard(cl, a, &at);
	check_touch(cl, a, &at);
	FX_CHECK(strcmp(s->keymap_group1, "English (US)") == 0,
		 "default keymap layout \"%s\", expected English (US)", s->keymap_group1);
	fx_window_destroy(a);
	fx_window_destroy(b);
	fx_client_destroy(cl);
	check_keymap_fallback();
	return fx_finish(c);
}
