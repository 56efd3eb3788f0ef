/* SPDX-License-Identifier: MIT */
/* Pixman renderer: draws the scene into any pixman image. */
#ifndef GUESTWL_RENDER_H
#define GUESTWL_RENDER_H

#include <pixman.h>
#include <stdbool.h>

struct gwl_output;

/*
 * Draw the scene of output into image (output buffer pixels), limited to
 * region. Surfaces drawn are marked shown on the output and their frame
 * callbacks and presentation feedback are moved to the output's lists.
 */
void gwl_render_output(struct gwl_output *output, pixman_image_t *image,
	const pixman_region32_t *region, bool collect_callbacks);
/*
 * The surface the output could scan out instead of a composited frame:
 * the only thing visible (a cursor on a plane aside), opaque over the
 * whole output, its wl_shm buffer shown in place with buffer pixels equal
 * to output pixels. NULL when there is none.
 */
struct gwl_surface *gwl_render_scanout_candidate(struct gwl_output *output);
/* The built-in arrow cursor (a8r8g8b8, 12x19, hotspot 0,0). */
pixman_image_t *gwl_render_default_cursor(void);
/* Encode image as PNG to fd; returns NULL or an error message. */
const char *gwl_write_png(pixman_image_t *image, int fd);

#endif
