// SPDX-License-Identifier: MIT
/*
 * kmstest: the overlay plane (zpos, placement, damage, blending, moves,
 * the cursor above it, userptr framebuffers on it).
 */
#include "kmstest.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A pattern in an XRGB8888 fb with the X byte 0: X formats are opaque. */
static void kt_ovl_pattern(struct kt_fb *fb, uint32_t seed)
{
	kt_fb_pattern(fb, seed);
	for (unsigned int y = 0; y < fb->h; y++)
		for (unsigned int x = 0; x < fb->w; x++)
			kt_fb_put(fb, x, y, kt_fb_get_rgb(fb, x, y));
}

/* Overlay showing all of ovl at (x, y), NULL: off; one nonblocking commit. */
static int kt_ovl_at(struct kt *kt, const struct kt_fb *ovl, int x, int y,
		     uint64_t *bytes)
{
	char what[64];
	struct kt_req r;
	int ret;

	snprintf(what, sizeof(what), "overlay %s at %d,%d", ovl ? "on" : "off", x, y);
	kt_req_init(&r, kt);
	kt_req_plane_at(&r, kt->overlay_id, ovl, x, y);
	ret = kt_req_commit_wait(&r, bytes, what);
	kt_req_fini(&r);
	return ret;
}

/* Same place, same fb, one damage clip (framebuffer coordinates). */
static int kt_ovl_damage(struct kt *kt, const struct kt_fb *ovl, int x, int y,
			 const struct drm_mode_rect *clip, uint64_t *bytes)
{
	struct kt_req r;
	uint32_t blob;
	int ret;

	if (drmModeCreatePropertyBlob(kt->fd, clip, sizeof(*clip), &blob))
		return kt_fail(kt, "damage blob: %s", strerror(errno));
	kt_req_init(&r, kt);
	kt_req_plane_at(&r, kt->overlay_id, ovl, x, y);
	kt_req_add(&r, kt->overlay_id, DRM_MODE_OBJECT_PLANE, "FB_DAMAGE_CLIPS", blob);
	ret = kt_req_commit_wait(&r, bytes, "overlay damage");
	kt_req_fini(&r);
	drmModeDestroyPropertyBlob(kt->fd, blob);
	return ret;
}

/* base with ovl at (x, y) on top (blended if ARGB8888). */
static int kt_ovl_want(struct kt *kt, const struct kt_img *base,
		       const struct kt_fb *ovl, int x, int y, struct kt_img *want)
{
	KT_CHECK(kt, !kt_img_alloc(want, base->w, base->h), "out of memory");
	memcpy(want->px, base->px, (size_t)base->w * base->h * 4);
	if (ovl && ovl->format == DRM_FORMAT_ARGB8888)
		kt_img_blend(want, ovl, x, y);
	else if (ovl)
		kt_img_put(want, ovl, x, y);
	return KT_PASS;
}

/* The screen must show base with ovl (NULL: none) at (x, y). */
static int kt_ovl_expect(struct kt *kt, const struct kt_img *base,
			 const struct kt_fb *ovl, int x, int y, const char *tag)
{
	struct kt_img want = { 0 };
	int ret;

	KT_TRY(kt_ovl_want(kt, base, ovl, x, y, &want));
	ret = kt_shot_expect(kt, tag, &want, 8);
	kt_img_free(&want);
	return ret;
}

/* Primary pattern on screen, its image, the scanout's bytes per pixel. */
struct kt_ovl_env {
	struct kt_fb pri, ovl;
	struct kt_img base;
	unsigned int cpp;
	int w, h;
};

static int kt_ovl_setup(struct kt *kt, struct kt_ovl_env *e, uint32_t seed)
{
	memset(e, 0, sizeof(*e));
	if (!kt->overlay_id)
		return kt_skip(kt, "the driver exposes no overlay plane");
	if (kt->pref.hdisplay < 640 || kt->pref.vdisplay < 480)
		return kt_skip(kt, "needs a mode of at least 640x480");
	e->w = kt->pref.hdisplay;
	e->h = kt->pref.vdisplay;
	KT_TRY(kt_setup_pattern(kt, &e->pri, seed));
	KT_CHECK(kt, !kt_img_from_fb(&e->base, &e->pri), "out of memory");
	return kt_scanout_cpp(kt, &e->pri, &e->cpp);
}

static void kt_ovl_teardown(struct kt *kt, struct kt_ovl_env *e)
{
	if (e->ovl.fb_id)
		kt_ovl_at(kt, NULL, 0, 0, NULL);
	kt_fb_destroy(kt, &e->ovl);
	kt_fb_destroy(kt, &e->pri);
	kt_img_free(&e->base);
}

