// SPDX-License-Identifier: MIT
/*
 * wl_shm. The pool and buffer objects are libwayland's, whose
 * wl_shm_buffer_begin_access()/end_access() guard every read: a fault on
 * a pool the client truncated maps zero pages instead of killing us, and
 * the client gets an error. A committed buffer is shown in place, as
 * weston's and wlroots' pixman renderers do: the surface's image points
 * into the pool (referenced, so a resize cannot move it) and the buffer is
 * released when another one replaces it. That saves a copy of every
 * frame. Rows pixman cannot read in place (not 32-bit aligned) are copied
 * instead and the buffer released at once.
 */
#include <stdlib.h>
#include <string.h>
#include <wayland-server-protocol.h>

#include "guestwl/log.h"
#include "guestwl/server.h"
#include "guestwl/surface.h"

static const struct {
	uint32_t shm;
	pixman_format_code_t pixman;
} formats[] = {
	{ WL_SHM_FORMAT_ARGB8888, PIXMAN_a8r8g8b8 },
	{ WL_SHM_FORMAT_XRGB8888, PIXMAN_x8r8g8b8 },
	{ WL_SHM_FORMAT_ABGR8888, PIXMAN_a8b8g8r8 },
	{ WL_SHM_FORMAT_XBGR8888, PIXMAN_x8b8g8r8 },
	{ WL_SHM_FORMAT_RGBA8888, PIXMAN_r8g8b8a8 },
	{ WL_SHM_FORMAT_RGBX8888, PIXMAN_r8g8b8x8 },
	{ WL_SHM_FORMAT_BGRA8888, PIXMAN_b8g8r8a8 },
	{ WL_SHM_FORMAT_BGRX8888, PIXMAN_b8g8r8x8 },
	{ WL_SHM_FORMAT_RGB565, PIXMAN_r5g6b5 },
	{ WL_SHM_FORMAT_BGR565, PIXMAN_b5g6r5 },
	{ WL_SHM_FORMAT_RGB888, PIXMAN_r8g8b8 },
	{ WL_SHM_FORMAT_BGR888, PIXMAN_b8g8r8 },
	{ WL_SHM_FORMAT_ARGB2101010, PIXMAN_a2r10g10b10 },
	{ WL_SHM_FORMAT_XRGB2101010, PIXMAN_x2r10g10b10 },
	{ WL_SHM_FORMAT_ABGR2101010, PIXMAN_a2b10g10r10 },
	{ WL_SHM_FORMAT_XBGR2101010, PIXMAN_x2b10g10r10 },
	{ WL_SHM_FORMAT_ARGB1555, PIXMAN_a1r5g5b5 },
	{ WL_SHM_FORMAT_XRGB1555, PIXMAN_x1r5g5b5 },
	{ WL_SHM_FORMAT_ABGR1555, PIXMAN_a1b5g5r5 },
	{ WL_SHM_FORMAT_XBGR1555, PIXMAN_x1b5g5r5 },
	{ WL_SHM_FORMAT_ARGB4444, PIXMAN_a4r4g4b4 },
	{ WL_SHM_FORMAT_XRGB4444, PIXMAN_x4r4g4b4 },
	{ WL_SHM_FORMAT_ABGR4444, PIXMAN_a4b4g4r4 },
	{ WL_SHM_FORMAT_XBGR4444, PIXMAN_x4b4g4r4 },
	{ WL_SHM_FORMAT_RGB332, PIXMAN_r3g3b2 },
	{ WL_SHM_FORMAT_BGR233, PIXMAN_b2g3r3 },
};

static pixman_format_code_t shm_to_pixman(uint32_t format)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (formats[i].shm == format)
			return formats[i].pixman;
	}
	return 0;
}

/*
 * libwayland's wl_shm_pool.create_buffer checks only offset + stride * height
 * against the pool size. A protocol logger sees each request before it is
 * dispatched: a stride shorter than one row of pixels is refused there with
 * the invalid_stride error the protocol asks for.
 */
#define SHM_POOL_CREATE_BUFFER 0 /* request opcode */

struct stride_check {
	struct wl_protocol_logger *logger;
	struct wl_listener server_destroy;
};

static void check_create_buffer(void *data, enum wl_protocol_logger_type type,
	const struct wl_protocol_logger_message *m)
{
	if (type != WL_PROTOCOL_LOGGER_REQUEST ||
		m->message_opcode != SHM_POOL_CREATE_BUFFER || m->arguments_count < 6 ||
		strcmp(wl_resource_get_class(m->resource), "wl_shm_pool") != 0)
		return;
	int32_t width = m->arguments[2].i, stride = m->arguments[4].i;
	pixman_format_code_t pf = shm_to_pixman(m->arguments[5].u);
	int bytes = pf ? PIXMAN_FORMAT_BPP(pf) / 8 : 0;
	if (bytes > 0 && width > 0 && stride > 0 && stride / bytes < width)
		wl_resource_post_error(m->resource, WL_SHM_ERROR_INVALID_STRIDE,
			"stride %d too small for width %d", stride, width);
}

