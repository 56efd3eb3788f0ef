// SPDX-License-Identifier: MIT
/* kmstest: helpers shared by the subtests and kms-bench. */
#include "kmstest.h"

#include <drm_fourcc.h>
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
