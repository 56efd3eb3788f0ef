/* SPDX-License-Identifier: MIT */
/* Pixman renderer: draws the scene into any pixman image. */
#ifndef GUESTWL_RENDER_H
#define GUESTWL_RENDER_H

#include <pixman.h>
#include <stdbool.h>

struct gwl_output;

/*
 * The scene of one output, bottom to top, with what of each is visible.
 * With collect, finishing the list marks the surfaces drawn as shown on
 * the output and moves their frame callbacks and presentation feedback
 * to the output's lists (a cursor on a plane: at build time).
 */
struct gwl_render_list;
struct gwl_render_list *gwl_render_list_build(struct gwl_output *output, bool collect);
/* Draw the scene into image (output buffer pixels), limited to region. */
void gwl_render_list_draw(struct gwl_render_list *list, pixman_image_t *image,
	const pixman_region32_t *region);
/*
 * The surface the output could scan out instead of a composited frame:
 * the only thing visible (a cursor on a plane aside), opaque over the
 * whole output, its wl_shm buffer shown in place with buffer pixels equal
 * to output pixels. NULL when there is none.
 */
struct gwl_surface *gwl_render_list_scanout(const struct gwl_render_list *list);
/*
 * The surface an overlay plane could show above the rest of the scene:
 * the topmost thing on the output, wholly inside it, its wl_shm buffer
 * shown in place with buffer pixels equal to output pixels at an integer
 * offset, and opaque over all of it unless the plane blends
 * (output->overlay_blends; *translucent then tells). Sets box (output
 * pixels); NULL when none.
 */
struct gwl_surface *gwl_render_list_overlay(const struct gwl_render_list *list,
	pixman_box32_t *box, bool *translucent);
/* Leave the overlay candidate out of gwl_render_list_draw (it is on a plane). */
void gwl_render_list_lift(struct gwl_render_list *list);
/* Collect now, before the frame is submitted (once; only if asked). */
void gwl_render_list_collect(struct gwl_render_list *list);
/* Collect (if not done yet) and free; NULL-safe. */
void gwl_render_list_finish(struct gwl_render_list *list);
/* Free the list an output keeps for its next frame (output destruction). */
void gwl_render_list_cache_free(struct gwl_output *output);
/* Build, draw into image (NULL: only collect) and finish; false when out
 * of memory. */
bool gwl_render_output(struct gwl_output *output, pixman_image_t *image,
	const pixman_region32_t *region, bool collect_callbacks);
/* The built-in arrow cursor (a8r8g8b8, 12x19, hotspot 0,0). */
pixman_image_t *gwl_render_default_cursor(void);
/* Encode image as PNG to fd; returns NULL or an error message. */
const char *gwl_write_png(pixman_image_t *image, int fd);

#endif
