// SPDX-License-Identifier: MIT
/* kmstest: dumb framebuffers and RGB images. */
#include "kmstest.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static uint32_t kt_format_cpp(uint32_t format)
{
	switch (format) {
	case DRM_FORMAT_XRGB8888:
	case DRM_FORMAT_ARGB8888:
		return 4;
	case DRM_FORMAT_RGB565:
		return 2;
	default:
		return 0;
	}
}

int kt_fb_create(struct kt *kt, struct kt_fb *fb, uint32_t w, uint32_t h,
		 uint32_t format)
{
	struct drm_mode_create_dumb cd = { 0 };
	struct drm_mode_map_dumb md = { 0 };
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	void *map;

	memset(fb, 0, sizeof(*fb));
	fb->cpp = kt_format_cpp(format);
	if (!fb->cpp)
		return kt_fail(kt, "kt_fb_create: unknown format %08x", format);
	cd.width = w;
	cd.height = h;
	cd.bpp = fb->cpp * 8;
	if (drmIoctl(kt->fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd))
		return kt_fail(kt, "CREATE_DUMB %ux%u: %s", w, h, strerror(errno));
	fb->handle = cd.handle;
	fb->pitch = cd.pitch;
	fb->size = cd.size;
	fb->w = w;
	fb->h = h;
	fb->format = format;
	handles[0] = cd.handle;
	pitches[0] = cd.pitch;
	if (drmModeAddFB2(kt->fd, w, h, format, handles, pitches, offsets,
			  &fb->fb_id, 0)) {
		int e = errno;

		kt_fb_destroy(kt, fb);
		return kt_fail(kt, "ADDFB2 %ux%u: %s", w, h, strerror(e));
	}
	md.handle = cd.handle;
	if (drmIoctl(kt->fd, DRM_IOCTL_MODE_MAP_DUMB, &md)) {
		int e = errno;

		kt_fb_destroy(kt, fb);
		return kt_fail(kt, "MAP_DUMB: %s", strerror(e));
	}
	map = mmap(NULL, cd.size, PROT_READ | PROT_WRITE, MAP_SHARED, kt->fd,
		   (off_t)md.offset);
	if (map == MAP_FAILED) {
		int e = errno;

		kt_fb_destroy(kt, fb);
		return kt_fail(kt, "mmap dumb: %s", strerror(e));
	}
	fb->map = map;
	return KT_PASS;
}

