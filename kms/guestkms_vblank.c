// SPDX-License-Identifier: GPL-2.0
/*
 * guestkms: emulated vblank and CRC capture.
 *
 * The devices have no vblank interrupt. An hrtimer ticks at the mode's
 * refresh rate while the DRM core has vblank interrupts enabled (someone
 * waits for a vblank or a page-flip event, or CRC capture runs) and stops
 * otherwise. Each tick completes pending page-flip events and, with CRC
 * capture on, adds one CRC entry computed over the VRAM scanout.
 */
#include <linux/math64.h>
#include <linux/string.h>

#include "guestkms.h"

#include <drm/drm_debugfs_crc.h>
#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/drm_vblank.h>

#define GUESTKMS_DEFAULT_FRAME_NS 16666667

static enum hrtimer_restart guestkms_vblank_tick(struct hrtimer *timer)
{
	struct guestkms_device *gdev =
		container_of(timer, struct guestkms_device, vblank_timer);
	struct drm_crtc *crtc = &gdev->crtc;
	bool crc_on;
	u32 crc;

	if (!READ_ONCE(gdev->vblank_enabled))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, gdev->vblank_period);

	drm_crtc_handle_vblank(crtc);
	atomic64_inc(&gdev->stats.vblanks);

	spin_lock(&gdev->crc_lock);
	crc_on = gdev->crc_enabled;
	crc = gdev->crc;
	spin_unlock(&gdev->crc_lock);
	if (crc_on) {
		drm_crtc_add_crc_entry(crtc, true, drm_crtc_vblank_count(crtc),
				       &crc);
		atomic64_inc(&gdev->stats.crc_entries);
	}
	return HRTIMER_RESTART;
}

int guestkms_enable_vblank(struct drm_crtc *crtc)
{
	struct guestkms_device *gdev = to_guestkms(crtc->dev);
	struct drm_vblank_crtc *vblank = &crtc->dev->vblank[drm_crtc_index(crtc)];
	u64 ns = vblank->framedur_ns;

	if (!ns)
		ns = GUESTKMS_DEFAULT_FRAME_NS;
	gdev->vblank_period = ns_to_ktime(ns);
	WRITE_ONCE(gdev->vblank_enabled, true);
	hrtimer_start(&gdev->vblank_timer, gdev->vblank_period,
		      HRTIMER_MODE_REL);
	return 0;
}

/*
 * Called with the core's vblank spinlocks held, which the tick also takes:
 * waiting for a running tick here could deadlock, so the tick is told to
 * stop and only cancelled if it is not running.
 */
void guestkms_disable_vblank(struct drm_crtc *crtc)
{
	struct guestkms_device *gdev = to_guestkms(crtc->dev);

	WRITE_ONCE(gdev->vblank_enabled, false);
	hrtimer_try_to_cancel(&gdev->vblank_timer);
}

bool guestkms_get_vblank_timestamp(struct drm_crtc *crtc, int *max_error,
				   ktime_t *vblank_time, bool in_vblank_irq)
{
	struct guestkms_device *gdev = to_guestkms(crtc->dev);

	ktime_t now = ktime_get(), next;
	s64 period, late;

	if (!READ_ONCE(gdev->vblank_enabled)) {
		*vblank_time = now;
		return true;
	}
	/*
	 * The last period boundary at or before now. The tick forwards the
	 * timer before handling the vblank, so normally that is the expiry
	 * minus one period; while a tick is overdue (a starved guest) it is
	 * later than that, and counting from the stale expiry would make
	 * the core arm new events for a vblank that is already over.
	 */
	next = hrtimer_get_expires(&gdev->vblank_timer);
	period = ktime_to_ns(gdev->vblank_period);
	if (ktime_before(now, next) || period <= 0) {
		*vblank_time = ktime_sub_ns(next, period);
		return true;
	}
	late = ktime_to_ns(ktime_sub(now, next));
	*vblank_time = ktime_add_ns(next, div64_s64(late, period) * period);
	return true;
}

static const char *const guestkms_crc_sources[] = { "auto" };

const char *const *guestkms_get_crc_sources(struct drm_crtc *crtc,
					    size_t *count)
{
	*count = ARRAY_SIZE(guestkms_crc_sources);
	return guestkms_crc_sources;
}

int guestkms_verify_crc_source(struct drm_crtc *crtc, const char *source,
			       size_t *values_cnt)
{
	if (source && strcmp(source, "auto")) {
		drm_dbg_driver(crtc->dev, "unknown CRC source %s\n", source);
		return -EINVAL;
	}
	*values_cnt = 1;
	return 0;
}

/**
 * guestkms_crc_update - recompute the CRC of what is scanned out
 * @gdev: the device; caller holds scanout_lock
 */
void guestkms_crc_update(struct guestkms_device *gdev)
{
	u32 crc = 0;
	int idx;

	if (drm_dev_enter(&gdev->drm, &idx)) {
		crc = guestkms_scanout_crc(gdev);
		drm_dev_exit(idx);
	}
	spin_lock_irq(&gdev->crc_lock);
	gdev->crc = crc;
	spin_unlock_irq(&gdev->crc_lock);
}

int guestkms_set_crc_source(struct drm_crtc *crtc, const char *source)
{
	struct guestkms_device *gdev = to_guestkms(crtc->dev);
	bool enable = source && !strcmp(source, "auto");
	bool was;
	int ret = 0;

	if (source && !enable)
		return -EINVAL;

	mutex_lock(&gdev->scanout_lock);
	was = gdev->crc_enabled;
	if (enable && !was) {
		ret = drm_crtc_vblank_get(crtc);
		if (ret)
			goto out;
		guestkms_crc_update(gdev);
	}
	spin_lock_irq(&gdev->crc_lock);
	gdev->crc_enabled = enable;
	spin_unlock_irq(&gdev->crc_lock);
	if (!enable && was)
		drm_crtc_vblank_put(crtc);
out:
	mutex_unlock(&gdev->scanout_lock);
	return ret;
}

static void guestkms_vblank_release(struct drm_device *drm, void *data)
{
	struct guestkms_device *gdev = to_guestkms(drm);

	WRITE_ONCE(gdev->vblank_enabled, false);
	hrtimer_cancel(&gdev->vblank_timer);
}

int guestkms_vblank_init(struct guestkms_device *gdev)
{
	int ret;

	spin_lock_init(&gdev->crc_lock);
	hrtimer_init(&gdev->vblank_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	gdev->vblank_timer.function = guestkms_vblank_tick;
	ret = drmm_add_action_or_reset(&gdev->drm, guestkms_vblank_release,
				       NULL);
	if (ret)
		return ret;
	return drm_vblank_init(&gdev->drm, 1);
}
