/* SPDX-License-Identifier: MIT */
/*
 * guestkms: driver-private ioctls (userspace API).
 *
 * DRM_IOCTL_GUESTKMS_GEM_USERPTR turns a range of the caller's memory into
 * a GEM object that can back a framebuffer. The device has no DMA: the
 * driver reads framebuffers with the CPU when it composites a commit into
 * VRAM, so a compositor can put a client's shared-memory buffer on the
 * primary plane without copying it into a dumb buffer first.
 *
 * The pages are pinned until the object is freed (its last handle closed
 * and no framebuffer using it): they count against RLIMIT_MEMLOCK unless
 * the caller has CAP_IPC_LOCK. Unmapping or truncating the memory does
 * not free them; the object keeps showing what they hold. The driver only
 * reads the pages. Objects cannot be mapped through DRM or exported with
 * PRIME.
 *
 * Only for the guestkms driver: check drmGetVersion()->name first, other
 * drivers use the same ioctl number for something else.
 */
#ifndef GUESTKMS_DRM_H
#define GUESTKMS_DRM_H

#ifdef __KERNEL__
#include <drm/drm.h>
#else
#include <drm.h> /* libdrm's copy */
#endif

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_GUESTKMS_GEM_USERPTR	0x00

/**
 * struct drm_guestkms_gem_userptr - argument of DRM_IOCTL_GUESTKMS_GEM_USERPTR
 * @addr: start of the range, page aligned
 * @size: length in bytes, page aligned, at most 256 MiB
 * @flags: must be 0
 * @handle: returned GEM handle
 *
 * Errors: -EINVAL for a misaligned, empty or too large range or non-zero
 * @flags; -EFAULT when part of the range is not mapped (or past the end of
 * the file it maps); -ENOMEM when RLIMIT_MEMLOCK would be exceeded.
 */
struct drm_guestkms_gem_userptr {
	__u64 addr;
	__u64 size;
	__u32 flags;
	__u32 handle;
};

#define DRM_IOCTL_GUESTKMS_GEM_USERPTR \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GUESTKMS_GEM_USERPTR, \
		 struct drm_guestkms_gem_userptr)

#if defined(__cplusplus)
}
#endif

#endif /* GUESTKMS_DRM_H */
