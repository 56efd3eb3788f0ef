// SPDX-License-Identifier: MIT
/* kmstest: modes, modesets, dumb buffers, PRIME, pixel formats. */
#include "kmstest.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int t_modes_listed(struct kt *kt)
{
	drmModeConnector *c = drmModeGetConnector(kt->fd, kt->conn_id);
	int npref = 0, ret = KT_PASS;

	KT_CHECK(kt, c, "GETCONNECTOR: %s", strerror(errno));
	if (c->count_modes < 1)
		ret = kt_fail(kt, "no modes listed");
	for (int i = 0; i < c->count_modes && ret == KT_PASS; i++) {
		const drmModeModeInfo *m = &c->modes[i];

		if (m->type & DRM_MODE_TYPE_PREFERRED)
			npref++;
		if (!m->hdisplay || !m->vdisplay || m->hsync_start < m->hdisplay ||
		    m->hsync_end < m->hsync_start || m->htotal < m->hsync_end ||
		    m->vsync_start < m->vdisplay || m->vsync_end < m->vsync_start ||
		    m->vtotal < m->vsync_end || !m->clock)
			ret = kt_fail(kt, "mode %d (%s) has inconsistent timings", i, m->name);
		else if (kt_mode_hz(m) < 20 || kt_mode_hz(m) > 250)
			ret = kt_fail(kt, "mode %s: refresh %.1f Hz", m->name, kt_mode_hz(m));
	}
	if (ret == KT_PASS && npref != 1)
		ret = kt_fail(kt, "%d modes flagged preferred, expected exactly one", npref);
	if (ret == KT_PASS && kt->expect_w &&
	    (kt->pref.hdisplay != kt->expect_w || kt->pref.vdisplay != kt->expect_h))
		ret = kt_fail(kt, "preferred mode is %ux%u, expected %ux%u (QEMU xres/yres)",
			      kt->pref.hdisplay, kt->pref.vdisplay, kt->expect_w,
			      kt->expect_h);
	if (ret == KT_PASS)
		printf("# %d modes, preferred %s %.2f Hz\n", c->count_modes,
		       kt->pref.name, kt_mode_hz(&kt->pref));
	drmModeFreeConnector(c);
	return ret;
}

static int kt_modeset_check(struct kt *kt, const drmModeModeInfo *m, uint32_t seed)
{
	struct kt_fb fb;
	struct kt_img want = { 0 };
	char tag[64];
	int ret;

	KT_TRY(kt_fb_create(kt, &fb, m->hdisplay, m->vdisplay, DRM_FORMAT_XRGB8888));
	kt_fb_pattern(&fb, seed);
	ret = kt_modeset(kt, m, &fb);
	if (ret == KT_PASS && kt_img_from_fb(&want, &fb))
		ret = kt_fail(kt, "out of memory");
	snprintf(tag, sizeof(tag), "mode-%ux%u", m->hdisplay, m->vdisplay);
	if (ret == KT_PASS)
		ret = kt_shot_expect(kt, tag, &want, 8);
	kt_img_free(&want);
	kt_fb_destroy(kt, &fb);
	return ret;
}

/* Every listed size (first mode of each size): TEST_ONLY, commit, pixels. */
static int t_modeset_all(struct kt *kt)
{
	drmModeConnector *c = drmModeGetConnector(kt->fd, kt->conn_id);
	int ret = KT_PASS, n = 0;

	KT_CHECK(kt, c, "GETCONNECTOR: %s", strerror(errno));
	for (int i = 0; i < c->count_modes && ret == KT_PASS; i++) {
		const drmModeModeInfo *m = &c->modes[i];
		bool seen = false;

		for (int j = 0; j < i; j++)
			seen |= c->modes[j].hdisplay == m->hdisplay &&
				c->modes[j].vdisplay == m->vdisplay;
		if (seen)
			continue;
		ret = kt_modeset_check(kt, m, (uint32_t)i * 0x1357u);
		n++;
	}
	/* End on the preferred mode so later tests start from it. */
	if (ret == KT_PASS)
		ret = kt_modeset_check(kt, &kt->pref, 1);
	if (ret == KT_PASS)
		printf("# %d mode sizes set and checked\n", n);
	drmModeFreeConnector(c);
	return ret;
}

