// SPDX-License-Identifier: MIT
/*
 * kmstest: bad input to dumb buffers and framebuffers. Each case must fail
 * with a clear errno, and the display must work afterwards.
 */
#include "kmstest.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Checks that a call failed with e1 or e2 (0: only e1). */
static int kt_want_err(struct kt *kt, int rc, int err, int e1, int e2,
		       const char *what)
{
	KT_CHECK(kt, rc, "%s succeeded, want %s", what, strerror(e1));
	KT_CHECK(kt, err == e1 || (e2 && err == e2), "%s: %s, want %s", what,
		 strerror(err), strerror(e1));
	return KT_PASS;
}

static int kt_dumb_err(struct kt *kt, uint32_t w, uint32_t h, uint32_t bpp,
		       int e1, int e2)
{
	struct drm_mode_create_dumb cd = { .width = w, .height = h, .bpp = bpp };
	char what[96];
	int rc;

	snprintf(what, sizeof(what), "CREATE_DUMB %ux%u bpp %u", w, h, bpp);
	rc = drmIoctl(kt->fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd);
	if (!rc) {
		struct drm_mode_destroy_dumb dd = { .handle = cd.handle };

		drmIoctl(kt->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	}
	return kt_want_err(kt, rc, errno, e1, e2, what);
}

static int t_dumb_zero(struct kt *kt)
{
	KT_TRY(kt_dumb_err(kt, 0, 100, 32, EINVAL, 0));
	KT_TRY(kt_dumb_err(kt, 100, 0, 32, EINVAL, 0));
	KT_TRY(kt_dumb_err(kt, 100, 100, 0, EINVAL, 0));
	KT_TRY(kt_dumb_err(kt, 0, 0, 0, EINVAL, 0));
	return kt_display_ok(kt, "after-dumb-zero");
}

static int t_dumb_negative(struct kt *kt)
{
	KT_TRY(kt_dumb_err(kt, (uint32_t)-1, 100, 32, EINVAL, 0));
	KT_TRY(kt_dumb_err(kt, 100, (uint32_t)-64, 32, EINVAL, 0));
	KT_TRY(kt_dumb_err(kt, 100, 100, (uint32_t)-32, EINVAL, 0));
	return kt_display_ok(kt, "after-dumb-negative");
}

/* width*height*bpp/8 past 2^32 (and exactly 2^32) and past 2^64. */
static int t_dumb_overflow(struct kt *kt)
{
	KT_TRY(kt_dumb_err(kt, 65536, 16384, 32, EINVAL, 0));
	KT_TRY(kt_dumb_err(kt, 32768, 65536, 32, EINVAL, 0));
	KT_TRY(kt_dumb_err(kt, 1u << 20, 1u << 20, 32, EINVAL, 0));
	KT_TRY(kt_dumb_err(kt, 0x80000000u, 0x80000000u, 32, EINVAL, 0));
	KT_TRY(kt_dumb_err(kt, 0xffffffffu, 0xffffffffu, 0xffffffffu, EINVAL, 0));
	KT_TRY(kt_dumb_err(kt, 0x40000001u, 4, 32, EINVAL, 0));
	return kt_display_ok(kt, "after-dumb-overflow");
}

/* Past the framebuffer limits but no overflow: refused, not allocated. */
static int t_dumb_huge(struct kt *kt)
{
	KT_TRY(kt_dumb_err(kt, 16384, 16384, 32, EINVAL, ENOMEM));
	KT_TRY(kt_dumb_err(kt, 65535, 1, 32, EINVAL, ENOMEM));
	KT_TRY(kt_dumb_err(kt, 1, 65535, 32, EINVAL, ENOMEM));
	return kt_display_ok(kt, "after-dumb-huge");
}

static int t_dumb_bpp(struct kt *kt)
{
	static const uint32_t bad[] = { 1, 7, 12, 31, 33, 48, 64, 128, 255 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		KT_TRY(kt_dumb_err(kt, 64, 64, bad[i], EINVAL, 0));
	return kt_display_ok(kt, "after-dumb-bpp");
}

static int t_bad_handles(struct kt *kt)
{
	struct drm_mode_map_dumb md = { .handle = 0xdeadbeef };
	struct drm_mode_destroy_dumb dd = { .handle = 0xdeadbeef };
	struct drm_gem_close gc = { .handle = 0xdeadbeef };
	uint32_t handles[4] = { 0xdeadbeef }, pitches[4] = { 256 * 4 };
	uint32_t offsets[4] = { 0 }, id;
	int rc, fd = -1;

	rc = drmIoctl(kt->fd, DRM_IOCTL_MODE_MAP_DUMB, &md);
	KT_TRY(kt_want_err(kt, rc, errno, ENOENT, EINVAL, "MAP_DUMB bad handle"));
	md.handle = 0;
	rc = drmIoctl(kt->fd, DRM_IOCTL_MODE_MAP_DUMB, &md);
	KT_TRY(kt_want_err(kt, rc, errno, ENOENT, EINVAL, "MAP_DUMB handle 0"));
	rc = drmIoctl(kt->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	KT_TRY(kt_want_err(kt, rc, errno, EINVAL, ENOENT, "DESTROY_DUMB bad handle"));
	rc = drmIoctl(kt->fd, DRM_IOCTL_GEM_CLOSE, &gc);
	KT_TRY(kt_want_err(kt, rc, errno, EINVAL, ENOENT, "GEM_CLOSE bad handle"));
	rc = drmModeAddFB2(kt->fd, 256, 256, DRM_FORMAT_XRGB8888, handles, pitches,
			   offsets, &id, 0);
	KT_TRY(kt_want_err(kt, rc, errno, ENOENT, EINVAL, "ADDFB2 bad handle"));
	rc = drmPrimeHandleToFD(kt->fd, 0xdeadbeef, DRM_CLOEXEC, &fd);
	KT_TRY(kt_want_err(kt, rc, errno, ENOENT, EINVAL, "PRIME export bad handle"));
	rc = drmModeRmFB(kt->fd, 0xdeadbeef);
	KT_TRY(kt_want_err(kt, rc, errno, ENOENT, EINVAL, "RMFB bad id"));
	return kt_display_ok(kt, "after-bad-handles");
}

/* ADDFB2 on a 256x256x32 dumb buffer with the given layout. */
static int kt_addfb_err(struct kt *kt, uint32_t handle, uint32_t w, uint32_t h,
			uint32_t format, uint32_t pitch, uint32_t offset,
			const uint64_t *mod, int e2, const char *what)
{
	uint32_t handles[4] = { handle }, pitches[4] = { pitch }, offsets[4] = { offset };
	uint64_t mods[4] = { mod ? *mod : 0 };
	uint32_t id = 0;
	int rc;

	rc = drmModeAddFB2WithModifiers(kt->fd, w, h, format, handles, pitches,
					offsets, mod ? mods : NULL, &id,
					mod ? DRM_MODE_FB_MODIFIERS : 0);
	if (!rc)
		drmModeRmFB(kt->fd, id);
	return kt_want_err(kt, rc, errno, EINVAL, e2, what);
}

static int kt_fb_cases(struct kt *kt, uint32_t h)
{
	static const uint64_t xtiled = I915_FORMAT_MOD_X_TILED;
	static const uint64_t junk = 0x00ffffffffffffffull;
	static const uint64_t linear = DRM_FORMAT_MOD_LINEAR;
	uint32_t xr = DRM_FORMAT_XRGB8888;

	KT_TRY(kt_addfb_err(kt, h, 256, 256, xr, 1020, 0, NULL, 0, "pitch below width*4"));
	KT_TRY(kt_addfb_err(kt, h, 256, 256, xr, 0, 0, NULL, 0, "pitch 0"));
	KT_TRY(kt_addfb_err(kt, h, 256, 256, xr, 2048, 0, NULL, 0, "pitch*height past the buffer"));
	KT_TRY(kt_addfb_err(kt, h, 256, 256, xr, 1024, 4096, NULL, 0, "offset past the buffer"));
	KT_TRY(kt_addfb_err(kt, h, 256, 256, xr, 1024, 0xfffff000u, NULL, ERANGE, "offset near 2^32"));
	KT_TRY(kt_addfb_err(kt, h, 256, 256, 0x12345678, 1024, 0, NULL, 0, "unknown fourcc"));
	KT_TRY(kt_addfb_err(kt, h, 256, 256, DRM_FORMAT_NV12, 256, 0, NULL, 0, "NV12"));
	KT_TRY(kt_addfb_err(kt, h, 0, 256, xr, 1024, 0, NULL, 0, "width 0"));
	KT_TRY(kt_addfb_err(kt, h, 256, 0, xr, 1024, 0, NULL, 0, "height 0"));
	KT_TRY(kt_addfb_err(kt, h, 65536, 1, xr, 262144, 0, NULL, 0, "width 65536"));
	KT_TRY(kt_addfb_err(kt, h, 256, 256, xr, 1024, 0, &xtiled, 0, "X-tiled modifier"));
	KT_TRY(kt_addfb_err(kt, h, 256, 256, xr, 1024, 0, &junk, 0, "invalid modifier"));
	/* The linear modifier is fine. */
	{
		uint32_t handles[4] = { h }, pitches[4] = { 1024 }, offsets[4] = { 0 }, id;
		uint64_t mods[4] = { linear };

		KT_CHECK(kt, !drmModeAddFB2WithModifiers(kt->fd, 256, 256, xr, handles,
							  pitches, offsets, mods, &id,
							  DRM_MODE_FB_MODIFIERS),
			 "ADDFB2 with the LINEAR modifier: %s", strerror(errno));
		drmModeRmFB(kt->fd, id);
	}
	return KT_PASS;
}

static int t_bad_fb(struct kt *kt)
{
	struct drm_mode_create_dumb cd = { .width = 256, .height = 256, .bpp = 32 };
	struct drm_mode_destroy_dumb dd;
	int ret;

	KT_CHECK(kt, !drmIoctl(kt->fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd),
		 "CREATE_DUMB 256x256: %s", strerror(errno));
	KT_CHECK(kt, cd.size >= 256 * 1024 && cd.size < 256 * 1024 + 4096,
		 "256x256x32 dumb buffer has size %llu", (unsigned long long)cd.size);
	ret = kt_fb_cases(kt, cd.handle);
	dd.handle = cd.handle;
	drmIoctl(kt->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	KT_TRY(ret);
	return kt_display_ok(kt, "after-bad-fb");
}

const struct kt_test kt_tests_bad[] = {
	{ "bad-dumb-zero", t_dumb_zero, "zero width/height/bpp: EINVAL" },
	{ "bad-dumb-negative", t_dumb_negative, "negative sizes: EINVAL" },
	{ "bad-dumb-overflow", t_dumb_overflow, "w*h*bpp past 2^32 and 2^64: EINVAL" },
	{ "bad-dumb-huge", t_dumb_huge, "past the fb limits: EINVAL/ENOMEM" },
	{ "bad-dumb-bpp", t_dumb_bpp, "unsupported bpp: EINVAL" },
	{ "bad-handles", t_bad_handles, "bad GEM handles and fb ids: ENOENT/EINVAL" },
	{ "bad-fb", t_bad_fb, "wrong pitch/offset/format/size/modifier: EINVAL" },
	{ NULL, NULL, NULL },
};
