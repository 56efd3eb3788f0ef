// SPDX-License-Identifier: GPL-2.0
/*
 * guestkms: atomic KMS driver for QEMU's Bochs/std-VGA (1234:1111) and
 * Cirrus CLGD 5446 (1013:00b8) adapters. PCI glue, the DRM driver,
 * dumb buffers and debugfs counters.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_damage_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_mode_config.h>
#include <drm/drm_module.h>
#include <drm/drm_probe_helper.h>

#include "guestkms.h"
#include "guestkms_compat.h"
#include "guestkms_drm.h"

static unsigned int defx = 1024;
module_param(defx, uint, 0444);
MODULE_PARM_DESC(defx, "preferred width when the device has no EDID (default 1024)");

static unsigned int defy = 768;
module_param(defy, uint, 0444);
MODULE_PARM_DESC(defy, "preferred height when the device has no EDID (default 768)");

static unsigned int cirrus_bpp;
module_param(cirrus_bpp, uint, 0444);
MODULE_PARM_DESC(cirrus_bpp, "Cirrus scanout depth: 16, 24, 32 or 0 for the deepest that fits (default 0)");

/* ---------------------------------------------------------------------- */
/* GEM and framebuffers */

static int guestkms_dumb_create(struct drm_file *file, struct drm_device *drm,
				struct drm_mode_create_dumb *args)
{
	switch (args->bpp) {
	case 8:
	case 16:
	case 24:
	case 32:
		break;
	default:
		drm_dbg_kms(drm, "dumb buffer: unsupported bpp %u\n", args->bpp);
		return -EINVAL;
	}
	if (!args->width || !args->height ||
	    args->width > GUESTKMS_MAX_FB_DIM ||
	    args->height > GUESTKMS_MAX_FB_DIM) {
		drm_dbg_kms(drm, "dumb buffer: bad size %ux%u\n",
			    args->width, args->height);
		return -EINVAL;
	}
	return drm_gem_shmem_dumb_create(file, drm, args);
}

/*
 * A framebuffer keeps its GEM objects vmapped for its whole life, so the
 * shadow plane's prepare_fb only takes another reference on the mapping
 * instead of mapping (and the commit's cleanup unmapping) 4 MiB of pages
 * every frame.
 */
struct guestkms_framebuffer {
	struct drm_framebuffer base; /* first: drm_gem_fb_destroy() kfree()s it */
	struct iosys_map map[DRM_FORMAT_MAX_PLANES];
	bool mapped;
};

static void guestkms_fb_destroy(struct drm_framebuffer *fb)
{
	struct guestkms_framebuffer *gfb =
		container_of(fb, struct guestkms_framebuffer, base);

	if (gfb->mapped)
		drm_gem_fb_vunmap(fb, gfb->map);
	drm_gem_fb_destroy(fb);
}

static const struct drm_framebuffer_funcs guestkms_fb_funcs = {
	.destroy = guestkms_fb_destroy,
	.create_handle = drm_gem_fb_create_handle,
	.dirty = drm_atomic_helper_dirtyfb,
};

static struct drm_framebuffer *
guestkms_fb_create(struct drm_device *drm, struct drm_file *file,
		   const struct drm_mode_fb_cmd2 *cmd)
{
	struct guestkms_framebuffer *gfb;
	u64 modifier = DRM_FORMAT_MOD_LINEAR;
	int ret;

	if (cmd->flags & DRM_MODE_FB_MODIFIERS)
		modifier = cmd->modifier[0];
	if (!drm_any_plane_has_format(drm, cmd->pixel_format, modifier)) {
		drm_dbg_kms(drm, "framebuffer: format %p4cc modifier 0x%llx not supported\n",
			    &cmd->pixel_format, modifier);
		return ERR_PTR(-EINVAL);
	}

	gfb = kzalloc(sizeof(*gfb), GFP_KERNEL);
	if (!gfb)
		return ERR_PTR(-ENOMEM);
	ret = drm_gem_fb_init_with_funcs(drm, &gfb->base, file, cmd,
					 &guestkms_fb_funcs);
	if (ret) {
		kfree(gfb);
		return ERR_PTR(ret);
	}
	/* Without the mapping, prepare_fb maps the buffer for each commit. */
	gfb->mapped = !drm_gem_fb_vmap(&gfb->base, gfb->map, NULL);
	return &gfb->base;
}

