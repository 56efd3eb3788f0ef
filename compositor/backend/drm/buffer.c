// SPDX-License-Identifier: MIT
/* Dumb buffers mapped into pixman images. */
#include <drm_fourcc.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "drm-private.h"
#include "guestwl/log.h"

pixman_format_code_t drm_format_to_pixman(uint32_t format)
{
	switch (format) {
	case DRM_FORMAT_XRGB8888: return PIXMAN_x8r8g8b8;
	case DRM_FORMAT_ARGB8888: return PIXMAN_a8r8g8b8;
	case DRM_FORMAT_RGB565: return PIXMAN_r5g6b5;
	default: return 0;
	}
}

static uint32_t format_bpp(uint32_t format)
{
	return format == DRM_FORMAT_RGB565 ? 16 : 32;
}

bool drm_fb_create(int fd, struct drm_fb *fb, int32_t w, int32_t h, uint32_t format)
{
	memset(fb, 0, sizeof(*fb));
	pixman_format_code_t pf = drm_format_to_pixman(format);
	if (!pf || w <= 0 || h <= 0)
		return false;
	struct drm_mode_create_dumb create = {
		.width = (uint32_t)w, .height = (uint32_t)h, .bpp = format_bpp(format),
	};
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) < 0) {
		gwl_log(GWL_ERROR, "drm: cannot create a %dx%d dumb buffer: %s", w, h,
			strerror(errno));
		return false;
	}
	fb->handle = create.handle;
	fb->stride = create.pitch;
	fb->size = create.size;
	fb->width = w;
	fb->height = h;
	uint32_t handles[4] = { fb->handle }, pitches[4] = { fb->stride }, offsets[4] = { 0 };
	if (drmModeAddFB2(fd, (uint32_t)w, (uint32_t)h, format, handles, pitches, offsets,
		&fb->fb_id, 0) < 0) {
		gwl_log(GWL_ERROR, "drm: ADDFB2 failed: %s", strerror(errno));
		goto fail;
	}
	struct drm_mode_map_dumb map = { .handle = fb->handle };
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map) < 0)
		goto fail;
	fb->map = mmap(NULL, fb->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)map.offset);
	if (fb->map == MAP_FAILED) {
		fb->map = NULL;
		gwl_log(GWL_ERROR, "drm: cannot map a dumb buffer: %s", strerror(errno));
		goto fail;
	}
	fb->image = pixman_image_create_bits(pf, w, h, fb->map, (int)fb->stride);
	if (!fb->image)
		goto fail;
	return true;
fail:
	drm_fb_destroy(fd, fb);
	return false;
}

void drm_fb_destroy(int fd, struct drm_fb *fb)
{
	if (fb->image)
		pixman_image_unref(fb->image);
	if (fb->map)
		munmap(fb->map, fb->size);
	if (fb->fb_id)
		drmModeRmFB(fd, fb->fb_id);
	if (fb->handle) {
		struct drm_mode_destroy_dumb destroy = { .handle = fb->handle };
		drmIoctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
	}
	memset(fb, 0, sizeof(*fb));
}
