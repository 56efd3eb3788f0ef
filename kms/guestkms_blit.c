// SPDX-License-Identifier: GPL-2.0
/*
 * guestkms: composition of the primary, overlay and cursor planes into the
 * VRAM scanout, line by line, with conversion into the device's format.
 *
 * The framebuffers live in shmem or pinned user memory (cached system
 * memory). Only the rectangles the core passes in are written to VRAM, so
 * QEMU's dirty tracking redraws only what changed.
 */
#include <linux/crc32.h>
#include <linux/io.h>
#include <linux/string.h>

#include <asm/unaligned.h>

#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_rect.h>

#include "guestkms.h"

/*
 * Copies to and from VRAM with 64-bit accesses, eight to an iteration.
 * memcpy_toio() is memcpy() on x86, which uses "rep movsb" on CPUs with
 * ERMS; QEMU's TCG emulates that one byte per iteration, slower than a loop
 * of 8-byte moves (about 340 against 560 MB/s into VRAM in loaded TCG
 * guests). TCG also pays for every loop iteration (one translated block
 * and its exit check each), so the loops move a 64-byte line at a time:
 * 20 % faster copies of full frames into VRAM than one move an iteration.
 */
#define GUESTKMS_LINE 64

static void guestkms_toio(void __iomem *dst, const void *src, size_t n)
{
#ifdef CONFIG_64BIT
	const u8 *s = src;
	unsigned int i;

	for (; n >= GUESTKMS_LINE; n -= GUESTKMS_LINE, s += GUESTKMS_LINE,
	     dst += GUESTKMS_LINE) {
#pragma GCC unroll 8
		for (i = 0; i < GUESTKMS_LINE; i += 8)
			__raw_writeq(get_unaligned((const u64 *)(s + i)), dst + i);
	}
	for (; n >= 8; n -= 8, s += 8, dst += 8)
		__raw_writeq(get_unaligned((const u64 *)s), dst);
	src = s;
#endif
	/* out of line on x86 (and a cc_platform_has() call): skip it for 0 */
	if (n)
		memcpy_toio(dst, src, n);
}

static void guestkms_fromio(void *dst, const void __iomem *src, size_t n)
{
#ifdef CONFIG_64BIT
	u8 *d = dst;
	unsigned int i;

	for (; n >= GUESTKMS_LINE; n -= GUESTKMS_LINE, d += GUESTKMS_LINE,
	     src += GUESTKMS_LINE) {
#pragma GCC unroll 8
		for (i = 0; i < GUESTKMS_LINE; i += 8)
			put_unaligned(__raw_readq(src + i), (u64 *)(d + i));
	}
	for (; n >= 8; n -= 8, d += 8, src += 8)
		put_unaligned(__raw_readq(src), (u64 *)d);
	dst = d;
#endif
	if (n)
		memcpy_fromio(dst, src, n);
}

/* A plane as a source of pixels in CRTC coordinates. */
struct guestkms_layer {
	bool on;		/* visible and mapped; nothing else is valid if not */
	bool opaque;		/* its pixels replace what is below */
	bool direct;		/* opaque and already in the scanout's format */
	const u8 *origin;	/* pixel shown at (dst.x1, dst.y1) */
	unsigned int pitch;
	unsigned int cpp;
	u32 format;
	struct drm_rect dst;
};

/* RAM to RAM with 64-bit moves, for the reasons given at guestkms_toio(). */
static void guestkms_copy(void *dst, const void *src, size_t n)
{
#ifdef CONFIG_64BIT
	const u8 *s = src;
	u8 *d = dst;
	unsigned int i;

	for (; n >= GUESTKMS_LINE; n -= GUESTKMS_LINE, s += GUESTKMS_LINE,
	     d += GUESTKMS_LINE) {
#pragma GCC unroll 8
		for (i = 0; i < GUESTKMS_LINE; i += 8)
			put_unaligned(get_unaligned((const u64 *)(s + i)),
				      (u64 *)(d + i));
	}
	for (; n >= 8; n -= 8, s += 8, d += 8)
		put_unaligned(get_unaligned((const u64 *)s), (u64 *)d);
	src = s;
	dst = d;
#endif
	if (n)
		memcpy(dst, src, n);
}

/*
 * Fill @l from the current state of @plane. The primary plane's alpha is
 * ignored; the others' alpha formats blend.
 */
static void guestkms_layer_get(struct guestkms_device *gdev,
			       struct drm_plane *plane,
			       struct guestkms_layer *l)
{
	struct drm_plane_state *st = plane->state;
	struct drm_shadow_plane_state *shadow;
	struct drm_framebuffer *fb;