static void stride_check_destroy(struct wl_listener *listener, void *data)
{
	struct stride_check *c = wl_container_of(listener, c, server_destroy);
	wl_protocol_logger_destroy(c->logger);
	wl_list_remove(&c->server_destroy.link);
	free(c);
}

bool gwl_shm_init(struct gwl_server *server)
{
	if (wl_display_init_shm(server->display) != 0)
		return false;
	struct stride_check *c = calloc(1, sizeof(*c));
	if (!c)
		return false;
	c->logger = wl_display_add_protocol_logger(server->display, check_create_buffer, c);
	if (!c->logger) {
		free(c);
		return false;
	}
	c->server_destroy.notify = stride_check_destroy;
	wl_signal_add(&server->destroy_signal, &c->server_destroy);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		/* ARGB8888 and XRGB8888 are always advertised by libwayland. */
		if (formats[i].shm > WL_SHM_FORMAT_XRGB8888 &&
			!wl_display_add_shm_format(server->display, formats[i].shm))
			return false;
	}
	return true;
}

/* Copy the boxes of region from src (any stride) into the image. */
static void copy_region(pixman_image_t *image, const uint8_t *src, int32_t src_stride,
	int bpp, const pixman_region32_t *region)
{
	uint8_t *dst = (uint8_t *)pixman_image_get_data(image);
	int32_t dst_stride = pixman_image_get_stride(image);
	int n;
	const pixman_box32_t *b = pixman_region32_rectangles((pixman_region32_t *)region, &n);
	for (int i = 0; i < n; i++) {
		size_t off = (size_t)b[i].x1 * bpp / 8;
		size_t len = (size_t)(b[i].x2 - b[i].x1) * bpp / 8;
		for (int32_t y = b[i].y1; y < b[i].y2; y++)
			memcpy(dst + (size_t)y * dst_stride + off,
				src + (size_t)y * src_stride + off, len);
	}
}

static struct wl_shm_buffer *held_shm(const struct gwl_surface *surface)
{
	return surface && surface->hold.buffer ? wl_shm_buffer_get(surface->hold.buffer) :
		NULL;
}

void gwl_surface_begin_access(struct gwl_surface *surface)
{
	struct wl_shm_buffer *shm = held_shm(surface);
	if (shm)
		wl_shm_buffer_begin_access(shm);
}

void gwl_surface_end_access(struct gwl_surface *surface)
{
	struct wl_shm_buffer *shm = held_shm(surface);
	if (shm)
		wl_shm_buffer_end_access(shm);
}

static void drop_hold(struct gwl_surface *surface)
{
	wl_list_remove(&surface->hold.destroy.link);
	wl_shm_pool_unref(surface->hold.pool);
	surface->hold = (struct gwl_buffer_hold){ 0 };
}

void gwl_surface_release_hold(struct gwl_surface *surface)
{
	if (!surface || !surface->hold.buffer)
		return;
	struct wl_resource *buffer = surface->hold.buffer;
	drop_hold(surface);
	gwl_buffer_release_later(surface->server, buffer);
}

/* The client destroyed the buffer before its release: keep the pixels. */
static void hold_buffer_destroy(struct wl_listener *listener, void *data)
{
	struct gwl_surface *s = wl_container_of(listener, s, hold.destroy);
	pixman_image_t *image = s->image;
	pixman_image_t *copy = pixman_image_create_bits_no_clear(pixman_image_get_format(image),
		s->buffer_w, s->buffer_h, NULL, 0);
	if (copy) {
		gwl_surface_begin_access(s);
		pixman_image_composite32(PIXMAN_OP_SRC, image, NULL, copy, 0, 0, 0, 0, 0, 0,
			s->buffer_w, s->buffer_h);
		gwl_surface_end_access(s);
	} else {
		gwl_log(GWL_ERROR, "out of memory: wl_surface@%u lost its content",
			wl_resource_get_id(s->resource));
		s->buffer_w = s->buffer_h = 0;
	}
	drop_hold(s);
	pixman_image_unref(image);
	s->image = copy;
}

/* Show the buffer in place: pixman needs 32-bit aligned rows. */
static enum gwl_upload hold_buffer(struct gwl_surface *surface, struct wl_resource *buffer,
	struct wl_shm_buffer *shm, pixman_format_code_t pf)
{
	if (surface->hold.buffer == buffer)
		return GWL_UPLOAD_HELD; /* attached again: still the same pixels */
	int32_t w = wl_shm_buffer_get_width(shm), h = wl_shm_buffer_get_height(shm);
	pixman_image_t *image = pixman_image_create_bits_no_clear(pf, w, h,
		wl_shm_buffer_get_data(shm), wl_shm_buffer_get_stride(shm));
	if (!image) {
		wl_resource_post_no_memory(surface->resource);
		return GWL_UPLOAD_FAILED;
	}
	gwl_surface_release_hold(surface);
	gwl_buffer_cancel_release(surface->server, buffer); /* shown again */
	if (surface->image)
		pixman_image_unref(surface->image);
	surface->image = image;
	surface->hold.buffer = buffer;
	surface->hold.pool = wl_shm_buffer_ref_pool(shm);
	surface->hold.destroy.notify = hold_buffer_destroy;
	wl_resource_add_destroy_listener(buffer, &surface->hold.destroy);
	return GWL_UPLOAD_HELD;
}