static uint64_t kt_area(const struct kt_ovl_env *e, long w, long h)
{
	return (uint64_t)w * h * e->cpp;
}

static int kt_plane_zpos(struct kt *kt, uint32_t plane, uint64_t want, const char *name)
{
	uint32_t id = kt_prop(kt, plane, DRM_MODE_OBJECT_PLANE, "zpos");
	drmModePropertyRes *p;
	uint64_t val = 0;
	bool immutable;

	KT_CHECK(kt, id, "%s plane has no zpos property", name);
	p = drmModeGetProperty(kt->fd, id);
	KT_CHECK(kt, p, "zpos property: %s", strerror(errno));
	immutable = p->flags & DRM_MODE_PROP_IMMUTABLE;
	drmModeFreeProperty(p);
	KT_CHECK(kt, immutable, "%s plane's zpos is not immutable", name);
	KT_CHECK(kt, !kt_prop_value(kt, plane, DRM_MODE_OBJECT_PLANE, "zpos", &val),
		 "%s plane: zpos unreadable", name);
	KT_CHECK(kt, val == want, "%s plane: zpos %llu, expected %llu", name,
		 (unsigned long long)val, (unsigned long long)want);
	return KT_PASS;
}

/* Planes of the CRTC by type: one primary, one overlay, one cursor. */
static int kt_count_planes(struct kt *kt, unsigned int count[3])
{
	drmModePlaneRes *pr = drmModeGetPlaneResources(kt->fd);

	KT_CHECK(kt, pr, "GETPLANERESOURCES: %s", strerror(errno));
	for (uint32_t i = 0; i < pr->count_planes; i++) {
		drmModePlane *p = drmModeGetPlane(kt->fd, pr->planes[i]);
		uint64_t type = 0;

		if (p && (p->possible_crtcs & (1u << kt->crtc_index)) &&
		    !kt_prop_value(kt, p->plane_id, DRM_MODE_OBJECT_PLANE, "type", &type) &&
		    type <= DRM_PLANE_TYPE_CURSOR)
			count[type]++;
		drmModeFreePlane(p);
	}
	drmModeFreePlaneResources(pr);
	return KT_PASS;
}

static int t_overlay_planes(struct kt *kt)
{
	unsigned int count[3] = { 0 };

	if (!kt->overlay_id)
		return kt_skip(kt, "the driver exposes no overlay plane");
	KT_TRY(kt_count_planes(kt, count));
	printf("# planes of the CRTC: %u primary, %u overlay, %u cursor\n",
	       count[DRM_PLANE_TYPE_PRIMARY], count[DRM_PLANE_TYPE_OVERLAY],
	       count[DRM_PLANE_TYPE_CURSOR]);
	if (!kt->guestkms)
		return KT_PASS;
	KT_CHECK(kt, count[DRM_PLANE_TYPE_PRIMARY] == 1 && count[DRM_PLANE_TYPE_OVERLAY] == 1 &&
		     count[DRM_PLANE_TYPE_CURSOR] == 1,
		 "expected 1 primary, 1 overlay and 1 cursor plane, got %u/%u/%u",
		 count[DRM_PLANE_TYPE_PRIMARY], count[DRM_PLANE_TYPE_OVERLAY],
		 count[DRM_PLANE_TYPE_CURSOR]);
	KT_TRY(kt_plane_zpos(kt, kt->primary_id, 0, "primary"));
	KT_TRY(kt_plane_zpos(kt, kt->overlay_id, 1, "overlay"));
	return kt_plane_zpos(kt, kt->cursor_id, 2, "cursor");
}