static int kt_dumb_roundtrip(struct kt *kt, struct kt_fb *fb, uint32_t seed)
{
	struct drm_mode_map_dumb md = { .handle = fb->handle };
	uint32_t *p;

	KT_CHECK(kt, fb->pitch >= fb->w * fb->cpp && fb->size >= (uint64_t)fb->pitch * fb->h,
		 "dumb %ux%u: pitch %u size %llu too small", fb->w, fb->h, fb->pitch,
		 (unsigned long long)fb->size);
	for (uint64_t i = 0; i < fb->size / 4; i += 1021)
		((uint32_t *)(void *)fb->map)[i] = (uint32_t)(i * 2654435761u) ^ seed;
	munmap(fb->map, fb->size);
	fb->map = NULL;
	KT_CHECK(kt, !drmIoctl(kt->fd, DRM_IOCTL_MODE_MAP_DUMB, &md),
		 "second MAP_DUMB: %s", strerror(errno));
	p = mmap(NULL, fb->size, PROT_READ | PROT_WRITE, MAP_SHARED, kt->fd,
		 (off_t)md.offset);
	KT_CHECK(kt, p != MAP_FAILED, "second mmap: %s", strerror(errno));
	fb->map = (uint8_t *)p;
	for (uint64_t i = 0; i < fb->size / 4; i += 1021)
		KT_CHECK(kt, p[i] == ((uint32_t)(i * 2654435761u) ^ seed),
			 "dumb buffer content lost across unmap/map at word %llu",
			 (unsigned long long)i);
	return KT_PASS;
}

/* Many buffers, more than any VRAM holds; content survives; destroy works. */
static int t_dumb(struct kt *kt)
{
	enum { N = 12 };
	struct kt_fb fb[N];
	struct drm_mode_map_dumb md = { 0 };
	int ret = KT_PASS, made = 0;

	for (int i = 0; i < N && ret == KT_PASS; i++) {
		ret = kt_fb_create(kt, &fb[i], 1920, 1080, DRM_FORMAT_XRGB8888);
		if (ret == KT_PASS) {
			made++;
			ret = kt_dumb_roundtrip(kt, &fb[i], (uint32_t)i);
		}
	}
	if (ret == KT_PASS)
		printf("# %d dumb buffers of 1920x1080x32 (%d MiB) mapped and verified\n",
		       made, made * 8);
	md.handle = made ? fb[0].handle : 0;
	for (int i = 0; i < made; i++)
		kt_fb_destroy(kt, &fb[i]);
	if (ret == KT_PASS && made) {
		errno = 0;
		if (!drmIoctl(kt->fd, DRM_IOCTL_MODE_MAP_DUMB, &md))
			ret = kt_fail(kt, "MAP_DUMB of a destroyed handle succeeded");
		else if (errno != ENOENT && errno != EINVAL)
			ret = kt_fail(kt, "MAP_DUMB of a destroyed handle: %s, want ENOENT",
				      strerror(errno));
	}
	return ret;
}

static int t_prime(struct kt *kt)
{
	struct kt_fb fb;
	uint32_t *p, h2 = 0;
	int dfd = -1, ret = KT_PASS;

	KT_TRY(kt_fb_create(kt, &fb, 256, 256, DRM_FORMAT_XRGB8888));
	kt_fb_fill(&fb, 0, 0, 256, 256, 0xff123456);
	if (drmPrimeHandleToFD(kt->fd, fb.handle, DRM_CLOEXEC | DRM_RDWR, &dfd))
		ret = kt_fail(kt, "PRIME export: %s", strerror(errno));
	if (ret == KT_PASS) {
		p = mmap(NULL, fb.size, PROT_READ, MAP_SHARED, dfd, 0);
		if (p == MAP_FAILED)
			ret = kt_fail(kt, "mmap of the dma-buf: %s", strerror(errno));
		else if (p[256 * 100 + 7] != 0xff123456)
			ret = kt_fail(kt, "dma-buf shows %08x, want ff123456", p[256 * 100 + 7]);
		if (p != MAP_FAILED)
			munmap(p, fb.size);
	}
	if (ret == KT_PASS && drmPrimeFDToHandle(kt->fd, dfd, &h2))
		ret = kt_fail(kt, "PRIME import of own buffer: %s", strerror(errno));
	if (ret == KT_PASS && h2 != fb.handle)
		ret = kt_fail(kt, "self-import gave handle %u, want %u", h2, fb.handle);
	if (dfd >= 0)
		close(dfd);
	kt_fb_destroy(kt, &fb);
	return ret;
}

