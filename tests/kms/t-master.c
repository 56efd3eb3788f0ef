// SPDX-License-Identifier: MIT
/*
 * kmstest: property values out of range, commits from non-masters, a
 * framebuffer larger than VRAM, and the final kernel log check.
 */
#include "kmstest.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int kt_commit_err(struct kt *kt, int fd, drmModeAtomicReq *req, uint32_t flags,
			 int e1, int e2, const char *what)
{
	int rc = drmModeAtomicCommit(fd, req, flags, NULL);
	int err = errno;

	drmModeAtomicFree(req);
	KT_CHECK(kt, rc, "%s: accepted, want %s", what, strerror(e1));
	KT_CHECK(kt, err == e1 || (e2 && err == e2), "%s: %s, want %s", what,
		 strerror(err), strerror(e1));
	return KT_PASS;
}

/* One property set to one value in TEST_ONLY; must fail with e1 or e2. */
static int kt_prop_err(struct kt *kt, uint32_t obj, uint32_t prop, uint64_t val,
		       uint32_t flags, int e1, int e2, const char *what)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();

	KT_CHECK(kt, req, "out of memory");
	drmModeAtomicAddProperty(req, obj, prop, val);
	return kt_commit_err(kt, kt->fd, req, flags | DRM_MODE_ATOMIC_TEST_ONLY,
			     e1, e2, what);
}

