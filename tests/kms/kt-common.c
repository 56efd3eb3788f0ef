// SPDX-License-Identifier: MIT
/* kmstest: helpers shared by the subtests and kms-bench. */
#include "kmstest.h"

#include <drm_fourcc.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int kt_setup_pattern(struct kt *kt, struct kt_fb *fb, uint32_t seed)
{
	KT_TRY(kt_fb_create(kt, fb, kt->pref.hdisplay, kt->pref.vdisplay,
			    DRM_FORMAT_XRGB8888));
	kt_fb_pattern(fb, seed);
	return kt_modeset(kt, &kt->pref, fb);
}

/*
 * After bad input: a fresh framebuffer still goes through a full modeset
 * and the screen shows it.
 */
int kt_display_ok(struct kt *kt, const char *tag)
{
	struct kt_fb fb;
	struct kt_img want = { 0 };
	int ret;

	ret = kt_setup_pattern(kt, &fb, 0x5a5a);
	if (ret == KT_PASS) {
		if (kt_img_from_fb(&want, &fb))
			ret = kt_fail(kt, "out of memory");
		else
			ret = kt_shot_expect(kt, tag, &want, 8);
		kt_img_free(&want);
	}
	kt_fb_destroy(kt, &fb);
	if (ret == KT_FAIL) {
		static const char pre[] = "display broken afterwards: ";
		size_t pl = sizeof(pre) - 1, room = sizeof(kt->reason) - pl - 1;
		size_t l = strnlen(kt->reason, room);

		memmove(kt->reason + pl, kt->reason, l);
		memcpy(kt->reason, pre, pl);
		kt->reason[pl + l] = 0;
	}
	return ret;
}

/*
 * Bytes guestkms copied to VRAM by one flip of fb (whole plane, or the
 * clips). Without the counter (other drivers) *bytes is left at 0.
 */
int kt_flip_bytes(struct kt *kt, const struct kt_fb *fb, const uint32_t *clips,
		  unsigned int nclips, uint64_t *bytes)
{
	uint64_t b0 = 0, b1 = 0;

	*bytes = 0;
	if (kt->guestkms)
		KT_CHECK(kt, !kt_counter(kt, "bytes_to_vram", &b0),
			 "no bytes_to_vram counter in guestkms_stats");
	KT_TRY(kt_flip(kt, fb, clips, nclips, NULL));
	if (kt->guestkms) {
		kt_counter(kt, "bytes_to_vram", &b1);
		*bytes = b1 - b0;
	}
	return KT_PASS;
}

/* Scanout bytes per pixel, from a full-plane update's byte count. */
int kt_scanout_cpp(struct kt *kt, const struct kt_fb *fb, unsigned int *cpp)
{
	uint64_t full, area = (uint64_t)fb->w * fb->h;

	*cpp = 0;
	KT_TRY(kt_flip_bytes(kt, fb, NULL, 0, &full));
	if (!kt->guestkms)
		return KT_PASS;
	for (unsigned int c = 2; c <= 4; c++)
		if (fabs((double)full - (double)(area * c)) <= area * c * 0.1)
			*cpp = c;
	KT_CHECK(kt, *cpp, "full-screen update copied %llu bytes for %ux%u pixels",
		 (unsigned long long)full, fb->w, fb->h);
	printf("# full-screen update: %llu bytes (%u bytes/pixel scanout)\n",
	       (unsigned long long)full, *cpp);
	return KT_PASS;
}

int kt_bytes_near(struct kt *kt, uint64_t got, uint64_t want, const char *what)
{
	if (!kt->guestkms)
		return KT_PASS;
	printf("# %s: %llu bytes copied, damaged area is %llu bytes\n", what,
	       (unsigned long long)got, (unsigned long long)want);
	KT_CHECK(kt, fabs((double)got - (double)want) <= want * 0.1,
		 "%s copied %llu bytes to VRAM, damaged area is %llu (10 %% tolerance)",
		 what, (unsigned long long)got, (unsigned long long)want);
	return KT_PASS;
}