/*
 * Modeset enables before plane updates: the scanout is composited in the
 * CRTC's atomic_flush and needs the new mode programmed and described in
 * gdev->active first (the default tail flushes before enabling, which left
 * the old VRAM contents on screen after a mode change).
 *
 * Once the flush has composited the commit into VRAM nothing reads the old
 * planes' framebuffers again (composition reads only the current states),
 * so they are released at once rather than after the vblank, and a
 * nonblocking commit's worker does not sleep until the vblank and wake a
 * second time just to clean up. The commit's event still goes out at the
 * next emulated vblank (it holds its own reference on the commit); a
 * nonblocking commit before it still gets -EBUSY (guestkms_commit_busy()
 * below, and the helpers' checks of the planes' previous commits), and the
 * next commit's worker still waits for it
 * (drm_atomic_helper_wait_for_dependencies()).
 */
static void guestkms_commit_tail(struct drm_atomic_state *state)
{
	struct drm_device *drm = state->dev;

	drm_atomic_helper_commit_modeset_disables(drm, state);
	drm_atomic_helper_commit_modeset_enables(drm, state);
	drm_atomic_helper_commit_planes(drm, state,
					DRM_PLANE_COMMIT_ACTIVE_ONLY);
	drm_atomic_helper_fake_vblank(state);
	drm_atomic_helper_commit_hw_done(state);
	drm_atomic_helper_cleanup_planes(drm, state);
}

/*
 * A nonblocking commit on a CRTC whose last commit's event is still
 * pending is refused with -EBUSY. The helpers check that through
 * crtc->commit_list, which a commit leaves in cleanup_done, now before
 * its vblank; the CRTC state's commit (like the planes' and connectors',
 * which the helpers check themselves) keeps it until the event is sent.
 */
static int guestkms_commit_busy(struct drm_atomic_state *state)
{
	struct drm_crtc_state *old;
	struct drm_crtc *crtc;
	int i;

	for_each_old_crtc_in_state(state, crtc, old, i) {
		if (old->commit &&
		    !try_wait_for_completion(&old->commit->flip_done)) {
			drm_dbg_atomic(crtc->dev,
				       "[CRTC:%d:%s] busy with a previous commit\n",
				       crtc->base.id, crtc->name);
			return -EBUSY;
		}
	}
	return 0;
}

/*
 * A blocking commit returns once its frame is on screen, at the vblank
 * after it, as with the default tail. Every commit touching an active CRTC
 * carries an event (the helpers add an internal one) that the emulated
 * vblank completes, so this waits for flip_done, without
 * drm_atomic_helper_wait_for_vblanks()' 100 ms timeout WARN, which a
 * starved TCG guest can hit although nothing is wrong.
 */
static int guestkms_atomic_commit(struct drm_device *drm,
				  struct drm_atomic_state *state, bool nonblock)
{
	int ret;

	if (nonblock) {
		ret = guestkms_commit_busy(state);
		return ret ? ret : drm_atomic_helper_commit(drm, state, true);
	}
	drm_atomic_state_get(state);
	ret = drm_atomic_helper_commit(drm, state, false);
	if (!ret)
		drm_atomic_helper_wait_for_flip_done(drm, state);
	drm_atomic_state_put(state);
	return ret;
}

static const struct drm_mode_config_helper_funcs guestkms_mode_config_helpers = {
	.atomic_commit_tail = guestkms_commit_tail,
};

static const struct drm_mode_config_funcs guestkms_mode_config_funcs = {
	.fb_create = guestkms_fb_create,
	.atomic_check = drm_atomic_helper_check,
	.atomic_commit = guestkms_atomic_commit,
};

