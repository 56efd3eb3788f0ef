// SPDX-License-Identifier: GPL-2.0
/*
 * guestkms: the shared display pipeline. One CRTC fed by a primary, an
 * overlay and a cursor plane, composited by the CPU into the VRAM scanout.
 */
#include <linux/slab.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_blend.h>
#include <drm/drm_damage_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_edid.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_rect.h>
#include <drm/drm_simple_kms_helper.h>
#include <drm/drm_vblank.h>

#include "guestkms.h"
#include "guestkms_compat.h"

/* primary and overlay */
static const u32 guestkms_plane_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888,
	DRM_FORMAT_RGB565,
	DRM_FORMAT_RGB888,
};

static const u32 guestkms_cursor_formats[] = {
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XRGB8888,
};

static const u64 guestkms_modifiers[] = {
	DRM_FORMAT_MOD_LINEAR,
	DRM_FORMAT_MOD_INVALID
};

/* ---------------------------------------------------------------------- */
/* planes */

static int guestkms_plane_atomic_check(struct drm_plane *plane,
				       struct drm_atomic_state *state)
{
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);
	struct drm_crtc_state *crtc_state = NULL;
	int ret;

	if (new->crtc)
		crtc_state = drm_atomic_get_new_crtc_state(state, new->crtc);
	ret = drm_atomic_helper_check_plane_state(new, crtc_state,
						  DRM_PLANE_NO_SCALING,
						  DRM_PLANE_NO_SCALING,
						  true, true);
	if (ret)
		return ret;

	/*
	 * A primary plane entirely outside an enabled CRTC is refused; the
	 * overlay and the cursor may leave the screen (legacy cursor moves do
	 * that).
	 */
	if (plane->type == DRM_PLANE_TYPE_PRIMARY && new->fb &&
	    crtc_state && crtc_state->enable && !new->visible) {
		drm_dbg_kms(plane->dev, "primary plane outside the CRTC\n");
		return -EINVAL;
	}

	if (plane->type == DRM_PLANE_TYPE_CURSOR && new->fb &&
	    (new->fb->width > GUESTKMS_CURSOR_MAX ||
	     new->fb->height > GUESTKMS_CURSOR_MAX)) {
		drm_dbg_kms(plane->dev, "cursor %ux%u larger than %u\n",
			    new->fb->width, new->fb->height,
			    GUESTKMS_CURSOR_MAX);
		return -EINVAL;
	}
	return 0;
}

/*
 * The planes have no hardware of their own: the CRTC's atomic_flush
 * composites them, once all plane states of the commit are in place.
 */
static void guestkms_plane_atomic_update(struct drm_plane *plane,
					 struct drm_atomic_state *state)
{
}

static const struct drm_plane_helper_funcs guestkms_plane_helper_funcs = {
	DRM_GEM_SHADOW_PLANE_HELPER_FUNCS,
	.atomic_check = guestkms_plane_atomic_check,
	.atomic_update = guestkms_plane_atomic_update,
};

static const struct drm_plane_funcs guestkms_plane_funcs = {
	.update_plane = drm_atomic_helper_update_plane,
	.disable_plane = drm_atomic_helper_disable_plane,
	.destroy = drm_plane_cleanup,
	DRM_GEM_SHADOW_PLANE_FUNCS,
};

static int guestkms_plane_init(struct guestkms_device *gdev,
			       struct drm_plane *plane,
			       enum drm_plane_type type, unsigned int zpos)
{
	bool cursor = type == DRM_PLANE_TYPE_CURSOR;
	int ret;

	ret = drm_universal_plane_init(&gdev->drm, plane, 1,
				       &guestkms_plane_funcs,
				       cursor ? guestkms_cursor_formats :
						guestkms_plane_formats,
				       cursor ? ARRAY_SIZE(guestkms_cursor_formats) :
						ARRAY_SIZE(guestkms_plane_formats),
				       guestkms_modifiers, type, NULL);
	if (ret)
		return ret;
	drm_plane_helper_add(plane, &guestkms_plane_helper_funcs);
	drm_plane_enable_fb_damage_clips(plane);
	return drm_plane_create_zpos_immutable_property(plane, zpos);
}