/* Copy the damaged part of the buffer into the surface's own image. */
static enum gwl_upload copy_buffer(struct gwl_surface *surface, struct wl_shm_buffer *shm,
	pixman_format_code_t pf, const pixman_region32_t *damage)
{
	int32_t w = wl_shm_buffer_get_width(shm), h = wl_shm_buffer_get_height(shm);
	pixman_region32_t region;
	pixman_region32_init_rect(&region, 0, 0, w, h);
	bool reuse = !surface->hold.buffer && surface->image &&
		pixman_image_get_format(surface->image) == pf &&
		surface->buffer_w == w && surface->buffer_h == h;
	gwl_surface_release_hold(surface);
	if (reuse) {
		pixman_region32_intersect(&region, &region, (pixman_region32_t *)damage);
	} else {
		if (surface->image)
			pixman_image_unref(surface->image);
		surface->image = pixman_image_create_bits_no_clear(pf, w, h, NULL, 0);
		if (!surface->image) {
			pixman_region32_fini(&region);
			surface->buffer_w = surface->buffer_h = 0;
			wl_resource_post_no_memory(surface->resource);
			return GWL_UPLOAD_FAILED;
		}
	}
	wl_shm_buffer_begin_access(shm);
	copy_region(surface->image, wl_shm_buffer_get_data(shm), wl_shm_buffer_get_stride(shm),
		PIXMAN_FORMAT_BPP(pf), &region);
	wl_shm_buffer_end_access(shm);
	pixman_region32_fini(&region);
	return GWL_UPLOAD_COPIED;
}

enum gwl_upload gwl_shm_buffer_upload(struct gwl_surface *surface,
	struct wl_resource *buffer, const pixman_region32_t *damage)
{
	struct wl_shm_buffer *shm = wl_shm_buffer_get(buffer);
	pixman_format_code_t pf = shm_to_pixman(wl_shm_buffer_get_format(shm));
	int32_t w = wl_shm_buffer_get_width(shm), h = wl_shm_buffer_get_height(shm);
	int32_t stride = wl_shm_buffer_get_stride(shm);
	int bpp = PIXMAN_FORMAT_BPP(pf);
	if (!pf || w <= 0 || h <= 0 || bpp % 8 != 0) {
		wl_resource_post_error(buffer, WL_SHM_ERROR_INVALID_FORMAT,
			"unsupported wl_shm buffer format");
		return GWL_UPLOAD_FAILED;
	}
	/* libwayland only checks stride * height against the pool size. */
	if (stride / (bpp / 8) < w) {
		wl_resource_post_error(buffer, WL_SHM_ERROR_INVALID_STRIDE,
			"stride %d too small for width %d", stride, w);
		return GWL_UPLOAD_FAILED;
	}
	bool aligned = stride % 4 == 0 && (uintptr_t)wl_shm_buffer_get_data(shm) % 4 == 0;
	enum gwl_upload r = aligned ? hold_buffer(surface, buffer, shm, pf) :
		copy_buffer(surface, shm, pf, damage);
	if (r != GWL_UPLOAD_FAILED) {
		surface->buffer_w = w;
		surface->buffer_h = h;
		surface->opaque_format = PIXMAN_FORMAT_A(pf) == 0;
	}
	return r;
}

bool gwl_buffer_size(struct wl_resource *buffer, int32_t *width, int32_t *height)
{
	struct wl_shm_buffer *shm = wl_shm_buffer_get(buffer);
	if (shm) {
		*width = wl_shm_buffer_get_width(shm);
		*height = wl_shm_buffer_get_height(shm);
		return true;
	}
	*width = *height = 1; /* single-pixel buffers */
	return true;
}

enum gwl_upload gwl_buffer_upload(struct gwl_surface *surface, struct wl_resource *buffer,
	const pixman_region32_t *damage)
{
	if (wl_shm_buffer_get(buffer))
		return gwl_shm_buffer_upload(surface, buffer, damage);
	if (gwl_single_pixel_buffer_upload(surface, buffer))
		return GWL_UPLOAD_COPIED;
	wl_resource_post_error(surface->resource, WL_DISPLAY_ERROR_INVALID_OBJECT,
		"wl_buffer@%u is of a kind this compositor cannot read",
		wl_resource_get_id(buffer));
	return GWL_UPLOAD_FAILED;
}