/* ---------------------------------------------------------------------- */
/* debugfs */

static int guestkms_stats_show(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;
	struct guestkms_device *gdev = to_guestkms(node->minor->dev);
	struct guestkms_stats *s = &gdev->stats;

	seq_printf(m, "commits %lld\n", atomic64_read(&s->commits));
	seq_printf(m, "flips %lld\n", atomic64_read(&s->flips));
	seq_printf(m, "vblanks %lld\n", atomic64_read(&s->vblanks));
	seq_printf(m, "bytes_to_vram %lld\n", atomic64_read(&s->bytes_to_vram));
	seq_printf(m, "rects_to_vram %lld\n", atomic64_read(&s->rects_to_vram));
	seq_printf(m, "full_redraws %lld\n", atomic64_read(&s->full_redraws));
	seq_printf(m, "cursor_updates %lld\n",
		   atomic64_read(&s->cursor_updates));
	seq_printf(m, "overlay_updates %lld\n",
		   atomic64_read(&s->overlay_updates));
	seq_printf(m, "crc_entries %lld\n", atomic64_read(&s->crc_entries));
	seq_printf(m, "compose_ns %lld\n", atomic64_read(&s->compose_ns));
	seq_printf(m, "vblank_timer_running %d\n",
		   READ_ONCE(gdev->vblank_enabled) ? 1 : 0);
	return 0;
}

static int guestkms_scanout_show(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;
	struct guestkms_device *gdev = to_guestkms(node->minor->dev);
	struct guestkms_scanout so;
	bool valid;

	mutex_lock(&gdev->scanout_lock);
	so = gdev->active;
	valid = gdev->active_valid;
	mutex_unlock(&gdev->scanout_lock);

	seq_printf(m, "family %s\n", gdev->funcs->name);
	seq_printf(m, "vram_size %llu\n", (u64)gdev->vram_size);
	seq_printf(m, "active %d\n", valid ? 1 : 0);
	if (valid) {
		seq_printf(m, "mode %ux%u\n", so.width, so.height);
		seq_printf(m, "format %p4cc\n", &so.format);
		seq_printf(m, "bpp %u\n", so.cpp * 8);
		seq_printf(m, "pitch %u\n", so.pitch);
	}
	return 0;
}

static const struct drm_info_list guestkms_debugfs_list[] = {
	{ "guestkms_stats", guestkms_stats_show, 0, NULL },
	{ "guestkms_scanout", guestkms_scanout_show, 0, NULL },
};

static void guestkms_debugfs_init(struct drm_minor *minor)
{
	guestkms_debugfs_add(minor, guestkms_debugfs_list,
			     ARRAY_SIZE(guestkms_debugfs_list));
}

/* ---------------------------------------------------------------------- */
/* DRM driver */

DEFINE_DRM_GEM_FOPS(guestkms_fops);

static const struct drm_ioctl_desc guestkms_ioctls[] = {
	DRM_IOCTL_DEF_DRV(GUESTKMS_GEM_USERPTR, guestkms_gem_userptr_ioctl,
			  DRM_AUTH),
};

static const struct drm_driver guestkms_driver = {
	.driver_features = DRIVER_MODESET | DRIVER_GEM | DRIVER_ATOMIC,
	.name = GUESTKMS_NAME,
	.desc = "QEMU Bochs and Cirrus display adapters",
	GUESTKMS_DRIVER_DATE("20250101")
	.major = 1,
	.minor = 0,
	.fops = &guestkms_fops,
	.ioctls = guestkms_ioctls,
	.num_ioctls = ARRAY_SIZE(guestkms_ioctls),
	.debugfs_init = guestkms_debugfs_init,
	GUESTKMS_GEM_DRIVER_OPS(guestkms_dumb_create),
};