static int kt_xrgb_checks(struct kt *kt, struct kt_ovl_env *e)
{
	const struct drm_mode_rect clip = { 40, 30, 140, 90 };
	int x = e->w / 4 + 3, y = e->h / 4 + 5, ret;
	struct kt_img want = { 0 };
	uint64_t bytes;

	KT_TRY(kt_fb_create(kt, &e->ovl, 320, 200, DRM_FORMAT_XRGB8888));
	kt_ovl_pattern(&e->ovl, 0x4407);
	KT_TRY(kt_ovl_at(kt, &e->ovl, x, y, &bytes));
	KT_TRY(kt_bytes_near(kt, bytes, kt_area(e, 320, 200), "overlay on"));
	KT_TRY(kt_ovl_expect(kt, &e->base, &e->ovl, x, y, "overlay-on"));

	/* Overlay-only damage: the clip shows, a change outside it does not. */
	kt_fb_fill(&e->ovl, 40, 30, 100, 60, 0x00ff8000);
	KT_TRY(kt_ovl_damage(kt, &e->ovl, x, y, &clip, &bytes));
	KT_TRY(kt_bytes_near(kt, bytes, kt_area(e, 100, 60), "overlay damage"));
	KT_TRY(kt_ovl_want(kt, &e->base, &e->ovl, x, y, &want));
	kt_fb_fill(&e->ovl, 200, 120, 50, 40, 0x0000ff00);
	ret = kt_ovl_damage(kt, &e->ovl, x, y, &clip, NULL);
	if (ret == KT_PASS)
		ret = kt_shot_expect(kt, "overlay-damage", &want, 8);
	kt_img_free(&want);
	KT_TRY(ret);
	/* Now all of it. */
	KT_TRY(kt_ovl_at(kt, &e->ovl, x, y, NULL));
	KT_TRY(kt_ovl_expect(kt, &e->base, &e->ovl, x, y, "overlay-full"));

	/* A primary-only commit under the overlay: the overlay stays on top. */
	kt_fb_fill(&e->pri, x - 50, y - 40, 200, 150, 0xff0000ff);
	kt_img_fill(&e->base, x - 50, y - 40, 200, 150, 0x0000ff);
	KT_TRY(kt_flip_bytes(kt, &e->pri,
			     (const uint32_t[]){ x - 50, y - 40, x + 150, y + 110 }, 1,
			     &bytes));
	KT_TRY(kt_bytes_near(kt, bytes, kt_area(e, 200, 150), "primary damage"));
	return kt_ovl_expect(kt, &e->base, &e->ovl, x, y, "overlay-primary-damage");
}

static int t_overlay_xrgb(struct kt *kt)
{
	struct kt_ovl_env e;
	int ret;

	ret = kt_ovl_setup(kt, &e, 21);
	if (ret == KT_PASS)
		ret = kt_xrgb_checks(kt, &e);
	kt_ovl_teardown(kt, &e);
	return ret;
}

static int kt_offscreen_checks(struct kt *kt, struct kt_ovl_env *e)
{
	uint64_t bytes;

	KT_TRY(kt_fb_create(kt, &e->ovl, 256, 160, DRM_FORMAT_XRGB8888));
	kt_ovl_pattern(&e->ovl, 0x2211);
	KT_TRY(kt_ovl_at(kt, &e->ovl, -100, -60, &bytes));
	KT_TRY(kt_bytes_near(kt, bytes, kt_area(e, 156, 100), "overlay top-left"));
	KT_TRY(kt_ovl_expect(kt, &e->base, &e->ovl, -100, -60, "overlay-topleft"));
	KT_TRY(kt_ovl_at(kt, &e->ovl, e->w - 100, e->h - 50, NULL));
	KT_TRY(kt_ovl_expect(kt, &e->base, &e->ovl, e->w - 100, e->h - 50,
			     "overlay-bottomright"));
	/* Wholly outside: accepted, nothing shows; only the old place redrawn. */
	KT_TRY(kt_ovl_at(kt, &e->ovl, e->w + 20, 30, &bytes));
	KT_TRY(kt_bytes_near(kt, bytes, kt_area(e, 100, 50), "overlay off screen"));
	KT_TRY(kt_ovl_at(kt, &e->ovl, -300, -200, &bytes));
	if (kt->guestkms)
		KT_CHECK(kt, bytes == 0, "invisible overlay moved: %llu bytes copied",
			 (unsigned long long)bytes);
	return kt_ovl_expect(kt, &e->base, NULL, 0, 0, "overlay-offscreen");
}

static int t_overlay_offscreen(struct kt *kt)
{
	struct kt_ovl_env e;
	int ret;

	ret = kt_ovl_setup(kt, &e, 22);
	if (ret == KT_PASS)
		ret = kt_offscreen_checks(kt, &e);
	kt_ovl_teardown(kt, &e);
	return ret;
}

/* Opaque, half-transparent, faint and transparent bands (premultiplied). */
static void kt_argb_image(struct kt_fb *f)
{
	unsigned int q = f->h / 4;

	kt_fb_fill(f, 0, 0, f->w, q, 0xff20c040);
	kt_fb_fill(f, 0, q, f->w, q, 0x80400060);
	kt_fb_fill(f, 0, 2 * q, f->w, q, 0x40102030);
	kt_fb_fill(f, 0, 3 * q, f->w, f->h - 3 * q, 0x00000000);
	kt_fb_fill(f, f->w / 2, 0, 8, f->h, 0xc0c0c0c0);
}