/* ---------------------------------------------------------------------- */
/* CRTC */

static enum drm_mode_status
guestkms_crtc_mode_valid(struct drm_crtc *crtc,
			 const struct drm_display_mode *mode)
{
	struct guestkms_device *gdev = to_guestkms(crtc->dev);
	struct guestkms_scanout so;
	int refresh;

	if (mode->flags & DRM_MODE_FLAG_INTERLACE)
		return MODE_NO_INTERLACE;
	if (mode->flags & DRM_MODE_FLAG_DBLSCAN)
		return MODE_NO_DBLESCAN;
	if (mode->clock <= 0 || mode->clock > 1000000)
		return MODE_CLOCK_RANGE;
	if (!mode->hdisplay || !mode->vdisplay ||
	    mode->htotal < mode->hdisplay || mode->vtotal < mode->vdisplay)
		return MODE_BAD;
	if (mode->hdisplay > gdev->max_width)
		return MODE_BAD_HVALUE;
	if (mode->vdisplay > gdev->max_height)
		return MODE_BAD_VVALUE;
	refresh = drm_mode_vrefresh(mode);
	if (refresh < 10 || refresh > 500)
		return MODE_BAD;
	if (gdev->funcs->scanout(gdev, mode, &so))
		return MODE_BAD;
	if ((u64)so.pitch * so.height > gdev->vram_size)
		return MODE_MEM;
	return MODE_OK;
}

static int guestkms_crtc_atomic_check(struct drm_crtc *crtc,
				      struct drm_atomic_state *state)
{
	struct guestkms_device *gdev = to_guestkms(crtc->dev);
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);
	struct guestkms_crtc_state *gs = to_guestkms_crtc_state(cs);
	int ret;

	if (!cs->enable) {
		memset(&gs->so, 0, sizeof(gs->so));
		return 0;
	}
	if (guestkms_crtc_mode_valid(crtc, &cs->mode) != MODE_OK)
		return -EINVAL;
	ret = gdev->funcs->scanout(gdev, &cs->mode, &gs->so);
	if (ret)
		return ret;
	if ((u64)gs->so.pitch * gs->so.height > gdev->vram_size)
		return -EINVAL;
	return 0;
}

static void guestkms_crtc_atomic_enable(struct drm_crtc *crtc,
					struct drm_atomic_state *state)
{
	struct guestkms_device *gdev = to_guestkms(crtc->dev);
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);
	struct guestkms_crtc_state *gs = to_guestkms_crtc_state(cs);
	int idx;

	if (drm_dev_enter(&gdev->drm, &idx)) {
		gdev->funcs->set_mode(gdev, &cs->mode, &gs->so);
		drm_dev_exit(idx);
	}
	mutex_lock(&gdev->scanout_lock);
	gdev->active = gs->so;
	gdev->active_valid = true;
	mutex_unlock(&gdev->scanout_lock);
	drm_crtc_vblank_on(crtc);
}

/*
 * Send the commit's event at the next emulated vblank, or at once when the
 * CRTC is off or its vblank cannot be enabled.
 */
static void guestkms_crtc_send_event(struct guestkms_device *gdev,
				     struct drm_crtc_state *cs)
{
	struct drm_crtc *crtc = &gdev->crtc;
	struct drm_pending_vblank_event *event = cs->event;

	if (!event)
		return;
	cs->event = NULL;
	/* Events without a file are the helpers' internal ones. */
	if (event->base.file_priv)
		atomic64_inc(&gdev->stats.flips);
	spin_lock_irq(&crtc->dev->event_lock);
	if (cs->active && drm_crtc_vblank_get(crtc) == 0)
		drm_crtc_arm_vblank_event(crtc, event);
	else
		drm_crtc_send_vblank_event(crtc, event);
	spin_unlock_irq(&crtc->dev->event_lock);
}