static const uint32_t kt_bars[] = {
	0xffffff, 0xff0000, 0x00ff00, 0x0000ff, 0xffff00, 0x00ffff, 0xff00ff,
	0x808080, 0x404040, 0xc08040, 0x000000, 0x123456,
};

/* Colour bars in @format (alpha byte @alpha), checked on screen. */
static int kt_format_check(struct kt *kt, uint32_t format, uint32_t alpha,
			   const char *tag)
{
	const unsigned int nb = sizeof(kt_bars) / sizeof(kt_bars[0]);
	unsigned int w = kt->pref.hdisplay, h = kt->pref.vdisplay;
	struct kt_img want = { 0 };
	struct kt_fb fb;
	int ret;

	KT_TRY(kt_fb_create(kt, &fb, w, h, format));
	for (unsigned int i = 0; i < nb; i++)
		kt_fb_fill(&fb, i * w / nb, 0, w / nb + 1, h, (alpha << 24) | kt_bars[i]);
	ret = kt_modeset(kt, &kt->pref, &fb);
	if (ret == KT_PASS && kt_img_from_fb(&want, &fb))
		ret = kt_fail(kt, "out of memory");
	if (ret == KT_PASS)
		ret = kt_shot_expect(kt, tag, &want, 8);
	kt_img_free(&want);
	kt_fb_destroy(kt, &fb);
	return ret;
}

static int t_xrgb8888(struct kt *kt)
{
	return kt_format_check(kt, DRM_FORMAT_XRGB8888, 0xff, "xrgb8888");
}

/* Alpha is ignored on the primary plane: alpha 0 still shows the colour. */
static int t_argb8888(struct kt *kt)
{
	return kt_format_check(kt, DRM_FORMAT_ARGB8888, 0x00, "argb8888-alpha0");
}

static int t_rgb565(struct kt *kt)
{
	return kt_format_check(kt, DRM_FORMAT_RGB565, 0xff, "rgb565");
}

static int t_primary_off(struct kt *kt)
{
	struct kt_img black = { 0 };
	int ret;

	ret = kt_modeset(kt, &kt->pref, NULL);
	if (ret == KT_PASS && kt_img_alloc(&black, kt->pref.hdisplay, kt->pref.vdisplay))
		ret = kt_fail(kt, "out of memory");
	if (ret == KT_PASS)
		ret = kt_shot_expect(kt, "primary-off", &black, 0);
	kt_img_free(&black);
	return ret;
}

const struct kt_test kt_tests_basic[] = {
	{ "modes-listed", t_modes_listed, "modes listed, one preferred = --mode" },
	{ "modeset-all-modes", t_modeset_all, "atomic modeset of every listed size, pixels checked" },
	{ "dumb-buffers", t_dumb, "dumb create/map/write/read/destroy beyond VRAM size" },
	{ "prime-export", t_prime, "PRIME export, dma-buf mmap, self-import" },
	{ "format-xrgb8888", t_xrgb8888, "XRGB8888 colour bars (Cirrus: conversion)" },
	{ "format-argb8888", t_argb8888, "ARGB8888 primary, alpha ignored" },
	{ "format-rgb565", t_rgb565, "RGB565 colour bars" },
	{ "primary-off", t_primary_off, "CRTC on with the primary plane off shows black" },
	{ NULL, NULL, NULL },
};
