/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guestkms: atomic KMS driver for QEMU's Bochs/std-VGA and Cirrus adapters.
 *
 * Shared definitions: the device structure, the per-family hardware hooks
 * and the entry points of the shared modesetting core.
 */
#ifndef GUESTKMS_H
#define GUESTKMS_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <drm/drm_connector.h>
#include <drm/drm_crtc.h>
#include <drm/drm_device.h>
#include <drm/drm_encoder.h>
#include <drm/drm_plane.h>

#define GUESTKMS_NAME "guestkms"

/* Largest framebuffer and mode dimension the core accepts. */
#define GUESTKMS_MAX_FB_DIM 8192
/* Cursor plane limits: the size advertised to userspace and the largest. */
#define GUESTKMS_CURSOR_DEFAULT 64
#define GUESTKMS_CURSOR_MAX 256

/* The planes' immutable zpos values, also their order of composition. */
enum guestkms_zpos {
	GUESTKMS_ZPOS_PRIMARY,
	GUESTKMS_ZPOS_OVERLAY,
	GUESTKMS_ZPOS_CURSOR,
	GUESTKMS_NUM_PLANES
};

struct guestkms_device;
struct drm_edid;

/* How the device scans out the composited picture in VRAM at offset 0. */
struct guestkms_scanout {
	u32 format;		/* DRM_FORMAT_XRGB8888, RGB888 or RGB565 */
	unsigned int cpp;	/* bytes per pixel of @format */
	unsigned int pitch;	/* bytes per scanout line */
	unsigned int width;
	unsigned int height;
};

/**
 * struct guestkms_hw_funcs - what one device family implements
 * @name: family name for the kernel log
 * @connector_type: DRM_MODE_CONNECTOR_* reported to userspace
 * @init: map registers and VRAM, fill vram/vram_size/max_width/max_height
 * @scanout: pick format and pitch for a mode; -EINVAL if the device cannot
 * @set_mode: program the mode described by @so, scanout from offset 0
 * @disable: stop scanning out
 * @read_edid: read the device's EDID, NULL when it has none
 */
struct guestkms_hw_funcs {
	const char *name;
	int connector_type;
	int (*init)(struct guestkms_device *gdev);
	int (*scanout)(struct guestkms_device *gdev,
		       const struct drm_display_mode *mode,
		       struct guestkms_scanout *so);
	void (*set_mode)(struct guestkms_device *gdev,
			 const struct drm_display_mode *mode,
			 const struct guestkms_scanout *so);
	void (*disable)(struct guestkms_device *gdev);
	const struct drm_edid *(*read_edid)(struct guestkms_device *gdev);
};

/* Counters shown in debugfs (dri/N/guestkms_stats). */
struct guestkms_stats {
	atomic64_t commits;
	atomic64_t flips;
	atomic64_t vblanks;
	atomic64_t bytes_to_vram;
	atomic64_t rects_to_vram;
	atomic64_t full_redraws;
	atomic64_t cursor_updates;
	atomic64_t overlay_updates;
	atomic64_t crc_entries;
	atomic64_t compose_ns;
};

struct guestkms_crtc_state {
	struct drm_crtc_state base;
	struct guestkms_scanout so;
};

#define to_guestkms_crtc_state(s) \
	container_of(s, struct guestkms_crtc_state, base)

struct guestkms_device {
	struct drm_device drm;
	const struct guestkms_hw_funcs *funcs;

	/* hardware, filled by funcs->init */
	void __iomem *vram;
	resource_size_t vram_size;
	void __iomem *mmio;
	resource_size_t mmio_size;
	bool ioports;
	bool has_vga;
	u32 qext_size;
	unsigned int max_width;
	unsigned int max_height;
	unsigned int pref_width;	/* preferred mode without EDID */
	unsigned int pref_height;
	unsigned int cirrus_bpp;	/* 0: automatic */

	/* display pipeline */
	struct drm_plane primary;
	struct drm_plane overlay;
	struct drm_plane cursor;
	struct drm_crtc crtc;
	struct drm_encoder encoder;
	struct drm_connector connector;

	/* serialises VRAM writes with CRC computation */
	struct mutex scanout_lock;
	struct guestkms_scanout active;	/* valid while active_valid */
	bool active_valid;
	u32 *line;			/* composition line, XRGB8888 */
	u32 *fetch;			/* one plane's pixels to blend */
	u8 *conv;			/* conversion line, device format */

	/* emulated vblank */
	struct hrtimer vblank_timer;
	ktime_t vblank_period;
	bool vblank_enabled;		/* READ_ONCE from the timer */

	/* CRC capture */
	spinlock_t crc_lock;
	bool crc_enabled;
	u32 crc;

	struct guestkms_stats stats;
};

#define to_guestkms(d) container_of(d, struct guestkms_device, drm)

extern const struct guestkms_hw_funcs guestkms_bochs_funcs;
extern const struct guestkms_hw_funcs guestkms_cirrus_funcs;

/* guestkms_kms.c */
int guestkms_modeset_init(struct guestkms_device *gdev);

/* guestkms_vblank.c */
int guestkms_vblank_init(struct guestkms_device *gdev);
int guestkms_enable_vblank(struct drm_crtc *crtc);
void guestkms_disable_vblank(struct drm_crtc *crtc);
bool guestkms_get_vblank_timestamp(struct drm_crtc *crtc, int *max_error,
				   ktime_t *vblank_time, bool in_vblank_irq);
const char *const *guestkms_get_crc_sources(struct drm_crtc *crtc,
					    size_t *count);
int guestkms_verify_crc_source(struct drm_crtc *crtc, const char *source,
			       size_t *values_cnt);
int guestkms_set_crc_source(struct drm_crtc *crtc, const char *source);
void guestkms_crc_update(struct guestkms_device *gdev);

/* guestkms_userptr.c */
struct drm_file;
int guestkms_gem_userptr_ioctl(struct drm_device *drm, void *data,
			       struct drm_file *file);

/* guestkms_blit.c */
int guestkms_blit_init(struct guestkms_device *gdev);
void guestkms_compose_rect(struct guestkms_device *gdev,
			   const struct drm_rect *rect);
u32 guestkms_scanout_crc(struct guestkms_device *gdev);

#endif /* GUESTKMS_H */