	memset(l, 0, sizeof(*l));
	if (!st || !st->visible || !st->fb)
		return;
	shadow = to_drm_shadow_plane_state(st);
	fb = st->fb;
	if (shadow->data[0].is_iomem || !shadow->data[0].vaddr)
		return;

	l->on = true;
	l->pitch = fb->pitches[0];
	l->cpp = fb->format->cpp[0];
	l->format = fb->format->format;
	l->opaque = plane->type == DRM_PLANE_TYPE_PRIMARY ||
		    !fb->format->has_alpha;
	l->direct = l->opaque && gdev->active.format == DRM_FORMAT_XRGB8888 &&
		    (l->format == DRM_FORMAT_XRGB8888 ||
		     l->format == DRM_FORMAT_ARGB8888);
	l->dst = st->dst;
	l->origin = (const u8 *)shadow->data[0].vaddr +
		    (size_t)(st->src.y1 >> 16) * l->pitch +
		    (size_t)(st->src.x1 >> 16) * l->cpp;
}

static const u8 *guestkms_layer_px(const struct guestkms_layer *l, int x, int y)
{
	return l->origin + (size_t)(y - l->dst.y1) * l->pitch +
	       (size_t)(x - l->dst.x1) * l->cpp;
}

/* The part [*x1, *x2) of columns [x1, x2) of row @y that @l covers. */
static bool guestkms_layer_span(const struct guestkms_layer *l, int y,
				int x1, int x2, int *sx1, int *sx2)
{
	if (!l->on || y < l->dst.y1 || y >= l->dst.y2)
		return false;
	*sx1 = max(x1, l->dst.x1);
	*sx2 = min(x2, l->dst.x2);
	return *sx1 < *sx2;
}

static bool guestkms_layer_covers(const struct guestkms_layer *l, int y,
				  int x1, int x2)
{
	int sx1, sx2;

	return guestkms_layer_span(l, y, x1, x2, &sx1, &sx2) &&
	       sx1 == x1 && sx2 == x2;
}

static u32 guestkms_rgb565_to_xrgb(u16 v)
{
	u32 r = (v >> 11) & 0x1f, g = (v >> 5) & 0x3f, b = v & 0x1f;

	r = (r << 3) | (r >> 2);
	g = (g << 2) | (g >> 4);
	b = (b << 3) | (b >> 2);
	return 0xff000000 | (r << 16) | (g << 8) | b;
}

static u32 guestkms_swap_rb(u32 v)
{
	return (v & 0xff00ff00) | ((v >> 16) & 0xff) | ((v & 0xff) << 16);
}

/* Read @n pixels starting at CRTC (x, y) of @l as XRGB8888, alpha kept. */
static void guestkms_fetch(const struct guestkms_layer *l, int x, int y,
			   unsigned int n, u32 *out)
{
	const u8 *src = guestkms_layer_px(l, x, y);
	unsigned int i;

	switch (l->format) {
	case DRM_FORMAT_XRGB8888:
	case DRM_FORMAT_ARGB8888:
		guestkms_copy(out, src, n * 4);
		break;
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ABGR8888:
		for (i = 0; i < n; i++)
			out[i] = guestkms_swap_rb(get_unaligned_le32(src + 4 * i));
		break;
	case DRM_FORMAT_RGB565:
		for (i = 0; i < n; i++)
			out[i] = guestkms_rgb565_to_xrgb(get_unaligned_le16(src + 2 * i));
		break;
	case DRM_FORMAT_RGB888:
		for (i = 0; i < n; i++, src += 3)
			out[i] = 0xff000000 | (src[2] << 16) | (src[1] << 8) | src[0];
		break;
	default:
		memset32(out, 0, n);
		break;
	}
}

/* Pre-multiplied "over": s on top of d. */
static u32 guestkms_over(u32 d, u32 s)
{
	u32 a = s >> 24, inv = 255 - a, res = 0;
	unsigned int shift;

	if (a == 255)
		return s;
	if (a == 0)
		return d;
	for (shift = 0; shift < 24; shift += 8) {
		u32 t = ((d >> shift) & 0xff) * inv + 128;
		u32 c = ((s >> shift) & 0xff) + ((t + (t >> 8)) >> 8);

		res |= min_t(u32, c, 255) << shift;
	}
	return res;
}

