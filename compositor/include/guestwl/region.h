/* SPDX-License-Identifier: MIT */
/* Region and damage maths (no Wayland dependencies; unit-tested). */
#ifndef GUESTWL_REGION_H
#define GUESTWL_REGION_H

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * m = mapping of the wl_output_transform `transform` applied to a
 * width x height area: a point in the untransformed area maps to the
 * transformed area (same convention as wl_surface buffer_transform:
 * surface coordinates -> buffer coordinates).
 */
void gwl_transform_matrix(struct pixman_f_transform *m, int32_t transform,
	double width, double height);
bool gwl_transform_is_valid(int32_t transform);
/* Transform composing a then b. */
int32_t gwl_transform_invert(int32_t transform);
bool gwl_transform_swaps_axes(int32_t transform);

/*
 * dst = image of src under m. Each rectangle maps to its bounding box,
 * rounded outward (grow = true, damage) or inward (grow = false, opaque
 * regions used for culling). dst may equal src.
 */
void gwl_region_transform(pixman_region32_t *dst, const pixman_region32_t *src,
	const struct pixman_f_transform *m, bool grow);
/* True if m only translates by integers, rotates by 90° steps, no scale. */
bool gwl_matrix_is_integer(const struct pixman_f_transform *m);

/* Client-supplied coordinates and sizes are clamped to this range so that
 * sums of offsets never overflow. */
#define GWL_COORD_MAX (1 << 24)

static inline int32_t gwl_clamp_coord(int64_t v)
{
	return v < -GWL_COORD_MAX ? -GWL_COORD_MAX : v > GWL_COORD_MAX ? GWL_COORD_MAX
		: (int32_t)v;
}

#define GWL_DAMAGE_RING_LEN 4

/* Damage of previous frames, to repaint buffers of a given age. */
struct gwl_damage_ring {
	pixman_region32_t prev[GWL_DAMAGE_RING_LEN];
	int head;
	int32_t width, height;
};

void gwl_damage_ring_init(struct gwl_damage_ring *ring, int32_t width, int32_t height);
void gwl_damage_ring_finish(struct gwl_damage_ring *ring);
/*
 * out = region to repaint in a buffer of age `age` when `damage` changed
 * since the last frame: damage plus the damage of the age-1 previous
 * frames, or the whole area when the age is unknown or too old.
 */
void gwl_damage_ring_repaint_region(const struct gwl_damage_ring *ring, int age,
	const pixman_region32_t *damage, pixman_region32_t *out);
/* Record the damage of the frame just submitted. */
void gwl_damage_ring_push(struct gwl_damage_ring *ring, const pixman_region32_t *damage);

#endif
