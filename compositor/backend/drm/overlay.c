// SPDX-License-Identifier: MIT
/*
 * A client's wl_shm buffer on guestkms' overlay plane. The core lifts the
 * topmost surface (opaque, unscaled, inside the output) out of the
 * composited frame when it can; the buffer becomes a userptr framebuffer
 * (the scanout slots of scanout.c) and guestkms copies its damage straight
 * into VRAM above the primary plane. A client animating a window then
 * costs one copy a frame instead of two, and frames where only that window
 * changed commit the overlay alone: nothing is composited.
 *
 * A new position or size is checked with TEST_ONLY first; a refused
 * commit turns the overlay off for good and everything is composited.
 */
#include <errno.h>
#include <string.h>

#include "drm-private.h"
#include "guestwl/log.h"
#include "guestwl/output.h"

/* The plane already shows a framebuffer of this size at this place. */
static bool overlay_kept(const struct drm_output *out, const struct drm_fb *fb, int32_t x,
	int32_t y)
{
	const struct drm_plane *p = &out->overlay;
	return !out->needs_modeset && p->set_fb && p->set_w == fb->width &&
		p->set_h == fb->height && p->set_x == x && p->set_y == y;
}

static void add_full(struct drm_atomic *a, struct drm_output *out, const struct drm_fb *fb,
	int32_t x, int32_t y)
{
	drm_add_plane(a, &out->overlay, out->crtc_id, fb->fb_id, x, y, fb->width, fb->height);
}

/* Would the driver take the framebuffer there, with the rest as it is? */
static bool overlay_test(struct drm_output *out, const struct drm_fb *fb, int32_t x, int32_t y)
{
	struct drm_atomic a;
	drm_atomic_init(&a);
	add_full(&a, out, fb, x, y);
	int ret = drm_atomic_commit(&a, out->backend->fd, DRM_MODE_ATOMIC_TEST_ONLY, NULL);
	drm_atomic_finish(&a);
	if (ret < 0)
		gwl_log(GWL_DEBUG, "drm: CRTC %u: overlay %dx%d at %d,%d refused: %s",
			out->crtc_id, fb->width, fb->height, x, y, strerror(-ret));
	return ret == 0;
}

static bool overlay_off(struct drm_output *out)
{
	if (out->ov_back >= 0 || out->ov_front >= 0 || out->overlay.set_fb) {
		out->ov_back = -1;
		out->ov_changed = true;
	}
	return true;
}

bool drm_overlay_set(struct gwl_output *output, struct wl_resource *buffer, int32_t ox,
	int32_t oy, const pixman_region32_t *damage)
{
	struct drm_output *out = output->backend_data;
	if (!buffer)
		return overlay_off(out);
	if (!out->has_overlay || out->ov_failed || out->dead || out->backend->removed)
		return false;
	struct drm_scanout *sc = drm_scanout_slot_for(out, buffer);
	if (!sc)
		return false;
	if (!overlay_kept(out, &sc->fb, ox, oy) && !overlay_test(out, &sc->fb, ox, oy))
		return false;
	if (!drm_scanout_pin(out, sc))
		return false;
	/* A change not committed yet (a frame queued behind a cursor commit)
	 * is replaced: its damage is still to show. */
	if (out->ov_changed)
		pixman_region32_union(&out->ov_damage, &out->ov_damage,
			(pixman_region32_t *)damage);
	else
		pixman_region32_copy(&out->ov_damage, (pixman_region32_t *)damage);
	if (out->ov_back < 0 && out->ov_front < 0)
		gwl_log(GWL_DEBUG, "drm: CRTC %u: a client's buffer on the overlay plane",
			out->crtc_id);
	out->ov_back = DRM_SCANOUT_BASE + (int)(sc - out->scanout);
	out->ov_x = ox;
	out->ov_y = oy;
	out->ov_changed = true;
	sc->used = out->frame + 1;
	drm_scanout_update(out); /* a replaced buffer is free now */
	return true;
}

void drm_overlay_add(struct drm_atomic *a, struct drm_output *out)
{
	struct drm_plane *p = &out->overlay;
	if (!out->ov_changed || !out->has_overlay)
		return;
	if (out->ov_back < 0) {
		drm_add_plane(a, p, 0, 0, 0, 0, 0, 0);
		return;
	}
	const struct drm_fb *fb = drm_output_fb(out, out->ov_back);
	if (!overlay_kept(out, fb, out->ov_x, out->ov_y)) {
		add_full(a, out, fb, out->ov_x, out->ov_y);
		return;
	}
	if (p->set_fb != fb->fb_id)
		drm_atomic_add(a, p->id, p->props.fb_id, fb->fb_id);
	uint32_t clips = p->props.damage_clips ?
		drm_damage_blob(out, &out->ov_clips, &out->ov_damage) : 0;
	if (clips)
		drm_atomic_add(a, p->id, p->props.damage_clips, clips);
}

void drm_overlay_committed(struct drm_output *out, bool ok)
{
	struct drm_plane *p = &out->overlay;
	if (!out->ov_changed)
		return;
	if (!ok) {
		p->set_fb = 0; /* unknown: send everything next time */
		return;
	}
	out->ov_changed = false;
	out->ov_in_flight = true;
	if (out->ov_back < 0) {
		p->set_fb = 0;
		return;
	}
	const struct drm_fb *fb = drm_output_fb(out, out->ov_back);
	p->set_fb = fb->fb_id;
	p->set_x = out->ov_x;
	p->set_y = out->ov_y;
	p->set_w = fb->width;
	p->set_h = fb->height;
}

void drm_overlay_shown(struct drm_output *out)
{
	if (!out->ov_in_flight)
		return;
	out->ov_in_flight = false;
	out->ov_front = out->ov_back;
	drm_scanout_update(out);
}