static void guestkms_crtc_atomic_disable(struct drm_crtc *crtc,
					 struct drm_atomic_state *state)
{
	struct guestkms_device *gdev = to_guestkms(crtc->dev);
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);
	int idx;

	drm_crtc_vblank_off(crtc);
	/* Planes are not committed on an inactive CRTC: no flush follows. */
	if (!cs->active) {
		atomic64_inc(&gdev->stats.commits);
		guestkms_crtc_send_event(gdev, cs);
	}
	mutex_lock(&gdev->scanout_lock);
	gdev->active_valid = false;
	mutex_unlock(&gdev->scanout_lock);
	if (drm_dev_enter(&gdev->drm, &idx)) {
		gdev->funcs->disable(gdev);
		drm_dev_exit(idx);
	}
}

/* True when the whole scanout must be redrawn rather than damage only. */
static bool guestkms_needs_full(struct drm_atomic_state *state,
				struct drm_crtc_state *cs,
				struct drm_plane *primary)
{
	struct drm_plane_state *old, *new;

	if (drm_atomic_crtc_needs_modeset(cs))
		return true;
	old = drm_atomic_get_old_plane_state(state, primary);
	new = drm_atomic_get_new_plane_state(state, primary);
	if (!old || !new)
		return false;
	if (old->visible != new->visible)
		return true;
	return new->visible && !drm_rect_equals(&old->dst, &new->dst);
}

/* True when a plane appeared, vanished, moved or shows another source. */
static bool guestkms_plane_moved(const struct drm_plane_state *old,
				 const struct drm_plane_state *new)
{
	if (old->visible != new->visible)
		return true;
	return new->visible && (!drm_rect_equals(&old->dst, &new->dst) ||
				!drm_rect_equals(&old->src, &new->src));
}

/* Recompose the plane's damage, translated to CRTC coordinates. */
static void guestkms_draw_damage(struct guestkms_device *gdev,
				 const struct drm_plane_state *old,
				 const struct drm_plane_state *new)
{
	struct drm_atomic_helper_damage_iter iter;
	struct drm_rect clip;

	if (!new->visible)
		return;
	drm_atomic_helper_damage_iter_init(&iter, old, new);
	drm_atomic_for_each_plane_damage(&iter, &clip) {
		/* framebuffer coordinates to CRTC coordinates */
		drm_rect_translate(&clip, new->dst.x1 - (new->src.x1 >> 16),
				   new->dst.y1 - (new->src.y1 >> 16));
		guestkms_compose_rect(gdev, &clip);
	}
}

/*
 * Recompose where a plane was and where it is now: their union when that
 * is no larger than the two rectangles, else each.
 */
static void guestkms_draw_move(struct guestkms_device *gdev,
			       const struct drm_plane_state *old,
			       const struct drm_plane_state *new)
{
	struct drm_rect both;

	if (old->visible && new->visible) {
		both.x1 = min(old->dst.x1, new->dst.x1);
		both.y1 = min(old->dst.y1, new->dst.y1);
		both.x2 = max(old->dst.x2, new->dst.x2);
		both.y2 = max(old->dst.y2, new->dst.y2);
		if ((s64)drm_rect_width(&both) * drm_rect_height(&both) <=
		    (s64)drm_rect_width(&old->dst) * drm_rect_height(&old->dst) +
		    (s64)drm_rect_width(&new->dst) * drm_rect_height(&new->dst)) {
			guestkms_compose_rect(gdev, &both);
			return;
		}
	}
	if (old->visible)
		guestkms_compose_rect(gdev, &old->dst);
	if (new->visible)
		guestkms_compose_rect(gdev, &new->dst);
}

static void guestkms_draw_primary(struct guestkms_device *gdev,
				  struct drm_atomic_state *state)
{
	struct drm_plane_state *old, *new;

	old = drm_atomic_get_old_plane_state(state, &gdev->primary);
	new = drm_atomic_get_new_plane_state(state, &gdev->primary);
	if (old && new)
		guestkms_draw_damage(gdev, old, new);
}

static void guestkms_draw_overlay(struct guestkms_device *gdev,
				  struct drm_atomic_state *state)
{
	struct drm_plane_state *old, *new;

