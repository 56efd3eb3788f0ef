// SPDX-License-Identifier: MIT
/* Atomic request builder with sticky failure. */
#include <errno.h>

#include "drm-private.h"

void drm_atomic_init(struct drm_atomic *a)
{
	a->req = drmModeAtomicAlloc();
	a->failed = a->req == NULL;
}

void drm_atomic_add(struct drm_atomic *a, uint32_t object, uint32_t prop, uint64_t value)
{
	if (a->failed)
		return;
	if (!object || !prop || drmModeAtomicAddProperty(a->req, object, prop, value) < 0)
		a->failed = true;
}

int drm_atomic_commit(struct drm_atomic *a, int fd, uint32_t flags, void *user_data)
{
	if (a->failed)
		return -EINVAL;
	if (drmModeAtomicCommit(fd, a->req, flags, user_data) < 0)
		return -errno;
	return 0;
}

void drm_atomic_finish(struct drm_atomic *a)
{
	if (a->req)
		drmModeAtomicFree(a->req);
	a->req = NULL;
}
