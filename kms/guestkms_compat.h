/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guestkms: every kernel-version-dependent helper call lives here, so that
 * supporting a newer kernel means editing this file only.
 *
 * Baseline: Linux 6.1 (Debian 12). GUESTKMS_KERNEL is major * 100 + minor,
 * defined by Kbuild.
 */
#ifndef GUESTKMS_COMPAT_H
#define GUESTKMS_COMPAT_H

#ifndef GUESTKMS_KERNEL
#error "GUESTKMS_KERNEL is not defined: build with kms/Kbuild"
#endif

#if GUESTKMS_KERNEL < 605
#include <drm/drm_aperture.h>
#else
#include <linux/aperture.h>
#endif
#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_edid.h>
#include <drm/drm_fb_helper.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_prime.h>

#if GUESTKMS_KERNEL >= 602
#include <drm/drm_fbdev_generic.h>
#endif

/* GEM callbacks of struct drm_driver, with our own checking dumb_create. */
#if GUESTKMS_KERNEL < 606
#define GUESTKMS_GEM_DRIVER_OPS(create) \
	.prime_handle_to_fd = drm_gem_prime_handle_to_fd, \
	.prime_fd_to_handle = drm_gem_prime_fd_to_handle, \
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table, \
	.gem_prime_mmap = drm_gem_prime_mmap, \
	.dumb_create = (create)
#else
#define GUESTKMS_GEM_DRIVER_OPS(create) \
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table, \
	.dumb_create = (create)
#endif

/* struct drm_driver lost .date in 6.14. */
#if GUESTKMS_KERNEL < 614
#define GUESTKMS_DRIVER_DATE(d) .date = (d),
#else
#define GUESTKMS_DRIVER_DATE(d)
#endif

static inline int
guestkms_remove_conflicting_fbs(struct pci_dev *pdev,
				const struct drm_driver *drv)
{
#if GUESTKMS_KERNEL < 605
	return drm_aperture_remove_conflicting_pci_framebuffers(pdev, drv);
#else
	return aperture_remove_conflicting_pci_devices(pdev, drv->name);
#endif
}

static inline void guestkms_fbdev_setup(struct drm_device *drm)
{
#if GUESTKMS_KERNEL < 611
	drm_fbdev_generic_setup(drm, 32);
#else
	drm_client_setup(drm, NULL);
#endif
}

/*
 * Store @drm_edid (may be NULL) in the connector's EDID property and add its
 * modes; returns the number of modes added.
 */
static inline int guestkms_edid_update(struct drm_connector *connector,
				       const struct drm_edid *drm_edid)
{
	int count;

	count = drm_edid_connector_update(connector, drm_edid);
#if GUESTKMS_KERNEL >= 603
	count = drm_edid_connector_add_modes(connector);
#endif
	return count;
}

static inline void guestkms_debugfs_add(struct drm_minor *minor,
					const struct drm_info_list *files,
					int count)
{
	drm_debugfs_create_files(files, count, minor->debugfs_root, minor);
}

#endif /* GUESTKMS_COMPAT_H */