	old = drm_atomic_get_old_plane_state(state, &gdev->overlay);
	new = drm_atomic_get_new_plane_state(state, &gdev->overlay);
	if (!old || !new || (!old->visible && !new->visible))
		return;
	atomic64_inc(&gdev->stats.overlay_updates);
	if (guestkms_plane_moved(old, new))
		guestkms_draw_move(gdev, old, new);
	else
		guestkms_draw_damage(gdev, old, new);
}

/* Any cursor change redraws its old and new places: the cursor is small. */
static void guestkms_draw_cursor(struct guestkms_device *gdev,
				 struct drm_atomic_state *state)
{
	struct drm_plane_state *old, *new;

	old = drm_atomic_get_old_plane_state(state, &gdev->cursor);
	new = drm_atomic_get_new_plane_state(state, &gdev->cursor);
	if (!old || !new || (!old->visible && !new->visible))
		return;
	atomic64_inc(&gdev->stats.cursor_updates);
	guestkms_draw_move(gdev, old, new);
}

static void guestkms_update_scanout(struct guestkms_device *gdev,
				    struct drm_atomic_state *state,
				    struct drm_crtc_state *cs)
{
	ktime_t start;
	int idx;

	if (!drm_dev_enter(&gdev->drm, &idx))
		return;
	mutex_lock(&gdev->scanout_lock);
	start = ktime_get();
	/*
	 * The commit tail enables the CRTC before committing the planes, so
	 * the mode is programmed and @active describes it by now.
	 */
	if (drm_WARN_ON_ONCE(&gdev->drm, !gdev->active_valid))
		goto out;
	if (guestkms_needs_full(state, cs, &gdev->primary)) {
		struct drm_rect all;

		drm_rect_init(&all, 0, 0, gdev->active.width,
			      gdev->active.height);
		guestkms_compose_rect(gdev, &all);
		atomic64_inc(&gdev->stats.full_redraws);
	} else {
		guestkms_draw_primary(gdev, state);
		guestkms_draw_overlay(gdev, state);
		guestkms_draw_cursor(gdev, state);
	}
	atomic64_add(ktime_to_ns(ktime_sub(ktime_get(), start)),
		     &gdev->stats.compose_ns);
	if (READ_ONCE(gdev->crc_enabled))
		guestkms_crc_update(gdev);
out:
	mutex_unlock(&gdev->scanout_lock);
	drm_dev_exit(idx);
}

static void guestkms_crtc_atomic_flush(struct drm_crtc *crtc,
				       struct drm_atomic_state *state)
{
	struct guestkms_device *gdev = to_guestkms(crtc->dev);
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);

	if (cs->active)
		guestkms_update_scanout(gdev, state, cs);
	atomic64_inc(&gdev->stats.commits);
	guestkms_crtc_send_event(gdev, cs);
}

static const struct drm_crtc_helper_funcs guestkms_crtc_helper_funcs = {
	.mode_valid = guestkms_crtc_mode_valid,
	.atomic_check = guestkms_crtc_atomic_check,
	.atomic_flush = guestkms_crtc_atomic_flush,
	.atomic_enable = guestkms_crtc_atomic_enable,
	.atomic_disable = guestkms_crtc_atomic_disable,
};

static void guestkms_crtc_reset(struct drm_crtc *crtc)
{
	struct guestkms_crtc_state *gs = kzalloc(sizeof(*gs), GFP_KERNEL);

	if (crtc->state)
		crtc->funcs->atomic_destroy_state(crtc, crtc->state);
	if (gs)
		__drm_atomic_helper_crtc_reset(crtc, &gs->base);
	else
		__drm_atomic_helper_crtc_reset(crtc, NULL);
}

static struct drm_crtc_state *
guestkms_crtc_duplicate_state(struct drm_crtc *crtc)
{
	struct guestkms_crtc_state *gs;

	if (WARN_ON(!crtc->state))
		return NULL;
	gs = kzalloc(sizeof(*gs), GFP_KERNEL);
	if (!gs)
		return NULL;
	__drm_atomic_helper_crtc_duplicate_state(crtc, &gs->base);
	gs->so = to_guestkms_crtc_state(crtc->state)->so;
	return &gs->base;
}

static void guestkms_crtc_destroy_state(struct drm_crtc *crtc,
					struct drm_crtc_state *state)
{
	__drm_atomic_helper_crtc_destroy_state(state);
	kfree(to_guestkms_crtc_state(state));
}