/* Draw row @y of @l into @line, which holds columns [x1, x2). */
static void guestkms_layer_draw(struct guestkms_device *gdev,
				const struct guestkms_layer *l, int y,
				int x1, int x2, u32 *line)
{
	unsigned int i, n;
	int sx1, sx2;
	u32 *out;

	if (!guestkms_layer_span(l, y, x1, x2, &sx1, &sx2))
		return;
	n = sx2 - sx1;
	out = line + (sx1 - x1);
	if (l->opaque) {
		guestkms_fetch(l, sx1, y, n, out);
		return;
	}
	guestkms_fetch(l, sx1, y, n, gdev->fetch);
	for (i = 0; i < n; i++)
		out[i] = guestkms_over(out[i], gdev->fetch[i]);
}

static void __iomem *guestkms_vram_px(struct guestkms_device *gdev, int x,
				      int y)
{
	const struct guestkms_scanout *so = &gdev->active;

	return gdev->vram + (size_t)y * so->pitch + (size_t)x * so->cpp;
}

static void guestkms_write_line(struct guestkms_device *gdev,
				void __iomem *dst, const u32 *line,
				unsigned int n)
{
	u8 *conv = gdev->conv;
	unsigned int i;

	switch (gdev->active.format) {
	case DRM_FORMAT_RGB565:
		for (i = 0; i < n; i++) {
			u32 p = line[i];
			u16 v = ((p >> 8) & 0xf800) | ((p >> 5) & 0x07e0) |
				((p >> 3) & 0x001f);

			put_unaligned_le16(v, conv + 2 * i);
		}
		guestkms_toio(dst, conv, n * 2);
		break;
	case DRM_FORMAT_RGB888:
		for (i = 0; i < n; i++) {
			conv[3 * i] = line[i];
			conv[3 * i + 1] = line[i] >> 8;
			conv[3 * i + 2] = line[i] >> 16;
		}
		guestkms_toio(dst, conv, n * 3);
		break;
	default:
		guestkms_toio(dst, line, n * 4);
		break;
	}
}

/*
 * Compose columns [x1, x2) of row @y through the line buffer: from the
 * highest layer that covers them opaquely (black if none), upwards.
 */
static void guestkms_blend_run(struct guestkms_device *gdev,
			       const struct guestkms_layer *ly, int y,
			       int x1, int x2)
{
	unsigned int n = x2 - x1;
	int i, base;

	if (x1 >= x2)
		return;
	for (base = GUESTKMS_NUM_PLANES - 1; base >= 0; base--)
		if (guestkms_layer_covers(&ly[base], y, x1, x2) &&
		    ly[base].opaque)
			break;
	if (base < 0) {
		memset32(gdev->line, 0, n);
		base = 0;
	}
	for (i = base; i < GUESTKMS_NUM_PLANES; i++)
		guestkms_layer_draw(gdev, &ly[i], y, x1, x2, gdev->line);
	guestkms_write_line(gdev, guestkms_vram_px(gdev, x1, y), gdev->line, n);
}

/*
 * The layer whose pixels columns [x1, x2) of row @y show unchanged, or
 * NULL when they need the line buffer. The run lies within or outside of
 * each layer (see guestkms_line_cuts()).
 */
static const struct guestkms_layer *
guestkms_run_source(const struct guestkms_layer *ly, int y, int x1, int x2)
{
	int i, sx1, sx2;

	for (i = GUESTKMS_NUM_PLANES - 1; i >= 0; i--)
		if (guestkms_layer_span(&ly[i], y, x1, x2, &sx1, &sx2))
			return ly[i].direct ? &ly[i] : NULL;
	return NULL;
}

/*
 * Cut columns [x1, x2) of row @y at the layers' edges: @cut gets the
 * sorted distinct columns, x1 first and x2 last; returns their number.
 */
static unsigned int guestkms_line_cuts(const struct guestkms_layer *ly,
				       int y, int x1, int x2, int *cut)
{
	unsigned int n = 0, i, j, k;
	int c[2 * GUESTKMS_NUM_PLANES], sx1, sx2, v;

	for (i = 0; i < GUESTKMS_NUM_PLANES; i++) {
		if (!guestkms_layer_span(&ly[i], y, x1, x2, &sx1, &sx2))
			continue;
		c[n++] = sx1;
		c[n++] = sx2;
	}
	cut[0] = x1;
	j = 1;
	for (k = 0; k < n; k++) {
		/* the smallest edge past the last cut */
		v = x2;
		for (i = 0; i < n; i++)
			if (c[i] > cut[j - 1] && c[i] < v)
				v = c[i];
		if (v == x2)
			break;
		cut[j++] = v;
	}
	cut[j++] = x2;
	return j;
}