static int kt_prop_cases(struct kt *kt)
{
	uint32_t crtc = kt->crtc_id, pl = kt->primary_id, t = DRM_MODE_OBJECT_PLANE;
	uint32_t active = kt_prop(kt, crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE");
	uint32_t fbid = kt_prop(kt, pl, t, "FB_ID");
	uint32_t crtcid = kt_prop(kt, pl, t, "CRTC_ID");
	uint32_t dmg = kt_prop(kt, pl, t, "FB_DAMAGE_CLIPS");
	uint32_t modeid = kt_prop(kt, crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID");
	uint32_t blob;
	int ret;

	KT_CHECK(kt, active && fbid && crtcid && modeid, "standard properties missing");
	KT_TRY(kt_prop_err(kt, crtc, active, 2, DRM_MODE_ATOMIC_ALLOW_MODESET, EINVAL, 0,
			   "ACTIVE=2"));
	KT_TRY(kt_prop_err(kt, crtc, active, ~0ull, DRM_MODE_ATOMIC_ALLOW_MODESET, EINVAL,
			   0, "ACTIVE=2^64-1"));
	KT_TRY(kt_prop_err(kt, pl, fbid, 0xdeadbeef, 0, EINVAL, ENOENT, "FB_ID of no fb"));
	KT_TRY(kt_prop_err(kt, pl, crtcid, 0xdeadbeef, 0, EINVAL, ENOENT,
			   "plane CRTC_ID of no CRTC"));
	KT_TRY(kt_prop_err(kt, pl, 0xfffff, 1, 0, ENOENT, EINVAL, "unknown property id"));
	KT_TRY(kt_prop_err(kt, 0xfffff, fbid, 1, 0, ENOENT, EINVAL, "unknown object id"));
	KT_TRY(kt_prop_err(kt, crtc, modeid, 0xdeadbeef, DRM_MODE_ATOMIC_ALLOW_MODESET,
			   EINVAL, ENOENT, "MODE_ID of no blob"));
	KT_TRY(kt_prop_err(kt, pl, fbid, 0, 0x80000000u, EINVAL, 0, "unknown commit flag"));
	if (dmg) {
		/* A damage blob whose size is no multiple of a rectangle. */
		uint32_t junk[5] = { 0, 0, 10, 10, 7 };

		KT_CHECK(kt, !drmModeCreatePropertyBlob(kt->fd, junk, sizeof(junk), &blob),
			 "blob: %s", strerror(errno));
		ret = kt_prop_err(kt, pl, dmg, blob, 0, EINVAL, 0, "20-byte damage blob");
		drmModeDestroyPropertyBlob(kt->fd, blob);
		KT_TRY(ret);
	}
	return KT_PASS;
}

static int t_bad_props(struct kt *kt)
{
	struct kt_fb fb;
	int ret;

	ret = kt_setup_pattern(kt, &fb, 13);
	if (ret == KT_PASS)
		ret = kt_prop_cases(kt);
	kt_fb_destroy(kt, &fb);
	KT_TRY(ret);
	return kt_display_ok(kt, "after-bad-props");
}

static drmModeAtomicReq *kt_flip_req(struct kt *kt, const struct kt_fb *fb)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();

	if (req)
		drmModeAtomicAddProperty(req, kt->primary_id,
					 kt_prop(kt, kt->primary_id, DRM_MODE_OBJECT_PLANE,
						 "FB_ID"), fb->fb_id);
	return req;
}

static int kt_master_cases(struct kt *kt, const struct kt_fb *fb, int fd2)
{
	drmModeAtomicReq *req;

	KT_CHECK(kt, !drmSetClientCap(fd2, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) &&
		 !drmSetClientCap(fd2, DRM_CLIENT_CAP_ATOMIC, 1), "second fd: no atomic");
	/* A second open is not master while the first holds it. */
	req = kt_flip_req(kt, fb);
	KT_TRY(kt_commit_err(kt, fd2, req, DRM_MODE_ATOMIC_TEST_ONLY, EACCES, EPERM,
			     "TEST_ONLY from a second open"));
	req = kt_flip_req(kt, fb);
	KT_TRY(kt_commit_err(kt, fd2, req, 0, EACCES, EPERM, "commit from a second open"));
	KT_CHECK(kt, drmModePageFlip(fd2, kt->crtc_id, fb->fb_id, 0, NULL),
		 "legacy PAGE_FLIP from a second open succeeded");
	/* After dropping master, the first fd cannot commit either. */
	KT_CHECK(kt, !drmDropMaster(kt->fd), "DROP_MASTER: %s", strerror(errno));
	req = kt_flip_req(kt, fb);
	KT_TRY(kt_commit_err(kt, kt->fd, req, 0, EACCES, EPERM,
			     "commit after DROP_MASTER"));
	/* The second fd can take over, then hand back. */
	KT_CHECK(kt, !drmSetMaster(fd2), "SET_MASTER on the second fd: %s", strerror(errno));
	req = kt_flip_req(kt, fb);
	KT_CHECK(kt, req && !drmModeAtomicCommit(fd2, req, 0, NULL),
		 "commit from the new master: %s", strerror(errno));
	drmModeAtomicFree(req);
	KT_CHECK(kt, !drmDropMaster(fd2), "DROP_MASTER on fd2: %s", strerror(errno));
	KT_CHECK(kt, !drmSetMaster(kt->fd), "SET_MASTER back: %s", strerror(errno));
	return KT_PASS;
}

static int t_non_master(struct kt *kt)
{
	struct kt_fb fb;
	int fd2, ret;

	ret = kt_setup_pattern(kt, &fb, 14);
	fd2 = open(kt->node, O_RDWR | O_CLOEXEC);
	if (ret == KT_PASS && fd2 < 0)
		ret = kt_fail(kt, "second open of %s: %s", kt->node, strerror(errno));
	if (ret == KT_PASS)
		ret = kt_master_cases(kt, &fb, fd2);
	if (fd2 >= 0)
		close(fd2);
	kt_fb_destroy(kt, &fb);
	KT_TRY(ret);
	return kt_display_ok(kt, "after-non-master");
}

/* A framebuffer larger than VRAM, panned: the screen shows the window. */
static int t_big_fb(struct kt *kt)
{
	unsigned int w = kt->pref.hdisplay, h = kt->pref.vdisplay;
	const unsigned int bw = 4096, bh = 3072, ox = 1000, oy = 900;
	struct kt_img want = { 0 };
	struct kt_fb fb;
	struct kt_req r;
	int ret;

	KT_TRY(kt_fb_create(kt, &fb, bw, bh, DRM_FORMAT_XRGB8888));
	kt_fb_pattern(&fb, 15);
	KT_CHECK(kt, !kt_img_alloc(&want, w, h), "out of memory");
	for (unsigned int y = 0; y < h; y++)
		for (unsigned int x = 0; x < w; x++)
			want.px[(size_t)y * w + x] = kt_fb_get_rgb(&fb, x + ox, y + oy);
	kt_req_init(&r, kt);
	kt_req_primary(&r, &fb, w, h);
	kt_req_add(&r, kt->primary_id, DRM_MODE_OBJECT_PLANE, "SRC_X", (uint64_t)ox << 16);
	kt_req_add(&r, kt->primary_id, DRM_MODE_OBJECT_PLANE, "SRC_Y", (uint64_t)oy << 16);
	kt_drain_events(kt);
	ret = kt_req_commit(&r, DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT);
	kt_req_fini(&r);
	if (ret)
		ret = kt_fail(kt, "panned %ux%u framebuffer: %s", bw, bh, r.what);
	else if (kt_wait_event(kt, 3000, NULL, NULL))
		ret = kt_fail(kt, "panned framebuffer: no event");
	else
		ret = kt_shot_expect(kt, "big-fb-pan", &want, 8);
	kt_img_free(&want);
	kt_fb_destroy(kt, &fb);
	return ret;
}

static int t_dmesg_end(struct kt *kt)
{
	return kt_dmesg_check(kt);
}

const struct kt_test kt_tests_master[] = {
	{ "bad-prop-values", t_bad_props, "out-of-range/unknown property values and ids" },
	{ "bad-non-master", t_non_master, "commits from non-master fds: EACCES" },
	{ "big-fb-pan", t_big_fb, "4096x3072 framebuffer (beyond VRAM) panned" },
	{ "dmesg-clean", t_dmesg_end, "no WARNING/Oops/BUG in the kernel log at the end" },
	{ NULL, NULL, NULL },
};
