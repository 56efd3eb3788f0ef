// SPDX-License-Identifier: MIT
/* kmstest: damage clips, cursor plane, CRC capture. */
#include "kmstest.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int kt_damage_checks(struct kt *kt, struct kt_fb *fb, struct kt_img *want)
{
	/* x1, y1, x2, y2 */
	static const uint32_t clips[] = { 64, 48, 224, 168, 480, 40, 560, 100 };
	uint64_t bytes;
	unsigned int cpp;

	KT_TRY(kt_scanout_cpp(kt, fb, &cpp));
	/* Inside the clips: red and blue. Outside: green, must not show. */
	kt_fb_fill(fb, 64, 48, 160, 120, 0xffff0000);
	kt_fb_fill(fb, 480, 40, 80, 60, 0xff0000ff);
	kt_fb_fill(fb, 300, 250, 120, 100, 0xff00ff00);
	kt_fb_fill(fb, 0, 0, 16, 16, 0xff00ff00);
	kt_img_fill(want, 64, 48, 160, 120, 0xff0000);
	kt_img_fill(want, 480, 40, 80, 60, 0x0000ff);
	KT_TRY(kt_flip_bytes(kt, fb, clips, 2, &bytes));
	KT_TRY(kt_bytes_near(kt, bytes, (160 * 120 + 80 * 60) * (uint64_t)cpp,
			     "two-clip damage"));
	KT_TRY(kt_shot_expect(kt, "damage-clips", want, 8));
	/* A one-pixel clip copies (about) one pixel. */
	kt_fb_fill(fb, 700, 500, 1, 1, 0xffffffff);
	kt_img_fill(want, 700, 500, 1, 1, 0xffffff);
	KT_TRY(kt_flip_bytes(kt, fb, (const uint32_t[]){ 700, 500, 701, 501 }, 1, &bytes));
	if (kt->guestkms)
		KT_CHECK(kt, bytes <= 64, "1-pixel damage copied %llu bytes",
			 (unsigned long long)bytes);
	return kt_shot_expect(kt, "damage-pixel", want, 8);
}

static int t_damage(struct kt *kt)
{
	struct kt_img want = { 0 };
	struct kt_fb fb;
	int ret;

	if (kt->pref.hdisplay < 800 || kt->pref.vdisplay < 600)
		return kt_skip(kt, "needs a mode of at least 800x600");
	ret = kt_setup_pattern(kt, &fb, 8);
	if (ret == KT_PASS && kt_img_from_fb(&want, &fb))
		ret = kt_fail(kt, "out of memory");
	if (ret == KT_PASS)
		ret = kt_damage_checks(kt, &fb, &want);
	kt_img_free(&want);
	kt_fb_destroy(kt, &fb);
	return ret;
}

/* 64x64: 8-pixel transparent border, opaque red top, half-transparent blue bottom. */
static void kt_cursor_image(struct kt_fb *c)
{
	kt_fb_fill(c, 0, 0, c->w, c->h, 0x00000000);
	kt_fb_fill(c, 8, 8, c->w - 16, (c->h - 16) / 2, 0xffff0000);
	kt_fb_fill(c, 8, 8 + (c->h - 16) / 2, c->w - 16, (c->h - 16) / 2, 0x80000080);
	kt_fb_fill(c, 8, 8, 4, 4, 0xffffffff);
}

static int kt_cursor_at(struct kt *kt, const struct kt_fb *cur, const struct kt_img *base,
			int x, int y, const char *tag, uint64_t *bytes)
{
	struct kt_img want = { 0 };
	struct kt_req r;
	uint64_t b0 = 0, b1 = 0;
	int ret;

	if (kt->guestkms)
		kt_counter(kt, "bytes_to_vram", &b0);
	kt_req_init(&r, kt);
	kt_req_cursor(&r, cur, x, y);
	kt_drain_events(kt);
	ret = kt_req_commit(&r, DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT);
	kt_req_fini(&r);
	KT_CHECK(kt, !ret, "cursor at %d,%d: %s", x, y, r.what);
	KT_CHECK(kt, !kt_wait_event(kt, 3000, NULL, NULL), "cursor commit: no event");
	if (kt->guestkms)
		kt_counter(kt, "bytes_to_vram", &b1);
	*bytes = b1 - b0;
	KT_CHECK(kt, !kt_img_alloc(&want, base->w, base->h), "out of memory");
	memcpy(want.px, base->px, (size_t)base->w * base->h * 4);
	kt_img_blend(&want, cur, x, y);
	ret = kt_shot_expect(kt, tag, &want, 8);
	kt_img_free(&want);
	return ret;
}

