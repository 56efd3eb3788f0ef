// SPDX-License-Identifier: MIT
/*
 * Cursor plane: the core hands over the cursor image and position
 * (gwl_output_impl.set_cursor); the image is converted into one of two
 * ARGB8888 dumb buffers (double-buffered: the driver may be reading the
 * one on screen) only when its pixels change, so pointer motion is a
 * cursor-plane-only commit and repaints nothing.
 */
#include <string.h>

#include "drm-private.h"
#include "guestwl/log.h"
#include "guestwl/output.h"

bool drm_cursor_init(struct drm_output *out)
{
	struct drm_backend *b = out->backend;
	if (!out->has_cursor)
		return true;
	int32_t w = (int32_t)b->cursor_w, h = (int32_t)b->cursor_h;
	for (int i = 0; i < DRM_CURSOR_FBS; i++) {
		if (!drm_fb_create(b->fd, &out->cursor_fbs[i], w, h, out->cursor.format)) {
			gwl_log(GWL_ERROR, "drm: CRTC %u: no cursor buffers: software cursor",
				out->crtc_id);
			for (int j = 0; j < i; j++)
				drm_fb_destroy(b->fd, &out->cursor_fbs[j]);
			out->has_cursor = false;
			return true;
		}
	}
	out->cursor_scratch = pixman_image_create_bits(PIXMAN_a8r8g8b8, w, h, NULL, 0);
	if (!out->cursor_scratch)
		out->has_cursor = false;
	return true;
}

void drm_cursor_finish(struct drm_output *out)
{
	if (out->cursor_scratch)
		pixman_image_unref(out->cursor_scratch);
	out->cursor_scratch = NULL;
}

/* Convert image into the scratch buffer; true when it differs from the
 * buffer on the plane (then it is copied into the other buffer). */
static bool load_image(struct drm_output *out, pixman_image_t *image)
{
	pixman_image_t *s = out->cursor_scratch;
	int w = pixman_image_get_width(s), h = pixman_image_get_height(s);
	int iw = pixman_image_get_width(image), ih = pixman_image_get_height(image);
	pixman_color_t clear = { 0, 0, 0, 0 };
	pixman_box32_t all = { 0, 0, w, h };
	pixman_image_fill_boxes(PIXMAN_OP_SRC, s, &clear, 1, &all);
	pixman_image_composite32(PIXMAN_OP_SRC, image, NULL, s, 0, 0, 0, 0, 0, 0, iw, ih);
	struct drm_fb *cur = &out->cursor_fbs[out->cursor_cur];
	const uint8_t *src = (const uint8_t *)pixman_image_get_data(s);
	int sstride = pixman_image_get_stride(s);
	bool same = out->cursor_loaded;
	for (int y = 0; same && y < h; y++)
		same = memcmp((uint8_t *)cur->map + (size_t)y * cur->stride,
			src + (size_t)y * sstride, (size_t)w * 4) == 0;
	if (same)
		return false;
	int next = out->cursor_loaded ? out->cursor_cur ^ 1 : out->cursor_cur;
	struct drm_fb *fb = &out->cursor_fbs[next];
	for (int y = 0; y < h; y++)
		memcpy((uint8_t *)fb->map + (size_t)y * fb->stride, src + (size_t)y * sstride,
			(size_t)w * 4);
	out->cursor_cur = next;
	out->cursor_loaded = true;
	return true;
}

bool drm_cursor_set(struct gwl_output *output, pixman_image_t *image, int32_t x, int32_t y)
{
	struct drm_output *out = output->backend_data;
	if (!out->has_cursor || out->dead)
		return false;
	bool on = image != NULL;
	if (image && (pixman_image_get_width(image) > pixman_image_get_width(out->cursor_scratch) ||
		pixman_image_get_height(image) > pixman_image_get_height(out->cursor_scratch)))
		on = false; /* too big for the plane: software, plane off */
	bool changed = on != out->cursor_on;
	if (on) {
		changed |= load_image(out, image);
		changed |= x != out->cursor_x || y != out->cursor_y;
		out->cursor_x = x;
		out->cursor_y = y;
	}
	out->cursor_on = on;
	if (changed) {
		out->cursor_dirty = true;
		drm_output_cursor_commit(out);
	}
	return on || !image;
}