void kt_fb_destroy(struct kt *kt, struct kt_fb *fb)
{
	struct drm_mode_destroy_dumb dd = { .handle = fb->handle };

	if (fb->map)
		munmap(fb->map, fb->size);
	if (fb->fb_id)
		drmModeRmFB(kt->fd, fb->fb_id);
	if (fb->handle)
		drmIoctl(kt->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	memset(fb, 0, sizeof(*fb));
}

static uint16_t kt_to565(uint32_t argb)
{
	return (uint16_t)(((argb >> 8) & 0xf800) | ((argb >> 5) & 0x07e0) |
			  ((argb >> 3) & 0x001f));
}

void kt_fb_put(struct kt_fb *fb, unsigned int x, unsigned int y, uint32_t argb)
{
	uint8_t *p = fb->map + (size_t)y * fb->pitch + (size_t)x * fb->cpp;

	if (fb->cpp == 4) {
		memcpy(p, &argb, 4);
	} else {
		uint16_t v = kt_to565(argb);

		memcpy(p, &v, 2);
	}
}

void kt_fb_fill(struct kt_fb *fb, unsigned int x, unsigned int y,
		unsigned int w, unsigned int h, uint32_t argb)
{
	for (unsigned int j = y; j < y + h && j < fb->h; j++) {
		if (fb->cpp == 4) {
			uint32_t *row = (uint32_t *)(void *)(fb->map + (size_t)j * fb->pitch);

			for (unsigned int i = x; i < x + w && i < fb->w; i++)
				row[i] = argb;
		} else {
			for (unsigned int i = x; i < x + w && i < fb->w; i++)
				kt_fb_put(fb, i, j, argb);
		}
	}
}

/* RGB as the screen should show it (565 expanded by bit replication). */
uint32_t kt_fb_get_rgb(const struct kt_fb *fb, unsigned int x, unsigned int y)
{
	const uint8_t *p = fb->map + (size_t)y * fb->pitch + (size_t)x * fb->cpp;
	uint32_t r, g, b;
	uint16_t v;

	if (fb->cpp == 4) {
		uint32_t px;

		memcpy(&px, p, 4);
		return px & 0xffffff;
	}
	memcpy(&v, p, 2);
	r = (v >> 11) & 0x1f;
	g = (v >> 5) & 0x3f;
	b = v & 0x1f;
	r = (r << 3) | (r >> 2);
	g = (g << 2) | (g >> 4);
	b = (b << 3) | (b >> 2);
	return (r << 16) | (g << 8) | b;
}

/*
 * A picture where every region looks different: smooth gradients (survive
 * 16 bpp conversion), a seed-dependent tint and coarse 8x8 checks, so a
 * wrong pitch, offset, swapped channels or a stale frame all show.
 */
void kt_fb_pattern(struct kt_fb *fb, uint32_t seed)
{
	for (unsigned int y = 0; y < fb->h; y++) {
		for (unsigned int x = 0; x < fb->w; x++) {
			uint32_t r = (x * 255u / (fb->w ? fb->w : 1)) & 0xff;
			uint32_t g = (y * 255u / (fb->h ? fb->h : 1)) & 0xff;
			uint32_t b = (((x >> 3) ^ (y >> 3)) & 1) ? 0xe0 : 0x20;

			b ^= seed & 0x1f;
			r ^= (seed >> 8) & 0x40;
			kt_fb_put(fb, x, y, 0xff000000u | (r << 16) | (g << 8) | b);
		}
	}
}

int kt_img_alloc(struct kt_img *img, unsigned int w, unsigned int h)
{
	img->w = w;
	img->h = h;
	size_t n = (size_t)w * h;

	img->px = calloc(n ? n : 1, sizeof(uint32_t));
	return img->px ? 0 : -ENOMEM;
}

void kt_img_free(struct kt_img *img)
{
	free(img->px);
	img->px = NULL;
	img->w = img->h = 0;
}

int kt_img_from_fb(struct kt_img *img, const struct kt_fb *fb)
{
	if (kt_img_alloc(img, fb->w, fb->h))
		return -ENOMEM;
	for (unsigned int y = 0; y < fb->h; y++)
		for (unsigned int x = 0; x < fb->w; x++)
			img->px[(size_t)y * img->w + x] = kt_fb_get_rgb(fb, x, y);
	return 0;
}

void kt_img_fill(struct kt_img *img, unsigned int x, unsigned int y,
		 unsigned int w, unsigned int h, uint32_t rgb)
{
	for (unsigned int j = y; j < y + h && j < img->h; j++)
		for (unsigned int i = x; i < x + w && i < img->w; i++)
			img->px[(size_t)j * img->w + i] = rgb & 0xffffff;
}

static uint32_t kt_blend_ch(uint32_t s, uint32_t d, uint32_t a)
{
	/* Premultiplied source (ARGB8888 in DRM is premultiplied). */
	return s + (d * (255 - a) + 127) / 255;
}

/* Composites an ARGB8888 fb (premultiplied alpha) at (x,y), clipped. */
void kt_img_blend(struct kt_img *img, const struct kt_fb *argb, int x, int y)
{
	for (unsigned int j = 0; j < argb->h; j++) {
		long dy = (long)y + j;

		if (dy < 0 || dy >= (long)img->h)
			continue;
		for (unsigned int i = 0; i < argb->w; i++) {
			long dx = (long)x + i;
			uint32_t s, *d, a, out = 0;

			if (dx < 0 || dx >= (long)img->w)
				continue;
			memcpy(&s, argb->map + (size_t)j * argb->pitch + (size_t)i * 4, 4);
			d = &img->px[(size_t)dy * img->w + (size_t)dx];
			a = s >> 24;
			for (int sh = 0; sh <= 16; sh += 8) {
				uint32_t c = kt_blend_ch((s >> sh) & 0xff,
							 (*d >> sh) & 0xff, a);

				out |= (c > 255 ? 255 : c) << sh;
			}
			*d = out;
		}
	}
}

void kt_img_put(struct kt_img *img, const struct kt_fb *fb, int x, int y)
{
	for (unsigned int j = 0; j < fb->h; j++) {
		long dy = (long)y + j;

		if (dy < 0 || dy >= (long)img->h)
			continue;
		for (unsigned int i = 0; i < fb->w; i++) {
			long dx = (long)x + i;

			if (dx >= 0 && dx < (long)img->w)
				img->px[(size_t)dy * img->w + (size_t)dx] =
					kt_fb_get_rgb(fb, i, j);
		}
	}
}