static int kt_argb_checks(struct kt *kt, struct kt_ovl_env *e)
{
	int x = e->w / 3 + 1, y = e->h / 5;

	struct kt_fb argb;
	int ret;

	KT_TRY(kt_fb_create(kt, &argb, 240, 160, DRM_FORMAT_ARGB8888));
	kt_argb_image(&argb);
	ret = kt_ovl_at(kt, &argb, x, y, NULL);
	if (ret == KT_PASS)
		ret = kt_ovl_expect(kt, &e->base, &argb, x, y, "overlay-argb");
	/* A format needing conversion, replacing it: opaque. */
	if (ret == KT_PASS)
		ret = kt_fb_create(kt, &e->ovl, 240, 160, DRM_FORMAT_RGB565);
	if (ret == KT_PASS) {
		kt_fb_pattern(&e->ovl, 0x1717);
		ret = kt_ovl_at(kt, &e->ovl, x + 7, y + 3, NULL);
	}
	if (ret == KT_PASS)
		ret = kt_ovl_expect(kt, &e->base, &e->ovl, x + 7, y + 3, "overlay-rgb565");
	kt_fb_destroy(kt, &argb);
	return ret;
}

static int t_overlay_argb(struct kt *kt)
{
	struct kt_ovl_env e;
	int ret;

	ret = kt_ovl_setup(kt, &e, 23);
	if (ret == KT_PASS)
		ret = kt_argb_checks(kt, &e);
	kt_ovl_teardown(kt, &e);
	return ret;
}

static int kt_move_checks(struct kt *kt, struct kt_ovl_env *e)
{
	uint64_t bytes, rect = kt_area(e, 200, 120);

	KT_TRY(kt_fb_create(kt, &e->ovl, 200, 120, DRM_FORMAT_XRGB8888));
	kt_ovl_pattern(&e->ovl, 0x3377);
	KT_TRY(kt_ovl_at(kt, &e->ovl, 100, 80, NULL));
	KT_TRY(kt_ovl_expect(kt, &e->base, &e->ovl, 100, 80, "overlay-placed"));
	/* Overlapping move: the union (280x160) is no larger than both. */
	KT_TRY(kt_ovl_at(kt, &e->ovl, 180, 120, &bytes));
	KT_TRY(kt_bytes_near(kt, bytes, kt_area(e, 280, 160), "overlapping move"));
	KT_TRY(kt_ovl_expect(kt, &e->base, &e->ovl, 180, 120, "overlay-moved"));
	/* Far move: the two rectangles. */
	KT_TRY(kt_ovl_at(kt, &e->ovl, e->w - 260, e->h - 160, &bytes));
	KT_TRY(kt_bytes_near(kt, bytes, 2 * rect, "far move"));
	KT_TRY(kt_ovl_expect(kt, &e->base, &e->ovl, e->w - 260, e->h - 160,
			     "overlay-moved-far"));
	/* Disabled: the primary's pixels come back. */
	KT_TRY(kt_ovl_at(kt, NULL, 0, 0, &bytes));
	KT_TRY(kt_bytes_near(kt, bytes, rect, "overlay off"));
	return kt_ovl_expect(kt, &e->base, NULL, 0, 0, "overlay-disabled");
}

static int t_overlay_move(struct kt *kt)
{
	struct kt_ovl_env e;
	int ret;

	ret = kt_ovl_setup(kt, &e, 24);
	if (ret == KT_PASS)
		ret = kt_move_checks(kt, &e);
	kt_ovl_teardown(kt, &e);
	return ret;
}

/* The screen must show base, ovl at (ox, oy), cur at (cx, cy) on top. */
static int kt_cursor_expect(struct kt *kt, const struct kt_ovl_env *e, int ox, int oy,
			    const struct kt_fb *cur, int cx, int cy, const char *tag)
{
	struct kt_img want = { 0 };
	int ret;

	KT_TRY(kt_ovl_want(kt, &e->base, &e->ovl, ox, oy, &want));
	kt_img_blend(&want, cur, cx, cy);
	ret = kt_shot_expect(kt, tag, &want, 8);
	kt_img_free(&want);
	return ret;
}