static int kt_cursor_checks(struct kt *kt, struct kt_fb *fb, struct kt_fb *cur)
{
	struct kt_img base = { 0 };
	uint64_t bytes, rect;
	unsigned int cpp;
	int ret;

	KT_TRY(kt_scanout_cpp(kt, fb, &cpp));
	KT_CHECK(kt, !kt_img_from_fb(&base, fb), "out of memory");
	rect = (uint64_t)cur->w * cur->h * cpp;
	ret = kt_cursor_at(kt, cur, &base, 100, 80, "cursor-1", &bytes);
	if (ret == KT_PASS)
		ret = kt_bytes_near(kt, bytes, rect, "cursor on");
	/* Move: old place shows the primary again, nothing else copied. */
	if (ret == KT_PASS)
		ret = kt_cursor_at(kt, cur, &base, 300, 200, "cursor-moved", &bytes);
	if (ret == KT_PASS)
		ret = kt_bytes_near(kt, bytes, 2 * rect, "cursor move");
	/* Partly off screen, both edges. */
	if (ret == KT_PASS)
		ret = kt_cursor_at(kt, cur, &base, -20, -30, "cursor-topleft", &bytes);
	if (ret == KT_PASS)
		ret = kt_cursor_at(kt, cur, &base, (int)fb->w - 40, (int)fb->h - 24,
				   "cursor-bottomright", &bytes);
	kt_img_free(&base);
	return ret;
}

static int t_cursor(struct kt *kt)
{
	struct kt_fb fb, cur = { 0 };
	int ret;

	KT_CHECK(kt, kt->cursor_id, "the driver exposes no cursor plane");
	ret = kt_setup_pattern(kt, &fb, 9);
	if (ret == KT_PASS)
		ret = kt_fb_create(kt, &cur, 64, 64, DRM_FORMAT_ARGB8888);
	if (ret == KT_PASS) {
		kt_cursor_image(&cur);
		ret = kt_cursor_checks(kt, &fb, &cur);
	}
	kt_fb_destroy(kt, &cur);
	kt_fb_destroy(kt, &fb);
	return ret;
}

static int kt_crc_checks(struct kt *kt, struct kt_fb *fb, int dfd)
{
	uint32_t c1, c1b, c2, c3, c4;
	unsigned int seq;

	KT_TRY(kt_flip(kt, &fb[0], NULL, 0, &seq));
	KT_TRY(kt_crc_read_after(kt, dfd, seq, &c1));
	KT_TRY(kt_crc_read_after(kt, dfd, seq + 2, &c1b));
	KT_CHECK(kt, c1 == c1b, "unchanged picture: CRC %08x then %08x", c1, c1b);
	KT_TRY(kt_flip(kt, &fb[1], NULL, 0, &seq));
	KT_TRY(kt_crc_read_after(kt, dfd, seq, &c2));
	KT_CHECK(kt, c1 == c2, "same picture in two buffers: CRC %08x vs %08x", c1, c2);
	kt_fb_put(&fb[1], 123, 45, kt_fb_get_rgb(&fb[1], 123, 45) ^ 0x808080);
	KT_TRY(kt_flip(kt, &fb[1], (const uint32_t[]){ 123, 45, 124, 46 }, 1, &seq));
	KT_TRY(kt_crc_read_after(kt, dfd, seq, &c3));
	KT_CHECK(kt, c3 != c2, "one changed pixel left the CRC at %08x", c3);
	KT_TRY(kt_flip(kt, &fb[0], NULL, 0, &seq));
	KT_TRY(kt_crc_read_after(kt, dfd, seq, &c4));
	KT_CHECK(kt, c4 == c1, "back to the first buffer: CRC %08x, was %08x", c4, c1);
	printf("# CRCs: %08x (fb A), %08x (fb B), %08x (one pixel changed)\n", c1, c2, c3);
	return KT_PASS;
}

static int t_crc(struct kt *kt)
{
	struct kt_fb fb[2] = { 0 };
	int dfd = -1, ret;

	ret = kt_setup_pattern(kt, &fb[0], 10);
	if (ret == KT_PASS)
		ret = kt_fb_create(kt, &fb[1], fb[0].w, fb[0].h, DRM_FORMAT_XRGB8888);
	if (ret == KT_PASS) {
		kt_fb_pattern(&fb[1], 10);
		ret = kt_crc_open(kt, &dfd);
	}
	if (ret == KT_PASS)
		ret = kt_crc_checks(kt, fb, dfd);
	if (dfd >= 0)
		close(dfd);
	kt_fb_destroy(kt, &fb[0]);
	kt_fb_destroy(kt, &fb[1]);
	return ret;
}

const struct kt_test kt_tests_planes[] = {
	{ "damage-clips", t_damage, "FB_DAMAGE_CLIPS copy only what they name, byte counter" },
	{ "cursor-plane", t_cursor, "cursor at the right place, no trail, edges clipped" },
	{ "crc", t_crc, "CRC equal for equal pictures, differs after one pixel" },
	{ NULL, NULL, NULL },
};
