// SPDX-License-Identifier: MIT
/*
 * kmstest: a small atomic request builder. The first error sticks (a
 * missing property, an allocation failure), so callers add everything and
 * check once; commits always run TEST_ONLY before the real commit.
 */
#include "kmstest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void kt_req_init(struct kt_req *r, struct kt *kt)
{
	memset(r, 0, sizeof(*r));
	r->kt = kt;
	r->req = drmModeAtomicAlloc();
	if (!r->req) {
		r->err = -ENOMEM;
		snprintf(r->what, sizeof(r->what), "drmModeAtomicAlloc failed");
	}
}

void kt_req_fini(struct kt_req *r)
{
	drmModeAtomicFree(r->req);
	r->req = NULL;
}

void kt_req_add_id(struct kt_req *r, uint32_t obj, uint32_t prop_id, uint64_t val)
{
	if (r->err)
		return;
	if (drmModeAtomicAddProperty(r->req, obj, prop_id, val) < 0) {
		r->err = -ENOMEM;
		snprintf(r->what, sizeof(r->what),
			 "cannot add property %u of object %u", prop_id, obj);
	}
}

void kt_req_add(struct kt_req *r, uint32_t obj, uint32_t type,
		const char *prop, uint64_t val)
{
	uint32_t id;

	if (r->err)
		return;
	id = kt_prop(r->kt, obj, type, prop);
	if (!id) {
		r->err = -ENOENT;
		snprintf(r->what, sizeof(r->what),
			 "object %u has no property '%s'", obj, prop);
		return;
	}
	kt_req_add_id(r, obj, id, val);
}

int kt_req_test(struct kt_req *r, uint32_t flags)
{
	if (r->err)
		return r->err;
	if (drmModeAtomicCommit(r->kt->fd, r->req,
				(flags & ~DRM_MODE_PAGE_FLIP_EVENT &
				 ~DRM_MODE_ATOMIC_NONBLOCK) |
				DRM_MODE_ATOMIC_TEST_ONLY, NULL)) {
		r->err = -errno;
		snprintf(r->what, sizeof(r->what), "TEST_ONLY commit: %s",
			 strerror(errno));
	}
	return r->err;
}

int kt_req_commit(struct kt_req *r, uint32_t flags)
{
	if (kt_req_test(r, flags))
		return r->err;
	if (drmModeAtomicCommit(r->kt->fd, r->req, flags, NULL)) {
		r->err = -errno;
		snprintf(r->what, sizeof(r->what),
			 "commit failed after TEST_ONLY passed: %s", strerror(errno));
	}
	return r->err;
}

void kt_req_primary(struct kt_req *r, const struct kt_fb *fb,
		    unsigned int w, unsigned int h)
{
	struct kt *kt = r->kt;
	uint32_t p = kt->primary_id, t = DRM_MODE_OBJECT_PLANE;

	kt_req_add(r, p, t, "FB_ID", fb ? fb->fb_id : 0);
	kt_req_add(r, p, t, "CRTC_ID", fb ? kt->crtc_id : 0);
	kt_req_add(r, p, t, "SRC_X", 0);
	kt_req_add(r, p, t, "SRC_Y", 0);
	kt_req_add(r, p, t, "SRC_W", fb ? (uint64_t)w << 16 : 0);
	kt_req_add(r, p, t, "SRC_H", fb ? (uint64_t)h << 16 : 0);
	kt_req_add(r, p, t, "CRTC_X", 0);
	kt_req_add(r, p, t, "CRTC_Y", 0);
	kt_req_add(r, p, t, "CRTC_W", fb ? w : 0);
	kt_req_add(r, p, t, "CRTC_H", fb ? h : 0);
}

void kt_req_plane_at(struct kt_req *r, uint32_t plane, const struct kt_fb *fb,
		     int x, int y)
{
	uint32_t t = DRM_MODE_OBJECT_PLANE;

	if (!fb) {
		kt_req_add(r, plane, t, "FB_ID", 0);
		kt_req_add(r, plane, t, "CRTC_ID", 0);
		return;
	}
	kt_req_add(r, plane, t, "FB_ID", fb->fb_id);
	kt_req_add(r, plane, t, "CRTC_ID", r->kt->crtc_id);
	kt_req_add(r, plane, t, "SRC_X", 0);
	kt_req_add(r, plane, t, "SRC_Y", 0);
	kt_req_add(r, plane, t, "SRC_W", (uint64_t)fb->w << 16);
	kt_req_add(r, plane, t, "SRC_H", (uint64_t)fb->h << 16);
	kt_req_add(r, plane, t, "CRTC_X", (uint64_t)(int64_t)x);
	kt_req_add(r, plane, t, "CRTC_Y", (uint64_t)(int64_t)y);
	kt_req_add(r, plane, t, "CRTC_W", fb->w);
	kt_req_add(r, plane, t, "CRTC_H", fb->h);
}

