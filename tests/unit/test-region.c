// SPDX-License-Identifier: MIT
/* Transform matrices, region transformation and the damage ring. */
#include <wayland-server-protocol.h>

#include "guestwl/region.h"
#include "unit.h"

static void map(const struct pixman_f_transform *m, double x, double y, double *ox,
	double *oy)
{
	*ox = m->m[0][0] * x + m->m[0][1] * y + m->m[0][2];
	*oy = m->m[1][0] * x + m->m[1][1] * y + m->m[1][2];
}

/* Where the corners of a 4x2 area go for each transform (weston's convention). */
static void test_transform_corners(void)
{
	static const struct {
		int32_t t;
		double x, y; /* image of (0,0) */
		double x2, y2; /* image of (4,0) */
	} cases[] = {
		{ WL_OUTPUT_TRANSFORM_NORMAL, 0, 0, 4, 0 },
		{ WL_OUTPUT_TRANSFORM_90, 2, 0, 2, 4 },
		{ WL_OUTPUT_TRANSFORM_180, 4, 2, 0, 2 },
		{ WL_OUTPUT_TRANSFORM_270, 0, 4, 0, 0 },
		{ WL_OUTPUT_TRANSFORM_FLIPPED, 4, 0, 0, 0 },
		{ WL_OUTPUT_TRANSFORM_FLIPPED_90, 2, 4, 2, 0 },
		{ WL_OUTPUT_TRANSFORM_FLIPPED_180, 0, 2, 4, 2 },
		{ WL_OUTPUT_TRANSFORM_FLIPPED_270, 0, 0, 0, 4 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pixman_f_transform m;
		double x, y;
		gwl_transform_matrix(&m, cases[i].t, 4, 2);
		map(&m, 0, 0, &x, &y);
		CHECK(x == cases[i].x && y == cases[i].y, "transform %d: (0,0) -> (%g,%g)",
			cases[i].t, x, y);
		map(&m, 4, 0, &x, &y);
		CHECK(x == cases[i].x2 && y == cases[i].y2, "transform %d: (4,0) -> (%g,%g)",
			cases[i].t, x, y);
		CHECK(gwl_matrix_is_integer(&m), "transform %d not integer", cases[i].t);
		/* Inverse transform on the transformed size undoes it. */
		struct pixman_f_transform inv, prod;
		bool swap = gwl_transform_swaps_axes(cases[i].t);
		gwl_transform_matrix(&inv, gwl_transform_invert(cases[i].t), swap ? 2 : 4,
			swap ? 4 : 2);
		pixman_f_transform_multiply(&prod, &inv, &m);
		map(&prod, 3, 1, &x, &y);
		CHECK(x == 3 && y == 1, "transform %d: inverse gives (%g,%g)", cases[i].t, x, y);
	}
	CHECK(!gwl_transform_is_valid(8) && !gwl_transform_is_valid(-1), "invalid accepted");
}

static bool region_is_rect(pixman_region32_t *r, int x1, int y1, int x2, int y2)
{
	pixman_box32_t *e = pixman_region32_extents(r);
	return pixman_region32_n_rects(r) == 1 && e->x1 == x1 && e->y1 == y1 && e->x2 == x2 &&
		e->y2 == y2;
}

static void test_region_transform(void)
{
	pixman_region32_t r;
	pixman_region32_init_rect(&r, 10, 20, 30, 40);
	struct pixman_f_transform m;
	pixman_f_transform_init_scale(&m, 2, 2);
	gwl_region_transform(&r, &r, &m, true);
	pixman_box32_t *e = pixman_region32_extents(&r);
	CHECK(e->x1 == 20 && e->y1 == 40 && e->x2 == 80 && e->y2 == 120,
		"scale 2: %d,%d %d,%d", e->x1, e->y1, e->x2, e->y2);

	/* Fractional scale: damage grows outward, opaque shrinks inward. */
	pixman_region32_t d, o;
	pixman_region32_init_rect(&d, 1, 1, 3, 3);
	pixman_region32_init_rect(&o, 1, 1, 3, 3);
	pixman_f_transform_init_scale(&m, 1.5, 1.5);
	gwl_region_transform(&d, &d, &m, true);
	gwl_region_transform(&o, &o, &m, false);
	e = pixman_region32_extents(&d);
	CHECK(e->x1 == 1 && e->x2 == 6, "grow: %d..%d", e->x1, e->x2);
	e = pixman_region32_extents(&o);
	CHECK(e->x1 == 2 && e->x2 == 6, "shrink: %d..%d", e->x1, e->x2);
	CHECK(!gwl_matrix_is_integer(&m), "1.5 scale reported integer");

	/* Rotation keeps a multi-rectangle region's area. */
	pixman_region32_t u;
	pixman_region32_init_rect(&u, 0, 0, 10, 10);
	pixman_region32_union_rect(&u, &u, 20, 0, 5, 30);
	gwl_transform_matrix(&m, WL_OUTPUT_TRANSFORM_90, 100, 50);
	gwl_region_transform(&u, &u, &m, true);
	CHECK(pixman_region32_contains_point(&u, 49, 0, NULL), "(0,0) rect missing after 90");
	CHECK(pixman_region32_contains_point(&u, 25, 24, NULL), "(20,0) rect missing after 90");
	CHECK(!pixman_region32_contains_point(&u, 35, 15, NULL), "gap filled after 90");
	pixman_region32_fini(&u);

	pixman_region32_fini(&d);
	pixman_region32_fini(&o);
	pixman_region32_fini(&r);
}

static void test_region_translate(void)
{
	struct pixman_f_transform m;
	/* Integer translation (the fast path), into another region: every
	 * rectangle moves, the source is untouched. */
	pixman_region32_t src, dst;
	pixman_region32_init_rect(&src, 0, 0, 10, 10);
	pixman_region32_union_rect(&src, &src, 20, 5, 5, 30);
	pixman_region32_init_rect(&dst, 1, 1, 1, 1);
	pixman_f_transform_init_translate(&m, -7, 300);
	gwl_region_transform(&dst, &src, &m, false);
	pixman_region32_translate(&src, -7, 300);
	CHECK(pixman_region32_equal(&dst, &src), "translation by (-7, 300) differs");
	/* Half-pixel translation: grows to whole pixels, shrinks for opaque. */
	pixman_f_transform_init_translate(&m, 0.5, 0);
	pixman_region32_fini(&src);
	pixman_region32_init_rect(&src, 0, 0, 10, 10);
	gwl_region_transform(&dst, &src, &m, true);
	CHECK(region_is_rect(&dst, 0, 0, 11, 10), "grown half-pixel translation");
	gwl_region_transform(&dst, &src, &m, false);
	CHECK(region_is_rect(&dst, 1, 0, 10, 10), "shrunk half-pixel translation");
	/* Coordinates past 2^28: the general path, clamped, no overflow. */
	pixman_f_transform_init_translate(&m, 2147483000.0, 0);
	gwl_region_transform(&dst, &src, &m, true);
	CHECK(!pixman_region32_not_empty(&dst) ||
		pixman_region32_extents(&dst)->x2 <= (1 << 29), "huge translation overflowed");
	pixman_region32_fini(&src);
	pixman_region32_fini(&dst);
}

static void test_damage_ring(void)
{
	struct gwl_damage_ring ring;
	pixman_region32_t a, b, out;
	gwl_damage_ring_init(&ring, 100, 100);
	pixman_region32_init_rect(&a, 0, 0, 10, 10);
	pixman_region32_init_rect(&b, 50, 50, 10, 10);
	pixman_region32_init(&out);

	gwl_damage_ring_repaint_region(&ring, 0, &a, &out);
	CHECK(region_is_rect(&out, 0, 0, 100, 100), "age 0 must repaint everything");
	gwl_damage_ring_push(&ring, &a);
	gwl_damage_ring_repaint_region(&ring, 1, &b, &out);
	CHECK(region_is_rect(&out, 50, 50, 60, 60), "age 1 repaints only new damage");
	gwl_damage_ring_repaint_region(&ring, 2, &b, &out);
	CHECK(pixman_region32_contains_point(&out, 5, 5, NULL) &&
		pixman_region32_contains_point(&out, 55, 55, NULL) &&
		!pixman_region32_contains_point(&out, 30, 30, NULL),
		"age 2 repaints new + last frame damage");
	gwl_damage_ring_repaint_region(&ring, GWL_DAMAGE_RING_LEN + 2, &b, &out);
	CHECK(region_is_rect(&out, 0, 0, 100, 100), "too old must repaint everything");
	/* Damage beyond the output is clipped. */
	pixman_region32_union_rect(&b, &b, 90, 90, 50, 50);
	gwl_damage_ring_repaint_region(&ring, 1, &b, &out);
	CHECK(pixman_region32_extents(&out)->x2 == 100, "not clipped to the output");

	pixman_region32_fini(&a);
	pixman_region32_fini(&b);
	pixman_region32_fini(&out);
	gwl_damage_ring_finish(&ring);
}

int main(void)
{
	test_transform_corners();
	test_region_transform();
	test_region_translate();
	test_damage_ring();
	return unit_result("region");
}
