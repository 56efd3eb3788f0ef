/* SPDX-License-Identifier: MIT */
/*
 * Backend interface. A backend owns the outputs' pixel buffers and the
 * input devices. It creates outputs with gwl_output_create(), handing over
 * a gwl_output_impl; the core then drives repaint through it:
 *
 *   begin_frame()   returns the pixman image to draw the next frame into
 *                   and its buffer age (number of frames since that image
 *                   was last shown; 0 = unknown, the core redraws fully).
 *   submit_frame()  shows that image; damage is in output buffer pixels.
 *   schedule_frame() asks for a presentation event at the next refresh
 *                   without new content (frame callbacks of an unchanged
 *                   scene).
 *
 * After submit_frame() or schedule_frame() the backend must call
 * gwl_output_presented() exactly once, when the frame reached the screen
 * (DRM: page-flip event; headless: refresh timer). The core never has more
 * than one frame in flight per output. A device that reads the frame's
 * buffers while committing it and never reads what it replaced again
 * (guestkms copies into VRAM at the commit) may call gwl_output_latched()
 * once the commit is in, having unpinned the buffers it replaced: frame
 * callbacks and releases then go out at once rather than at the
 * presentation, so clients draw their next frame while the flip waits for
 * the vblank. Input is fed to the seat with the gwl_seat_* functions from
 * seat.h.
 */
#ifndef GUESTWL_BACKEND_H
#define GUESTWL_BACKEND_H

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct gwl_server;
struct gwl_output;
struct wl_resource;

struct gwl_output_impl {
	pixman_image_t *(*begin_frame)(struct gwl_output *output, int *buffer_age);
	/* image NULL: the frame only changes the overlay plane (set_overlay). */
	void (*submit_frame)(struct gwl_output *output, pixman_image_t *image,
		const pixman_region32_t *damage);
	void (*schedule_frame)(struct gwl_output *output);
	/*
	 * Optional hardware cursor. Called whenever the cursor's image, content
	 * or position changes: image (owned by the core, valid until the next
	 * call; any pixman format, NULL = no cursor) with the output-pixel
	 * position of its top-left corner. Return true when the backend shows
	 * it on a plane (the core then leaves it out of this output's frames),
	 * false to have it drawn in software. Only used on outputs with scale 1
	 * and transform normal.
	 */
	bool (*set_cursor)(struct gwl_output *output, pixman_image_t *image, int32_t x,
		int32_t y);
	/*
	 * Optional direct scanout: show the wl_shm buffer (output-sized, in
	 * place of a composited frame) with damage in output pixels, as
	 * submit_frame() would. Return false, having done nothing, when the
	 * backend cannot; the core then composites. The backend pins the
	 * buffer (gwl_buffer_pin) while the device may still read it.
	 */
	bool (*scanout)(struct gwl_output *output, struct wl_resource *buffer,
		const pixman_region32_t *damage);
	/*
	 * Optional overlay plane above the composited frame: show the wl_shm
	 * buffer (opaque, buffer pixels = output pixels) with its top-left
	 * corner at output pixel (ox, oy), damage in buffer pixels (what changed
	 * since the buffer the plane showed last). buffer NULL turns the plane
	 * off, and always succeeds. Takes effect with the next submit_frame();
	 * return false, having done nothing, when the backend cannot show it.
	 * The backend pins the buffer while the device may still read it.
	 */
	bool (*set_overlay)(struct gwl_output *output, struct wl_resource *buffer, int32_t ox,
		int32_t oy, const pixman_region32_t *damage);
	/* Optional: the image currently on screen (screenshots); NULL if none. */
	pixman_image_t *(*front_image)(struct gwl_output *output);
	/* Called by gwl_output_destroy() before the core frees the output. */
	void (*destroy)(struct gwl_output *output);
};

struct gwl_backend;

struct gwl_backend_impl {
	const char *name;
	/* Create outputs and input devices; return false on failure. */
	bool (*start)(struct gwl_backend *backend);
	/* Destroy outputs (gwl_output_destroy) and free the backend. */
	void (*destroy)(struct gwl_backend *backend);
};

struct gwl_backend {
	const struct gwl_backend_impl *impl;
	struct gwl_server *server;
};

/* One requested output mode (command line --output). */
struct gwl_output_config {
	int32_t width, height;
	int32_t refresh_mhz; /* 0: backend default (60 Hz) */
	int32_t scale;
	int32_t transform; /* enum wl_output_transform */
};

struct gwl_backend *gwl_headless_backend_create(struct gwl_server *server,
	const struct gwl_output_config *configs, int n_configs);

/* Presentation flags are wp_presentation_feedback kind bits. */
void gwl_output_presented(struct gwl_output *output, const struct timespec *when,
	uint64_t seq, uint32_t flags);
/* The device took the frame in flight (see above). */
void gwl_output_latched(struct gwl_output *output);

#endif
