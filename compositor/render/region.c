// SPDX-License-Identifier: MIT
/* Region and damage maths. */
#include <math.h>
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "guestwl/region.h"

#define EPS 1e-4

bool gwl_transform_is_valid(int32_t transform)
{
	return transform >= WL_OUTPUT_TRANSFORM_NORMAL &&
		transform <= WL_OUTPUT_TRANSFORM_FLIPPED_270;
}

bool gwl_transform_swaps_axes(int32_t transform)
{
	return transform & 1;
}

int32_t gwl_transform_invert(int32_t transform)
{
	/* Rotations invert to the opposite rotation; flips are involutions. */
	if (transform == WL_OUTPUT_TRANSFORM_90)
		return WL_OUTPUT_TRANSFORM_270;
	if (transform == WL_OUTPUT_TRANSFORM_270)
		return WL_OUTPUT_TRANSFORM_90;
	return transform;
}

static void set_row(double *row, double a, double b, double c)
{
	row[0] = a;
	row[1] = b;
	row[2] = c;
}

void gwl_transform_matrix(struct pixman_f_transform *m, int32_t transform, double w, double h)
{
	/* x' = m00 x + m01 y + m02, y' = m10 x + m11 y + m12 */
	static const int8_t coef[8][4] = {
		/* xx, xy, yx, yy */
		[WL_OUTPUT_TRANSFORM_NORMAL] = { 1, 0, 0, 1 },
		[WL_OUTPUT_TRANSFORM_90] = { 0, -1, 1, 0 },
		[WL_OUTPUT_TRANSFORM_180] = { -1, 0, 0, -1 },
		[WL_OUTPUT_TRANSFORM_270] = { 0, 1, -1, 0 },
		[WL_OUTPUT_TRANSFORM_FLIPPED] = { -1, 0, 0, 1 },
		[WL_OUTPUT_TRANSFORM_FLIPPED_90] = { 0, -1, -1, 0 },
		[WL_OUTPUT_TRANSFORM_FLIPPED_180] = { 1, 0, 0, -1 },
		[WL_OUTPUT_TRANSFORM_FLIPPED_270] = { 0, 1, 1, 0 },
	};
	if (!gwl_transform_is_valid(transform))
		transform = WL_OUTPUT_TRANSFORM_NORMAL;
	const int8_t *c = coef[transform];
	/* Offsets bring the transformed area back to the origin. */
	double ox = (c[0] < 0 ? w : 0) + (c[1] < 0 ? h : 0);
	double oy = (c[2] < 0 ? w : 0) + (c[3] < 0 ? h : 0);
	set_row(m->m[0], c[0], c[1], ox);
	set_row(m->m[1], c[2], c[3], oy);
	set_row(m->m[2], 0, 0, 1);
}

static void map_point(const struct pixman_f_transform *m, double x, double y, double *ox,
	double *oy)
{
	*ox = m->m[0][0] * x + m->m[0][1] * y + m->m[0][2];
	*oy = m->m[1][0] * x + m->m[1][1] * y + m->m[1][2];
}

static double clamp_coord(double v)
{
	if (v < -(1 << 29))
		return -(1 << 29);
	if (v > (1 << 29))
		return 1 << 29;
	return v;
}

/* An integer translation small enough that no coordinate can overflow. */
static bool small_translation(const struct pixman_f_transform *m,
	const pixman_region32_t *src, int32_t *tx, int32_t *ty)
{
	const double lim = 1 << 28;
	if (m->m[0][0] != 1 || m->m[0][1] != 0 || m->m[1][0] != 0 || m->m[1][1] != 1 ||
		m->m[0][2] != floor(m->m[0][2]) || m->m[1][2] != floor(m->m[1][2]) ||
		fabs(m->m[0][2]) >= lim || fabs(m->m[1][2]) >= lim)
		return false;
	const pixman_box32_t *e = pixman_region32_extents((pixman_region32_t *)src);
	if (e->x1 <= -lim || e->y1 <= -lim || e->x2 >= lim || e->y2 >= lim)
		return false;
	*tx = (int32_t)m->m[0][2];
	*ty = (int32_t)m->m[1][2];
	return true;
}