void kt_req_cursor(struct kt_req *r, const struct kt_fb *fb, int x, int y)
{
	kt_req_plane_at(r, r->kt->cursor_id, fb, x, y);
}

void kt_req_overlay_off(struct kt_req *r)
{
	if (r->kt->overlay_id)
		kt_req_plane_at(r, r->kt->overlay_id, NULL, 0, 0);
}

int kt_req_commit_wait(struct kt_req *r, uint64_t *bytes, const char *what)
{
	struct kt *kt = r->kt;
	uint64_t b0 = 0, b1 = 0;
	int ret;

	if (kt->guestkms)
		kt_counter(kt, "bytes_to_vram", &b0);
	kt_drain_events(kt);
	ret = kt_req_commit(r, DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT);
	if (ret)
		return kt_fail(kt, "%s: %s", what, r->what);
	if (kt_wait_event(kt, 3000, NULL, NULL))
		return kt_fail(kt, "%s: no event within 3 s", what);
	if (kt->guestkms)
		kt_counter(kt, "bytes_to_vram", &b1);
	if (bytes)
		*bytes = b1 - b0;
	return KT_PASS;
}

void kt_req_cursor_off(struct kt_req *r)
{
	struct kt *kt = r->kt;

	if (!kt->cursor_id)
		return;
	kt_req_add(r, kt->cursor_id, DRM_MODE_OBJECT_PLANE, "FB_ID", 0);
	kt_req_add(r, kt->cursor_id, DRM_MODE_OBJECT_PLANE, "CRTC_ID", 0);
}

/* Full modeset of mode m showing fb (cursor off); waits for the event. */
int kt_modeset(struct kt *kt, const drmModeModeInfo *m, const struct kt_fb *fb)
{
	struct kt_req r;
	uint32_t blob;
	int ret;

	ret = kt_create_mode_blob(kt, m, &blob);
	if (ret)
		return kt_fail(kt, "cannot create mode blob: %s", strerror(-ret));
	kt_req_init(&r, kt);
	kt_req_add(&r, kt->conn_id, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", kt->crtc_id);
	kt_req_add(&r, kt->crtc_id, DRM_MODE_OBJECT_CRTC, "MODE_ID", blob);
	kt_req_add(&r, kt->crtc_id, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	kt_req_primary(&r, fb, m->hdisplay, m->vdisplay);
	kt_req_overlay_off(&r);
	kt_req_cursor_off(&r);
	kt_drain_events(kt);
	ret = kt_req_commit(&r, DRM_MODE_ATOMIC_ALLOW_MODESET |
			    DRM_MODE_PAGE_FLIP_EVENT);
	if (ret) {
		ret = kt_fail(kt, "modeset %s: %s", m->name, r.what);
	} else {
		ret = kt_wait_event(kt, 3000, NULL, NULL);
		if (ret)
			ret = kt_fail(kt, "modeset %s: no flip event within 3 s", m->name);
	}
	kt_req_fini(&r);
	drmModeDestroyPropertyBlob(kt->fd, blob);
	return ret ? KT_FAIL : KT_PASS;
}

/*
 * Nonblocking flip to fb with optional damage clips (x1,y1,x2,y2 each);
 * waits for its event and returns its sequence.
 */
int kt_flip(struct kt *kt, const struct kt_fb *fb, const uint32_t *clips,
	    unsigned int nclips, unsigned int *seq)
{
	struct kt_req r;
	uint32_t blob = 0;
	int ret;

	if (nclips) {
		struct drm_mode_rect rects[8];

		if (nclips > 8)
			return kt_fail(kt, "too many clips");
		for (unsigned int i = 0; i < nclips; i++) {
			rects[i].x1 = (int32_t)clips[4 * i];
			rects[i].y1 = (int32_t)clips[4 * i + 1];
			rects[i].x2 = (int32_t)clips[4 * i + 2];
			rects[i].y2 = (int32_t)clips[4 * i + 3];
		}
		if (drmModeCreatePropertyBlob(kt->fd, rects,
					      sizeof(rects[0]) * nclips, &blob))
			return kt_fail(kt, "damage blob: %s", strerror(errno));
	}
	kt_req_init(&r, kt);
	kt_req_add(&r, kt->primary_id, DRM_MODE_OBJECT_PLANE, "FB_ID", fb->fb_id);
	if (nclips)
		kt_req_add(&r, kt->primary_id, DRM_MODE_OBJECT_PLANE,
			   "FB_DAMAGE_CLIPS", blob);
	kt_drain_events(kt);
	ret = kt_req_commit(&r, DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT);
	if (ret)
		ret = kt_fail(kt, "flip: %s", r.what);
	else if (kt_wait_event(kt, 3000, seq, NULL))
		ret = kt_fail(kt, "flip: no event within 3 s");
	kt_req_fini(&r);
	if (blob)
		drmModeDestroyPropertyBlob(kt->fd, blob);
	return ret ? KT_FAIL : KT_PASS;
}