static int kt_cursor_checks(struct kt *kt, struct kt_ovl_env *e, struct kt_fb *cur)
{
	int ox = 200, oy = 150, cx = ox + 300 - 40, cy = oy + 20;
	struct kt_req r;
	int ret;

	KT_TRY(kt_fb_create(kt, &e->ovl, 300, 200, DRM_FORMAT_XRGB8888));
	kt_ovl_pattern(&e->ovl, 0x5533);
	kt_fb_fill(cur, 0, 0, cur->w, cur->h, 0x00000000);
	kt_fb_fill(cur, 8, 8, cur->w - 16, cur->h / 2 - 8, 0xffff0000);
	kt_fb_fill(cur, 8, cur->h / 2, cur->w - 16, cur->h / 2 - 8, 0x80000080);
	KT_TRY(kt_ovl_at(kt, &e->ovl, ox, oy, NULL));
	kt_req_init(&r, kt);
	kt_req_cursor(&r, cur, cx, cy);
	ret = kt_req_commit_wait(&r, NULL, "cursor over the overlay");
	kt_req_fini(&r);
	KT_TRY(ret);
	KT_TRY(kt_cursor_expect(kt, e, ox, oy, cur, cx, cy, "overlay-cursor"));
	/* The overlay moves under the cursor: still below it. */
	ox += 30;
	oy += 25;
	KT_TRY(kt_ovl_at(kt, &e->ovl, ox, oy, NULL));
	KT_TRY(kt_cursor_expect(kt, e, ox, oy, cur, cx, cy, "overlay-cursor-moved"));
	kt_req_init(&r, kt);
	kt_req_cursor_off(&r);
	ret = kt_req_commit_wait(&r, NULL, "cursor off");
	kt_req_fini(&r);
	return ret;
}

static int t_overlay_cursor(struct kt *kt)
{
	struct kt_fb cur = { 0 };
	struct kt_ovl_env e;
	int ret;

	ret = kt_ovl_setup(kt, &e, 25);
	if (ret == KT_PASS && !kt->cursor_id)
		ret = kt_skip(kt, "the driver exposes no cursor plane");
	if (ret == KT_PASS)
		ret = kt_fb_create(kt, &cur, 64, 64, DRM_FORMAT_ARGB8888);
	if (ret == KT_PASS)
		ret = kt_cursor_checks(kt, &e, &cur);
	kt_ovl_teardown(kt, &e);
	kt_fb_destroy(kt, &cur);
	return ret;
}

static int kt_userptr_checks(struct kt *kt, struct kt_ovl_env *e)
{
	const struct drm_mode_rect clip = { 16, 24, 112, 88 };
	int x = 64, y = 48;
	uint64_t bytes;

	KT_TRY(kt_userptr_fb(kt, &e->ovl, 256, 192));
	kt_ovl_pattern(&e->ovl, 0x6611);
	KT_TRY(kt_ovl_at(kt, &e->ovl, x, y, NULL));
	KT_TRY(kt_ovl_expect(kt, &e->base, &e->ovl, x, y, "overlay-userptr"));
	/* The client draws into its memory; the clip shows it. */
	kt_fb_fill(&e->ovl, 16, 24, 96, 64, 0x0000c0ff);
	KT_TRY(kt_ovl_damage(kt, &e->ovl, x, y, &clip, &bytes));
	KT_TRY(kt_bytes_near(kt, bytes, kt_area(e, 96, 64), "userptr overlay damage"));
	return kt_ovl_expect(kt, &e->base, &e->ovl, x, y, "overlay-userptr-damage");
}

static int t_overlay_userptr(struct kt *kt)
{
	struct kt_ovl_env e;
	int ret;

	if (!kt->guestkms)
		return kt_skip(kt, "guestkms-only ioctl (driver %s)", kt->driver);
	ret = kt_ovl_setup(kt, &e, 26);
	if (ret == KT_PASS)
		ret = kt_userptr_checks(kt, &e);
	kt_ovl_teardown(kt, &e);
	return ret;
}

const struct kt_test kt_tests_overlay[] = {
	{ "overlay-planes", t_overlay_planes, "one primary, overlay and cursor plane; immutable zpos 0/1/2" },
	{ "overlay-xrgb8888", t_overlay_xrgb, "XRGB8888 overlay at an offset, its damage, primary damage under it" },
	{ "overlay-offscreen", t_overlay_offscreen, "overlay clipped at both corners; wholly off screen accepted" },
	{ "overlay-argb8888", t_overlay_argb, "ARGB8888 overlay blends over the primary; RGB565 overlay opaque" },
	{ "overlay-move-disable", t_overlay_move, "overlay moved, then disabled: the primary comes back" },
	{ "overlay-cursor", t_overlay_cursor, "the cursor draws above the overlay" },
	{ "overlay-userptr", t_overlay_userptr, "a userptr framebuffer on the overlay, with damage" },
	{ NULL, NULL, NULL },
};