static int guestkms_mode_config_init(struct guestkms_device *gdev)
{
	struct drm_device *drm = &gdev->drm;
	int ret;

	ret = drmm_mode_config_init(drm);
	if (ret)
		return ret;
	drm->mode_config.min_width = 1;
	drm->mode_config.min_height = 1;
	drm->mode_config.max_width = GUESTKMS_MAX_FB_DIM;
	drm->mode_config.max_height = GUESTKMS_MAX_FB_DIM;
	drm->mode_config.preferred_depth = 24;
	drm->mode_config.prefer_shadow = 0;
	drm->mode_config.cursor_width = GUESTKMS_CURSOR_DEFAULT;
	drm->mode_config.cursor_height = GUESTKMS_CURSOR_DEFAULT;
	drm->mode_config.funcs = &guestkms_mode_config_funcs;
	drm->mode_config.helper_private = &guestkms_mode_config_helpers;
	return 0;
}

static int guestkms_pci_probe(struct pci_dev *pdev,
			      const struct pci_device_id *ent)
{
	struct guestkms_device *gdev;
	int ret;

	ret = guestkms_remove_conflicting_fbs(pdev, &guestkms_driver);
	if (ret)
		return ret;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;

	gdev = devm_drm_dev_alloc(&pdev->dev, &guestkms_driver,
				  struct guestkms_device, drm);
	if (IS_ERR(gdev))
		return PTR_ERR(gdev);
	gdev->funcs = (const struct guestkms_hw_funcs *)ent->driver_data;
	gdev->pref_width = defx;
	gdev->pref_height = defy;
	gdev->cirrus_bpp = cirrus_bpp;
	ret = drmm_mutex_init(&gdev->drm, &gdev->scanout_lock);
	if (ret)
		return ret;

	ret = gdev->funcs->init(gdev);
	if (ret)
		return ret;
	ret = guestkms_blit_init(gdev);
	if (ret)
		return ret;
	ret = guestkms_mode_config_init(gdev);
	if (ret)
		return ret;
	ret = guestkms_modeset_init(gdev);
	if (ret)
		return ret;
	drm_mode_config_reset(&gdev->drm);

	pci_set_drvdata(pdev, &gdev->drm);
	ret = drm_dev_register(&gdev->drm, 0);
	if (ret)
		return ret;
	drm_info(&gdev->drm, "%s, %llu KiB VRAM, %s registers\n",
		 gdev->funcs->name, (u64)gdev->vram_size / 1024,
		 gdev->ioports ? "I/O port" : "MMIO");
	guestkms_fbdev_setup(&gdev->drm);
	return 0;
}

static void guestkms_pci_remove(struct pci_dev *pdev)
{
	struct drm_device *drm = pci_get_drvdata(pdev);

	drm_dev_unplug(drm);
	drm_atomic_helper_shutdown(drm);
}

static void guestkms_pci_shutdown(struct pci_dev *pdev)
{
	drm_atomic_helper_shutdown(pci_get_drvdata(pdev));
}

static const struct pci_device_id guestkms_pci_ids[] = {
	{ PCI_DEVICE(0x1234, 0x1111),
	  .driver_data = (kernel_ulong_t)&guestkms_bochs_funcs },
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_CIRRUS, PCI_DEVICE_ID_CIRRUS_5446,
			 PCI_SUBVENDOR_ID_REDHAT_QUMRANET,
			 PCI_SUBDEVICE_ID_QEMU),
	  .driver_data = (kernel_ulong_t)&guestkms_cirrus_funcs },
	{ }
};
MODULE_DEVICE_TABLE(pci, guestkms_pci_ids);

static struct pci_driver guestkms_pci_driver = {
	.name = GUESTKMS_NAME,
	.id_table = guestkms_pci_ids,
	.probe = guestkms_pci_probe,
	.remove = guestkms_pci_remove,
	.shutdown = guestkms_pci_shutdown,
};

drm_module_pci_driver(guestkms_pci_driver);

MODULE_DESCRIPTION("Atomic KMS driver for QEMU's Bochs and Cirrus display adapters");
MODULE_LICENSE("GPL");
