// SPDX-License-Identifier: MIT
/* xdg_positioner placement and constraint adjustment. */
#include "guestwl/window.h"
#include "unit.h"
#include "xdg-shell-server-protocol.h"

static const struct gwl_box screen = { 0, 0, 800, 600 };

static struct gwl_positioner_rules rules(int32_t w, int32_t h, struct gwl_box anchor,
	uint32_t a, uint32_t g, uint32_t adjust)
{
	struct gwl_positioner_rules r = { .width = w, .height = h, .anchor_rect = anchor,
		.anchor = a, .gravity = g, .constraint_adjustment = adjust };
	return r;
}

#define EXPECT(box, X, Y, W, H) \
	CHECK((box).x == (X) && (box).y == (Y) && (box).width == (W) && (box).height == (H), \
		"got %d,%d %dx%d, expected %d,%d %dx%d", (box).x, (box).y, (box).width, \
		(box).height, X, Y, W, H)

static void test_basic(void)
{
	struct gwl_box anchor = { 100, 100, 50, 20 };
	struct gwl_positioner_rules r = rules(200, 100, anchor,
		XDG_POSITIONER_ANCHOR_BOTTOM_LEFT, XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT, 0);
	struct gwl_box b = gwl_positioner_place(&r, &screen);
	EXPECT(b, 100, 120, 200, 100);

	r.anchor = XDG_POSITIONER_ANCHOR_NONE;
	r.gravity = XDG_POSITIONER_GRAVITY_NONE;
	b = gwl_positioner_place(&r, &screen);
	EXPECT(b, 25, 60, 200, 100); /* centred on the anchor rect centre (125,110) */

	r.anchor = XDG_POSITIONER_ANCHOR_TOP_RIGHT;
	r.gravity = XDG_POSITIONER_GRAVITY_TOP_LEFT;
	r.offset_x = 5;
	r.offset_y = -3;
	b = gwl_positioner_place(&r, &screen);
	EXPECT(b, -45, -3, 200, 100);
}

static void test_flip(void)
{
	/* Menu below an anchor near the bottom edge flips above it. */
	struct gwl_box anchor = { 700, 550, 40, 20 };
	struct gwl_positioner_rules r = rules(150, 100, anchor,
		XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT, XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT,
		XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_FLIP_X |
			XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_FLIP_Y);
	struct gwl_box b = gwl_positioner_place(&r, &screen);
	EXPECT(b, 550, 450, 150, 100);
}

static void test_slide_resize(void)
{
	struct gwl_box anchor = { 750, 10, 10, 10 };
	struct gwl_positioner_rules r = rules(200, 50, anchor,
		XDG_POSITIONER_ANCHOR_BOTTOM_LEFT, XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT,
		XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_X);
	struct gwl_box b = gwl_positioner_place(&r, &screen);
	EXPECT(b, 600, 20, 200, 50);

	/* Flip does not fit either way: slide wins. */
	r.constraint_adjustment |= XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_FLIP_X;
	r.width = 790;
	b = gwl_positioner_place(&r, &screen);
	EXPECT(b, 10, 20, 790, 50);

	/* Too tall: resize clips to the screen. */
	r = rules(100, 700, (struct gwl_box){ 10, 0, 10, 10 }, XDG_POSITIONER_ANCHOR_BOTTOM,
		XDG_POSITIONER_GRAVITY_BOTTOM, XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_RESIZE_Y);
	b = gwl_positioner_place(&r, &screen);
	EXPECT(b, -35, 10, 100, 590);

	/* Unconstrained when nothing is allowed. */
	r.constraint_adjustment = 0;
	b = gwl_positioner_place(&r, &screen);
	EXPECT(b, -35, 10, 100, 700);
}

int main(void)
{
	test_basic();
	test_flip();
	test_slide_resize();
	return unit_result("positioner");
}