static const struct drm_crtc_funcs guestkms_crtc_funcs = {
	.reset = guestkms_crtc_reset,
	.destroy = drm_crtc_cleanup,
	.set_config = drm_atomic_helper_set_config,
	.page_flip = drm_atomic_helper_page_flip,
	.atomic_duplicate_state = guestkms_crtc_duplicate_state,
	.atomic_destroy_state = guestkms_crtc_destroy_state,
	.enable_vblank = guestkms_enable_vblank,
	.disable_vblank = guestkms_disable_vblank,
	.get_vblank_timestamp = guestkms_get_vblank_timestamp,
	.get_crc_sources = guestkms_get_crc_sources,
	.verify_crc_source = guestkms_verify_crc_source,
	.set_crc_source = guestkms_set_crc_source,
};

/* ---------------------------------------------------------------------- */
/* connector */

static int guestkms_connector_get_modes(struct drm_connector *connector)
{
	struct guestkms_device *gdev = to_guestkms(connector->dev);
	const struct drm_edid *edid = NULL;
	int count, idx;

	if (gdev->funcs->read_edid && drm_dev_enter(&gdev->drm, &idx)) {
		edid = gdev->funcs->read_edid(gdev);
		drm_dev_exit(idx);
	}
	count = guestkms_edid_update(connector, edid);
	count += drm_add_modes_noedid(connector, min(gdev->max_width, 2560U),
				      min(gdev->max_height, 1600U));
	if (!edid)
		drm_set_preferred_mode(connector, gdev->pref_width,
				       gdev->pref_height);
	drm_edid_free(edid);
	return count;
}

static const struct drm_connector_helper_funcs guestkms_connector_helper_funcs = {
	.get_modes = guestkms_connector_get_modes,
};

static const struct drm_connector_funcs guestkms_connector_funcs = {
	.fill_modes = drm_helper_probe_single_connector_modes,
	.destroy = drm_connector_cleanup,
	.reset = drm_atomic_helper_connector_reset,
	.atomic_duplicate_state = drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_connector_destroy_state,
};

/* ---------------------------------------------------------------------- */

/**
 * guestkms_modeset_init - create planes, CRTC, encoder and connector
 * @gdev: the device, with hardware already initialised
 */
int guestkms_modeset_init(struct guestkms_device *gdev)
{
	struct drm_device *drm = &gdev->drm;
	int ret;

	ret = guestkms_plane_init(gdev, &gdev->primary, DRM_PLANE_TYPE_PRIMARY,
				  GUESTKMS_ZPOS_PRIMARY);
	if (ret)
		return ret;
	ret = guestkms_plane_init(gdev, &gdev->overlay, DRM_PLANE_TYPE_OVERLAY,
				  GUESTKMS_ZPOS_OVERLAY);
	if (ret)
		return ret;
	ret = guestkms_plane_init(gdev, &gdev->cursor, DRM_PLANE_TYPE_CURSOR,
				  GUESTKMS_ZPOS_CURSOR);
	if (ret)
		return ret;

	ret = drm_crtc_init_with_planes(drm, &gdev->crtc, &gdev->primary,
					&gdev->cursor, &guestkms_crtc_funcs,
					NULL);
	if (ret)
		return ret;
	drm_crtc_helper_add(&gdev->crtc, &guestkms_crtc_helper_funcs);

	ret = drm_simple_encoder_init(drm, &gdev->encoder,
				      DRM_MODE_ENCODER_DAC);
	if (ret)
		return ret;
	gdev->encoder.possible_crtcs = drm_crtc_mask(&gdev->crtc);

	ret = drm_connector_init(drm, &gdev->connector,
				 &guestkms_connector_funcs,
				 gdev->funcs->connector_type);
	if (ret)
		return ret;
	drm_connector_helper_add(&gdev->connector,
				 &guestkms_connector_helper_funcs);
	ret = drm_connector_attach_encoder(&gdev->connector, &gdev->encoder);
	if (ret)
		return ret;

	return guestkms_vblank_init(gdev);
}