void gwl_region_transform(pixman_region32_t *dst, const pixman_region32_t *src,
	const struct pixman_f_transform *m, bool grow)
{
	int32_t tx, ty;
	if (small_translation(m, src, &tx, &ty)) {
		/* The common case (no scale, no transform): exact either way. */
		if (dst != src)
			pixman_region32_copy(dst, (pixman_region32_t *)src);
		pixman_region32_translate(dst, tx, ty);
		return;
	}
	int n;
	const pixman_box32_t *rects = pixman_region32_rectangles(
		(pixman_region32_t *)src, &n);
	pixman_box32_t *out = calloc(n > 0 ? n : 1, sizeof(*out));
	int count = 0;
	for (int i = 0; out && i < n; i++) {
		double ax, ay, bx, by;
		map_point(m, rects[i].x1, rects[i].y1, &ax, &ay);
		map_point(m, rects[i].x2, rects[i].y2, &bx, &by);
		double x1 = clamp_coord(fmin(ax, bx)), x2 = clamp_coord(fmax(ax, bx));
		double y1 = clamp_coord(fmin(ay, by)), y2 = clamp_coord(fmax(ay, by));
		pixman_box32_t *b = &out[count];
		if (grow) {
			b->x1 = (int32_t)floor(x1 + EPS);
			b->y1 = (int32_t)floor(y1 + EPS);
			b->x2 = (int32_t)ceil(x2 - EPS);
			b->y2 = (int32_t)ceil(y2 - EPS);
		} else {
			b->x1 = (int32_t)ceil(x1 - EPS);
			b->y1 = (int32_t)ceil(y1 - EPS);
			b->x2 = (int32_t)floor(x2 + EPS);
			b->y2 = (int32_t)floor(y2 + EPS);
		}
		if (b->x1 < b->x2 && b->y1 < b->y2)
			count++;
	}
	pixman_region32_fini(dst);
	pixman_region32_init_rects(dst, out, count);
	free(out);
}

static bool is_integer(double v)
{
	return fabs(v - round(v)) < EPS;
}

bool gwl_matrix_is_integer(const struct pixman_f_transform *m)
{
	for (int r = 0; r < 2; r++) {
		for (int c = 0; c < 3; c++) {
			if (!is_integer(m->m[r][c]))
				return false;
		}
		if (fabs(fabs(m->m[r][0]) + fabs(m->m[r][1]) - 1) > EPS)
			return false;
	}
	return true;
}

void gwl_damage_ring_init(struct gwl_damage_ring *ring, int32_t width, int32_t height)
{
	ring->head = 0;
	ring->width = width;
	ring->height = height;
	for (int i = 0; i < GWL_DAMAGE_RING_LEN; i++)
		pixman_region32_init(&ring->prev[i]);
}

void gwl_damage_ring_finish(struct gwl_damage_ring *ring)
{
	for (int i = 0; i < GWL_DAMAGE_RING_LEN; i++)
		pixman_region32_fini(&ring->prev[i]);
}

void gwl_damage_ring_repaint_region(const struct gwl_damage_ring *ring, int age,
	const pixman_region32_t *damage, pixman_region32_t *out)
{
	if (age <= 0 || age - 1 > GWL_DAMAGE_RING_LEN) {
		pixman_region32_fini(out);
		pixman_region32_init_rect(out, 0, 0, ring->width, ring->height);
		return;
	}
	pixman_region32_copy(out, (pixman_region32_t *)damage);
	/* prev[head] is the damage of the most recent frame. */
	for (int i = 0; i < age - 1; i++) {
		int idx = (ring->head - i + GWL_DAMAGE_RING_LEN) % GWL_DAMAGE_RING_LEN;
		pixman_region32_union(out, out, (pixman_region32_t *)&ring->prev[idx]);
	}
	pixman_region32_intersect_rect(out, out, 0, 0, ring->width, ring->height);
}

void gwl_damage_ring_push(struct gwl_damage_ring *ring, const pixman_region32_t *damage)
{
	ring->head = (ring->head + 1) % GWL_DAMAGE_RING_LEN;
	pixman_region32_copy(&ring->prev[ring->head], (pixman_region32_t *)damage);
}