/*
 * Compose columns [x1, x2) of row @y: runs that one layer shows unchanged
 * (XRGB8888 scanout, primary left part, overlay middle, primary right
 * part...) are plain copies from the framebuffer, the rest goes through
 * the line buffer.
 */
static void guestkms_compose_line(struct guestkms_device *gdev,
				  const struct guestkms_layer *ly, int y,
				  int x1, int x2)
{
	int cut[2 * GUESTKMS_NUM_PLANES + 2];
	const struct guestkms_layer *src;
	unsigned int n, i;
	int pending = x1;	/* start of the run waiting for the line buffer */

	n = guestkms_line_cuts(ly, y, x1, x2, cut);
	for (i = 0; i + 1 < n; i++) {
		src = guestkms_run_source(ly, y, cut[i], cut[i + 1]);
		if (!src)
			continue;
		if (pending < cut[i])
			guestkms_blend_run(gdev, ly, y, pending, cut[i]);
		guestkms_toio(guestkms_vram_px(gdev, cut[i], y),
			      guestkms_layer_px(src, cut[i], y),
			      (size_t)(cut[i + 1] - cut[i]) * 4);
		pending = cut[i + 1];
	}
	if (pending < x2)
		guestkms_blend_run(gdev, ly, y, pending, x2);
}

/**
 * guestkms_compose_rect - redraw one rectangle of the scanout
 * @gdev: the device; caller holds scanout_lock and a drm_dev_enter section
 * @rect: the rectangle in CRTC coordinates, clipped here to the mode
 *
 * Uses the current states of the primary, overlay and cursor planes.
 */
void guestkms_compose_rect(struct guestkms_device *gdev,
			   const struct drm_rect *rect)
{
	const struct guestkms_scanout *so = &gdev->active;
	struct guestkms_layer ly[GUESTKMS_NUM_PLANES];
	struct drm_rect r = *rect;
	struct drm_rect screen;
	int y;

	if (!gdev->active_valid)
		return;
	drm_rect_init(&screen, 0, 0, so->width, so->height);
	if (!drm_rect_intersect(&r, &screen))
		return;

	guestkms_layer_get(gdev, &gdev->primary, &ly[GUESTKMS_ZPOS_PRIMARY]);
	guestkms_layer_get(gdev, &gdev->overlay, &ly[GUESTKMS_ZPOS_OVERLAY]);
	guestkms_layer_get(gdev, &gdev->cursor, &ly[GUESTKMS_ZPOS_CURSOR]);
	for (y = r.y1; y < r.y2; y++)
		guestkms_compose_line(gdev, ly, y, r.x1, r.x2);

	atomic64_add((u64)drm_rect_width(&r) * drm_rect_height(&r) * so->cpp,
		     &gdev->stats.bytes_to_vram);
	atomic64_inc(&gdev->stats.rects_to_vram);
}

/**
 * guestkms_scanout_crc - CRC32 of the visible scanout as stored in VRAM
 * @gdev: the device; caller holds scanout_lock and a drm_dev_enter section
 *
 * The padding byte of 32 bpp pixels is not displayed and is ignored.
 */
u32 guestkms_scanout_crc(struct guestkms_device *gdev)
{
	const struct guestkms_scanout *so = &gdev->active;
	unsigned int y, i, len;
	u32 crc = ~0U;

	if (!gdev->active_valid)
		return 0;
	len = so->width * so->cpp;
	for (y = 0; y < so->height; y++) {
		guestkms_fromio(gdev->line,
				gdev->vram + (size_t)y * so->pitch, len);
		if (so->cpp == 4)
			for (i = 0; i < so->width; i++)
				gdev->line[i] &= 0x00ffffff;
		crc = crc32_le(crc, (const u8 *)gdev->line, len);
	}
	return ~crc;
}

int guestkms_blit_init(struct guestkms_device *gdev)
{
	size_t len = (size_t)GUESTKMS_MAX_FB_DIM * 4;

	gdev->line = drmm_kmalloc(&gdev->drm, len, GFP_KERNEL);
	gdev->fetch = drmm_kmalloc(&gdev->drm, len, GFP_KERNEL);
	gdev->conv = drmm_kmalloc(&gdev->drm, len, GFP_KERNEL);
	if (!gdev->line || !gdev->fetch || !gdev->conv)
		return -ENOMEM;
	return 0;
}
